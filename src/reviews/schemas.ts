import { z } from 'zod';
import { optionalText, requiredId, requiredText, submissionToken, versionField } from '../lib/form-fields';

export const SAMPLE_SIZE_DEFAULT = 5;
export const SAMPLE_SIZE_MAX = 50;
export const PERIOD_DAYS_DEFAULT = 30;
export const PERIOD_DAYS_MAX = 365;
export const FEEDBACK_MAX = 4000;

/** A whole number typed in a text field, within [min, max]; the message names the range. */
const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string({ required_error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .regex(/^\d{1,4}$/, message)
    .transform(Number)
    .refine((value) => value >= min && value <= max, message);

export const SampleCreateForm = z.object({
  coachId: requiredId(),
  size: wholeNumber(1, SAMPLE_SIZE_MAX, 'reviews.form.sizeRange'),
  periodDays: wholeNumber(1, PERIOD_DAYS_MAX, 'reviews.form.periodRange'),
  submissionToken: submissionToken(),
});
export type SampleCreateForm = z.infer<typeof SampleCreateForm>;

export const SCORES = [1, 2, 3, 4] as const;

/** The field of one criterion's score in an item's form. */
export const scoreField = (criterionId: number) => `score-${criterionId}`;

export interface ReviewItemForm {
  /** The comment: required only when there is no rubric to score. */
  feedback: string;
  scores: Array<{ criterionId: number; score: number }>;
}

/**
 * An item's review against the active criteria: each scored 1–4 (a missing or other value is named at
 * its criterion), plus a comment. Without any active criterion the comment is the review, as before
 * the rubric, and is required.
 */
export function reviewItemSchema(criterionIds: readonly number[]) {
  const score = z
    .string({ required_error: 'reviews.rubric.scoreRequired' })
    .regex(/^[1-4]$/, 'reviews.rubric.scoreRequired')
    .transform(Number);
  const shape: Record<string, z.ZodTypeAny> = {
    feedback:
      criterionIds.length === 0 ? requiredText(FEEDBACK_MAX) : optionalText(FEEDBACK_MAX).transform((value) => value ?? ''),
  };
  for (const id of criterionIds) shape[scoreField(id)] = score;
  return z.object(shape).transform((values): ReviewItemForm => ({
    feedback: values.feedback as string,
    scores: criterionIds.map((criterionId) => ({ criterionId, score: values[scoreField(criterionId)] as number })),
  }));
}

export const CRITERION_LABEL_MAX = 120;
export const CRITERION_DESCRIPTION_MAX = 500;

const position = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? '0' : value.trim()))
  .refine((value) => /^\d{1,3}$/.test(value), 'reviews.criteria.positionRange')
  .transform(Number);

export const CriterionCreateForm = z.object({
  label: requiredText(CRITERION_LABEL_MAX),
  description: optionalText(CRITERION_DESCRIPTION_MAX),
  position,
  submissionToken: submissionToken(),
});
export type CriterionCreateForm = z.infer<typeof CriterionCreateForm>;

export const CriterionEditForm = z.object({
  label: requiredText(CRITERION_LABEL_MAX),
  description: optionalText(CRITERION_DESCRIPTION_MAX),
  position,
  active: z
    .string()
    .optional()
    .transform((value) => value === 'yes'),
  version: versionField(),
});
export type CriterionEditForm = z.infer<typeof CriterionEditForm>;

export const criterionParams = z.object({
  criterionId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});

export const sampleParams = z.object({
  sampleId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});

export const itemParams = z.object({
  sampleId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  itemId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});

/** The list's query string: lenient, a coach filter that is unusable is ignored. */
export const SampleListQuery = z.object({
  coach: z
    .string()
    .optional()
    .transform((value) => (value && /^\d{1,9}$/.test(value) ? Number(value) : null)),
});
export type SampleListQuery = z.infer<typeof SampleListQuery>;
