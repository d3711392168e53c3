import { DateTime } from 'luxon';
import { z } from 'zod';

// Building blocks for form schemas. Every message is an i18n key; every field takes the raw
// string a browser sends and yields a clean value (trimmed text, null for an empty optional,
// ISO dates, numbers), so services never see form quirks.

export const requiredText = (max: number) =>
  z.string({ required_error: 'validation.required' }).trim().min(1, 'validation.required').max(max, 'validation.tooLong');

export const optionalText = (max: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined ? '' : value.trim()))
    .refine((value) => value.length <= max, 'validation.tooLong')
    .transform((value) => (value === '' ? null : value));

const DATE_FORMATS = ['d-M-yyyy', 'd/M/yyyy', 'd.M.yyyy', 'yyyy-MM-dd'];

/** Reads dd-mm-yyyy (Dutch), dd/mm/yyyy, dd.mm.yyyy or ISO yyyy-mm-dd; null when it is none. */
export function parseDateInput(input: string): string | null {
  const value = input.trim();
  for (const format of DATE_FORMATS) {
    const parsed = DateTime.fromFormat(value, format, { zone: 'UTC' });
    if (parsed.isValid && parsed.year >= 1900 && parsed.year <= 2200) return parsed.toISODate();
  }
  return null;
}

export const requiredDate = () =>
  z
    .string({ required_error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .transform((value, ctx) => {
      const iso = parseDateInput(value);
      if (iso === null) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'validation.date' });
        return z.NEVER;
      }
      return iso;
    });

export const optionalDate = () =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return null;
      const iso = parseDateInput(value);
      if (iso === null) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'validation.date' });
        return z.NEVER;
      }
      return iso;
    });

/** Dutch and Belgian numbers in any common notation: +31 6 1234 5678, 06-12345678, 0470/12.34.56. */
export const optionalPhone = () =>
  optionalText(30).refine(
    (value) => value === null || (/^\+?[0-9 ()./-]+$/.test(value) && value.replace(/\D/g, '').length >= 6),
    'validation.phone',
  );

export const optionalEmail = () =>
  optionalText(254).refine((value) => value === null || z.string().email().safeParse(value).success, 'validation.email');

export const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values as unknown as [T[number], ...T[number][]], {
    errorMap: () => ({ message: 'validation.choice' }),
  });

export const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === '' ? null : value))
    .refine(
      (value): value is T[number] | null => value === null || (values as readonly string[]).includes(value),
      'validation.choice',
    );

/** A decimal in Dutch (12,5) or English (12.5) notation within [min, max]. */
export const decimal = (min: number, max: number, fractionDigits: number) =>
  z
    .string({ required_error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .transform((value, ctx) => {
      const normalised = value.replace(',', '.');
      const pattern = new RegExp(`^\\d{1,6}(\\.\\d{1,${fractionDigits}})?$`);
      const parsed = Number(normalised);
      if (!pattern.test(normalised) || !Number.isFinite(parsed) || parsed < min || parsed > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'validation.number', params: { min, max } });
        return z.NEVER;
      }
      return parsed;
    });

/** A row id chosen in a select: a positive integer, or the message that a choice is needed. */
export const requiredId = () =>
  z
    .string({ required_error: 'validation.choice' })
    .regex(/^\d{1,9}$/, 'validation.choice')
    .transform(Number)
    .refine((value) => value > 0, 'validation.choice');

export const optionalId = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === '' ? null : value))
    .refine((value) => value === null || /^\d{1,9}$/.test(value), 'validation.choice')
    .transform((value) => (value === null ? null : Number(value)));

/** The version the form was loaded with (hidden field), compared, never stored. */
export const versionField = () =>
  z
    .string({ required_error: 'validation.stale' })
    .regex(/^\d{1,9}$/, 'validation.stale')
    .transform(Number);

/** The one-time token of a create form (hidden field). */
export const submissionToken = () => z.string({ required_error: 'validation.expiredForm' }).uuid('validation.expiredForm');

export const idParam = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});
