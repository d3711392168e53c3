import { Kysely, sql } from 'kysely';

// Contact moments (with addenda and an optional wellbeing check), goals with their progress
// updates and links to the contact moments that served them, and referrals to other services.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contact_moments')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('restrict'))
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('occurred_at', 'timestamptz', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('counterpart', 'text', (col) => col.notNull().defaultTo('participant'))
    .addColumn('employer_id', 'integer', (col) => col.references('employers.id').onDelete('restrict'))
    .addColumn('employer_contact_id', 'integer', (col) => col.references('employer_contacts.id').onDelete('set null'))
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('duration_minutes', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('summary', 'text')
    .addColumn('wellbeing_mood', 'smallint')
    .addColumn('wellbeing_rhythm', 'smallint')
    .addColumn('wellbeing_social', 'smallint')
    .addColumn('wellbeing_activity', 'smallint')
    .addColumn('next_contact_date', 'date')
    .addColumn('next_contact_time', 'time')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'contact_moments_channel_valid',
      sql`channel in ('phone', 'video', 'workplace_visit', 'home_visit', 'office', 'message')`,
    )
    .addCheckConstraint(
      'contact_moments_counterpart_valid',
      sql`counterpart in ('participant', 'employer', 'family', 'other_service')`,
    )
    .addCheckConstraint(
      'contact_moments_outcome_valid',
      sql`outcome in ('reached', 'not_reached', 'voicemail', 'callback_requested')`,
    )
    .addCheckConstraint('contact_moments_duration_range', sql`duration_minutes between 0 and 600`)
    // Only an attempt that reached nobody may go without a summary.
    .addCheckConstraint(
      'contact_moments_summary_required',
      sql`outcome in ('not_reached', 'voicemail') or (summary is not null and char_length(summary) > 0)`,
    )
    .addCheckConstraint('contact_moments_summary_length', sql`coalesce(char_length(summary), 0) <= 4000`)
    .addCheckConstraint(
      'contact_moments_wellbeing_range',
      sql`coalesce(wellbeing_mood, 1) between 1 and 5 and coalesce(wellbeing_rhythm, 1) between 1 and 5
        and coalesce(wellbeing_social, 1) between 1 and 5 and coalesce(wellbeing_activity, 1) between 1 and 5`,
    )
    .addCheckConstraint('contact_moments_time_needs_date', sql`next_contact_time is null or next_contact_date is not null`)
    .addCheckConstraint('contact_moments_employer_counterpart', sql`counterpart = 'employer' or employer_id is null`)
    .execute();
  await sql`create index contact_moments_participant_time on contact_moments (participant_id, occurred_at desc, id desc)`.execute(
    db,
  );
  await sql`create index contact_moments_participant_reached on contact_moments (participant_id, occurred_at desc) where outcome = 'reached'`.execute(
    db,
  );
  await db.schema
    .createIndex('contact_moments_author_time')
    .on('contact_moments')
    .columns(['author_id', 'occurred_at'])
    .execute();
  await db.schema.createIndex('contact_moments_next_contact').on('contact_moments').columns(['next_contact_date']).execute();

  await db.schema
    .createTable('contact_addenda')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('contact_moment_id', 'integer', (col) => col.notNull().references('contact_moments.id').onDelete('restrict'))
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('contact_addenda_body_length', sql`char_length(body) between 1 and 4000`)
    .execute();
  await db.schema
    .createIndex('contact_addenda_contact')
    .on('contact_addenda')
    .columns(['contact_moment_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('goals')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('restrict'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('life_domain', 'text', (col) => col.notNull())
    .addColumn('target_date', 'date')
    .addColumn('agreed_with_participant', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('open'))
    .addColumn('achieved_on', 'date')
    .addColumn('created_by', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'goals_life_domain_valid',
      sql`life_domain in ('work', 'daily_structure', 'social', 'health', 'finances', 'language', 'housing', 'other')`,
    )
    .addCheckConstraint('goals_status_valid', sql`status in ('open', 'in_progress', 'achieved', 'dropped')`)
    .addCheckConstraint('goals_achieved_on_matches_status', sql`(status = 'achieved') = (achieved_on is not null)`)
    .addCheckConstraint(
      'goals_text_lengths',
      sql`char_length(title) between 1 and 200 and coalesce(char_length(description), 0) <= 4000`,
    )
    .execute();
  await db.schema.createIndex('goals_participant_status').on('goals').columns(['participant_id', 'status']).execute();
  await db.schema.createIndex('goals_achieved_on').on('goals').columns(['achieved_on']).execute();

  await db.schema
    .createTable('goal_progress')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('goal_id', 'integer', (col) => col.notNull().references('goals.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('note', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('goal_progress_status_valid', sql`status in ('open', 'in_progress', 'achieved', 'dropped')`)
    .addCheckConstraint('goal_progress_note_length', sql`char_length(note) between 1 and 4000`)
    .execute();
  await db.schema.createIndex('goal_progress_goal').on('goal_progress').columns(['goal_id', 'created_at']).execute();

  await db.schema
    .createTable('goal_contact_links')
    .addColumn('goal_id', 'integer', (col) => col.notNull().references('goals.id').onDelete('cascade'))
    .addColumn('contact_moment_id', 'integer', (col) => col.notNull().references('contact_moments.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('goal_contact_links_pk', ['goal_id', 'contact_moment_id'])
    .execute();
  await db.schema.createIndex('goal_contact_links_contact').on('goal_contact_links').column('contact_moment_id').execute();

  await db.schema
    .createTable('referrals')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('restrict'))
    .addColumn('service_kind', 'text', (col) => col.notNull())
    .addColumn('organisation', 'text', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('proposed'))
    .addColumn('referred_on', 'date', (col) => col.notNull())
    .addColumn('closed_on', 'date')
    .addColumn('created_by', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'referrals_service_kind_valid',
      sql`service_kind in ('debt_counselling', 'social_work', 'housing', 'language_coaching', 'health_care', 'addiction_care', 'legal_aid', 'other')`,
    )
    .addCheckConstraint(
      'referrals_status_valid',
      sql`status in ('proposed', 'sent', 'accepted', 'in_progress', 'completed', 'declined', 'cancelled')`,
    )
    .addCheckConstraint(
      'referrals_closed_on_matches_status',
      sql`(status in ('completed', 'declined', 'cancelled')) = (closed_on is not null)`,
    )
    .addCheckConstraint('referrals_closed_after_referred', sql`closed_on is null or closed_on >= referred_on`)
    .addCheckConstraint(
      'referrals_text_lengths',
      sql`char_length(organisation) between 1 and 150 and char_length(reason) between 1 and 2000`,
    )
    .execute();
  await db.schema.createIndex('referrals_participant').on('referrals').columns(['participant_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['referrals', 'goal_contact_links', 'goal_progress', 'goals', 'contact_addenda', 'contact_moments']) {
    await db.schema.dropTable(table).execute();
  }
}
