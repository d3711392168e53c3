import { sql } from 'kysely';
import { migrateToLatest, rollbackOneStep } from '../../src/db/migrate';
import { recordAuditEvent } from '../../src/platform/audit/service';
import { createKysely, createPool, isDatabaseUnavailableError, PREPARED_STATEMENT_MARK } from '../../src/db/database';
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

describe('streamed reads', () => {
  test('a stream that lasts longer than the query timeout is not cut off while its batches keep coming', async () => {
    // The period export streams through a cursor; pg's query_timeout would otherwise end the
    // download once it has lasted that long, however quickly each batch arrives.
    const db = createKysely(database.openPool({ queryTimeoutMs: 300 }));
    const query = db.selectFrom(sql`generate_series(1, 8)`.as('g')).select(sql<number>`g`.as('n'));
    const streamed: number[] = [];
    const started = Date.now();
    for await (const row of query.stream(2)) {
      streamed.push(row.n);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(Date.now() - started).toBeGreaterThan(600);
    expect(streamed).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // A plain query still has the timeout: it is there for statements that hang.
    await expect(sql`select pg_sleep(1)`.execute(db)).rejects.toThrow(/Query read timeout/);
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

describe('prepared statements', () => {
  test('on a server a marked statement is prepared once per connection and reused, an unmarked one is not; never on the embedded database', async () => {
    const onServer = database.mode === 'server';
    // As openDatabase opens the app's pool: named statements on a server only. The embedded
    // database takes no third connection, and the test database's own pool is opened without them.
    const pool = onServer
      ? createPool({ connectionString: database.connectionString, max: 1, connectTimeoutMs: 2000, prepareMarkedStatements: true })
      : database.pool;
    const client = await pool.connect();
    try {
      const marked = `${PREPARED_STATEMENT_MARK} select $1::int + 1 as answer`;
      for (const value of [1, 2, 3])
        expect((await client.query<{ answer: number }>(marked, [value])).rows[0]!.answer).toBe(value + 1);
      await client.query('select $1::int as plain', [7]);
      const prepared = await client.query<{ statement: string }>('select statement from pg_prepared_statements');
      expect(prepared.rows.map((row) => row.statement)).toEqual(onServer ? [marked] : []);
    } finally {
      client.release();
      if (onServer) await pool.end();
    }
  });
});
