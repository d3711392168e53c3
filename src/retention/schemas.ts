import { z } from 'zod';
import { requiredText, versionField } from '../lib/form-fields';

/** The allowed range of each period; the migration's check constraints hold the same. */
export const RETENTION_RANGES = {
  closedFilesMonths: [1, 1200],
  auditLogYears: [1, 100],
  staffAnonymiseMonths: [1, 1200],
} as const;

const wholeNumberText = (field: keyof typeof RETENTION_RANGES) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, 'retention.settings.wholeNumber')
    .transform(Number)
    .refine(
      (value) => value >= RETENTION_RANGES[field][0] && value <= RETENTION_RANGES[field][1],
      'retention.settings.outOfRange',
    );

/** Empty means "keep" (closed files: until set; accounts: never anonymised). */
const optionalPeriod = (field: keyof typeof RETENTION_RANGES) =>
  z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim())
    .pipe(z.union([z.literal('').transform(() => null), wholeNumberText(field)]));

export const RetentionSettingsForm = z.object({
  closedFilesMonths: optionalPeriod('closedFilesMonths'),
  auditLogYears: z
    .string({ required_error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .pipe(wholeNumberText('auditLogYears')),
  staffAnonymiseMonths: optionalPeriod('staffAnonymiseMonths'),
  version: versionField(),
});
export type RetentionSettingsForm = z.infer<typeof RetentionSettingsForm>;

/** The confirmation of an erasure on request: why (kept with the erasure, never in the audit log). */
export const ErasureForm = z.object({
  reason: requiredText(500),
});
export type ErasureForm = z.infer<typeof ErasureForm>;
