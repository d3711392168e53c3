import { Kysely, sql } from 'kysely';

// The thresholds of the risk signals (product.md, "Drifting into isolation"). One row (id = 1),
// created here with product.md's defaults, changed by admins on /admin/settings. Every threshold is
// a typed column with its range, so the engine never reads a value it cannot use.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('risk_settings')
    .addColumn('id', 'integer', (col) => col.primaryKey().defaultTo(1))
    .addColumn('last_reached_amber_days', 'integer', (col) => col.notNull().defaultTo(14))
    .addColumn('last_reached_red_days', 'integer', (col) => col.notNull().defaultTo(28))
    .addColumn('unreached_amber_attempts', 'integer', (col) => col.notNull().defaultTo(2))
    .addColumn('unreached_red_attempts', 'integer', (col) => col.notNull().defaultTo(3))
    .addColumn('overdue_amber_days', 'integer', (col) => col.notNull().defaultTo(2))
    .addColumn('overdue_red_days', 'integer', (col) => col.notNull().defaultTo(7))
    .addColumn('no_placement_red_days', 'integer', (col) => col.notNull().defaultTo(14))
    .addColumn('hours_lookback_weeks', 'integer', (col) => col.notNull().defaultTo(8))
    .addColumn('hours_drop_amber_percent', 'integer', (col) => col.notNull().defaultTo(50))
    .addColumn('hours_drop_red_percent', 'integer', (col) => col.notNull().defaultTo(100))
    .addColumn('wellbeing_low_score', 'integer', (col) => col.notNull().defaultTo(2))
    .addColumn('wellbeing_drop_points', 'integer', (col) => col.notNull().defaultTo(2))
    .addColumn('wellbeing_drop_checks', 'integer', (col) => col.notNull().defaultTo(3))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addCheckConstraint('risk_settings_single_row', sql`id = 1`)
    .addCheckConstraint(
      'risk_settings_last_reached',
      sql`last_reached_amber_days between 1 and 365 and last_reached_red_days between 1 and 365
        and last_reached_amber_days < last_reached_red_days`,
    )
    .addCheckConstraint(
      'risk_settings_unreached',
      sql`unreached_amber_attempts between 1 and 20 and unreached_red_attempts between 1 and 20
        and unreached_amber_attempts < unreached_red_attempts`,
    )
    .addCheckConstraint(
      'risk_settings_overdue',
      sql`overdue_amber_days between 1 and 90 and overdue_red_days between 1 and 90 and overdue_amber_days < overdue_red_days`,
    )
    .addCheckConstraint('risk_settings_no_placement', sql`no_placement_red_days between 1 and 365`)
    .addCheckConstraint(
      'risk_settings_hours',
      sql`hours_lookback_weeks between 1 and 52 and hours_drop_amber_percent between 1 and 100
        and hours_drop_red_percent between 1 and 100 and hours_drop_amber_percent < hours_drop_red_percent`,
    )
    .addCheckConstraint(
      'risk_settings_wellbeing',
      sql`wellbeing_low_score between 1 and 4 and wellbeing_drop_points between 1 and 4 and wellbeing_drop_checks between 2 and 10`,
    )
    .addCheckConstraint('risk_settings_version_positive', sql`version >= 1`)
    .execute();
  await db.insertInto('risk_settings').values({ id: 1 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('risk_settings').execute();
}
