import type { Kysely } from 'kysely';
import type { Config } from './config';
import type { Database } from './db/schema';
import type { Job } from './platform/jobs';
import { riskJobs } from './risk/jobs';

/**
 * Every job of the app, for the runner of each app process (services.ts) and for
 * `npm run jobs:run -- <name>`. platform/jobs.ts knows no feature: features hand their jobs in here.
 */
export function appJobs(db: Kysely<Database>, config: Pick<Config, 'timeZone' | 'riskSnapshotAt'>): Job[] {
  return [...riskJobs(db, { timeZone: config.timeZone, snapshotAt: config.riskSnapshotAt })];
}
