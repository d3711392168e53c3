import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';
import argon2 from 'argon2';
import { sql } from 'kysely';
import request from 'supertest';
import { createMigrator, migrateToLatest, RequireMigrationProvider } from '../../src/db/migrate';
import { SESSION_COOKIE } from '../../src/web/setup/session';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { signIn, startTestApp, type TestApp } from '../helpers/app';
import { PREVIOUS_RELEASE } from './releases';

// The upgrade of README "Running in production" › Upgrading, from the previous release's schema to
// this one: a database made by exactly the migrations that release shipped, holding rows as that
// release wrote them (accounts, a participant, a contact moment, a signed-in session), migrated to
// the latest schema; then this version's app serves those rows, the old password signs in, and the
// session of before the upgrade is still signed in (processes are restarted one by one, so people
// must not be signed out by an upgrade). On PGlite by default, on PostgreSQL with TEST_DATABASE_URL.

const ROOT = path.resolve(__dirname, '..', '..');
const RELEASED = PREVIOUS_RELEASE.migrations;

/** Today's migrations, by name, in the order the migrator applies them. */
async function currentMigrations(): Promise<string[]> {
  return Object.keys(await new RequireMigrationProvider().getMigrations()).sort();
}

function gitHasCommit(commit: string): boolean {
  try {
    execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: ROOT, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the previous release', () => {
  test('its migrations are the first of today’s, unchanged in name and order', async () => {
    expect((await currentMigrations()).slice(0, RELEASED.length)).toEqual(RELEASED);
  });

  // Only where the clone holds the history (CI's does); skipped in a tarball or shallow clone.
  (gitHasCommit(PREVIOUS_RELEASE.commit) ? test : test.skip)(
    `the list is what commit ${PREVIOUS_RELEASE.commit.slice(0, 7)} (${PREVIOUS_RELEASE.tag}) shipped`,
    () => {
      const files = execFileSync('git', ['ls-tree', '--name-only', PREVIOUS_RELEASE.commit, 'migrations/'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      const names = files
        .split('\n')
        .filter((file) => file.endsWith('.ts'))
        .map((file) => path.basename(file, '.ts'));
      expect(names).toEqual(RELEASED);
      // The tag, where this clone has it, names that commit.
      let tagged: string | undefined;
      try {
        tagged = execFileSync('git', ['rev-parse', '--verify', '-q', `${PREVIOUS_RELEASE.tag}^{commit}`], {
          cwd: ROOT,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim();
      } catch {
        tagged = undefined;
      }
      if (tagged !== undefined) expect(tagged).toBe(PREVIOUS_RELEASE.commit);
    },
  );
});

describe(`upgrading from ${PREVIOUS_RELEASE.tag}`, () => {
  const password = 'winterlantaarn kade spoorbrug 42';
  let database: TestDatabase;
  let testApp: TestApp;
  let ids: { team: number; admin: number; coach: number; participant: number };
  let oldSessionCookie: string;
  let upgradeSteps: string[];

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    const { db } = database;

    // The schema of the release: exactly its migrations, nothing after them.
    const { error, results } = await createMigrator(db).migrateTo(RELEASED[RELEASED.length - 1]!);
    if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
    expect(results?.map((result) => result.migrationName)).toEqual(RELEASED);

    // Rows as that release wrote them: its columns only, its argon2id parameters.
    const hash = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const one = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows[0]!;
    const team = await one(sql<{ id: number }>`insert into teams (name) values ('Team Noord') returning id`);
    const admin = await one(sql<{ id: number }>`
      insert into users (email, display_name, role, team_id, locale, password_hash)
      values ('beheer@upgrade.example.test', 'Bea Beheer', 'admin', null, 'nl', ${hash}) returning id`);
    const coach = await one(sql<{ id: number }>`
      insert into users (email, display_name, role, team_id, locale, password_hash)
      values ('coach@upgrade.example.test', 'Cas Coach', 'coach', ${team.id}, 'nl', ${hash}) returning id`);
    const participant = await one(sql<{ id: number }>`
      insert into participants (first_name, last_name, date_of_birth, city, coach_id, status)
      values ('Fenna', 'Oudeman', '1990-04-01', 'Utrecht', ${coach.id}, 'active') returning id`);
    await sql`
      insert into contact_moments (participant_id, author_id, occurred_at, channel, outcome, duration_minutes, summary)
      values (${participant.id}, ${coach.id}, '2026-11-20T10:00:00+01:00', 'phone', 'reached', 20,
              'Werkplek besproken, van voor de upgrade')`.execute(db);
    ids = { team: team.id, admin: admin.id, coach: coach.id, participant: participant.id };

    // The coach's session, signed in an hour before the test clock's now (FixedClock of startTestApp),
    // in express-session's and passport's JSON as that release stored it.
    const sid = randomBytes(24).toString('base64url');
    const expires = new Date(Date.now() + 30 * 60_000);
    const sess = {
      cookie: {
        originalMaxAge: 1_800_000,
        expires: expires.toISOString(),
        secure: false,
        httpOnly: true,
        path: '/',
        sameSite: 'lax',
      },
      passport: { user: String(coach.id) },
      signedInAt: Date.parse('2026-11-23T08:00:00+01:00'),
    };
    await sql`insert into sessions (sid, sess, expire) values (${sid}, ${JSON.stringify(sess)}::json, now() + interval '30 minutes')`.execute(
      db,
    );

    // The upgrade itself: what `npm run db:migrate` does.
    upgradeSteps = await migrateToLatest(db);

    testApp = await startTestApp({ database });
    // The cookie the release had set for that session (express-session signs with SESSION_SECRET, kept
    // across the upgrade).
    const signature = createHmac('sha256', testApp.config.session.secret).update(sid).digest('base64').replace(/=+$/, '');
    oldSessionCookie = `${SESSION_COOKIE}=${encodeURIComponent(`s:${sid}.${signature}`)}`;
  });

  afterAll(async () => {
    await testApp?.close();
    await database?.close();
  });

  test('db:migrate applies exactly the migrations made since the release', async () => {
    expect(upgradeSteps).toEqual((await currentMigrations()).slice(RELEASED.length).map((name) => `Up ${name}`));
    expect(await migrateToLatest(database.db)).toEqual([]);
  });

  test('the rows of the release are there with the new columns filled in', async () => {
    const users = await sql<{ id: number; version: number; failed_sign_ins: number }>`
      select id, version, failed_sign_ins from users order by id`.execute(database.db);
    expect(users.rows).toEqual([
      { id: ids.admin, version: 1, failed_sign_ins: 0 },
      { id: ids.coach, version: 1, failed_sign_ins: 0 },
    ]);
    const sessions = await sql<{ user_id: number | null; handle: string | null }>`
      select user_id, handle from sessions`.execute(database.db);
    expect(sessions.rows).toEqual([{ user_id: ids.coach, handle: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
  });

  test('a session of before the upgrade is still signed in and sees the participant and the contact', async () => {
    const page = await request(testApp.app).get(`/participants/${ids.participant}`).set('Cookie', oldSessionCookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Fenna');
    expect(page.text).toContain('Oudeman');
    expect(page.text).toContain('Werkplek besproken, van voor de upgrade');
  });

  test('the coach signs in with the password of before the upgrade', async () => {
    const agent = request.agent(testApp.app);
    const response = await signIn(agent, { email: 'coach@upgrade.example.test', password });
    expect(response.status).toBe(303);
    const page = await agent.get(`/participants/${ids.participant}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Werkplek besproken, van voor de upgrade');
  });

  test('the administrator signs in and manages the accounts of before the upgrade', async () => {
    const agent = request.agent(testApp.app);
    expect((await signIn(agent, { email: 'beheer@upgrade.example.test', password })).status).toBe(303);
    const users = await agent.get('/admin/users');
    expect(users.status).toBe(200);
    expect(users.text).toContain('Cas Coach');
    const coach = await agent.get(`/admin/users/${ids.coach}`);
    expect(coach.status).toBe(200);
    expect(coach.text).toContain('Team Noord');
  });
});
