import { Kysely, sql } from 'kysely';

// A settings change recomputes every stored risk state in the background (src/risk/state.ts), and
// /admin/settings shows how far it has come. The rows still to do are exactly the rows of an older
// settings_version, so the progress is read from participant_risk_states itself; this table keeps
// only what the rows cannot say: when the recompute of a version started, how many rows it had to
// do, and when it was found finished.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('risk_recomputes')
    .addColumn('settings_version', 'integer', (col) => col.primaryKey())
    .addColumn('started_at', 'timestamptz', (col) => col.notNull())
    .addColumn('participants', 'integer', (col) => col.notNull())
    .addColumn('finished_at', 'timestamptz')
    .execute();
  // The progress count (rows of an older version) and the finished check (is there one left?) walk
  // this index over the rows still to do only: 100 000 rows at the start, none at the end.
  await sql`create index participant_risk_states_settings_version on participant_risk_states (settings_version)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index participant_risk_states_settings_version`.execute(db);
  await db.schema.dropTable('risk_recomputes').execute();
}
