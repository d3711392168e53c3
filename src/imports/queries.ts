import { sql, type RawBuilder } from 'kysely';
import type { ImportKind } from '../db/schema';
import type { Executor } from '../platform/executor';

// Every query of the import (src/imports). Lookups take lists of at most LOOKUP_CHUNK values; the
// publish statements move a batch's staged rows into the real tables with INSERT … SELECT.

export const LOOKUP_CHUNK = 500;

/**
 * One lookup of many keys as a few queries of at most LOOKUP_CHUNK keys each (a file's thousands of
 * references would otherwise make one statement with thousands of parameters); duplicates are asked once.
 */
async function lookUpInChunks<K, R>(keys: K[], lookUp: (chunk: K[]) => Promise<R[]>): Promise<R[]> {
  const unique = [...new Set(keys)];
  const rows: R[] = [];
  for (let start = 0; start < unique.length; start += LOOKUP_CHUNK)
    rows.push(...(await lookUp(unique.slice(start, start + LOOKUP_CHUNK))));
  return rows;
}

// --- uploads ---------------------------------------------------------------------------------

export async function replaceUpload(
  db: Executor,
  values: { userId: number; kind: ImportKind; fileName: string; content: Buffer; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('import_uploads')
    .values({
      user_id: values.userId,
      kind: values.kind,
      file_name: values.fileName,
      content: values.content,
      mapping: null,
      expires_at: values.expiresAt,
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        kind: values.kind,
        file_name: values.fileName,
        content: values.content,
        mapping: null,
        expires_at: values.expiresAt,
      }),
    )
    .execute();
}

