import { Kysely, sql } from 'kysely';

// Caseload health at a glance (issue 20, item 1): the thresholds at which /dashboard/caseloads
// marks a coach's cell as needing attention. Their own single row, apart from risk_settings: a
// change here marks cells only and must not start the risk recompute a risk settings save does.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('caseload_thresholds')
    .addColumn('id', 'integer', (col) => col.primaryKey().defaultTo(1))
    .addColumn('reached_min_percent', 'integer', (col) => col.notNull().defaultTo(80))
    .addColumn('red_max', 'integer', (col) => col.notNull().defaultTo(2))
    .addColumn('overdue_max', 'integer', (col) => col.notNull().defaultTo(3))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addCheckConstraint('caseload_thresholds_single_row', sql`id = 1`)
    .addCheckConstraint(
      'caseload_thresholds_range',
      sql`reached_min_percent between 1 and 100 and red_max between 0 and 1000 and overdue_max between 0 and 1000`,
    )
    .addCheckConstraint('caseload_thresholds_version_positive', sql`version >= 1`)
    .execute();
  await db.insertInto('caseload_thresholds').values({ id: 1 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('caseload_thresholds').execute();
}
