import { z } from 'zod';
import { CONTACT_CHANNELS, CONTACT_COUNTERPARTS, CONTACT_OUTCOMES, UNREACHED_OUTCOMES, type ContactOutcome } from '../db/schema';
import {
  choice,
  optionalChoice,
  optionalDate,
  optionalId,
  optionalText,
  requiredText,
  submissionToken,
  versionField,
} from '../lib/form-fields';
import { parseForm, type FormResult } from '../lib/forms';

/** The "next contact" shortcuts; /today's quick-log posts the same values. */
export const NEXT_SHORTCUTS = ['in10min', 'in30min', 'in1hour', 'tomorrow', 'in1week', 'in2weeks'] as const;
export type NextShortcut = (typeof NEXT_SHORTCUTS)[number];

/** The wellbeing check's four aspects and the form field of each. */
export const WELLBEING_FIELDS = {
  mood: 'wellbeingMood',
  rhythm: 'wellbeingRhythm',
  social: 'wellbeingSocial',
  activity: 'wellbeingActivity',
} as const;
export type WellbeingAspect = keyof typeof WELLBEING_FIELDS;
export const WELLBEING_ASPECTS = Object.keys(WELLBEING_FIELDS) as WellbeingAspect[];
export const WELLBEING_LEVELS = [1, 2, 3, 4, 5] as const;

export const DEFAULT_DURATION_MINUTES = 10;
export const MAX_DURATION_MINUTES = 600;

export function isUnreached(outcome: ContactOutcome): boolean {
  return UNREACHED_OUTCOMES.includes(outcome);
}

/** A choice that falls back to a default when the form leaves it out (the quick-log sends few fields). */
const choiceOrDefault = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? fallback : value.trim()))
    .pipe(choice(values));

/** A time of day as people type it (14:30, 9.05); yields 'HH:MM', null when empty. */
const optionalTime = () =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return null;
      const match = /^(\d{1,2})[:.](\d{2})$/.exec(value.trim());
      if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'contacts.form.timeInvalid' });
        return z.NEVER;
      }
      return `${match[1]!.padStart(2, '0')}:${match[2]}`;
    });

/** A whole number within [min, max], null when empty. */
const optionalWholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return null;
      const trimmed = value.trim();
      const parsed = Number(trimmed);
      if (!/^\d{1,4}$/.test(trimmed) || parsed < min || parsed > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message });
        return z.NEVER;
      }
      return parsed;
    });

const wellbeingLevel = () => optionalWholeNumber(1, 5, 'contacts.form.wellbeingRange');

/** What the log form and the edit form share. */
const contactFields = {
  occurredDate: optionalDate(),
  occurredTime: optionalTime(),
  channel: choiceOrDefault(CONTACT_CHANNELS, 'phone'),
  counterpart: choiceOrDefault(CONTACT_COUNTERPARTS, 'participant'),
  employerId: optionalId(),
  employerContactId: optionalId(),
  outcome: choice(CONTACT_OUTCOMES),
  durationMinutes: optionalWholeNumber(0, MAX_DURATION_MINUTES, 'contacts.form.durationRange'),
  summary: optionalText(4000),
  wellbeingMood: wellbeingLevel(),
  wellbeingRhythm: wellbeingLevel(),
  wellbeingSocial: wellbeingLevel(),
  wellbeingActivity: wellbeingLevel(),
  nextContactDate: optionalDate(),
  nextContactTime: optionalTime(),
  /** Empty: the trajectory open on the contact's day; an id: the one chosen where several overlap. */
  trajectoryId: optionalId(),
};

export const ContactCreateForm = z.object({
  ...contactFields,
  submissionToken: submissionToken(),
  /** Where to go after saving (/today's quick-log); checked with safeLocalPath before use. */
  returnTo: optionalText(2000),
  nextShortcut: optionalChoice(NEXT_SHORTCUTS),
});
export type ContactCreateForm = z.infer<typeof ContactCreateForm>;

export const ContactEditForm = z.object({ ...contactFields, version: versionField() });
export type ContactEditForm = z.infer<typeof ContactEditForm>;

/** The fields both forms hand to the service (the edit form has no shortcut: "in 1 week" from when?). */
export type ContactFormFields = Omit<ContactEditForm, 'version'> & { nextShortcut?: NextShortcut | null };

/** The form's fields in page order, so the error summary lists them as the person meets them. */
export const CONTACT_FIELD_ORDER = [
  '_form',
  'submissionToken',
  'occurredDate',
  'occurredTime',
  'trajectoryId',
  'channel',
  'counterpart',
  'employerId',
  'employerContactId',
  'outcome',
  'durationMinutes',
  'summary',
  'wellbeingMood',
  'wellbeingRhythm',
  'wellbeingSocial',
  'wellbeingActivity',
  'nextShortcut',
  'nextContactDate',
  'nextContactTime',
  'goalIds',
  'version',
];

export function inFieldOrder(errors: Record<string, string>): Record<string, string> {
  const ordered: Record<string, string> = {};
  for (const field of CONTACT_FIELD_ORDER) if (errors[field]) ordered[field] = errors[field];
  for (const [field, message] of Object.entries(errors)) ordered[field] ??= message;
  return ordered;
}

/**
 * Parses a contact form. The summary rule depends on the outcome; it is checked on the raw values
 * so its message appears together with every other one rather than only after they are fixed.
 */
export function parseContactForm<S extends typeof ContactCreateForm | typeof ContactEditForm>(
  schema: S,
  body: unknown,
): FormResult<z.output<S>> {
  const result = parseForm(schema, body);
  const outcome = (CONTACT_OUTCOMES as readonly string[]).includes(result.values.outcome ?? '')
    ? (result.values.outcome as ContactOutcome)
    : null;
  // Only a conversation needs a summary: an attempt that reached nobody or a call-back request do not.
  const summaryMissing = outcome === 'reached' && (result.values.summary ?? '').trim() === '';
  if (!summaryMissing) return result.ok ? result : { ...result, errors: inFieldOrder(result.errors) };
  const errors = inFieldOrder({ ...(result.ok ? {} : result.errors), summary: 'contacts.form.summaryRequired' });
  return { ok: false, values: result.values, errors };
}

/**
 * The goals ticked on the form. A repeated field arrives as an array (urlencoded, extended: false),
 * a single one as a string, and the conflict page resubmits them comma-separated: all three count.
 */
export function goalIdsFrom(body: unknown): number[] {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).goalIds : undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((value) => (typeof value === 'string' ? value.split(',') : []));
  const ids = parts.map((part) => part.trim()).filter((part) => /^\d{1,9}$/.test(part));
  return [...new Set(ids.map(Number))].filter((id) => id > 0);
}

export const AddendumForm = z.object({
  body: requiredText(4000),
  submissionToken: submissionToken(),
});
export type AddendumForm = z.infer<typeof AddendumForm>;

const urlId = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

export const contactParams = z.object({ id: urlId, contactId: urlId });

export const TIMELINE_PAGE_SIZE = 20;

/** The timeline's filters and page on the profile URL: lenient, anything unusable is ignored. */
export const TimelineQuery = z.object({
  tlChannel: z
    .enum([...CONTACT_CHANNELS])
    .optional()
    .catch(undefined),
  tlOutcome: z
    .enum([...CONTACT_OUTCOMES])
    .optional()
    .catch(undefined),
  tlPage: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});
export type TimelineQuery = z.infer<typeof TimelineQuery>;
