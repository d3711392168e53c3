import { Kysely, sql } from 'kysely';

// Handovers (issue 17, item 8): a trajectory closed with the outcome "handover" records to whom the
// participant goes (an organisation of the referral directory and a person there), on which day, and
// the coach's note for them. One per trajectory: the trajectory id is the key. The organisation is
// restricted on delete, as for referrals: the directory entry must outlive what points to it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('handovers')
    .addColumn('trajectory_id', 'integer', (col) => col.primaryKey().references('trajectories.id').onDelete('restrict'))
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('restrict'))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('referral_organisations.id').onDelete('restrict'))
    .addColumn('receiver_name', 'text', (col) => col.notNull())
    .addColumn('receiver_phone', 'text')
    .addColumn('receiver_email', 'text')
    .addColumn('handover_date', 'date', (col) => col.notNull())
    .addColumn('note', 'text', (col) => col.notNull())
    .addColumn('created_by', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'handovers_text_lengths',
      sql`char_length(receiver_name) between 1 and 150 and coalesce(char_length(receiver_phone), 0) <= 40
        and coalesce(char_length(receiver_email), 0) <= 254 and char_length(note) between 1 and 5000`,
    )
    .execute();
  await db.schema.createIndex('handovers_participant').on('handovers').column('participant_id').execute();
  await db.schema.createIndex('handovers_organisation').on('handovers').column('organisation_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('handovers').execute();
}
