import { z } from 'zod';

/** A code at the second step or at step-up: six digits from the app, or a recovery code. */
export const CodeForm = z.object({
  code: z.string().trim().min(1, 'validation.required').max(40, 'validation.tooLong'),
  next: z.string().optional(),
});
export type CodeForm = z.infer<typeof CodeForm>;

/** The first code from the app, confirming its enrolment. */
export const EnrolForm = z.object({
  code: z
    .string()
    .trim()
    .min(1, 'validation.required')
    .max(20, 'validation.tooLong')
    .refine((code) => /^\d{6}$/.test(code.replace(/\s+/g, '')), 'mfa.enrol.codeShape'),
});
export type EnrolForm = z.infer<typeof EnrolForm>;

/** The person of /admin/users/:id/second-factor/reset. */
export const UserIdParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
export type UserIdParam = z.infer<typeof UserIdParam>;
