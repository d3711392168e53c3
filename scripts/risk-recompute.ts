// npm run risk:recompute: recomputes every participant's stored risk state from scratch
// (src/risk/state.ts refreshAllRiskStates), RISK_STATE_BATCH_SIZE participants per transaction, and
// prints the progress. For after a bulk import or a restore, or when `npm run risk:check` finds
// differences; the app's own upkeep fills missing rows too, but only while it runs.
import { loadConfigOrExit } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { systemClock } from '../src/lib/clock';
import { refreshAllRiskStates, RISK_STATE_BATCH_SIZE } from '../src/risk/state';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  try {
    if (database.mode === 'embedded') await migrateToLatest(database.db);
    const now = systemClock.now();
    const started = performance.now();
    const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Recomputing the risk state of ${now.setZone(config.timeZone).toISODate()} (${config.timeZone}).`);
    const count = await refreshAllRiskStates(database.db, now, config.timeZone, RISK_STATE_BATCH_SIZE, {
      onBatch: (soFar) => console.log(`  ${soFar} participants (${seconds()} s)`),
    });
    console.log(`Recomputed ${count} participant(s) in ${seconds()} s.`);
  } finally {
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('Risk recompute failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
