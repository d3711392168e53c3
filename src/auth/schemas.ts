import { SUPPORTED_LOCALES } from '../config';
import { z } from 'zod';

export const LoginForm = z.object({
  email: z.string().trim().min(1, 'validation.required').max(254, 'validation.tooLong').email('validation.email'),
  password: z.string().min(1, 'validation.required').max(1024, 'validation.tooLong'),
  next: z.string().optional(),
});
export type LoginForm = z.infer<typeof LoginForm>;

export const LocaleForm = z.object({
  /** A language, or 'team' (signed in only): follow the team's default again. */
  locale: z.enum([...SUPPORTED_LOCALES, 'team'], { message: 'validation.choice' }),
  returnTo: z.string().optional(),
});
export type LocaleForm = z.infer<typeof LocaleForm>;
