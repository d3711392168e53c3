import { z } from 'zod';
import { PLACEMENT_KINDS } from '../db/schema';
import {
  choice,
  decimal,
  optionalDate,
  optionalId,
  optionalText,
  requiredDate,
  requiredId,
  requiredText,
  submissionToken,
  versionField,
} from '../lib/form-fields';

/** Hours per week as people type them (12,5 or 12.5), within the table's range. */
const hoursPerWeek = () => decimal(0, 60, 1);

const id = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

/** The participant and placement ids of a placement's URL. */
export const placementParams = z.object({ id, placementId: id });

/** A planned end before the start is refused (the table's check constraint holds the same). */
function plannedEndNotBeforeStart(value: { startDate: string; plannedEndDate: string | null }, ctx: z.RefinementCtx): void {
  if (value.plannedEndDate !== null && value.plannedEndDate < value.startDate) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['plannedEndDate'], message: 'placements.form.plannedEndBeforeStart' });
  }
}

export const PlacementCreateForm = z
  .object({
    employerId: requiredId(),
    supervisorContactId: optionalId(),
    kind: choice(PLACEMENT_KINDS),
    jobTitle: requiredText(100),
    startDate: requiredDate(),
    plannedEndDate: optionalDate(),
    hoursPerWeek: hoursPerWeek(),
    submissionToken: submissionToken(),
  })
  .superRefine(plannedEndNotBeforeStart);
export type PlacementCreateForm = z.infer<typeof PlacementCreateForm>;
export type PlacementCreateInput = Omit<PlacementCreateForm, 'submissionToken'>;

/** The employer is not editable: working somewhere else is a new placement. */
export const PlacementEditForm = z
  .object({
    supervisorContactId: optionalId(),
    kind: choice(PLACEMENT_KINDS),
    jobTitle: requiredText(100),
    startDate: requiredDate(),
    plannedEndDate: optionalDate(),
    version: versionField(),
  })
  .superRefine(plannedEndNotBeforeStart);
export type PlacementEditForm = z.infer<typeof PlacementEditForm>;

export const PlacementPauseForm = z.object({
  pauseReason: requiredText(500),
  pausedSince: requiredDate(),
  version: versionField(),
});
export type PlacementPauseForm = z.infer<typeof PlacementPauseForm>;

export const PlacementResumeForm = z.object({
  resumedOn: requiredDate(),
  hoursPerWeek: hoursPerWeek(),
  version: versionField(),
});
export type PlacementResumeForm = z.infer<typeof PlacementResumeForm>;

export const PlacementEndForm = z.object({
  endDate: requiredDate(),
  version: versionField(),
});
export type PlacementEndForm = z.infer<typeof PlacementEndForm>;

export const PlacementHoursForm = z.object({
  effectiveFrom: requiredDate(),
  hoursPerWeek: hoursPerWeek(),
  note: optionalText(500),
});
export type PlacementHoursForm = z.infer<typeof PlacementHoursForm>;
