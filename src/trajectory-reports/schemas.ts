import { z } from 'zod';
import { parseDateInput, requiredDate, versionField } from '../lib/form-fields';

/** The participant and trajectory ids of a report's URL. */
export const ReportParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  tid: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});
export type ReportParams = z.infer<typeof ReportParams>;

const INVALID_DATE = 'trajectoryReports.period.invalidDate';
export const REVERSED_PERIOD = 'trajectoryReports.period.reversed';

/**
 * One end of the report period as typed in the period form or a link: missing or empty means "the
 * default", anything else must be a date (dd-mm-yyyy, dd/mm/yyyy or ISO). A repeated parameter
 * (?from=a&from=b) is not a date either.
 */
const periodEnd = z.unknown().transform((value, ctx): string | null => {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? value.trim() : null;
  if (text === '') return null;
  const iso = text === null ? null : parseDateInput(text);
  if (iso === null) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: INVALID_DATE });
    return z.NEVER;
  }
  return iso;
});

/** ?from=&to= of the report pages; null ends take the trajectory's defaults (see the service). */
export const ReportPeriodQuery = z.object({ from: periodEnd, to: periodEnd });
export type ReportPeriodQuery = z.infer<typeof ReportPeriodQuery>;

/** Matches the database's check: char_length counts code points, so a string's length in code points is compared. */
export const NARRATIVE_MAX_LENGTH = 5000;

const narrativeText = () =>
  z
    .string()
    .optional()
    // Browsers send a textarea's line breaks as CRLF; one stored "\n" is one character, as the writer sees it.
    .transform((value) => (value ?? '').replace(/\r\n?/g, '\n').trim())
    .refine((value) => [...value].length <= NARRATIVE_MAX_LENGTH, 'trajectoryReports.narrative.tooLong');

/**
 * The narrative form on the report page. from/to are hidden fields naming the period the text
 * belongs to; version is the narrative's version the page showed (0: none was saved yet).
 */
export const NarrativeForm = z
  .object({
    from: requiredDate(),
    to: requiredDate(),
    version: versionField(),
    progress: narrativeText(),
    nextSteps: narrativeText(),
  })
  .refine((form) => form.from <= form.to, { path: ['to'], message: REVERSED_PERIOD });
export type NarrativeForm = z.infer<typeof NarrativeForm>;
