import { z } from 'zod';
import { parseForm, type FormResult } from '../lib/forms';
import { TRAJECTORY_KINDS, TRAJECTORY_OUTCOMES } from '../db/schema';
import {
  choice,
  decimal,
  optionalDate,
  parseDateInput,
  optionalText,
  requiredDate,
  requiredId,
  submissionToken,
  versionField,
} from '../lib/form-fields';

/** Fields a person types for a trajectory (create and edit). */
const trajectoryFields = {
  commissionerId: requiredId(),
  kind: choice(TRAJECTORY_KINDS),
  reference: optionalText(50),
  startDate: requiredDate(),
  plannedEndDate: optionalDate(),
  grantedHours: decimal(0, 2000, 2),
};

/** Whether a typed planned end lies before the typed start; false unless both are readable dates. */
function plannedEndBeforeStart(startDate: unknown, plannedEndDate: unknown): boolean {
  if (typeof startDate !== 'string' || typeof plannedEndDate !== 'string') return false;
  const start = parseDateInput(startDate);
  const plannedEnd = parseDateInput(plannedEndDate);
  return start !== null && plannedEnd !== null && plannedEnd < start;
}

const PLANNED_END_BEFORE_START = 'trajectories.form.plannedEndBeforeStart';

function plannedEndNotBeforeStart(value: { startDate: unknown; plannedEndDate: unknown }, ctx: z.RefinementCtx): void {
  if (plannedEndBeforeStart(value.startDate, value.plannedEndDate)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['plannedEndDate'], message: PLANNED_END_BEFORE_START });
  }
}

export const TrajectoryCreateForm = z
  .object({ ...trajectoryFields, submissionToken: submissionToken() })
  .superRefine(plannedEndNotBeforeStart);
export type TrajectoryCreateForm = z.infer<typeof TrajectoryCreateForm>;

export const TrajectoryEditForm = z
  .object({ ...trajectoryFields, version: versionField() })
  .superRefine(plannedEndNotBeforeStart);
export type TrajectoryEditForm = z.infer<typeof TrajectoryEditForm>;

export type TrajectoryInput = Omit<TrajectoryCreateForm, 'submissionToken'>;

export const TrajectoryCloseForm = z.object({
  endDate: requiredDate(),
  outcome: z.enum(TRAJECTORY_OUTCOMES, { errorMap: () => ({ message: 'trajectories.close.outcomeRequired' }) }),
  version: versionField(),
});
export type TrajectoryCloseForm = z.infer<typeof TrajectoryCloseForm>;

export const TrajectoryParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  tid: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});

const FIELD_ORDER = ['commissionerId', 'kind', 'reference', 'startDate', 'plannedEndDate', 'grantedHours'];

/**
 * Parses a trajectory form. Zod skips an object's refinement once a field such as the commissioner
 * has failed outright, so the date order is also checked on the typed values: the person then sees
 * every problem at once, in the order of the form.
 */
export function parseTrajectoryForm<S extends typeof TrajectoryCreateForm | typeof TrajectoryEditForm>(
  schema: S,
  body: unknown,
): FormResult<z.output<S>> {
  const form = parseForm(schema, body);
  if (form.ok || form.errors.plannedEndDate || !plannedEndBeforeStart(form.values.startDate, form.values.plannedEndDate)) {
    return form;
  }
  const errors: Record<string, string> = {};
  const withDateOrder: Record<string, string> = { ...form.errors, plannedEndDate: PLANNED_END_BEFORE_START };
  for (const field of [...FIELD_ORDER, ...Object.keys(withDateOrder)]) {
    if (withDateOrder[field] !== undefined) errors[field] ??= withDateOrder[field];
  }
  return { ok: false, values: form.values, errors };
}
