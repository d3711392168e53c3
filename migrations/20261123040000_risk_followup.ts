import { Kysely, sql } from 'kysely';

// What the risk engine's users record: acknowledgements of a flag (with an optional snooze),
// the daily snapshot of every scored participant's level (for trends), and quality-review
// samples of contact moments with the reviewer's feedback.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('risk_acknowledgements')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('restrict'))
    .addColumn('acknowledged_by', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('acknowledged_at', 'timestamptz', (col) => col.notNull())
    .addColumn('note', 'text', (col) => col.notNull())
    .addColumn('snooze_until', 'date')
    .addColumn('level', 'text', (col) => col.notNull())
    // The "signal:level" pairs flagged when acknowledged: a pair not in this list is a new signal.
    .addColumn('flagged', 'jsonb', (col) => col.notNull())
    .addCheckConstraint('risk_acknowledgements_level_valid', sql`level in ('amber', 'red')`)
    .addCheckConstraint('risk_acknowledgements_note_length', sql`char_length(note) between 1 and 2000`)
    .addCheckConstraint('risk_acknowledgements_flagged_array', sql`jsonb_typeof(flagged) = 'array'`)
    .execute();
  await sql`create index risk_acknowledgements_participant on risk_acknowledgements (participant_id, acknowledged_at desc, id desc)`.execute(
    db,
  );

  await db.schema
    .createTable('risk_snapshot_runs')
    .addColumn('snapshot_date', 'date', (col) => col.primaryKey())
    .addColumn('started_at', 'timestamptz', (col) => col.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('participants', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('risk_snapshots')
    .addColumn('snapshot_date', 'date', (col) => col.notNull())
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('restrict'))
    .addColumn('coach_id', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('team_id', 'integer', (col) => col.references('teams.id').onDelete('restrict'))
    .addColumn('level', 'text', (col) => col.notNull())
    .addColumn('signals', 'jsonb', (col) => col.notNull())
    .addPrimaryKeyConstraint('risk_snapshots_pk', ['snapshot_date', 'participant_id'])
    .addCheckConstraint('risk_snapshots_level_valid', sql`level in ('none', 'amber', 'red')`)
    .execute();
  await db.schema.createIndex('risk_snapshots_coach').on('risk_snapshots').columns(['coach_id', 'snapshot_date']).execute();
  await db.schema.createIndex('risk_snapshots_team').on('risk_snapshots').columns(['team_id', 'snapshot_date']).execute();

  await db.schema
    .createTable('review_samples')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('coach_id', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('drawn_by', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('drawn_at', 'timestamptz', (col) => col.notNull())
    .addColumn('period_days', 'integer', (col) => col.notNull())
    .addColumn('requested_size', 'integer', (col) => col.notNull())
    .addCheckConstraint('review_samples_period_range', sql`period_days between 1 and 365`)
    .addCheckConstraint('review_samples_size_range', sql`requested_size between 1 and 50`)
    .execute();
  await db.schema.createIndex('review_samples_coach').on('review_samples').columns(['coach_id', 'drawn_at']).execute();

  await db.schema
    .createTable('review_items')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('sample_id', 'integer', (col) => col.notNull().references('review_samples.id').onDelete('cascade'))
    .addColumn('contact_moment_id', 'integer', (col) => col.notNull().references('contact_moments.id').onDelete('restrict'))
    .addColumn('reviewed_by', 'integer', (col) => col.references('users.id').onDelete('restrict'))
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('feedback', 'text')
    .addUniqueConstraint('review_items_once_per_sample', ['sample_id', 'contact_moment_id'])
    .addCheckConstraint('review_items_feedback_length', sql`coalesce(char_length(feedback), 0) <= 4000`)
    .addCheckConstraint(
      'review_items_reviewed_complete',
      sql`(reviewed_at is null) = (reviewed_by is null) and (reviewed_at is null or feedback is not null)`,
    )
    .execute();
  await db.schema.createIndex('review_items_contact').on('review_items').column('contact_moment_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['review_items', 'review_samples', 'risk_snapshots', 'risk_snapshot_runs', 'risk_acknowledgements']) {
    await db.schema.dropTable(table).execute();
  }
}
