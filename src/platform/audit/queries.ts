import type { Executor } from '../executor';

export interface AuditEventInput {
  actorUserId: number | null;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  /** The participant whose data this event concerns, so a subject-access export can find it. */
  participantId?: number | null;
  details?: Record<string, unknown>;
}

function rowOf(event: AuditEventInput) {
  return {
    actor_user_id: event.actorUserId,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId === undefined || event.entityId === null ? null : String(event.entityId),
    details: JSON.stringify(event.details ?? {}),
    participant_id: event.participantId ?? null,
  };
}

export async function insertAuditEvent(db: Executor, event: AuditEventInput): Promise<void> {
  await db.insertInto('audit_events').values(rowOf(event)).execute();
}

/** Events per statement: six parameters each, well below PostgreSQL's 65,535 per statement. */
const EVENTS_PER_INSERT = 1000;

/** Several events in as few statements as the parameter limit allows, stored in the order given. */
export async function insertAuditEvents(db: Executor, events: readonly AuditEventInput[]): Promise<void> {
  for (let start = 0; start < events.length; start += EVENTS_PER_INSERT) {
    await db
      .insertInto('audit_events')
      .values(events.slice(start, start + EVENTS_PER_INSERT).map(rowOf))
      .execute();
  }
}
