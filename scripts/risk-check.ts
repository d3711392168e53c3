// npm run risk:check: recomputes every participant's risk state from scratch and compares it with
// the stored one (src/risk/state.ts), and the dashboard's per-coach tallies with a count of the
// stored rows. Prints each difference and exits 1 if there is any. Reads only.
import { loadConfigOrExit } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { systemClock } from '../src/lib/clock';
import { findRiskStateDifferences, findRiskTallyDifferences } from '../src/risk/state';

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  try {
    if (database.mode === 'embedded') await migrateToLatest(database.db);
    const now = systemClock.now();
    const differences = await findRiskStateDifferences(database.db, now, config.timeZone);
    const stored = await database.db
      .selectFrom('participant_risk_states')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    for (const difference of differences) {
      console.log(
        `participant ${difference.participantId}: ${difference.kind}${difference.fields.length ? ` (${difference.fields.join(', ')})` : ''}`,
      );
      console.log(`  stored: ${JSON.stringify(difference.stored)}`);
      console.log(`  fresh:  ${JSON.stringify(difference.fresh)}`);
    }
    console.log(
      `Risk state of ${now.setZone(config.timeZone).toISODate()}: ${stored.count} stored row(s), ${differences.length} difference(s).`,
    );
    // The dashboard's counts come from per-coach tallies the database keeps beside the rows.
    const tallies = await findRiskTallyDifferences(database.db);
    for (const tally of tallies) {
      console.log(
        `tally of coach ${tally.coachId}, signal '${tally.signal}', ${tally.level}, acknowledged ${tally.acknowledged}: kept ${tally.kept}, counted ${tally.counted}`,
      );
    }
    console.log(`Dashboard tallies: ${tallies.length} difference(s).`);
    return differences.length === 0 && tallies.length === 0 ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('Risk check failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
