import { z } from 'zod';
import { optionalText, parseDateInput, requiredDate, requiredId, submissionToken } from '../lib/form-fields';
import { parseForm, type FormResult } from '../lib/forms';

export const StandinCreateForm = z.object({
  absentCoachId: requiredId(),
  standinCoachId: requiredId(),
  startsOn: requiredDate(),
  endsOn: requiredDate(),
  note: optionalText(500),
  submissionToken: submissionToken(),
});
export type StandinCreateForm = z.infer<typeof StandinCreateForm>;
const FIELD_ORDER = ['_form', 'absentCoachId', 'standinCoachId', 'startsOn', 'endsOn', 'note', 'submissionToken'];

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
  return errors;
}

export function parseStandinForm(body: unknown): FormResult<StandinCreateForm> {
  const form = parseForm(StandinCreateForm, body);
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
