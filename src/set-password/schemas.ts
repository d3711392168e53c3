import { z } from 'zod';

export const SetPasswordForm = z
  .object({
    token: z.string().max(200).default(''),
    password: z
      .string({ required_error: 'validation.required' })
      .min(1, 'validation.required')
      .max(1024, 'users.password.tooLong'),
    confirmPassword: z.string({ required_error: 'validation.required' }).min(1, 'validation.required'),
  })
  .refine((form) => form.password === form.confirmPassword, {
    path: ['confirmPassword'],
    message: 'validation.passwordMismatch',
  });
export type SetPasswordForm = z.infer<typeof SetPasswordForm>;
