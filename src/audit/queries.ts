import { participantVisibleTo } from '../db/access';
import type { Executor } from '../platform/executor';
import type { Viewer } from '../lib/viewer';

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

/** One page of audit events, newest first, with the name of whoever caused each. */
export async function listAuditEvents(
  db: Executor,
  filters: AuditEventFilters,
  page: { limit: number; offset: number },
): Promise<AuditEventRow[]> {
  return filteredEvents(db, filters)
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
  return db
    .selectFrom('participants')
    .where('participants.id', 'in', ids)
    .where(participantVisibleTo(viewer))
    .select(['participants.id', 'participants.first_name as firstName', 'participants.last_name as lastName'])
    .execute();
}
