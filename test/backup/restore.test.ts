import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import request from 'supertest';
import { createKysely, createPool } from '../../src/db/database';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/service';
import { FixedClock } from '../../src/lib/clock';
import { findRiskStateDifferences } from '../../src/risk/state';
import { signedInAgent, startTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

// README "Backups" (issue 19, item 7): a pg_dump of a seeded database, restored with pg_restore into
// a new database, is served by the app: the demo coach signs in and finds her caseload, and the
// stored risk state came along without a difference. PostgreSQL only: the embedded database is
// backed up by copying its folder, and pg_dump cannot read PGlite's files. (npm run test:processes
// follows the same steps with `npm run db:backup` and separate app processes.)

const exec = promisify(execFile);
const serverUrl = process.env.TEST_DATABASE_URL;
const onPostgres = serverUrl ? describe : describe.skip;
if (!serverUrl) {
  // A visible reason in the test output, not only a skipped count.
  test.skip('pg_dump and pg_restore need a PostgreSQL server: set TEST_DATABASE_URL (the embedded database is backed up by copying its folder)', () => {});
}

onPostgres('a pg_dump of a seeded database restored into a new one', () => {
  const clock = new FixedClock('2026-11-25T09:00:00+01:00');
  const folder = mkdtempSync(path.join(os.tmpdir(), 'inbeeld-restore-'));
  const dump = path.join(folder, 'seeded.dump');
  const copyName = `inbeeld_restore_${process.pid}_${Date.now()}`;
  let original: TestDatabase;
  let copy: TestDatabase;
  let app: TestApp;
  const admin = createPool({ connectionString: serverUrl ?? '', max: 1, connectTimeoutMs: 5000 });

  beforeAll(async () => {
    original = await createTestDatabase();
    await seedDemo(original.db, DateTime.fromISO('2026-11-25T09:00:00', { zone: 'Europe/Amsterdam' }));
    await exec('pg_dump', [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      '--exclude-table-data=public.sessions',
      `--file=${dump}`,
      `--dbname=${original.connectionString}`,
    ]);
    await admin.query(`create database ${copyName}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${copyName}`;
    await exec('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${url.toString()}`, dump]);
    const pool = createPool({ connectionString: url.toString(), max: 5, connectTimeoutMs: 5000 });
    copy = {
      db: createKysely(pool),
      pool,
      mode: 'server',
      connectionString: url.toString(),
      openPool: () => createPool({ connectionString: url.toString(), max: 5, connectTimeoutMs: 5000 }),
      close: async () => {
        await pool.end();
      },
    };
    app = await startTestApp({ clock, database: copy });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await copy?.close();
    await original?.close();
    await admin.query(`drop database if exists ${copyName} with (force)`);
    await admin.end();
    rmSync(folder, { recursive: true, force: true });
  });

  test('holds the same rows as the original', async () => {
    for (const table of [
      'participants',
      'contact_moments',
      'trajectories',
      'placements',
      'audit_events',
      'participant_risk_states',
    ] as const) {
      const count = async (database: TestDatabase) =>
        Number(
          (
            await database.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const inOriginal = await count(original);
      expect([table, await count(copy)]).toEqual([table, inOriginal]);
      if (table === 'participants') expect(inOriginal).toBeGreaterThan(10);
    }
    expect(await findRiskStateDifferences(copy.db, clock.now(), 'Europe/Amsterdam')).toEqual([]);
  });

  test('is served by the app: the demo coach signs in and finds her caseload', async () => {
    const agent = await signedInAgent(app.app, { id: 0, email: 'coach@example.org', password: DEMO_PASSWORD, displayName: '' });
    const list = await agent.get('/participants');
    expect(list.status).toBe(200);
    const first = await copy.db
      .selectFrom('participants')
      .innerJoin('users', 'users.id', 'participants.coach_id')
      .select(['participants.id', 'participants.first_name'])
      .where('users.email', '=', 'coach@example.org')
      .where('participants.status', '<>', 'closed')
      .orderBy('participants.last_name')
      .executeTakeFirstOrThrow();
    expect(list.text).toContain(first.first_name);
    expect((await agent.get(`/participants/${first.id}`)).status).toBe(200);
    expect((await request(app.app).get('/readyz')).status).toBe(200);
  });
});
