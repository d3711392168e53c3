import { Kysely, sql } from 'kysely';

// Issue 20, items 3, 4 and 7.
// - Split stand-ins: a stand-in covers the absent coach's whole caseload ('caseload') or only the
//   participants listed for it ('participants'), so two colleagues can each take part of it.
// - Review rubric: criteria the administrator defines, each scored 1–4 per reviewed conversation
//   (the item's feedback text stays as the comment); a coach's feedback counts as new until they
//   open their feedback page (users.feedback_read_at).
// - Support requests: a coach's question to their team's managers about a participant (optionally
//   one contact moment); the first answer closes it; the coach reads the answer (answer_read_at).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('coach_standins')
    .addColumn('covers', 'text', (col) =>
      col
        .notNull()
        .defaultTo('caseload')
        .check(sql`covers in ('caseload', 'participants')`),
    )
    .execute();
  await db.schema
    .createTable('coach_standin_participants')
    .addColumn('standin_id', 'integer', (col) => col.notNull().references('coach_standins.id').onDelete('cascade'))
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('coach_standin_participants_pkey', ['standin_id', 'participant_id'])
    .execute();
  await db.schema
    .createIndex('coach_standin_participants_participant')
    .on('coach_standin_participants')
    .column('participant_id')
    .execute();

  await db.schema
    .createTable('review_criteria')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('position', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('restrict'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addCheckConstraint(
      'review_criteria_text_lengths',
      sql`char_length(label) between 1 and 120 and coalesce(char_length(description), 0) <= 500`,
    )
    .execute();
  await db.schema
    .createTable('review_scores')
    .addColumn('review_item_id', 'integer', (col) => col.notNull().references('review_items.id').onDelete('cascade'))
    .addColumn('criterion_id', 'integer', (col) => col.notNull().references('review_criteria.id').onDelete('restrict'))
    .addColumn('score', 'smallint', (col) => col.notNull())
    .addPrimaryKeyConstraint('review_scores_pkey', ['review_item_id', 'criterion_id'])
    .addCheckConstraint('review_scores_range', sql`score between 1 and 4`)
    .execute();
  await db.schema.createIndex('review_scores_criterion').on('review_scores').column('criterion_id').execute();
  await db.schema.alterTable('users').addColumn('feedback_read_at', 'timestamptz').execute();

  await db.schema
    .createTable('support_requests')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('coach_id', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('team_id', 'integer', (col) => col.notNull().references('teams.id').onDelete('restrict'))
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('restrict'))
    .addColumn('contact_moment_id', 'integer', (col) => col.references('contact_moments.id').onDelete('restrict'))
    .addColumn('question', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'integer', (col) => col.references('users.id').onDelete('restrict'))
    .addColumn('answered_at', 'timestamptz')
    .addColumn('answer_read_at', 'timestamptz')
    .addCheckConstraint(
      'support_requests_text_lengths',
      sql`char_length(question) between 1 and 2000 and coalesce(char_length(answer), 0) <= 4000`,
    )
    .addCheckConstraint(
      'support_requests_answer_complete',
      sql`(answer is null) = (answered_at is null) and (answered_at is null) = (answered_by is null)
        and (answer_read_at is null or answered_at is not null)`,
    )
    .execute();
  // The open requests of a team (the managers' dashboard), the unread answers of a coach (the
  // navigation count, read with the signed-in user), and a participant's requests.
  await db.schema
    .createIndex('support_requests_team_open')
    .on('support_requests')
    .columns(['team_id', 'created_at'])
    .where(sql.ref('answered_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('support_requests_coach_unread')
    .on('support_requests')
    .column('coach_id')
    .where(sql<boolean>`answered_at is not null and answer_read_at is null`)
    .execute();
  await db.schema.createIndex('support_requests_coach').on('support_requests').columns(['coach_id', 'created_at']).execute();
  await db.schema.createIndex('support_requests_participant').on('support_requests').column('participant_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('support_requests').execute();
  await db.schema.alterTable('users').dropColumn('feedback_read_at').execute();
  await db.schema.dropTable('review_scores').execute();
  await db.schema.dropTable('review_criteria').execute();
  await db.schema.dropTable('coach_standin_participants').execute();
  await db.schema.alterTable('coach_standins').dropColumn('covers').execute();
}
