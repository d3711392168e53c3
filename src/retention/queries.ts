import { sql, type RawBuilder } from 'kysely';
import type { ErasureKind } from '../db/schema';
import type { Executor } from '../platform/executor';

// The SQL of retention and erasure (src/retention). Erasing a file is two steps:
// 1. the participant row: names replaced by a pseudonym, contact details, birth date and references
//    removed, erased_at set (markParticipantsErased) — from then on the file counts as erased;
// 2. the free texts about them in every other table (ERASERS), at most a batch of rows per call,
//    for every erased participant (or the ones given). Each eraser only touches rows that still hold
//    text, so it is idempotent: a run cut short is finished by the next one.
// Counts, minutes, hours, dates, statuses and coded values stay: past reports add up the same.

/** What a required free text becomes: the columns that must hold text get this one character. */
export const ERASED_TEXT = '—';

export interface RetentionSettingsRow {
  closedFilesMonths: number | null;
  auditLogYears: number;
  staffAnonymiseMonths: number | null;
  version: number;
  updatedAt: Date;
  updatedByName: string | null;
}

export async function findRetentionSettings(db: Executor): Promise<RetentionSettingsRow> {
  return db
    .selectFrom('retention_settings')
    .leftJoin('users', 'users.id', 'retention_settings.updated_by')
    .select([
      'retention_settings.closed_files_months as closedFilesMonths',
      'retention_settings.audit_log_years as auditLogYears',
      'retention_settings.staff_anonymise_months as staffAnonymiseMonths',
      'retention_settings.version',
      'retention_settings.updated_at as updatedAt',
      'users.display_name as updatedByName',
    ])
    .where('retention_settings.id', '=', 1)
    .executeTakeFirstOrThrow();
}

export interface RetentionSettingsColumns {
  closed_files_months: number | null;
  audit_log_years: number;
  staff_anonymise_months: number | null;
}