export async function findUpload(db: Executor, userId: number, now: Date) {
  return db
    .selectFrom('import_uploads')
    .select(['kind', 'file_name as fileName', 'content', 'mapping', 'expires_at as expiresAt'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function saveUploadMapping(db: Executor, userId: number, mapping: Record<string, string>): Promise<boolean> {
  const result = await db
    .updateTable('import_uploads')
    .set({ mapping: JSON.stringify(mapping) })
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteUpload(db: Executor, userId: number): Promise<void> {
  await db.deleteFrom('import_uploads').where('user_id', '=', userId).execute();
}

/** Uploads past their hour, and staging rows of imports that never published (a failed or stopped one). */
export async function deleteExpired(db: Executor, now: Date, stagingBefore: Date): Promise<{ uploads: number; batches: number }> {
  const uploads = await db.deleteFrom('import_uploads').where('expires_at', '<=', now).executeTakeFirst();
  const batches = await db
    .deleteFrom('import_batches')
    .where('status', '=', 'staging')
    .where('started_at', '<', stagingBefore)
    .executeTakeFirst();
  return { uploads: Number(uploads.numDeletedRows), batches: Number(batches.numDeletedRows) };
}

// --- lookups ---------------------------------------------------------------------------------

export async function findCoachIdsByEmail(db: Executor, emails: string[]): Promise<Map<string, number>> {
  const rows = await lookUpInChunks(emails, (chunk) =>
    db
      .selectFrom('users')
      .select(['id', sql<string>`lower(email)`.as('email')])
      .where('role', '=', 'coach')
      .where('active', '=', true)
      .where(sql<string>`lower(email)`, 'in', chunk)
      .execute(),
  );
  return new Map(rows.map((row) => [row.email, row.id]));
}

export async function listActiveCommissioners(db: Executor) {
  return db.selectFrom('commissioners').select(['id', 'name']).where('active', '=', true).execute();
}

const participantColumns = [
  'id',
  'first_name as firstName',
  'last_name as lastName',
  'date_of_birth as dateOfBirth',
  'phone',
  'email',
  'address_line as addressLine',
  'postal_code as postalCode',
  'city',
  'external_reference as reference',
  'coach_id as coachId',
  'status',
  'version',
] as const;

export async function findParticipantsByReference(db: Executor, references: string[]) {
  return lookUpInChunks(references, (chunk) =>
    db
      .selectFrom('participants')
      .select(participantColumns)
      .where(sql<string>`lower(external_reference)`, 'in', chunk)
      .orderBy('id')
      .execute(),
  );
}

/** Participants with one of these last names (lower case); the caller compares first name and birth date. */
export async function findParticipantsByLastName(db: Executor, lastNames: string[]) {
  return lookUpInChunks(lastNames, (chunk) =>
    db
      .selectFrom('participants')
      .select(participantColumns)
      .where(sql<string>`lower(last_name)`, 'in', chunk)
      .orderBy('id')
      .execute(),
  );
}

export async function listTrajectoriesOf(db: Executor, participantIds: number[]) {
  return lookUpInChunks(participantIds, (chunk) =>
    db
      .selectFrom('trajectories')
      .select([
        'id',
        'participant_id as participantId',
        'commissioner_id as commissionerId',
        'kind',
        'reference',
        'start_date as startDate',
        'planned_end_date as plannedEndDate',
        'actual_end_date as actualEndDate',
        'granted_hours as grantedHours',
        'version',
      ])
      .where('participant_id', 'in', chunk)
      .execute(),
  );
}

export async function findEmployersByName(db: Executor, names: string[]) {
  return lookUpInChunks(names, (chunk) =>
    db
      .selectFrom('employers')
      .select(['id', 'name', 'sector', 'address_line as addressLine', 'postal_code as postalCode', 'city', 'phone', 'version'])
      .where(sql<string>`lower(name)`, 'in', chunk)
      .orderBy('id')
      .execute(),
  );
}

export async function listContactsOf(db: Executor, employerIds: number[]) {
  return lookUpInChunks(employerIds, (chunk) =>
    db
      .selectFrom('employer_contacts')
      .select(['id', 'employer_id as employerId', 'name', 'role', 'job_title as jobTitle', 'phone', 'email', 'version'])
      .where('employer_id', 'in', chunk)
      .execute(),
  );
}

export async function listPlacementsOf(db: Executor, participantIds: number[]) {
  return lookUpInChunks(participantIds, (chunk) =>
    db
      .selectFrom('placements')
      .select([
        'id',
        'participant_id as participantId',
        'employer_id as employerId',
        'kind',
        'job_title as jobTitle',
        'start_date as startDate',
        'planned_end_date as plannedEndDate',
        'status',
        'version',
      ])
      .where('participant_id', 'in', chunk)
      .execute(),
  );
}

/** The hours rows of these placements, each placement's newest first. */
export async function listHoursOf(db: Executor, placementIds: number[]) {
  return lookUpInChunks(placementIds, (chunk) =>
    db
      .selectFrom('placement_hours')
      .select(['placement_id as placementId', 'effective_from as effectiveFrom', 'hours_per_week as hoursPerWeek'])
      .where('placement_id', 'in', chunk)
      .orderBy('placement_id')
      .orderBy('effective_from', 'desc')
      .execute(),
  );
}

/** `count` new ids of a table's serial, taken now (a gap is harmless): staged rows carry their final ids. */
export async function reserveIds(
  db: Executor,
  table: 'participants' | 'trajectories' | 'employers' | 'employer_contacts' | 'placements',
  count: number,
): Promise<number[]> {
  if (count === 0) return [];
  const result = await sql<{ id: number }>`
    select nextval(pg_get_serial_sequence(${table}, 'id'))::int as id from generate_series(1, ${count})`.execute(db);
  return result.rows.map((row) => row.id);
}

// --- batches and staging ---------------------------------------------------------------------

export async function insertBatch(db: Executor, userId: number, kind: ImportKind, fileName: string, rows: number, now: Date) {
  const row = await db
    .insertInto('import_batches')
    .values({ user_id: userId, kind, file_name: fileName, rows, started_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertStagingRows(
  db: Executor,
  batchId: number,
  rows: Array<{ line: number; action: 'create' | 'update' | 'skip'; data: Record<string, unknown> }>,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('import_staging_rows')
    .values(rows.map((row) => ({ batch_id: batchId, line: row.line, action: row.action, data: JSON.stringify(row.data) })))
    .execute();
}

/**
 * Publishes one at a time across processes (a transaction-scoped advisory lock): two imports of
 * the same file at once would otherwise both create what neither found when it planned.
 */
export async function waitForPublishTurn(db: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('inbeeld import publish'))`.execute(db);
}

export async function lockStagingBatch(db: Executor, batchId: number) {
  return db
    .selectFrom('import_batches')
    .select(['id', 'status', 'kind', 'user_id as userId'])
    .where('id', '=', batchId)
    .forUpdate()
    .executeTakeFirst();
}

export async function finishBatch(
  db: Executor,
  batchId: number,
  counts: { created: number; updated: number; skipped: number },
  now: Date,
): Promise<void> {
  await db
    .updateTable('import_batches')
    .set({ status: 'published', published_at: now, ...counts })
    .where('id', '=', batchId)
    .execute();
  await db.deleteFrom('import_staging_rows').where('batch_id', '=', batchId).execute();
}

export async function listBatches(db: Executor, limit: number, offset: number) {
  const rows = await db
    .selectFrom('import_batches')
    .innerJoin('users', 'users.id', 'import_batches.user_id')
    .select([
      'import_batches.id',
      'import_batches.kind',
      'import_batches.file_name as fileName',
      'import_batches.status',
      'import_batches.rows',
      'import_batches.created',
      'import_batches.updated',
      'import_batches.skipped',
      'import_batches.started_at as startedAt',
      'import_batches.published_at as publishedAt',
      'import_batches.undone_at as undoneAt',
      'users.display_name as importedBy',
    ])
    .where('import_batches.status', '<>', 'staging')
    .orderBy('import_batches.started_at', 'desc')
    .orderBy('import_batches.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const total = await db
    .selectFrom('import_batches')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '<>', 'staging')
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

export async function findBatch(db: Executor, batchId: number) {
  return db
    .selectFrom('import_batches')
    .innerJoin('users', 'users.id', 'import_batches.user_id')
    .select([
      'import_batches.id',
      'import_batches.kind',
      'import_batches.file_name as fileName',
      'import_batches.status',
      'import_batches.rows',
      'import_batches.created',
      'import_batches.updated',
      'import_batches.skipped',
      'import_batches.started_at as startedAt',
      'import_batches.published_at as publishedAt',
      'import_batches.undone_at as undoneAt',
      'users.display_name as importedBy',
    ])
    .where('import_batches.id', '=', batchId)
    .where('import_batches.status', '<>', 'staging')
    .executeTakeFirst();
}

export async function countBatchRecords(db: Executor, batchId: number) {
  return db
    .selectFrom('import_batch_records')
    .select(['entity_type as entityType', 'action', (eb) => eb.fn.countAll<string>().as('n')])
    .where('batch_id', '=', batchId)
    .groupBy(['entity_type', 'action'])
    .execute();
}

// --- publish ---------------------------------------------------------------------------------

/** Staged changes whose record changed since the preview was computed (its version moved on). */
export async function countStaleTargets(db: Executor, batchId: number): Promise<number> {
  const result = await sql<{ n: string }>`
    select count(*) as n from import_staging_rows s
    where s.batch_id = ${batchId} and (
      (s.data->>'participantAction' = 'update' and not exists (
        select 1 from participants p where p.id = (s.data->>'participantId')::int and p.version = (s.data->>'participantVersion')::int))
      or (s.data->>'trajectoryAction' = 'update' and not exists (
        select 1 from trajectories t where t.id = (s.data->>'trajectoryId')::int and t.version = (s.data->>'trajectoryVersion')::int))
      or (s.data->>'employerAction' = 'update' and not exists (
        select 1 from employers e where e.id = (s.data->>'employerId')::int and e.version = (s.data->>'employerVersion')::int))
      or (s.data->>'contactAction' = 'update' and not exists (
        select 1 from employer_contacts c where c.id = (s.data->>'contactId')::int and c.version = (s.data->>'contactVersion')::int))
      or (s.data->>'placementAction' = 'update' and not exists (
        select 1 from placements pl where pl.id = (s.data->>'placementId')::int and pl.version = (s.data->>'placementVersion')::int))
      -- An hours change planned against hours that are no longer in force that day, or for a
      -- placement no longer active (paused or ended meanwhile).
      or (s.data->>'hoursAction' = 'change' and (
        not exists (select 1 from placements pl where pl.id = (s.data->>'placementId')::int and pl.status = 'active')
        or (select h.hours_per_week from placement_hours h
            where h.placement_id = (s.data->>'placementId')::int and h.effective_from <= (s.data->>'hoursEffectiveFrom')::date
            order by h.effective_from desc limit 1) is distinct from (s.data->>'hoursBefore')::numeric))
      -- What the plan would create, someone else created since (another import, a form).
      or (s.data->>'participantAction' = 'create' and s.data->>'reference' is not null and exists (
        select 1 from participants p where lower(p.external_reference) = lower(s.data->>'reference')))
      or (s.data->>'participantAction' = 'create' and s.data->>'reference' is null and exists (
        select 1 from participants p where lower(p.last_name) = lower(s.data->>'lastName')
          and lower(p.first_name) = lower(s.data->>'firstName') and p.date_of_birth = (s.data->>'dateOfBirth')::date))
      or (s.data->>'employerAction' = 'create' and exists (
        select 1 from employers e where lower(e.name) = lower(s.data->>'name')
          and lower(coalesce(e.address_line, '')) = lower(coalesce(s.data->>'addressLine', ''))))
      or (s.data->>'contactAction' = 'create' and exists (
        select 1 from employer_contacts c where c.employer_id = (s.data->>'employerId')::int and lower(c.name) = lower(s.data->>'contactName')))
      or (s.data->>'placementAction' = 'create' and exists (
        select 1 from placements pl where pl.participant_id = (s.data->>'participantId')::int
          and pl.employer_id = (s.data->>'employerId')::int and pl.start_date = (s.data->>'startDate')::date))
    )`.execute(db);
  return Number(result.rows[0]!.n);
}

/**
 * Locks the placements whose hours the batch changes, as the app's hours form does
 * (placements/queries.ts lockChangeablePlacement): a pause or end saved at the same moment waits,
 * and the stale check that follows sees it.
 */
export async function lockHoursTargets(db: Executor, batchId: number): Promise<void> {
  await sql`
    select pl.id from placements pl
    where pl.id in (select (data->>'placementId')::int from import_staging_rows
                    where batch_id = ${batchId} and data->>'hoursAction' = 'change')
    order by pl.id for update`.execute(db);
}

/** Keeps the columns of the records this batch is about to change, for an undo. */
async function rememberPrevious(
  db: Executor,
  batchId: number,
  entity: string,
  table: string,
  action: string,
  idKey: string,
  participant: string,
) {
  await sql`
    insert into import_batch_records (batch_id, entity_type, entity_id, action, participant_id, previous)
    select ${batchId}::int, ${entity}::text, x.id, 'update', ${sql.raw(participant)}, to_jsonb(x)
    from import_staging_rows s join ${sql.table(table)} x on x.id = (s.data->>${idKey})::int
    where s.batch_id = ${batchId} and s.data->>${action} = 'update'`.execute(db);
}

export async function publishParticipants(db: Executor, batchId: number, now: Date): Promise<void> {
  await rememberPrevious(db, batchId, 'participant', 'participants', 'participantAction', 'participantId', 'x.id');
  await rememberPrevious(db, batchId, 'trajectory', 'trajectories', 'trajectoryAction', 'trajectoryId', 'x.participant_id');
  await sql`
    insert into participants (id, first_name, last_name, date_of_birth, phone, email, address_line, postal_code, city,
      external_reference, coach_id, status, created_at, updated_at)
    select (d->>'participantId')::int, d->>'firstName', d->>'lastName', (d->>'dateOfBirth')::date, d->>'phone', d->>'email',
      d->>'addressLine', d->>'postalCode', d->>'city', d->>'reference', (d->>'coachId')::int, d->>'status', ${now}, ${now}
    from (select data as d from import_staging_rows where batch_id = ${batchId} and data->>'participantAction' = 'create') s`.execute(
    db,
  );
  await sql`
    update participants p set first_name = d->>'firstName', last_name = d->>'lastName', date_of_birth = (d->>'dateOfBirth')::date,
      phone = d->>'phone', email = d->>'email', address_line = d->>'addressLine', postal_code = d->>'postalCode',
      city = d->>'city', external_reference = d->>'reference', coach_id = (d->>'coachId')::int,
      version = p.version + 1, updated_at = ${now}
    from (select data as d from import_staging_rows where batch_id = ${batchId} and data->>'participantAction' = 'update') s
    where p.id = (d->>'participantId')::int`.execute(db);
  await sql`
    insert into trajectories (id, participant_id, commissioner_id, kind, reference, start_date, planned_end_date, granted_hours,
      created_at, updated_at)
    select (d->>'trajectoryId')::int, (d->>'participantId')::int, (d->>'commissionerId')::int, d->>'trajectoryKind',
      d->>'trajectoryReference', (d->>'trajectoryStart')::date, (d->>'trajectoryPlannedEnd')::date,
      (d->>'grantedHours')::numeric, ${now}, ${now}
    from (select data as d from import_staging_rows where batch_id = ${batchId} and data->>'trajectoryAction' = 'create') s`.execute(
    db,
  );
  await sql`
    update trajectories t set commissioner_id = (d->>'commissionerId')::int, kind = d->>'trajectoryKind',
      reference = d->>'trajectoryReference', planned_end_date = (d->>'trajectoryPlannedEnd')::date,
      granted_hours = (d->>'grantedHours')::numeric, version = t.version + 1, updated_at = ${now}
    from (select data as d from import_staging_rows where batch_id = ${batchId} and data->>'trajectoryAction' = 'update') s
    where t.id = (d->>'trajectoryId')::int`.execute(db);
  await recordCreated(db, batchId, 'participant', 'participantAction', 'participantId', 'participantId');
  await recordCreated(db, batchId, 'trajectory', 'trajectoryAction', 'trajectoryId', 'participantId');
}

export async function publishEmployers(db: Executor, batchId: number, now: Date): Promise<void> {
  await rememberPrevious(db, batchId, 'employer', 'employers', 'employerAction', 'employerId', 'null::int');
  await rememberPrevious(db, batchId, 'employer_contact', 'employer_contacts', 'contactAction', 'contactId', 'null::int');
  await sql`
    insert into employers (id, name, sector, address_line, postal_code, city, phone, created_at, updated_at)
    select (d->>'employerId')::int, d->>'name', d->>'sector', d->>'addressLine', d->>'postalCode', d->>'city', d->>'phone', ${now}, ${now}
    from (select data as d from import_staging_rows where batch_id = ${batchId} and data->>'employerAction' = 'create') s`.execute(
    db,
  );
  await sql`
    update employers e set name = d->>'name', sector = d->>'sector', address_line = d->>'addressLine', postal_code = d->>'postalCode',
      city = d->>'city', phone = d->>'phone', version = e.version + 1, updated_at = ${now}
    from (select data as d from import_staging_rows where batch_id = ${batchId} and data->>'employerAction' = 'update') s
    where e.id = (d->>'employerId')::int`.execute(db);
  await sql`
    insert into employer_contacts (id, employer_id, name, role, job_title, phone, email, created_at, updated_at)
    select (d->>'contactId')::int, (d->>'employerId')::int, d->>'contactName', d->>'contactRole', d->>'contactJobTitle',
      d->>'contactPhone', d->>'contactEmail', ${now}, ${now}
    from (select data as d from import_staging_rows where batch_id = ${batchId} and data->>'contactAction' = 'create') s`.execute(
    db,
  );
  await sql`
    update employer_contacts c set role = d->>'contactRole', job_title = d->>'contactJobTitle', phone = d->>'contactPhone',
      email = d->>'contactEmail', version = c.version + 1, updated_at = ${now}
    from (select data as d from import_staging_rows where batch_id = ${batchId} and data->>'contactAction' = 'update') s
    where c.id = (d->>'contactId')::int`.execute(db);
  await recordCreated(db, batchId, 'employer', 'employerAction', 'employerId', null);
  await recordCreated(db, batchId, 'employer_contact', 'contactAction', 'contactId', null);
}

export async function publishPlacements(db: Executor, batchId: number, now: Date, actorUserId: number): Promise<void> {
  await rememberPrevious(db, batchId, 'placement', 'placements', 'placementAction', 'placementId', 'x.participant_id');
  await sql`
    insert into placements (id, participant_id, employer_id, kind, job_title, start_date, planned_end_date, created_at, updated_at)
    select (d->>'placementId')::int, (d->>'participantId')::int, (d->>'employerId')::int, d->>'kind', d->>'jobTitle',
      (d->>'startDate')::date, (d->>'plannedEndDate')::date, ${now}, ${now}
    from (select data as d from import_staging_rows where batch_id = ${batchId} and data->>'placementAction' = 'create') s`.execute(
    db,
  );
  await sql`
    insert into placement_hours (placement_id, effective_from, hours_per_week, created_by, created_at)
    select (d->>'placementId')::int, (d->>'startDate')::date, (d->>'hoursPerWeek')::numeric, ${actorUserId}, ${now}
    from (select data as d from import_staging_rows where batch_id = ${batchId} and data->>'placementAction' = 'create') s`.execute(
    db,
  );
  await sql`
    update placements p set kind = d->>'kind', job_title = d->>'jobTitle', planned_end_date = (d->>'plannedEndDate')::date,
      version = p.version + 1, updated_at = ${now}
    from (select data as d from import_staging_rows where batch_id = ${batchId} and data->>'placementAction' = 'update') s
    where p.id = (d->>'placementId')::int`.execute(db);
  await recordCreated(db, batchId, 'placement', 'placementAction', 'placementId', 'participantId');
  await publishHoursChanges(db, batchId, now, actorUserId);
}

/**
 * New hours per week of existing placements, recorded as the app's hours form records them
 * (placements/service.ts changeHours, upsertHours): a row from the day on, by the importing
 * person, without a note; a row already on that day gets the new figures. The row it replaced is
 * kept whole in the batch's records (`previous`), a row it added is listed as created: the undo
 * puts the one back and deletes the other.
 */
async function publishHoursChanges(db: Executor, batchId: number, now: Date, actorUserId: number): Promise<void> {
  const changes = sql`(select data as d from import_staging_rows where batch_id = ${batchId} and data->>'hoursAction' = 'change')`;
  await sql`
    insert into import_batch_records (batch_id, entity_type, entity_id, action, participant_id, previous)
    select ${batchId}::int, 'placement_hours', h.id, 'update', (d->>'participantId')::int, to_jsonb(h)
    from ${changes} s join placement_hours h
      on h.placement_id = (d->>'placementId')::int and h.effective_from = (d->>'hoursEffectiveFrom')::date`.execute(db);
  await sql`
    insert into placement_hours (placement_id, effective_from, hours_per_week, note, created_by, created_at)
    select (d->>'placementId')::int, (d->>'hoursEffectiveFrom')::date, (d->>'hoursPerWeek')::numeric, null, ${actorUserId}, ${now}
    from ${changes} s
    on conflict (placement_id, effective_from) do update
      set hours_per_week = excluded.hours_per_week, note = excluded.note, created_by = excluded.created_by`.execute(db);
  await sql`
    insert into import_batch_records (batch_id, entity_type, entity_id, action, participant_id)
    select ${batchId}::int, 'placement_hours', h.id, 'create', (d->>'participantId')::int
    from ${changes} s join placement_hours h
      on h.placement_id = (d->>'placementId')::int and h.effective_from = (d->>'hoursEffectiveFrom')::date
    where not exists (select 1 from import_batch_records r
                      where r.batch_id = ${batchId} and r.entity_type = 'placement_hours' and r.entity_id = h.id)`.execute(db);
}

async function recordCreated(
  db: Executor,
  batchId: number,
  entity: string,
  action: string,
  idKey: string,
  participantKey: string | null,
) {
  await sql`
    insert into import_batch_records (batch_id, entity_type, entity_id, action, participant_id)
    select distinct ${batchId}::int, ${entity}::text, (data->>${idKey})::int, 'create',
      ${participantKey === null ? sql`null::int` : sql`(data->>${participantKey})::int`}
    from import_staging_rows where batch_id = ${batchId} and data->>${action} = 'create'`.execute(db);
}

const TABLE_OF = {
  participant: 'participants',
  trajectory: 'trajectories',
  employer: 'employers',
  employer_contact: 'employer_contacts',
  placement: 'placements',
} as const;

/**
 * A placement's whole hours history as one digest. `placement_hours` has no version column, and the
 * app's hours form changes it without touching the placement's version (it adds a row for a new
 * day, or replaces the figures of a row on the same day in place, keeping its id and created_at).
 * So the batch keeps this digest of every row as it left them — id, day, hours, note, recorded by —
 * and any later hours change of that placement (a row added, replaced, moved or removed, a pause's
 * 0, an erasure's cleared note) makes it differ. md5 only stands in for the rows themselves, which
 * hold free text: an accidental match of two different histories is not a practical concern.
 */
function hoursDigest(placementId: RawBuilder<unknown>) {
  return sql<string>`(select md5(coalesce(jsonb_agg(jsonb_build_array(h.id, h.effective_from, h.hours_per_week, h.note, h.created_by)
      order by h.effective_from, h.id)::text, '')) from placement_hours h where h.placement_id = ${placementId})`;
}

/**
 * The version each record of the batch was left at, and for placements and their hours the digest
 * of the hours history: the undo checks that none has moved on.
 */
export async function stampVersions(db: Executor, batchId: number): Promise<void> {
  for (const [entity, table] of Object.entries(TABLE_OF)) {
    await sql`
      update import_batch_records r set version_after = x.version from ${sql.table(table)} x
      where r.batch_id = ${batchId} and r.entity_type = ${entity} and x.id = r.entity_id`.execute(db);
  }
  await sql`
    update import_batch_records r set hours_after = ${hoursDigest(sql`r.entity_id`)}
    where r.batch_id = ${batchId} and r.entity_type = 'placement'`.execute(db);
  await sql`
    update import_batch_records r set hours_after = ${hoursDigest(sql`h.placement_id`)} from placement_hours h
    where r.batch_id = ${batchId} and r.entity_type = 'placement_hours' and h.id = r.entity_id`.execute(db);
}

/**
 * One audit event per record, with ids and coded values only. A participant the batch created is
 * not named in `participant_id` (the undo deletes it again, and the audit log is immutable): the
 * event's entity id says which one it was.
 */
export async function auditRecords(
  db: Executor,
  batchId: number,
  actorUserId: number,
  verb: 'create' | 'update' | 'delete' | 'restore',
) {
  const action = verb === 'create' || verb === 'update' ? sql`r.action` : verb === 'delete' ? sql`'delete'` : sql`'restore'`;
  const where = verb === 'delete' ? sql`r.action = 'create'` : verb === 'restore' ? sql`r.action = 'update'` : sql`true`;
  await sql`
    insert into audit_events (actor_user_id, action, entity_type, entity_id, details, participant_id)
    select ${actorUserId}::int, ${action}, r.entity_type, r.entity_id::text,
      jsonb_build_object('importBatchId', ${batchId}::int, 'source', 'import'),
      case when r.participant_id is null then null
           when exists (select 1 from import_batch_records c where c.batch_id = r.batch_id and c.entity_type = 'participant'
                        and c.entity_id = r.participant_id and c.action = 'create') then null
           else r.participant_id end
    from import_batch_records r where r.batch_id = ${batchId} and ${where} and r.entity_type <> 'placement_hours'
    order by r.entity_type, r.entity_id`.execute(db);
}

/**
 * The hours changes of a batch in the audit log as the app's hours form writes them: `change_hours`
 * of the placement, with the day, the hours and the figure of a row it replaced on that day. On
 * publish, what the batch set; on undo (before the rows go back), what the day's hours return to:
 * the replaced row's figure, or for a row the batch added the hours in force the day before.
 */
export async function auditHoursChanges(db: Executor, batchId: number, actorUserId: number, moment: 'publish' | 'undo') {
  const hoursAfter =
    moment === 'publish'
      ? sql`h.hours_per_week`
      : sql`case when r.action = 'update' then (r.previous->>'hours_per_week')::numeric
          else (select e.hours_per_week from placement_hours e where e.placement_id = h.placement_id
                and e.effective_from < h.effective_from order by e.effective_from desc limit 1) end`;
  const replaced = moment === 'publish' ? sql`(r.previous->>'hours_per_week')::numeric` : sql`h.hours_per_week`;
  await sql`
    insert into audit_events (actor_user_id, action, entity_type, entity_id, details, participant_id)
    select ${actorUserId}::int, 'change_hours', 'placement', h.placement_id::text,
      jsonb_build_object('effectiveFrom', h.effective_from, 'hoursPerWeek', ${hoursAfter},
        'replacedHoursPerWeek', ${replaced}, 'importBatchId', ${batchId}::int, 'source', 'import'),
      r.participant_id
    from import_batch_records r join placement_hours h on h.id = r.entity_id
    where r.batch_id = ${batchId} and r.entity_type = 'placement_hours'
    order by h.placement_id`.execute(db);
}

export async function participantIdsOfBatch(db: Executor, batchId: number): Promise<{ created: number[]; touched: number[] }> {
  const rows = await db
    .selectFrom('import_batch_records')
    .select(['entity_type as entityType', 'action', 'participant_id as participantId'])
    .where('batch_id', '=', batchId)
    .where('participant_id', 'is not', null)
    .execute();
  const created = rows
    .filter((row) => row.entityType === 'participant' && row.action === 'create')
    .map((row) => row.participantId!);
  const touched = [...new Set(rows.map((row) => row.participantId!))];
  return { created, touched };
}

// --- undo ------------------------------------------------------------------------------------

export async function lockPublishedBatch(db: Executor, batchId: number) {
  return db
    .selectFrom('import_batches')
    .select(['id', 'status', 'kind'])
    .where('id', '=', batchId)
    .where('status', '=', 'published')
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Records of the batch that changed (or went) since it was published, or whose columns before it
 * are gone (a change of an erased participant's file: the erasure clears `previous`, src/retention).
 */
export async function countChangedRecords(db: Executor, batchId: number): Promise<number> {
  let changed = 0;
  for (const [entity, table] of Object.entries(TABLE_OF)) {
    // A placement's hours are part of it here (a batch before the digest has none to compare).
    const hoursMoved =
      entity === 'placement' ? sql`or (r.hours_after is not null and r.hours_after <> ${hoursDigest(sql`x.id`)})` : sql``;
    const result = await sql<{ n: string }>`
      select count(*) as n from import_batch_records r
      left join ${sql.table(table)} x on x.id = r.entity_id
      where r.batch_id = ${batchId} and r.entity_type = ${entity}
        and (x.id is null or x.version <> r.version_after or (r.action = 'update' and r.previous is null) ${hoursMoved})`.execute(
      db,
    );
    changed += Number(result.rows[0]!.n);
  }
  // An hours row has no version: its placement's hours history must be as the batch left it.
  const hours = await sql<{ n: string }>`
    select count(*) as n from import_batch_records r
    left join placement_hours h on h.id = r.entity_id
    where r.batch_id = ${batchId} and r.entity_type = 'placement_hours'
      and (h.id is null or r.hours_after is distinct from ${hoursDigest(sql`h.placement_id`)}
           or (r.action = 'update' and r.previous is null))`.execute(db);
  return changed + Number(hours.rows[0]!.n);
}

const RESTORED_COLUMNS = {
  participants: [
    'first_name',
    'last_name',
    'date_of_birth',
    'phone',
    'email',
    'address_line',
    'postal_code',
    'city',
    'external_reference',
    'coach_id',
  ],
  trajectories: ['commissioner_id', 'kind', 'reference', 'planned_end_date', 'granted_hours'],
  employers: ['name', 'sector', 'address_line', 'postal_code', 'city', 'phone'],
  employer_contacts: ['role', 'job_title', 'phone', 'email'],
  placements: ['kind', 'job_title', 'planned_end_date'],
} as const;

/** Deletes what the batch created and puts back the columns it changed; children before parents. */
export async function revertBatch(db: Executor, batchId: number, now: Date): Promise<void> {
  const created = (entity: string) =>
    sql`(select entity_id from import_batch_records where batch_id = ${batchId} and entity_type = ${entity} and action = 'create')`;
  // Hours rows first: the rows it added go, the rows it replaced get their figures back.
  await sql`delete from placement_hours where id in ${created('placement_hours')}`.execute(db);
  await sql`
    update placement_hours x set hours_per_week = old.hours_per_week, note = old.note, created_by = old.created_by
    from import_batch_records r cross join lateral jsonb_populate_record(null::placement_hours, r.previous) old
    where r.batch_id = ${batchId} and r.entity_type = 'placement_hours' and r.action = 'update' and x.id = r.entity_id`.execute(
    db,
  );
  await sql`delete from placements where id in ${created('placement')}`.execute(db);
  await sql`delete from trajectories where id in ${created('trajectory')}`.execute(db);
  await sql`delete from participant_risk_states where participant_id in ${created('participant')}`.execute(db);
  await sql`delete from participants where id in ${created('participant')}`.execute(db);
  await sql`delete from employer_contacts where id in ${created('employer_contact')}`.execute(db);
  await sql`delete from employers where id in ${created('employer')}`.execute(db);
  for (const [entity, table] of Object.entries(TABLE_OF)) {
    const columns = RESTORED_COLUMNS[table];
    const assignments = sql.join(columns.map((column) => sql`${sql.ref(column)} = old.${sql.ref(column)}`));
    await sql`
      update ${sql.table(table)} x set ${assignments}, version = x.version + 1, updated_at = ${now}
      from import_batch_records r cross join lateral jsonb_populate_record(null::${sql.table(table)}, r.previous) old
      where r.batch_id = ${batchId} and r.entity_type = ${entity} and r.action = 'update' and x.id = r.entity_id`.execute(db);
  }
}

export async function markUndone(db: Executor, batchId: number, userId: number, now: Date): Promise<void> {
  await db
    .updateTable('import_batches')
    .set({ status: 'undone', undone_at: now, undone_by: userId })
    .where('id', '=', batchId)
    .execute();
}
