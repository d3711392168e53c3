import { sql } from 'kysely';
import { participantVisibleTo } from '../db/access';
import type { Executor } from '../platform/executor';
import type { Viewer } from '../lib/viewer';
import { containing } from '../db/like';

/** What the audit log page filters on; every field is optional. Dates are instants, already in the right zone. */
export interface AuditEventFilters {
  actorUserId?: number;
  participantId?: number;
  action?: string;
  occurredFrom?: Date;
  /** Exclusive upper bound. */
  occurredBefore?: Date;
}

export interface AuditEventRow {
  id: number;
  occurredAt: Date;
  actorUserId: number | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  participantId: number | null;
  details: unknown;
}

function filteredEvents(db: Executor, filters: AuditEventFilters) {
  let query = db.selectFrom('audit_events');
  if (filters.actorUserId !== undefined) query = query.where('audit_events.actor_user_id', '=', filters.actorUserId);
  if (filters.participantId !== undefined) query = query.where('audit_events.participant_id', '=', filters.participantId);
  if (filters.action !== undefined) query = query.where('audit_events.action', '=', filters.action);
  if (filters.occurredFrom) query = query.where('audit_events.occurred_at', '>=', filters.occurredFrom);
  if (filters.occurredBefore) query = query.where('audit_events.occurred_at', '<', filters.occurredBefore);
  return query;
}

/** Where a batch of the CSV download goes on: the events older than the last one written. */
export interface AuditEventCursor {
  occurredAt: Date;
  id: number;
}

