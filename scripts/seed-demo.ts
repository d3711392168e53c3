// npm run seed:demo: creates the demo accounts listed in the README (password "inbeeld-demo").
// Refuses a database that holds any non-demo user.
import { DateTime } from 'luxon';
import { loadConfigOrExit } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { DEMO_PASSWORD, DEMO_USERS, NotADemoDatabaseError, seedDemo } from '../src/demo/service';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  try {
    if (database.mode === 'embedded') await migrateToLatest(database.db);
    const { created, participants } = await seedDemo(database.db, DateTime.now().setZone(config.timeZone));
    console.log(created.length ? `Created ${created.length} demo user(s).` : 'The demo users exist already.');
    console.log(
      participants
        ? `Created ${participants} demo participants with trajectories and placements.`
        : 'The demo caseload exists already.',
    );
    console.log(`Demo logins (password "${DEMO_PASSWORD}"):`);
    for (const user of DEMO_USERS) console.log(`  ${user.role.padEnd(8)} ${user.email.padEnd(24)} ${user.team ?? ''}`);
  } catch (error) {
    if (error instanceof NotADemoDatabaseError) {
      console.error(`Refused: ${error.message}.`);
      process.exitCode = 1;
      return;
    }
    throw error;
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error('Seeding failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
