import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../users/service';

export const PasswordForm = z
  .object({
    currentPassword: z.string().min(1, 'validation.required').max(1024, 'validation.tooLong'),
    newPassword: z
      .string()
      .min(MIN_PASSWORD_LENGTH, 'users.password.tooShort')
      .max(MAX_PASSWORD_LENGTH, 'users.password.tooLong'),
    confirmPassword: z.string().min(1, 'validation.required'),
  })
  .refine((form) => form.newPassword === form.confirmPassword, {
    path: ['confirmPassword'],
    message: 'validation.passwordMismatch',
  });
export type PasswordForm = z.infer<typeof PasswordForm>;

/** A session's handle in a URL: anything but a UUID names no session (404). */
export const SessionHandleParam = z.object({ handle: z.string().uuid() });
export type SessionHandleParam = z.infer<typeof SessionHandleParam>;