/** One page of audit events, newest first, with the name of whoever caused each. */
export async function listAuditEvents(
  db: Executor,
  filters: AuditEventFilters,
  page: { limit: number; offset: number },
  after?: AuditEventCursor,
): Promise<AuditEventRow[]> {
  let query = filteredEvents(db, filters);
  // Keyset paging for the download: each batch starts where the previous one ended, however long the log.
  if (after) query = query.where(sql<boolean>`(audit_events.occurred_at, audit_events.id) < (${after.occurredAt}, ${after.id})`);
  return query
    .leftJoin('users as actor', 'actor.id', 'audit_events.actor_user_id')
    .select([
      'audit_events.id',
      'audit_events.occurred_at as occurredAt',
      'audit_events.actor_user_id as actorUserId',
      'actor.display_name as actorName',
      'audit_events.action',
      'audit_events.entity_type as entityType',
      'audit_events.entity_id as entityId',
      'audit_events.participant_id as participantId',
      'audit_events.details',
    ])
    .orderBy('audit_events.occurred_at', 'desc')
    .orderBy('audit_events.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countAuditEvents(db: Executor, filters: AuditEventFilters): Promise<number> {
  const row = await filteredEvents(db, filters)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The actions that occur in the log, for the action filter. */
export async function listAuditActions(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('audit_events').select('action').distinct().orderBy('action').execute();
  return rows.map((row) => row.action);
}

export interface AuditUserOption {
  id: number;
  displayName: string;
  email: string;
  active: boolean;
}

/** Every user, active or not: the log also holds what former colleagues did. */
export async function listAuditUsers(db: Executor): Promise<AuditUserOption[]> {
  return db
    .selectFrom('users')
    .select(['id', 'display_name as displayName', 'email', 'active'])
    .orderBy('display_name')
    .orderBy('id')
    .execute();
}

export interface AuditParticipantName {
  id: number;
  firstName: string;
  lastName: string;
}

/** Names of the participants the events concern, as far as the viewer may see them. */
export async function findParticipantNames(db: Executor, viewer: Viewer, ids: number[]): Promise<AuditParticipantName[]> {
  if (ids.length === 0) return [];
  return namedParticipants(db, viewer)
    .where('participants.id', 'in', ids)
    .select(['participants.id', 'participants.first_name as firstName', 'participants.last_name as lastName'])
    .execute();
}

/**
 * The participants whose name the log may show: visible to the viewer and still named. Every
 * name the audit log shows or searches comes through here, so this is the one place for a further
 * condition on who still has a name (an erased participant reads "erased participant").
 */
function namedParticipants(db: Executor, viewer: Viewer) {
  return db.selectFrom('participants').where(participantVisibleTo(viewer)).where('participants.erased_at', 'is', null);
}

/** The kinds of record an audit event can name by id, and whose names the log looks up when read. */
export type AuditNameKind =
  | 'participant'
  | 'user'
  | 'team'
  | 'commissioner'
  | 'trajectory'
  | 'employer'
  | 'organisation'
  | 'criterion'
  | 'contact'
  | 'sample';

export type AuditNameRequest = Record<AuditNameKind, number[]>;

export interface AuditNameRow {
  kind: AuditNameKind;
  id: number;
  /**
   * Null for a record without a name of its own (a trajectory without a reference). A contact
   * moment and a review sample have no name: theirs is the instant (ISO, UTC) they took place or
   * were drawn, which the log words in the reader's notation and zone.
   */
  name: string | null;
}

/** An instant as ISO 8601 in UTC, as text: the same on both databases, whatever the session's zone. */
const isoInstant = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** `column = any(list)`; an empty list as {0}, which matches no row (ids start at 1). */
const ids = (list: number[], column = 'id') => sql<boolean>`${sql.ref(column)} = any(${list.length ? list : [0]}::int[])`;

/**
 * The names of every record a page of events refers to, in ONE query (a union over the tables),
 * never one per row: the details hold ids and codes only, so names are looked up as the log is read.
 * A participant the query does not return is shown as "erased participant" (`namedParticipants`
 * says who still has a name).
 */
export async function findAuditNames(db: Executor, viewer: Viewer, request: AuditNameRequest): Promise<AuditNameRow[]> {
  const rows = await participantNamed(db, viewer, request.participant)
    .unionAll(
      db
        .selectFrom('users')
        .select([sql<AuditNameKind>`'user'`.as('kind'), 'id', sql<string | null>`display_name`.as('name')])
        .where(ids(request.user)),
    )
    .unionAll(
      db
        .selectFrom('teams')
        .select([sql<AuditNameKind>`'team'`.as('kind'), 'id', sql<string | null>`name`.as('name')])
        .where(ids(request.team)),
    )
    .unionAll(
      db
        .selectFrom('commissioners')
        .select([sql<AuditNameKind>`'commissioner'`.as('kind'), 'id', sql<string | null>`name`.as('name')])
        .where(ids(request.commissioner)),
    )
    .unionAll(
      db
        .selectFrom('trajectories')
        .select([sql<AuditNameKind>`'trajectory'`.as('kind'), 'id', sql<string | null>`reference`.as('name')])
        .where(ids(request.trajectory)),
    )
    .unionAll(
      db
        .selectFrom('employers')
        .select([sql<AuditNameKind>`'employer'`.as('kind'), 'id', sql<string | null>`name`.as('name')])
        .where(ids(request.employer)),
    )
    .unionAll(
      db
        .selectFrom('referral_organisations')
        .select([sql<AuditNameKind>`'organisation'`.as('kind'), 'id', sql<string | null>`name`.as('name')])
        .where(ids(request.organisation)),
    )
    .unionAll(
      db
        .selectFrom('review_criteria')
        .select([sql<AuditNameKind>`'criterion'`.as('kind'), 'id', sql<string | null>`label`.as('name')])
        .where(ids(request.criterion)),
    )
    .unionAll(
      // A contact moment only of a participant the log may still name: an erased file keeps its
      // contact rows (without their texts), but the log no longer says when they took place.
      namedParticipants(db, viewer)
        .innerJoin('contact_moments as named_contact', 'named_contact.participant_id', 'participants.id')
        .select([
          sql<AuditNameKind>`'contact'`.as('kind'),
          'named_contact.id',
          isoInstant('named_contact.occurred_at').as('name'),
        ])
        .where(ids(request.contact, 'named_contact.id')),
    )
    .unionAll(
      db
        .selectFrom('review_samples')
        .select([sql<AuditNameKind>`'sample'`.as('kind'), 'id', isoInstant('drawn_at').as('name')])
        .where(ids(request.sample)),
    )
    .execute();
  return rows.map((row) => ({ kind: row.kind, id: Number(row.id), name: row.name }));
}

/** The participants of `list` who still have a name the viewer may read. */
function participantNamed(db: Executor, viewer: Viewer, list: number[]) {
  return namedParticipants(db, viewer)
    .select([
      sql<AuditNameKind>`'participant'`.as('kind'),
      'participants.id',
      sql<string | null>`participants.first_name || ' ' || participants.last_name`.as('name'),
    ])
    .where(sql<boolean>`participants.id = any(${list.length ? list : [0]}::int[])`);
}

/** Participants whose name contains every word typed, for the log's participant filter (a few, by name). */
export async function findParticipantsByName(
  db: Executor,
  viewer: Viewer,
  words: string[],
  limit: number,
): Promise<AuditParticipantName[]> {
  let query = namedParticipants(db, viewer).select([
    'participants.id',
    'participants.first_name as firstName',
    'participants.last_name as lastName',
  ]);
  for (const word of words) {
    const pattern = containing(word);
    query = query.where(sql<boolean>`(participants.first_name || ' ' || participants.last_name) ilike ${pattern}`);
  }
  return query
    .orderBy('participants.last_name')
    .orderBy('participants.first_name')
    .orderBy('participants.id')
    .limit(limit)
    .execute();
}
