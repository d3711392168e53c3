import { Kysely, sql } from 'kysely';

// The people around a participant (their network), who took part in a contact moment besides the
// coach, and the participant's consent per purpose. Ending a network person or withdrawing a
// consent keeps the row: the history stays readable and goes into the subject-access export.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('network_persons')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('restrict'))
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('organisation', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('note', 'text')
    .addColumn('ended_on', 'date')
    .addColumn('created_by', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('network_persons_role_valid', sql`role in ('fixed_contact', 'family', 'mentor', 'other_professional')`)
    .addCheckConstraint(
      'network_persons_text_lengths',
      sql`char_length(name) between 1 and 150 and coalesce(char_length(organisation), 0) <= 150
        and coalesce(char_length(phone), 0) <= 30 and coalesce(char_length(email), 0) <= 254
        and coalesce(char_length(note), 0) <= 2000`,
    )
    .execute();
  await db.schema
    .createIndex('network_persons_participant')
    .on('network_persons')
    .columns(['participant_id', 'ended_on'])
    .execute();
  // One fixed contact person at a time (the service says so first, with a message; this is the backstop).
  await sql`create unique index network_persons_one_fixed_contact on network_persons (participant_id) where role = 'fixed_contact' and ended_on is null`.execute(
    db,
  );

  // One row per person who took part: the participant themself, a workplace supervisor (an employer
  // contact person) or a network person. "Reached" stays on the contact moment and is about the participant.
  await db.schema
    .createTable('contact_attendees')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('contact_moment_id', 'integer', (col) => col.notNull().references('contact_moments.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('employer_contact_id', 'integer', (col) => col.references('employer_contacts.id').onDelete('cascade'))
    .addColumn('network_person_id', 'integer', (col) => col.references('network_persons.id').onDelete('cascade'))
    .addCheckConstraint(
      'contact_attendees_kind_matches',
      sql`(kind = 'participant' and employer_contact_id is null and network_person_id is null)
        or (kind = 'supervisor' and employer_contact_id is not null and network_person_id is null)
        or (kind = 'network_person' and network_person_id is not null and employer_contact_id is null)`,
    )
    .execute();
  await sql`create unique index contact_attendees_one_participant on contact_attendees (contact_moment_id) where kind = 'participant'`.execute(
    db,
  );
  await sql`create unique index contact_attendees_one_supervisor on contact_attendees (contact_moment_id, employer_contact_id) where kind = 'supervisor'`.execute(
    db,
  );
  await sql`create unique index contact_attendees_one_network_person on contact_attendees (contact_moment_id, network_person_id) where kind = 'network_person'`.execute(
    db,
  );
  await db.schema.createIndex('contact_attendees_network_person').on('contact_attendees').column('network_person_id').execute();

  await db.schema
    .createTable('participant_consents')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('restrict'))
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('given_on', 'date', (col) => col.notNull())
    .addColumn('recorded_by', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('withdrawn_on', 'date')
    .addColumn('withdrawn_by', 'integer', (col) => col.references('users.id').onDelete('restrict'))
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'participant_consents_purpose_valid',
      sql`purpose in ('quality_review', 'report_sharing', 'employer_contact')`,
    )
    .addCheckConstraint('participant_consents_withdrawn_after_given', sql`withdrawn_on is null or withdrawn_on >= given_on`)
    .addCheckConstraint('participant_consents_withdrawn_by', sql`(withdrawn_on is null) = (withdrawn_by is null)`)
    .addCheckConstraint('participant_consents_note_length', sql`coalesce(char_length(note), 0) <= 2000`)
    .execute();
  // At most one consent per purpose that has not been withdrawn: a new one follows a withdrawal.
  await sql`create unique index participant_consents_one_open on participant_consents (participant_id, purpose) where withdrawn_on is null`.execute(
    db,
  );

  // How many conversations of the period a sample left out because their participant had not (or
  // no longer) consented to quality review; the sample page says so.
  await db.schema
    .alterTable('review_samples')
    .addColumn('left_out_without_consent', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('review_samples').dropColumn('left_out_without_consent').execute();
  for (const table of ['participant_consents', 'contact_attendees', 'network_persons']) {
    await db.schema.dropTable(table).execute();
  }
}
