// npm run db:migrate   → applies every pending migration
// npm run db:rollback  → reverts the most recent migration (one step)
import { loadConfigOrExit } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest, rollbackOneStep } from '../src/db/migrate';

async function main(): Promise<void> {
  const direction = process.argv[2];
  if (direction !== 'up' && direction !== 'down') {
    console.error('usage: db-migrate.js up|down');
    process.exit(2);
  }
  const config = loadConfigOrExit();
  // No query time limit: a migration that rewrites a large table (an index on 5 million contact
  // moments) takes minutes, where the app's 60 s guard against a stuck request would cut it off.
  const database = await openDatabase(config, undefined, { queryTimeoutMs: 0 });
  console.log(`${database.mode === 'embedded' ? 'Embedded database in' : 'PostgreSQL server at'} ${database.location}`);
  try {
    const changed = direction === 'up' ? await migrateToLatest(database.db) : await rollbackOneStep(database.db);
    if (changed.length === 0)
      console.log(direction === 'up' ? 'Nothing to migrate: the schema is up to date.' : 'Nothing to roll back.');
    for (const line of changed) console.log(`  ${line}`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error('Migration failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
