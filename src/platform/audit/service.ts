import type { Executor } from '../executor';
import { insertAuditEvent, type AuditEventInput } from './queries';

export type { AuditEventInput } from './queries';

/**
 * Records who did what. Pass the transaction of the change being audited, so the event and the
 * change are stored together or not at all. Every view of, change to and export of participant
 * data goes through here; the audit log page (src/audit) only reads.
 */
export async function recordAuditEvent(db: Executor, event: AuditEventInput): Promise<void> {
  await insertAuditEvent(db, event);
}
