import { z } from 'zod';
import { optionalId, requiredText, submissionToken } from '../lib/form-fields';

export const QUESTION_MAX = 2000;
export const ANSWER_MAX = 4000;

export const SupportRequestForm = z.object({
  question: requiredText(QUESTION_MAX),
  /** The contact moment the question is about, when asked from one (hidden field). */
  contactMomentId: optionalId(),
  submissionToken: submissionToken(),
});
export type SupportRequestForm = z.infer<typeof SupportRequestForm>;

export const SupportAnswerForm = z.object({ answer: requiredText(ANSWER_MAX) });
export type SupportAnswerForm = z.infer<typeof SupportAnswerForm>;

/** ?contact= on the new-request form: a contact id, or nothing (a malformed one is ignored). */
export const NewRequestQuery = z.object({
  contact: z
    .string()
    .optional()
    .transform((value) => (value && /^\d{1,9}$/.test(value) ? Number(value) : null)),
});

export const requestParams = z.object({
  requestId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});
