import { z } from 'zod';

export const ForgotPasswordForm = z.object({
  email: z.string().trim().min(1, 'validation.required').max(254, 'validation.tooLong').email('validation.email'),
});
export type ForgotPasswordForm = z.infer<typeof ForgotPasswordForm>;
