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

export async function insertAuditEvent(db: Executor, event: AuditEventInput): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      actor_user_id: event.actorUserId,
      action: event.action,
      entity_type: event.entityType,
      entity_id: event.entityId === undefined || event.entityId === null ? null : String(event.entityId),
      details: JSON.stringify(event.details ?? {}),
      participant_id: event.participantId ?? null,
    })
    .execute();
}
