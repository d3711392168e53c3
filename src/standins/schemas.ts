import { z } from 'zod';
import { optionalText, parseDateInput, requiredDate, requiredId, submissionToken } from '../lib/form-fields';
import { parseForm, type FormResult } from '../lib/forms';
import { STANDIN_COVERS } from '../db/schema';

/** The chosen participants of a split stand-in, sent as repeated checkboxes (joined with commas before parsing). */
const participantIdList = z
  .string()
  .optional()
  .transform((raw) =>
    [
      ...new Set(
        (raw ?? '')
          .split(',')
          .map((part) => part.trim())
          .filter((part) => /^\d{1,9}$/.test(part)),
      ),
    ].map(Number),
  );

export const StandinCreateForm = z.object({
  absentCoachId: requiredId(),
  standinCoachId: requiredId(),
  // The form always sends one (the whole caseload is checked at first); a form without it means the whole caseload.
  covers: z.preprocess(
    (value) => (value === undefined || value === '' ? 'caseload' : value),
    z.enum(STANDIN_COVERS, { errorMap: () => ({ message: 'standins.form.coversRequired' }) }),
  ),
  participantIds: participantIdList,
  startsOn: requiredDate(),
  endsOn: requiredDate(),
  note: optionalText(500),
  submissionToken: submissionToken(),
});
export type StandinCreateForm = z.infer<typeof StandinCreateForm>;
const FIELD_ORDER = [
  '_form',
  'absentCoachId',
  'standinCoachId',
  'startsOn',
  'endsOn',
  'covers',
  'participantIds',
  'note',
  'submissionToken',
];

export type StandinInput = Omit<StandinCreateForm, 'submissionToken'>;

/**
 * Rules that compare two fields. They are checked on the raw values, next to the schema rather
 * than inside it, because zod skips object-level refinements as soon as any field fails: the
 * person should see "end before start" even while another field is still empty.
 */
function crossFieldErrors(values: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  const absent = values.absentCoachId?.trim();
  if (absent && absent === values.standinCoachId?.trim()) errors.standinCoachId = 'standins.form.sameCoach';
  const startsOn = parseDateInput(values.startsOn ?? '');
  const endsOn = parseDateInput(values.endsOn ?? '');
  if (startsOn && endsOn && endsOn < startsOn) errors.endsOn = 'standins.form.endBeforeStart';
  if (values.covers === 'participants' && absent && !values.participantIds?.trim()) {
    errors.participantIds = 'standins.form.chooseParticipants';
  }
  return errors;
}

/** The form's body with the ticked participants as one comma-separated value, as the schema and the kept values read them. */
export function withJoinedParticipantIds(body: unknown): Record<string, unknown> {
  const fields = body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
  const raw = fields.participantIds;
  const list = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string');
  fields.participantIds = list.join(',');
  return fields;
}

export function parseStandinForm(body: unknown): FormResult<StandinCreateForm> {
  const form = parseForm(StandinCreateForm, withJoinedParticipantIds(body));
  const extra = crossFieldErrors(form.values);
  if (Object.keys(extra).length === 0) return form;
  const merged: Record<string, string> = { ...extra, ...(form.ok ? {} : form.errors) };
  // In the order of the form, so the summary at the top reads like the page.
  const errors: Record<string, string> = {};
  for (const field of [...FIELD_ORDER, ...Object.keys(merged)]) {
    if (merged[field] !== undefined) errors[field] ??= merged[field];
  }
  return { ok: false, values: form.values, errors };
}
