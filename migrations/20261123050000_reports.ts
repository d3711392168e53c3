import { Kysely, sql } from 'kysely';

// What reports keep: the coach's narrative (progress, next steps) of a trajectory report, saved
// per report period so a report for the same period shows the same words again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('trajectory_report_narratives')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('trajectory_id', 'integer', (col) => col.notNull().references('trajectories.id').onDelete('restrict'))
    .addColumn('period_from', 'date', (col) => col.notNull())
    .addColumn('period_to', 'date', (col) => col.notNull())
    .addColumn('progress', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('next_steps', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('updated_by', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('trajectory_report_narratives_period', ['trajectory_id', 'period_from', 'period_to'])
    .addCheckConstraint('trajectory_report_narratives_period_order', sql`period_from <= period_to`)
    .addCheckConstraint('trajectory_report_narratives_progress_length', sql`char_length(progress) <= 5000`)
    .addCheckConstraint('trajectory_report_narratives_next_steps_length', sql`char_length(next_steps) <= 5000`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('trajectory_report_narratives').execute();
}
