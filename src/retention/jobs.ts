import type { Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import { LOCKED, type Job, type JobReport } from '../platform/jobs';
import { RETENTION_JOB, runRetention } from './service';

// Retention's work outside requests (src/jobs.ts hands it to platform/jobs.ts): once a day, in the
// quiet of the night, it erases the files whose retention period has ended, anonymises deactivated
// accounts and removes audit events older than the kept period. `npm run retention` by hand
// (`-- --dry-run` lists what it would do).

/** Local time after which the day's retention run starts. */
export const RETENTION_AT = '02:30';

export function retentionJobs(db: Kysely<Database>, options: { timeZone: string; pseudonymSecret: string }): Job[] {
  return [
    { name: RETENTION_JOB, schedule: { dailyAfter: RETENTION_AT }, run: (now, signal) => retain(db, now, options, signal) },
  ];
}

export async function retain(
  db: Kysely<Database>,
  now: DateTime,
  options: { timeZone: string; pseudonymSecret: string },
  signal: AbortSignal,
): Promise<JobReport> {
  const { cutShort, ...figures } = await runRetention(db, now, options, signal);
  const what = `${figures.erasedFiles} file(s) erased, ${figures.erasedTexts} text row(s) cleared, ${figures.anonymisedAccounts} account(s) anonymised, ${figures.deletedAuditEvents} audit event(s) removed`;
  if (cutShort === 'locked') return { outcome: LOCKED, figures, summary: `retention: another process is doing it (${what})` };
  if (cutShort === 'stopped')
    return { outcome: 'stopped', figures, summary: `retention: stopped with the process after ${what}` };
  const any = Object.values(figures).some((value) => value > 0);
  return { outcome: any ? 'done' : 'nothing_due', figures, summary: `retention: ${what}` };
}
