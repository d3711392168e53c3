import { Kysely, sql } from 'kysely';

// The stored risk state (architecture.md "Stored risk state"): one row per open participant with
// the facts the lists and caseload figures need, and for a scored participant the level and
// reasons of the day it was scored and the first day time alone would change them. src/risk/state.ts
// keeps it; README.md of src/risk says who calls it.
//
// Only the table and its indexes: a migration has to replay the same way after the risk rules have
// changed, so it does not import them. The rows are filled outside it, by the risk scheduler's
// upkeep at app start (refreshMissingRiskStates: rows missing or of older settings) and by
// `npm run risk:recompute`.
//
// The coach and team are not copied here: lists reach them through participants (primary key join,
// participants_coach index) and a reassignment or team move then changes nothing in this table.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('participant_risk_states')
    .addColumn('participant_id', 'integer', (col) => col.primaryKey().references('participants.id').onDelete('cascade'))
    .addColumn('scored_on', 'date', (col) => col.notNull())
    .addColumn('computed_at', 'timestamptz', (col) => col.notNull())
    .addColumn('settings_version', 'integer', (col) => col.notNull())
    .addColumn('valid_until', 'date')
    .addColumn('last_reached_at', 'timestamptz')
    .addColumn('last_reached_on', 'date')
    .addColumn('last_contact_at', 'timestamptz')
    .addColumn('next_contact_date', 'date')
    .addColumn('unreached_count', 'integer', (col) => col.notNull())
    .addColumn('has_active_placement', 'boolean', (col) => col.notNull())
    .addColumn('trajectory_start_date', 'date')
    .addColumn('level', 'text')
    .addColumn('reasons', 'jsonb')
    .addCheckConstraint('participant_risk_states_level', sql`level in ('none', 'amber', 'red')`)
    .addCheckConstraint(
      'participant_risk_states_scored',
      sql`(trajectory_start_date is null) = (level is null) and (level is null) = (reasons is null)`,
    )
    .addCheckConstraint('participant_risk_states_valid_until', sql`valid_until > scored_on`)
    .execute();
  // Org-wide lists filter and sort on the level, then on how long ago the participant was reached.
  await sql`create index participant_risk_states_level on participant_risk_states (level, last_reached_on, participant_id) where level is not null`.execute(
    db,
  );
  // The daily job reads only the rows whose day has come.
  await sql`create index participant_risk_states_valid_until on participant_risk_states (valid_until) where valid_until is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('participant_risk_states').execute();
}
