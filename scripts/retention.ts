// npm run retention: runs the retention job once, now (src/retention): erases the closed files
// whose retention period has ended, anonymises deactivated accounts after theirs, and removes
// audit events older than the kept period. Safe next to app processes on a PostgreSQL server (the
// job's lock); the embedded database is opened by one process at a time (src/db/embedded-lock.ts),
// so there the app must be stopped first, or this is refused.
// `npm run retention -- --dry-run` changes nothing: it lists the files it would erase and counts
// the accounts and audit events, as /admin/retention/dry-run does.
import { loadConfigOrExit } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { systemClock } from '../src/lib/clock';
import { retain } from '../src/retention/jobs';
import { retentionDryRun } from '../src/retention/service';

/** The files are listed this many at a time, so a long list never sits in memory at once. */
const LIST_PAGE = 500;

async function main(): Promise<number> {
  const dryRun = process.argv.slice(2).includes('--dry-run');
  const unknown = process.argv.slice(2).filter((argument) => argument !== '--dry-run');
  if (unknown.length > 0) {
    console.error(`Unknown argument(s): ${unknown.join(' ')}. Usage: npm run retention [-- --dry-run]`);
    return 2;
  }
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  try {
    if (database.mode === 'embedded') await migrateToLatest(database.db);
    const now = systemClock.now();
    if (!dryRun) {
      const stopping = new AbortController();
      process.once('SIGINT', () => stopping.abort());
      const report = await retain(
        database.db,
        now,
        { timeZone: config.timeZone, pseudonymSecret: config.pseudonymSecret },
        stopping.signal,
      );
      console.log(`${report.summary} (${report.outcome})`);
      return 0;
    }
    let offset = 0;
    for (;;) {
      const page = await retentionDryRun(database.db, null, now, config.timeZone, { limit: LIST_PAGE, offset });
      if (offset === 0) {
        const { closedBefore } = page.cutoffs;
        console.log(
          closedBefore === null
            ? 'No retention period for closed files is set: no file would be erased.'
            : `Files closed before ${closedBefore} have expired: ${page.filesTotal} would be erased.`,
        );
      }
      for (const file of page.files) {
        console.log(
          `  participant ${file.id}: ${file.lastName}, ${file.firstName} (closed ${file.closedOn}, coach ${file.coachName})`,
        );
      }
      offset += page.files.length;
      if (page.files.length < LIST_PAGE) {
        console.log(
          `Dry run: ${page.filesTotal} file(s) would be erased, ${page.accounts} account(s) anonymised, ${page.auditEvents} audit event(s) removed. Nothing was changed.`,
        );
        return 0;
      }
    }
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('Retention failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
