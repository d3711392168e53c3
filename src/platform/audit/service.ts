import type { Executor } from '../executor';
import { auditedChange } from '../security-log';
import { insertAuditEvent, insertAuditEvents, type AuditEventInput } from './queries';

export type { AuditEventInput } from './queries';

/**
 * Records who did what. Pass the transaction of the change being audited, so the event and the
 * change are stored together or not at all. Every view of, change to and export of participant
 * data goes through here; the audit log page (src/audit) only reads. A change to an account, a
 * team, a commissioner or the settings is also a security event: this one call logs it too
 * (platform/security-log.ts says how).
 */
export async function recordAuditEvent(db: Executor, event: AuditEventInput): Promise<void> {
  await insertAuditEvent(db, event);
  auditedChange(event, db.isTransaction);
}

/**
 * The events of one change to many records (a retention run's batch, a caseload moved), each as
 * recordAuditEvent records it, in one statement instead of one per record.
 */
export async function recordAuditEvents(db: Executor, events: readonly AuditEventInput[]): Promise<void> {
  await insertAuditEvents(db, events);
  for (const event of events) auditedChange(event, db.isTransaction);
}
