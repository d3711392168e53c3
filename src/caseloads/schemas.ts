import { z } from 'zod';

export const CASELOAD_COLUMNS = [
  'coach',
  'active',
  'reachedPercent',
  'red',
  'amber',
  'overdue',
  'contacts7',
  'contacts30',
  'goalsAchieved90',
  'placementPercent',
] as const;
export type CaseloadColumn = (typeof CASELOAD_COLUMNS)[number];

/** Query string of /dashboard/caseloads: lenient, anything unknown falls back to the default. */
export const CaseloadQuery = z.object({
  sort: z.enum(CASELOAD_COLUMNS).catch('coach').default('coach'),
  dir: z.enum(['asc', 'desc']).catch('asc').default('asc'),
  team: z.coerce.number().int().positive().max(2147483647).optional().catch(undefined),
});
export type CaseloadQuery = z.infer<typeof CaseloadQuery>;

/** The allowed range of each attention threshold; the migration's check constraint holds the same. */
export const THRESHOLD_RANGES = {
  reachedMinPercent: [1, 100],
  redMax: [0, 1000],
  overdueMax: [0, 1000],
} as const;
export type ThresholdField = keyof typeof THRESHOLD_RANGES;
export const THRESHOLD_FIELDS = Object.keys(THRESHOLD_RANGES) as ThresholdField[];

const threshold = (field: ThresholdField) =>
  z
    .string({ required_error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .regex(/^\d{1,4}$/, 'caseloads.thresholds.wholeNumber')
    .transform(Number)
    .refine((value) => value >= THRESHOLD_RANGES[field][0] && value <= THRESHOLD_RANGES[field][1], 'validation.number');

/** The form on /admin/settings/caseloads. */
export const CaseloadThresholdsForm = z.object({
  reachedMinPercent: threshold('reachedMinPercent'),
  redMax: threshold('redMax'),
  overdueMax: threshold('overdueMax'),
  version: z
    .string({ required_error: 'validation.stale' })
    .regex(/^\d{1,9}$/, 'validation.stale')
    .transform(Number),
});
export type CaseloadThresholdsForm = z.infer<typeof CaseloadThresholdsForm>;
