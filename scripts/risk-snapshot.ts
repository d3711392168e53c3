// npm run risk:snapshot: takes today's risk snapshot (organisation time zone) by hand, once: the
// stored risk state brought up to date, then copied. The same work as the app's daily job
// (`npm run jobs:run -- risk_snapshot`), with its outcome in words. Safe next to app processes on a
// PostgreSQL server: the snapshot itself makes sure one run per day does the work (the embedded
// database is one process's: stop the app first).
import { loadConfigOrExit } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { systemClock } from '../src/lib/clock';
import { takeDailySnapshot } from '../src/risk/snapshot';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  try {
    if (database.mode === 'embedded') await migrateToLatest(database.db);
    const outcome = await takeDailySnapshot(database.db, systemClock.now(), config.timeZone);
    switch (outcome.kind) {
      case 'taken':
        console.log(
          `Risk snapshot of ${outcome.snapshotDate} taken: ${outcome.participants} participant(s), ` +
            `after bringing ${outcome.refreshed} stored risk state(s) up to date.`,
        );
        break;
      case 'exists':
        console.log(`The risk snapshot of ${outcome.snapshotDate} exists already; nothing to do.`);
        break;
      case 'locked':
        console.log(
          `Another process is taking the risk snapshot of ${outcome.snapshotDate}, or bringing the stored risk state up to date, right now; nothing done. Try again in a minute.`,
        );
        break;
      case 'stopped':
        break;
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error('Risk snapshot failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
