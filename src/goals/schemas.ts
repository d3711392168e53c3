import { z } from 'zod';
import { GOAL_STATUSES, LIFE_DOMAINS } from '../db/schema';
import { choice, optionalDate, optionalText, requiredText, submissionToken, versionField } from '../lib/form-fields';

const id = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

/** The participant and goal ids of a goal's URL. */
export const GoalParams = z.object({ id, goalId: id });

/** A checkbox is sent only when ticked; anything it sends then means yes. */
const checkbox = () =>
  z
    .string()
    .optional()
    .transform((value) => value !== undefined && value !== '');

/** What a person types about a goal. The status is not here: it changes only with a progress note. */
const goalFields = {
  title: requiredText(200),
  description: optionalText(4000),
  lifeDomain: choice(LIFE_DOMAINS),
  targetDate: optionalDate(),
  agreedWithParticipant: checkbox(),
};

export const GoalCreateForm = z.object({ ...goalFields, submissionToken: submissionToken() });
export type GoalCreateForm = z.infer<typeof GoalCreateForm>;
export type GoalInput = Omit<GoalCreateForm, 'submissionToken'>;

export const GoalEditForm = z.object({ ...goalFields, version: versionField() });
export type GoalEditForm = z.infer<typeof GoalEditForm>;

export const GoalProgressForm = z.object({
  status: choice(GOAL_STATUSES),
  note: requiredText(4000),
  version: versionField(),
});
export type GoalProgressForm = z.infer<typeof GoalProgressForm>;
