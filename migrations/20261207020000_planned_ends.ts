import { Kysely, sql } from 'kysely';

// Planned ends and the risk signal `end_of_trajectory` (issue 17, item 3; src/risk/README.md):
//
// - placements get a planned end, like trajectories have: a one-year work-experience placement
//   that runs out is flagged before it does. Not before the start (the forms say so first).
// - risk_settings gets the warning period: amber from so many days before a planned end (30, the
//   value product.md names), within the range the settings form allows.
// - the stored risk state keeps the nearest planned end of what is still open (`planned_end_on`).
//
// Existing stored rows know nothing of the new signal: they are marked as of older settings, so the
// upkeep job recomputes them on its next run (the same way a settings change does). The rows are
// not computed here, as a migration must replay the same way after the rules change.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('placements').addColumn('planned_end_date', 'date').execute();
  await db.schema
    .alterTable('placements')
    .addCheckConstraint(
      'placements_planned_end_not_before_start',
      sql`planned_end_date is null or planned_end_date >= start_date`,
    )
    .execute();
  await db.schema
    .alterTable('risk_settings')
    .addColumn('end_warning_days', 'integer', (col) => col.notNull().defaultTo(30))
    .execute();
  await db.schema
    .alterTable('risk_settings')
    .addCheckConstraint('risk_settings_end_warning_days', sql`end_warning_days between 1 and 365`)
    .execute();
  await db.schema.alterTable('participant_risk_states').addColumn('planned_end_on', 'date').execute();
  await sql`update participant_risk_states set settings_version = settings_version - 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('participant_risk_states').dropColumn('planned_end_on').execute();
  await db.schema.alterTable('risk_settings').dropConstraint('risk_settings_end_warning_days').execute();
  await db.schema.alterTable('risk_settings').dropColumn('end_warning_days').execute();
  await db.schema.alterTable('placements').dropConstraint('placements_planned_end_not_before_start').execute();
  await db.schema.alterTable('placements').dropColumn('planned_end_date').execute();
}
