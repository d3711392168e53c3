import { z } from 'zod';
import { TRAJECTORY_OUTCOMES } from '../db/schema';
import { parseForm, type FormResult } from '../lib/forms';
import { optionalEmail, optionalPhone, parseDateInput, requiredDate, versionField } from '../lib/form-fields';

/** How long a handover note may be (the table's check says the same). */
export const NOTE_MAX = 5000;

/** The handover's fields of the close form, in the order the form shows them. */
export const HANDOVER_FIELDS = [
  'handoverOrganisationId',
  'receiverName',
  'receiverPhone',
  'receiverEmail',
  'handoverDate',
  'handoverNote',
] as const;

const OUTCOME_REQUIRED = 'trajectories.close.outcomeRequired';

/**
 * The close form with the handover's fields. Without JavaScript the handover fields are always on
 * the form, so they are read leniently here and only checked, in `parseCloseForm`, when the outcome
 * is "handover": for any other outcome whatever was typed in them is ignored.
 */
const CloseFormBase = z.object({
  endDate: requiredDate(),
  outcome: z.enum(TRAJECTORY_OUTCOMES, { errorMap: () => ({ message: OUTCOME_REQUIRED }) }),
  version: versionField(),
});

const HandoverFields = z.object({
  handoverOrganisationId: z
    .string({ required_error: 'handovers.form.organisationRequired' })
    .regex(/^\d{1,9}$/, 'handovers.form.organisationRequired')
    .transform(Number),
  receiverName: z
    .string({ required_error: 'handovers.form.receiverNameRequired' })
    .trim()
    .min(1, 'handovers.form.receiverNameRequired')
    .max(150, 'validation.tooLong'),
  receiverPhone: optionalPhone(),
  receiverEmail: optionalEmail(),
  // Empty means "the closing date", which is then checked as that date.
  handoverDate: z.string().optional(),
  handoverNote: z
    .string({ required_error: 'handovers.form.noteRequired' })
    .trim()
    .min(1, 'handovers.form.noteRequired')
    .max(NOTE_MAX, 'handovers.form.noteTooLong'),
});

export interface HandoverInput {
  organisationId: number;
  receiverName: string;
  receiverPhone: string | null;
  receiverEmail: string | null;
  handoverDate: string;
  note: string;
}

export type CloseForm = z.infer<typeof CloseFormBase> & { handover: HandoverInput | null };

/** Keeps the first message per field, in the order of the form. */
function inFormOrder(errors: Record<string, string>): Record<string, string> {
  const ordered: Record<string, string> = {};
  for (const field of ['endDate', 'outcome', ...HANDOVER_FIELDS, ...Object.keys(errors)]) {
    if (errors[field] !== undefined) ordered[field] ??= errors[field];
  }
  return ordered;
}

/**
 * Parses the close form: the closing date and outcome always; the handover's fields only when the
 * outcome is "handover". The handover date defaults to the closing date, may not lie before it and
 * not more than a year after it. Every problem is reported at once, with every typed value kept.
 */
export function parseCloseForm(body: unknown): FormResult<CloseForm> {
  const base = parseForm(CloseFormBase, body);
  const values = base.values;
  if (values.outcome !== 'handover') {
    return base.ok ? { ok: true, values, data: { ...base.data, handover: null } } : base;
  }
  const handover = parseForm(HandoverFields, body);
  const errors: Record<string, string> = { ...(base.ok ? {} : base.errors), ...(handover.ok ? {} : handover.errors) };
  const endDate = base.ok ? base.data.endDate : parseDateInput(values.endDate ?? '');
  const typedDate = (values.handoverDate ?? '').trim();
  const handoverDate = typedDate === '' ? endDate : parseDateInput(typedDate);
  if (typedDate !== '' && handoverDate === null) errors.handoverDate = 'validation.date';
  else if (handoverDate !== null && endDate !== null && handoverDate < endDate)
    errors.handoverDate = 'handovers.form.dateBeforeEnd';
  else if (handoverDate !== null && endDate !== null && handoverDate > yearAfter(endDate)) {
    errors.handoverDate = 'handovers.form.dateTooLate';
  }
  if (!base.ok || !handover.ok || Object.keys(errors).length > 0 || handoverDate === null) {
    return { ok: false, values, errors: inFormOrder(errors) };
  }
  const fields = handover.data;
  return {
    ok: true,
    values,
    data: {
      ...base.data,
      handover: {
        organisationId: fields.handoverOrganisationId,
        receiverName: fields.receiverName,
        receiverPhone: fields.receiverPhone,
        receiverEmail: fields.receiverEmail,
        handoverDate,
        note: fields.handoverNote,
      },
    },
  };
}

/** The same calendar day a year later (29 February → 1 March), as an ISO date. */
function yearAfter(isoDate: string): string {
  const [year = 0, month = 1, day = 1] = isoDate.split('-').map(Number);
  const next = new Date(Date.UTC(year + 1, month - 1, day));
  return next.toISOString().slice(0, 10);
}

export const HandoverParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  tid: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});

/** `?after=<trajectory id>` on the new-trajectory form: the handover it continues from. */
export const NextTrajectoryQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
});
