import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { LOCKED, type Job, type JobReport } from '../platform/jobs';
import { cleanUpImports, IMPORT_JOB } from './service';

// The import's work outside requests (src/jobs.ts hands it to platform/jobs.ts): uploaded files
// past their hour and staging rows of imports that never published are deleted. Reading an
// upload already ignores an expired one; this keeps the table from holding them. Once across
// processes: under the job's advisory lock.

export function importJobs(db: Kysely<Database>): Job[] {
  return [{ name: IMPORT_JOB, schedule: { everyMinutes: 15 }, run: (now) => cleanUp(db, now.toJSDate()) }];
}

async function cleanUp(db: Kysely<Database>, now: Date): Promise<JobReport> {
  const done = await cleanUpImports(db, now);
  if (done === null) return { outcome: LOCKED, summary: 'import cleanup: another process is doing it' };
  const { uploads, batches } = done;
  return {
    outcome: uploads + batches > 0 ? 'cleaned' : 'nothing_expired',
    figures: { uploads, batches },
    summary: `import cleanup: ${uploads} expired upload(s), ${batches} unpublished import(s) removed`,
  };
}
