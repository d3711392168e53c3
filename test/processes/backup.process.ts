import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import {
  addActiveParticipants,
  addUser,
  attemptSignIn,
  createScratchDatabase,
  productionEnv,
  request,
  signIn,
  startApp,
  startProcess,
  type ScratchDatabase,
} from './helpers';

// README "Backups", followed literally: `npm run db:backup` on a running installation, a restore with
// pg_restore into a new database, and the app started on the copy. The copy serves the data, and
// nothing of the moment the backup was taken comes along: no session (a cookie of the original does
// not sign anyone in on the copy), no sign-in throttling, no set-password link.

type App = Awaited<ReturnType<typeof startApp>>;

async function run(script: string, env: Record<string, string>, args: string[] = []): Promise<string> {
  const child = startProcess(script, env, args);
  const { code } = await child.exited;
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} failed (${code}):\n${child.output()}`);
  return child.output();
}

async function rowCount(database: ScratchDatabase, table: string): Promise<number> {
  const result = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(database.db);
  return Number(result.rows[0]!.n);
}

describe('a backup restored into a new database', () => {
  let original: ScratchDatabase;
  let copy: ScratchDatabase;
  let originalApp: App | undefined;
  let copyApp: App | undefined;
  let coach: { id: number; email: string; password: string };
  let cookieOfOriginal: string;
  const folder = mkdtempSync(path.join(os.tmpdir(), 'inbeeld-backup-'));
  const dumpFile = path.join(folder, 'inbeeld.dump');

  beforeAll(async () => {
    original = await createScratchDatabase();
    copy = await createScratchDatabase();
    await run('dist/scripts/db-migrate.js', { DATABASE_URL: original.url }, ['up']);
    coach = await addUser(original.db, {
      email: 'coach@backup.test',
      role: 'coach',
      team: 'Team Noord',
      displayName: 'Bo Backup',
    });
    await addActiveParticipants(original.db, coach.id, ['Teruggezet']);
    await original.db
      .insertInto('set_password_links')
      .values({
        user_id: coach.id,
        token_hash: 'f'.repeat(64),
        purpose: 'invite',
        created_at: new Date(),
        expires_at: new Date(Date.now() + 72 * 3600_000),
      })
      .execute();
    originalApp = await startApp(productionEnv(original.url));
    cookieOfOriginal = await signIn(originalApp.base, coach, '192.0.2.20');
    await attemptSignIn(originalApp.base, { email: coach.email, password: 'not the password' }, '192.0.2.21');
  }, 120_000);

  afterAll(async () => {
    for (const app of [originalApp, copyApp]) app?.kill();
    await Promise.all([originalApp?.exited, copyApp?.exited]);
    await original?.drop();
    await copy?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('db:backup writes a custom-format dump while the app runs', async () => {
    expect(await rowCount(original, 'sessions')).toBeGreaterThan(0);
    expect(await rowCount(original, 'rate_limit_hits')).toBeGreaterThan(0);
    const output = await run('dist/scripts/db-backup.js', productionEnv(original.url), ['--out', dumpFile]);
    expect(output).toContain(`Backup written to ${dumpFile}`);
    expect(statSync(dumpFile).size).toBeGreaterThan(10_000);
  });

  test('pg_restore makes a copy the app serves, without the sessions, throttling and links of the original', async () => {
    await promisify(execFile)('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${copy.url}`, dumpFile]);
    expect(await rowCount(copy, 'participants')).toBe(1);
    expect(await rowCount(copy, 'users')).toBe(1);
    for (const table of ['sessions', 'rate_limit_hits', 'set_password_links']) expect(await rowCount(copy, table)).toBe(0);
    // The migrations are in the copy too: nothing left to apply.
    expect(await run('dist/scripts/db-migrate.js', { DATABASE_URL: copy.url }, ['up'])).toContain('Nothing to migrate');

    copyApp = await startApp(productionEnv(copy.url));
    const withOldCookie = await request(copyApp.base, '/participants', { cookie: cookieOfOriginal });
    expect(withOldCookie.status).toBe(303);
    expect(withOldCookie.headers.get('location')).toMatch(/^\/login/);

    const cookie = await signIn(copyApp.base, coach, '192.0.2.20');
    const list = await request(copyApp.base, '/participants', { cookie });
    expect(list.status).toBe(200);
    expect(list.text).toContain('Teruggezet');
  });

  test('the original still accepts its cookie (the backup took nothing away)', async () => {
    const page = await request(originalApp!.base, '/participants', { cookie: cookieOfOriginal });
    expect(page.status).toBe(200);
  });
});
