import { insertAuditEvent, type AuditEventInput, type Executor } from './queries';

export type { AuditEventInput } from './queries';

/**
 * Records who did what. Pass the transaction of the change being audited, so the event and the
 * change are stored together or not at all.
 */
export async function recordAuditEvent(db: Executor, event: AuditEventInput): Promise<void> {
  await insertAuditEvent(db, event);
}
