import { recordAuditEvents } from '../../src/platform/audit/service';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

// The events of one change to many records go in as few statements as PostgreSQL's limit of
// 65,535 parameters allows (six per event, a thousand per statement), all of them, in order.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

test('12,000 events of one change (72,000 values, more than one statement may carry) are all stored, in the order given, each with its own details', async () => {
  const { db } = database;
  const events = Array.from({ length: 12_000 }, (_, index) => ({
    actorUserId: null,
    action: 'anonymise',
    entityType: 'user',
    entityId: 100_000 + index,
    details: { keptMonths: 24, index },
  }));
  await db.transaction().execute((trx) => recordAuditEvents(trx, events));
  const stored = await db
    .selectFrom('audit_events')
    .select(['entity_id', 'details'])
    .where('action', '=', 'anonymise')
    .where('entity_type', '=', 'user')
    .orderBy('id')
    .execute();
  expect(stored).toHaveLength(12_000);
  expect(stored.map((row) => row.entity_id)).toEqual(events.map((event) => String(event.entityId)));
  expect(stored[11_999]!.details).toEqual({ keptMonths: 24, index: 11_999 });
});

test('no events: nothing is sent', async () => {
  await expect(recordAuditEvents(database.db, [])).resolves.toBeUndefined();
});
