import { Kysely, sql } from 'kysely';

// Caseload core: commissioners, participants, trajectories, employers and their contacts,
// placements with their hours history, coach stand-ins, and one-time form submission tokens.
// Every enumerated value and range is a check constraint; the indexes follow the access paths
// (by coach, status, employer, participant, trajectory dates). No citizen service number is kept.
export async function up(db: Kysely<any>): Promise<void> {
  const timestamps = (table: any) =>
    table
      .addColumn('created_at', 'timestamptz', (col: any) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col: any) => col.notNull().defaultTo(sql`now()`));

  await timestamps(
    db.schema
      .createTable('commissioners')
      .addColumn('id', 'serial', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(true))
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1)),
  )
    .addCheckConstraint('commissioners_kind_valid', sql`kind in ('uwv', 'municipality', 'ocmw', 'vdab', 'other')`)
    .addCheckConstraint('commissioners_name_length', sql`char_length(name) between 1 and 150`)
    .execute();
  await sql`create unique index commissioners_name_unique on commissioners (lower(name))`.execute(db);

  await timestamps(
    db.schema
      .createTable('participants')
      .addColumn('id', 'serial', (col) => col.primaryKey())
      .addColumn('first_name', 'text', (col) => col.notNull())
      .addColumn('last_name', 'text', (col) => col.notNull())
      .addColumn('date_of_birth', 'date')
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('address_line', 'text')
      .addColumn('postal_code', 'text')
      .addColumn('city', 'text')
      .addColumn('preferred_channel', 'text', (col) => col.notNull().defaultTo('phone'))
      .addColumn('language_support', 'text')
      .addColumn('external_reference', 'text')
      .addColumn('coach_id', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
      .addColumn('status', 'text', (col) => col.notNull().defaultTo('intake'))
      .addColumn('closed_on', 'date')
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1)),
  )
    .addCheckConstraint('participants_status_valid', sql`status in ('intake', 'active', 'paused', 'closed')`)
    .addCheckConstraint(
      'participants_channel_valid',
      sql`preferred_channel in ('phone', 'message', 'email', 'video', 'home_visit', 'office')`,
    )
    .addCheckConstraint('participants_closed_on_matches_status', sql`(status = 'closed') = (closed_on is not null)`)
    .addCheckConstraint(
      'participants_text_lengths',
      sql`char_length(first_name) between 1 and 100 and char_length(last_name) between 1 and 100
        and coalesce(char_length(phone), 0) <= 30 and coalesce(char_length(email), 0) <= 254
        and coalesce(char_length(address_line), 0) <= 200 and coalesce(char_length(postal_code), 0) <= 12
        and coalesce(char_length(city), 0) <= 100 and coalesce(char_length(language_support), 0) <= 500
        and coalesce(char_length(external_reference), 0) <= 50`,
    )
    .addCheckConstraint('participants_birth_plausible', sql`date_of_birth is null or date_of_birth >= date '1900-01-01'`)
    .execute();
  await db.schema.createIndex('participants_coach_status').on('participants').columns(['coach_id', 'status']).execute();
  await db.schema.createIndex('participants_status').on('participants').column('status').execute();
  await sql`create index participants_last_name on participants (lower(last_name), lower(first_name), id)`.execute(db);
  await sql`create index participants_external_reference on participants (lower(external_reference))`.execute(db);

  await timestamps(
    db.schema
      .createTable('trajectories')
      .addColumn('id', 'serial', (col) => col.primaryKey())
      .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('restrict'))
      .addColumn('commissioner_id', 'integer', (col) => col.notNull().references('commissioners.id').onDelete('restrict'))
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('reference', 'text')
      .addColumn('start_date', 'date', (col) => col.notNull())
      .addColumn('planned_end_date', 'date')
      .addColumn('actual_end_date', 'date')
      .addColumn('granted_hours', sql`numeric(6,2)`, (col) => col.notNull().defaultTo(0))
      .addColumn('outcome', 'text')
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1)),
  )
    .addCheckConstraint('trajectories_kind_valid', sql`kind in ('jobcoaching', 'work_experience', 'reintegration', 'other')`)
    .addCheckConstraint(
      'trajectories_outcome_valid',
      sql`outcome is null or outcome in ('regular_job', 'subsidised_job', 'education', 'handover', 'dropout', 'moved_away', 'other')`,
    )
    .addCheckConstraint('trajectories_planned_end_after_start', sql`planned_end_date is null or planned_end_date >= start_date`)
    .addCheckConstraint('trajectories_actual_end_after_start', sql`actual_end_date is null or actual_end_date >= start_date`)
    .addCheckConstraint('trajectories_outcome_when_closed', sql`(actual_end_date is null) = (outcome is null)`)
    .addCheckConstraint('trajectories_granted_hours_range', sql`granted_hours >= 0 and granted_hours <= 2000`)
    .addCheckConstraint('trajectories_reference_length', sql`coalesce(char_length(reference), 0) <= 50`)
    .execute();
  await db.schema.createIndex('trajectories_participant').on('trajectories').columns(['participant_id', 'start_date']).execute();
  await db.schema
    .createIndex('trajectories_commissioner_dates')
    .on('trajectories')
    .columns(['commissioner_id', 'start_date', 'actual_end_date'])
    .execute();
  await db.schema.createIndex('trajectories_dates').on('trajectories').columns(['start_date', 'actual_end_date']).execute();
  // A participant has at most one open trajectory at a time.
  await sql`create unique index trajectories_one_open_per_participant on trajectories (participant_id) where actual_end_date is null`.execute(
    db,
  );

  await timestamps(
    db.schema
      .createTable('employers')
      .addColumn('id', 'serial', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('sector', 'text', (col) => col.notNull())
      .addColumn('address_line', 'text')
      .addColumn('postal_code', 'text')
      .addColumn('city', 'text')
      .addColumn('phone', 'text')
      .addColumn('notes', 'text')
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1)),
  )
    .addCheckConstraint(
      'employers_sector_valid',
      sql`sector in ('hospitality', 'retail', 'cleaning', 'bicycle_repair', 'care', 'green_maintenance', 'logistics', 'manufacturing', 'public_sector', 'other')`,
    )
    .addCheckConstraint(
      'employers_text_lengths',
      sql`char_length(name) between 1 and 150 and coalesce(char_length(address_line), 0) <= 200
        and coalesce(char_length(postal_code), 0) <= 12 and coalesce(char_length(city), 0) <= 100
        and coalesce(char_length(phone), 0) <= 30 and coalesce(char_length(notes), 0) <= 4000`,
    )
    .execute();
  await sql`create index employers_name on employers (lower(name), id)`.execute(db);

  await timestamps(
    db.schema
      .createTable('employer_contacts')
      .addColumn('id', 'serial', (col) => col.primaryKey())
      .addColumn('employer_id', 'integer', (col) => col.notNull().references('employers.id').onDelete('restrict'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('job_title', 'text')
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1)),
  )
    .addCheckConstraint('employer_contacts_role_valid', sql`role in ('supervisor', 'hr', 'other')`)
    .addCheckConstraint(
      'employer_contacts_text_lengths',
      sql`char_length(name) between 1 and 150 and coalesce(char_length(job_title), 0) <= 100
        and coalesce(char_length(phone), 0) <= 30 and coalesce(char_length(email), 0) <= 254`,
    )
    .execute();
  await db.schema.createIndex('employer_contacts_employer').on('employer_contacts').column('employer_id').execute();

  await timestamps(
    db.schema
      .createTable('placements')
      .addColumn('id', 'serial', (col) => col.primaryKey())
      .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('restrict'))
      .addColumn('employer_id', 'integer', (col) => col.notNull().references('employers.id').onDelete('restrict'))
      .addColumn('supervisor_contact_id', 'integer', (col) => col.references('employer_contacts.id').onDelete('set null'))
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('job_title', 'text', (col) => col.notNull())
      .addColumn('start_date', 'date', (col) => col.notNull())
      .addColumn('end_date', 'date')
      .addColumn('status', 'text', (col) => col.notNull().defaultTo('active'))
      .addColumn('pause_reason', 'text')
      .addColumn('paused_since', 'date')
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1)),
  )
    .addCheckConstraint(
      'placements_kind_valid',
      sql`kind in ('paid_job', 'work_experience', 'volunteering', 'day_activity', 'education')`,
    )
    .addCheckConstraint('placements_status_valid', sql`status in ('active', 'paused', 'ended')`)
    .addCheckConstraint('placements_end_after_start', sql`end_date is null or end_date >= start_date`)
    .addCheckConstraint('placements_ended_has_end_date', sql`(status = 'ended') = (end_date is not null)`)
    .addCheckConstraint(
      'placements_paused_has_reason',
      sql`(status = 'paused') = (pause_reason is not null and paused_since is not null)`,
    )
    .addCheckConstraint(
      'placements_text_lengths',
      sql`char_length(job_title) between 1 and 100 and coalesce(char_length(pause_reason), 0) <= 500`,
    )
    .execute();
  await db.schema.createIndex('placements_participant').on('placements').columns(['participant_id', 'status']).execute();
  await db.schema.createIndex('placements_employer').on('placements').columns(['employer_id', 'status']).execute();
  await db.schema.createIndex('placements_supervisor').on('placements').column('supervisor_contact_id').execute();

  await db.schema
    .createTable('placement_hours')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('placement_id', 'integer', (col) => col.notNull().references('placements.id').onDelete('cascade'))
    .addColumn('effective_from', 'date', (col) => col.notNull())
    .addColumn('hours_per_week', sql`numeric(4,1)`, (col) => col.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('restrict'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('placement_hours_range', sql`hours_per_week >= 0 and hours_per_week <= 60`)
    .addCheckConstraint('placement_hours_note_length', sql`coalesce(char_length(note), 0) <= 500`)
    .addUniqueConstraint('placement_hours_one_per_date', ['placement_id', 'effective_from'])
    .execute();

  await db.schema
    .createTable('coach_standins')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('absent_coach_id', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('standin_coach_id', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('starts_on', 'date', (col) => col.notNull())
    .addColumn('ends_on', 'date', (col) => col.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('cancelled_at', 'timestamptz')
    .addCheckConstraint('coach_standins_period', sql`ends_on >= starts_on`)
    .addCheckConstraint('coach_standins_two_people', sql`absent_coach_id <> standin_coach_id`)
    .addCheckConstraint('coach_standins_note_length', sql`coalesce(char_length(note), 0) <= 500`)
    .execute();
  await db.schema
    .createIndex('coach_standins_standin_period')
    .on('coach_standins')
    .columns(['standin_coach_id', 'starts_on', 'ends_on'])
    .execute();
  await db.schema.createIndex('coach_standins_absent').on('coach_standins').columns(['absent_coach_id', 'starts_on']).execute();

  // One row per submitted create form: a second submit of the same form finds the first one's
  // result instead of storing a second record.
  await db.schema
    .createTable('form_submissions')
    .addColumn('token', 'uuid', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('result_path', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('form_submissions_created_at').on('form_submissions').column('created_at').execute();

  await db.schema
    .alterTable('audit_events')
    .addColumn('participant_id', 'integer', (col) => col.references('participants.id').onDelete('restrict'))
    .execute();
  await db.schema.createIndex('audit_events_participant').on('audit_events').columns(['participant_id', 'occurred_at']).execute();
  await db.schema.createIndex('audit_events_action').on('audit_events').columns(['action', 'occurred_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_events_action').execute();
  await db.schema.dropIndex('audit_events_participant').execute();
  await db.schema.alterTable('audit_events').dropColumn('participant_id').execute();
  for (const table of [
    'form_submissions',
    'coach_standins',
    'placement_hours',
    'placements',
    'employer_contacts',
    'employers',
    'trajectories',
    'participants',
    'commissioners',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