/** Saves the periods when the row is still at `version`; false when someone saved in between. */
export async function updateRetentionSettingsIfVersion(
  db: Executor,
  version: number,
  columns: RetentionSettingsColumns,
  updatedBy: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('retention_settings')
    .set((eb) => ({ ...columns, updated_by: updatedBy, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', 1)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ExpiredFileRow {
  id: number;
  firstName: string;
  lastName: string;
  closedOn: string;
  coachName: string;
}

/** Closed files not yet erased whose closing day is before `closedBefore` (ISO date), oldest first. */
export async function listExpiredFiles(
  db: Executor,
  closedBefore: string,
  page: { limit: number; offset: number },
): Promise<ExpiredFileRow[]> {
  const rows = await db
    .selectFrom('participants')
    .innerJoin('users as coach', 'coach.id', 'participants.coach_id')
    .select([
      'participants.id',
      'participants.first_name as firstName',
      'participants.last_name as lastName',
      'participants.closed_on as closedOn',
      'coach.display_name as coachName',
    ])
    .where('participants.status', '=', 'closed')
    .where('participants.erased_at', 'is', null)
    .where('participants.closed_on', '<', closedBefore)
    .orderBy('participants.closed_on')
    .orderBy('participants.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((row) => ({ ...row, closedOn: row.closedOn! }));
}

export async function countExpiredFiles(db: Executor, closedBefore: string): Promise<number> {
  const row = await db
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('status', '=', 'closed')
    .where('erased_at', 'is', null)
    .where('closed_on', '<', closedBefore)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Up to `limit` expired files, locked for this transaction (a file another transaction is erasing
 * is skipped, not waited for).
 */
export async function lockExpiredFiles(
  db: Executor,
  closedBefore: string,
  limit: number,
): Promise<{ id: number; closedOn: string }[]> {
  const rows = await db
    .selectFrom('participants')
    .select(['id', 'closed_on as closedOn'])
    .where('status', '=', 'closed')
    .where('erased_at', 'is', null)
    .where('closed_on', '<', closedBefore)
    .orderBy('closed_on')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((row) => ({ id: row.id, closedOn: row.closedOn! }));
}

/** The participant, locked, when it can be erased now: closed and not erased yet. */
export async function lockErasableParticipant(db: Executor, id: number): Promise<{ id: number } | undefined> {
  return db
    .selectFrom('participants')
    .select('id')
    .where('id', '=', id)
    .where('status', '=', 'closed')
    .where('erased_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Step 1 of an erasure: every identifying column of the participant rows goes; the names become
 * "—" and the participant's export pseudonym. The erasure's kind (and a request's reason) is kept
 * in participant_erasures.
 */
export async function markParticipantsErased(
  db: Executor,
  rows: { id: number; pseudonym: string }[],
  erasure: { kind: ErasureKind; erasedBy: number | null; reason: string | null },
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((row) => sql`(${row.id}::int, ${row.pseudonym}::text)`));
  await sql`
    update participants set
      first_name = ${ERASED_TEXT}, last_name = erased.pseudonym, date_of_birth = null, phone = null,
      email = null, address_line = null, postal_code = null, city = null, language_support = null,
      external_reference = null, erased_at = ${now}, updated_at = ${now}, version = version + 1
    from (values ${values}) as erased (id, pseudonym)
    where participants.id = erased.id and participants.erased_at is null`.execute(db);
  await db
    .insertInto('participant_erasures')
    .values(
      rows.map((row) => ({
        participant_id: row.id,
        erased_at: now,
        kind: erasure.kind,
        erased_by: erasure.erasedBy,
        reason: erasure.reason,
      })),
    )
    .onConflict((oc) => oc.column('participant_id').doNothing())
    .execute();
}

/** Which erased participants an eraser works on: all of them (the job) or the given ones (a request). */
type Scope = number[] | 'all';

function erasedParticipants(scope: Scope, participantColumn: RawBuilder<unknown>): RawBuilder<unknown> {
  const erased = sql`${participantColumn} in (select id from participants where erased_at is not null)`;
  return scope === 'all' ? erased : sql`${erased} and ${participantColumn} = any(${scope}::int[])`;
}

interface Eraser {
  /** The table, for the figures and the confirmation page. */
  table: string;
  /** Erases the free texts of at most `limit` rows; answers how many it changed. */
  erase(db: Executor, scope: Scope, limit: number): Promise<number>;
}

/** An UPDATE of at most `limit` rows chosen by `pick` (a SELECT of ids of the table). */
async function updateSome(
  db: Executor,
  table: string,
  key: string,
  set: RawBuilder<unknown>,
  pick: RawBuilder<unknown>,
  limit: number,
) {
  const result = await sql`
    update ${sql.table(table)} set ${set}
    where ${sql.ref(key)} in (${pick} limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Every table that holds free text, contact details or names about a participant, and how each is
 * erased. Kept beside src/db/schema.ts: a table added there with personal text belongs here too
 * (test/retention/retention.test.ts, textsLeft, checks the text of every column it knows of is gone).
 */
export const ERASERS: readonly Eraser[] = [
  {
    table: 'contact_moments',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'contact_moments',
        'id',
        sql`summary = ${ERASED_TEXT}`,
        sql`select id from contact_moments where summary is not null and summary <> ${ERASED_TEXT} and ${erasedParticipants(scope, sql`participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'contact_addenda',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'contact_addenda',
        'id',
        sql`body = ${ERASED_TEXT}`,
        sql`select a.id from contact_addenda a join contact_moments c on c.id = a.contact_moment_id
            where a.body <> ${ERASED_TEXT} and ${erasedParticipants(scope, sql`c.participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'goals',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'goals',
        'id',
        sql`title = ${ERASED_TEXT}, description = null`,
        sql`select id from goals where (title <> ${ERASED_TEXT} or description is not null) and ${erasedParticipants(scope, sql`participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'goal_progress',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'goal_progress',
        'id',
        sql`note = ${ERASED_TEXT}`,
        sql`select p.id from goal_progress p join goals g on g.id = p.goal_id
            where p.note <> ${ERASED_TEXT} and ${erasedParticipants(scope, sql`g.participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'referrals',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'referrals',
        'id',
        sql`reason = ${ERASED_TEXT}`,
        sql`select id from referrals where reason <> ${ERASED_TEXT} and ${erasedParticipants(scope, sql`participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'network_persons',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'network_persons',
        'id',
        sql`name = ${ERASED_TEXT}, organisation = null, phone = null, email = null, note = null`,
        sql`select id from network_persons
            where (name <> ${ERASED_TEXT} or organisation is not null or phone is not null or email is not null or note is not null)
              and ${erasedParticipants(scope, sql`participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'handovers',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'handovers',
        'trajectory_id',
        sql`receiver_name = ${ERASED_TEXT}, receiver_phone = null, receiver_email = null, note = ${ERASED_TEXT}`,
        sql`select trajectory_id from handovers
            where (receiver_name <> ${ERASED_TEXT} or receiver_phone is not null or receiver_email is not null or note <> ${ERASED_TEXT})
              and ${erasedParticipants(scope, sql`participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'participant_consents',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'participant_consents',
        'id',
        sql`note = null`,
        sql`select id from participant_consents where note is not null and ${erasedParticipants(scope, sql`participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'trajectories',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'trajectories',
        'id',
        sql`reference = null`,
        sql`select id from trajectories where reference is not null and ${erasedParticipants(scope, sql`participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'trajectory_report_narratives',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'trajectory_report_narratives',
        'id',
        sql`progress = '', next_steps = ''`,
        sql`select n.id from trajectory_report_narratives n join trajectories t on t.id = n.trajectory_id
            where (n.progress <> '' or n.next_steps <> '') and ${erasedParticipants(scope, sql`t.participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'placements',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'placements',
        'id',
        sql`job_title = ${ERASED_TEXT}, pause_reason = case when pause_reason is null then null else ${ERASED_TEXT} end`,
        sql`select id from placements
            where (job_title <> ${ERASED_TEXT} or (pause_reason is not null and pause_reason <> ${ERASED_TEXT}))
              and ${erasedParticipants(scope, sql`participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'placement_hours',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'placement_hours',
        'id',
        sql`note = null`,
        sql`select h.id from placement_hours h join placements p on p.id = h.placement_id
            where h.note is not null and ${erasedParticipants(scope, sql`p.participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'review_items',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'review_items',
        'id',
        sql`feedback = ${ERASED_TEXT}`,
        sql`select r.id from review_items r join contact_moments c on c.id = r.contact_moment_id
            where r.feedback is not null and r.feedback <> ${ERASED_TEXT} and ${erasedParticipants(scope, sql`c.participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'support_requests',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'support_requests',
        'id',
        sql`question = ${ERASED_TEXT}, answer = case when answer is null then null else ${ERASED_TEXT} end`,
        sql`select id from support_requests
            where (question <> ${ERASED_TEXT} or (answer is not null and answer <> ${ERASED_TEXT}))
              and ${erasedParticipants(scope, sql`participant_id`)}`,
        limit,
      ),
  },
  {
    table: 'risk_acknowledgements',
    erase: (db, scope, limit) =>
      updateSome(
        db,
        'risk_acknowledgements',
        'id',
        sql`note = ${ERASED_TEXT}`,
        sql`select id from risk_acknowledgements where note <> ${ERASED_TEXT} and ${erasedParticipants(scope, sql`participant_id`)}`,
        limit,
      ),
  },
  {
    // The columns an import changed, kept whole for its undo (to_jsonb of the row: names, birth date,
    // contact details, references, job titles). The key has three columns, so not through updateSome.
    table: 'import_batch_records',
    erase: async (db, scope, limit) => {
      const result = await sql`
        update import_batch_records set previous = null
        where (batch_id, entity_type, entity_id) in (
          select batch_id, entity_type, entity_id from import_batch_records
          where previous is not null and ${erasedParticipants(scope, sql`participant_id`)}
          limit ${limit})`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
  },
];

/** What an erasure of this participant would remove, per table (rows holding text), and what stays. */
export async function countErasablePieces(db: Executor, participantId: number) {
  const counted = await sql<{
    contacts: string;
    contactMinutes: string | null;
    summaries: string;
    addenda: string;
    goals: string;
    referrals: string;
    networkPersons: string;
    handovers: string;
    consents: string;
    trajectories: string;
    narratives: string;
    placements: string;
    supportRequests: string;
  }>`
    select
      (select count(*) from contact_moments where participant_id = ${participantId}) as "contacts",
      (select sum(duration_minutes) from contact_moments where participant_id = ${participantId}) as "contactMinutes",
      (select count(*) from contact_moments where participant_id = ${participantId} and summary is not null) as "summaries",
      (select count(*) from contact_addenda a join contact_moments c on c.id = a.contact_moment_id where c.participant_id = ${participantId}) as "addenda",
      (select count(*) from goals where participant_id = ${participantId}) as "goals",
      (select count(*) from referrals where participant_id = ${participantId}) as "referrals",
      (select count(*) from network_persons where participant_id = ${participantId}) as "networkPersons",
      (select count(*) from handovers where participant_id = ${participantId}) as "handovers",
      (select count(*) from participant_consents where participant_id = ${participantId}) as "consents",
      (select count(*) from trajectories where participant_id = ${participantId}) as "trajectories",
      (select count(*) from trajectory_report_narratives n join trajectories t on t.id = n.trajectory_id where t.participant_id = ${participantId}) as "narratives",
      (select count(*) from placements where participant_id = ${participantId}) as "placements",
      (select count(*) from support_requests where participant_id = ${participantId}) as "supportRequests"
  `.execute(db);
  const row = counted.rows[0]!;
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value ?? 0)])) as Record<
    keyof typeof row,
    number
  >;
}

export async function findErasure(db: Executor, participantId: number) {
  return db
    .selectFrom('participant_erasures')
    .leftJoin('users', 'users.id', 'participant_erasures.erased_by')
    .select([
      'participant_erasures.erased_at as erasedAt',
      'participant_erasures.kind',
      'participant_erasures.reason',
      'users.display_name as erasedByName',
    ])
    .where('participant_erasures.participant_id', '=', participantId)
    .executeTakeFirst();
}

// Staff accounts.

/** Deactivated accounts switched off before `deactivatedBefore` and not anonymised yet, locked. */
export async function lockAccountsToAnonymise(db: Executor, deactivatedBefore: Date, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('active', '=', false)
    .where('anonymised_at', 'is', null)
    .where('deactivated_at', '<', deactivatedBefore)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((row) => row.id);
}

export async function countAccountsToAnonymise(db: Executor, deactivatedBefore: Date): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('active', '=', false)
    .where('anonymised_at', 'is', null)
    .where('deactivated_at', '<', deactivatedBefore)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * The account keeps its id (so authorship of contacts and the audit log still point somewhere) but
 * loses its name, email, password and every way in: sessions, links, calendar feed, mail choices.
 */
export async function anonymiseAccounts(db: Executor, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    update users set display_name = ${ERASED_TEXT}, email = 'anonymised-' || id || '@invalid', password_hash = null,
      failed_sign_ins = 0, last_failed_sign_in_at = null, anonymised_at = ${now}, updated_at = ${now}, version = version + 1
    where id = any(${ids}::int[])`.execute(db);
  await db.deleteFrom('sessions').where('user_id', 'in', ids).execute();
  await db.deleteFrom('set_password_links').where('user_id', 'in', ids).execute();
  await db.deleteFrom('calendar_feeds').where('user_id', 'in', ids).execute();
  await db.deleteFrom('mail_opt_outs').where('user_id', 'in', ids).execute();
}

// The audit log.

/**
 * Removes up to `limit` audit events older than `before` and older than the kept period as the
 * database's clock sees it (the trigger's own rule, so it never refuses one of these).
 */
export async function deleteExpiredAuditEvents(db: Executor, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from audit_events where id in (
      select id from audit_events
      where occurred_at < least(${before}::timestamptz,
        now() - make_interval(years => (select audit_log_years from retention_settings where id = 1)))
      order by id limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function countExpiredAuditEvents(db: Executor, before: Date): Promise<number> {
  const result = await sql<{ count: string }>`
    select count(*) as count from audit_events
    where occurred_at < least(${before}::timestamptz,
      now() - make_interval(years => (select audit_log_years from retention_settings where id = 1)))`.execute(db);
  return Number(result.rows[0]?.count ?? 0);
}
