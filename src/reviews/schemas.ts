import { z } from 'zod';
import { requiredId, requiredText, submissionToken } from '../lib/form-fields';

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

export const ReviewItemForm = z.object({ feedback: requiredText(FEEDBACK_MAX) });
export type ReviewItemForm = z.infer<typeof ReviewItemForm>;

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
