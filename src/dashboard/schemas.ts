import { z } from 'zod';
import { RISK_SIGNALS } from '../risk/service';

export const DASHBOARD_LEVELS = ['flagged', 'red', 'amber'] as const;
export type DashboardLevel = (typeof DASHBOARD_LEVELS)[number];
export const DASHBOARD_ACKNOWLEDGED = ['all', 'open', 'acknowledged'] as const;
export type DashboardAcknowledged = (typeof DASHBOARD_ACKNOWLEDGED)[number];

const optionalFilterId = z.coerce.number().int().positive().max(2147483647).optional().catch(undefined);

/** The dashboard's query string: lenient, since people edit URLs; anything unusable means "no filter". */
export const DashboardQuery = z.object({
  team: optionalFilterId,
  coach: optionalFilterId,
  level: z.enum(DASHBOARD_LEVELS).catch('flagged').default('flagged'),
  signal: z.enum(RISK_SIGNALS).optional().catch(undefined),
  acknowledged: z.enum(DASHBOARD_ACKNOWLEDGED).catch('all').default('all'),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;
