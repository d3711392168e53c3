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
