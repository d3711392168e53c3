import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { recordAuditEvent } from '../platform/audit/service';

export async function recordSignIn(db: Kysely<Database>, userId: number): Promise<void> {
  await recordAuditEvent(db, { actorUserId: userId, action: 'login', entityType: 'user', entityId: userId });
}

export async function recordSignOut(db: Kysely<Database>, userId: number): Promise<void> {
  await recordAuditEvent(db, { actorUserId: userId, action: 'logout', entityType: 'user', entityId: userId });
}
