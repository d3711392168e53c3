import { z } from 'zod';
import { requiredText, versionField } from '../lib/form-fields';

/** The allowed range of each period; the migration's check constraints hold the same. */
export const RETENTION_RANGES = {
  closedFilesMonths: [1, 1200],
  auditLogYears: [1, 100],
  staffAnonymiseMonths: [1, 1200],
} as const;

/** A period typed in the form: a whole number within its range; empty is `null` where `optional`. */
const period = (field: keyof typeof RETENTION_RANGES, optional: boolean) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): number | null => {
      const value = (raw ?? '').trim();
      const fail = (message: string) => {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message });
        return z.NEVER;
      };
      if (value === '') return optional ? null : fail('validation.required');
      if (!/^\d{1,4}$/.test(value)) return fail('retention.settings.wholeNumber');
      const number = Number(value);
      const [min, max] = RETENTION_RANGES[field];
      return number >= min && number <= max ? number : fail('retention.settings.outOfRange');
    });

export const RetentionSettingsForm = z.object({
  /** Empty: closed files are kept until this is set (no default deletion). */
  closedFilesMonths: period('closedFilesMonths', true),
  auditLogYears: period('auditLogYears', false).transform((value) => value ?? 7),
  /** Empty: deactivated accounts are never anonymised. */
  staffAnonymiseMonths: period('staffAnonymiseMonths', true),
  version: versionField(),
});
export type RetentionSettingsForm = z.infer<typeof RetentionSettingsForm>;

/** The confirmation of an erasure on request: why (kept with the erasure, never in the audit log). */
export const ErasureForm = z.object({
  reason: requiredText(500),
});
export type ErasureForm = z.infer<typeof ErasureForm>;
