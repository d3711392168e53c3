import { sql } from 'kysely';
import { migrateToLatest, rollbackOneStep } from '../../src/db/migrate';
import { recordAuditEvent } from '../../src/audit/service';
import { isDatabaseUnavailableError } from '../../src/db/database';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('audit events are append-only', () => {
  test('the database refuses UPDATE and DELETE of an audit event', async () => {
    await recordAuditEvent(database.db, { actorUserId: null, action: 'test', entityType: 'system' });
    await expect(
      database.db
        .updateTable('audit_events')
        .set({ action: 'changed' } as never)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(database.db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(database.db)).rejects.toThrow(/append-only/);
    const rows = await database.db.selectFrom('audit_events').select('action').where('action', '=', 'test').execute();
    expect(rows).toHaveLength(1);
  });
});

describe('constraints', () => {
  test('a role outside coach/manager/admin is refused', async () => {
    await expect(
      sql`insert into users (email, display_name, role, password_hash) values ('x@example.test', 'X', 'boss', 'h')`.execute(
        database.db,
      ),
    ).rejects.toThrow(/users_role_valid/);
  });

  test('a coach without a team is refused', async () => {
    await expect(
      sql`insert into users (email, display_name, role, password_hash) values ('y@example.test', 'Y', 'coach', 'h')`.execute(
        database.db,
      ),
    ).rejects.toThrow(/users_team_required/);
  });
});

describe('migrations', () => {
  test('every migration rolls back one step at a time and applies again', async () => {
    const applied: string[] = [];
    for (;;) {
      const step = await rollbackOneStep(database.db);
      if (step.length === 0) break;
      expect(step).toHaveLength(1);
      applied.unshift(step[0]!.replace(/^Down /, 'Up '));
    }
    expect(applied.length).toBeGreaterThanOrEqual(2);
    const tables = await sql<{
      n: number;
    }>`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%'`.execute(
      database.db,
    );
    expect(tables.rows[0]!.n).toBe(0);
    expect(await migrateToLatest(database.db)).toEqual(applied);
    expect(await migrateToLatest(database.db)).toEqual([]);
  });
});

describe('outage detection', () => {
  test.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: '57P01' }, true],
    [new Error('timeout exceeded when trying to connect'), true],
    [new Error('Connection terminated unexpectedly'), true],
    [{ code: '42P01', message: 'relation does not exist' }, false],
    [new Error('something else'), false],
    [null, false],
  ])('%p → %p', (error, expected) => {
    expect(isDatabaseUnavailableError(error)).toBe(expected);
  });
});
