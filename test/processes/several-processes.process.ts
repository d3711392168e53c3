import { DateTime } from 'luxon';
import { sql } from 'kysely';
import {
  addActiveParticipants,
  addUser,
  attemptSignIn,
  createScratchDatabase,
  freePort,
  hiddenField,
  productionEnv,
  request,
  signIn,
  sleep,
  startApp,
  startProcess,
  within,
  type AppProcess,
  type ScratchDatabase,
} from './helpers';

// Two app processes (`node dist/src/server.js`) on one PostgreSQL database, as behind a load
// balancer: everything a process keeps must be in the database, so either can serve any request.

// Failed sign-ins allowed per account from one address, and per address.
const ACCOUNT_LIMIT = 4;
const ADDRESS_LIMIT = 6;
const ZONE = 'Europe/Amsterdam';
const PARTICIPANTS = ['Eerste', 'Tweede', 'Derde', 'Vierde', 'Vijfde'];

type App = Awaited<ReturnType<typeof startApp>>;

async function migrate(databaseUrl: string): Promise<void> {
  const migration = startProcess('dist/scripts/db-migrate.js', { DATABASE_URL: databaseUrl }, ['up']);
  const { code } = await migration.exited;
  if (code !== 0) throw new Error(`db:migrate failed:\n${migration.output()}`);
}

describe('two app processes on one PostgreSQL', () => {
  let database: ScratchDatabase;
  let a: App | undefined;
  let b: App | undefined;
  let coach: { id: number; email: string; password: string };
  let victim: { email: string; password: string };
  let participantIds: number[];
  let coachCookie: string;

  beforeAll(async () => {
    database = await createScratchDatabase();
    await migrate(database.url);
    coach = await addUser(database.db, {
      email: 'coach@process.test',
      role: 'coach',
      team: 'Team Noord',
      displayName: 'Cas Coach',
    });
    victim = await addUser(database.db, {
      email: 'doelwit@process.test',
      role: 'coach',
      team: 'Team Noord',
      displayName: 'Dirk Doelwit',
    });
    participantIds = await addActiveParticipants(database.db, coach.id, PARTICIPANTS);
    // Started together, with RISK_SNAPSHOT_AT=00:00: both check for today's snapshot a second after start.
    const env = {
      ...productionEnv(database.url),
      LOGIN_FAILURES_PER_ACCOUNT: String(ACCOUNT_LIMIT),
      LOGIN_FAILURES_PER_ADDRESS: String(ADDRESS_LIMIT),
      RISK_SNAPSHOT_AT: '00:00',
    };
    const started = await Promise.allSettled([startApp(env), startApp(env)]);
    [a, b] = started.map((result) => (result.status === 'fulfilled' ? result.value : undefined));
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    coachCookie = await signIn(a!.base, coach, '192.0.2.10');
  }, 120_000);

  afterAll(async () => {
    for (const app of [a, b]) app?.kill();
    await Promise.all([a?.exited, b?.exited]);
    await database?.drop();
  });

  test('a session started on process A is valid on process B', async () => {
    const onB = await request(b!.base, '/today', { cookie: coachCookie, clientIp: '192.0.2.10' });
    expect(onB.status).toBe(200);
    expect(onB.text).toContain('Cas Coach');
    expect(onB.text).toContain('Eerste');
    // And without the cookie, B sends the person to sign in: the 200 above came from the session.
    const anonymous = await request(b!.base, '/today');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/login/);
  });

  test('40 contact moments logged at once on both processes are stored once each', async () => {
    const newPath = (index: number) => `/participants/${participantIds[index % participantIds.length]}/contacts/new`;
    const processOf = (index: number) => (index < 20 ? a! : b!);
    // The first form stores the session's CSRF token; the others (on either process) then reuse it.
    const firstForm = await request(a!.base, newPath(0), { cookie: coachCookie });
    expect(firstForm.status).toBe(200);
    const forms = [
      firstForm,
      ...(await Promise.all(
        Array.from({ length: 39 }, (_, offset) =>
          request(processOf(offset + 1).base, newPath(offset + 1), { cookie: coachCookie }),
        ),
      )),
    ];
    expect(forms.map((form) => form.status)).toEqual(Array(40).fill(200));

    const replies = await Promise.all(
      forms.map((form, index) =>
        request(processOf(index).base, newPath(index), {
          cookie: coachCookie,
          form: {
            _csrf: hiddenField(form.text, '_csrf'),
            submissionToken: hiddenField(form.text, 'submissionToken'),
            outcome: 'reached',
            durationMinutes: '15',
            summary: `Gelijktijdig ${index}`,
          },
        }),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(40).fill(303));
    replies.forEach((reply, index) =>
      expect(reply.headers.get('location')).toBe(
        `/participants/${participantIds[index % participantIds.length]}?done=contactLogged#timeline`,
      ),
    );

    const rows = await database.db
      .selectFrom('contact_moments')
      .select(['id', 'summary', 'participant_id'])
      .where('summary', 'like', 'Gelijktijdig %')
      .execute();
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((row) => row.summary)).size).toBe(40);
    for (const [index, row] of rows.map((row) => [Number(row.summary!.split(' ')[1]), row] as const)) {
      expect(row.participant_id).toBe(participantIds[index % participantIds.length]);
    }
    const created = await database.db
      .selectFrom('audit_events')
      .select(sql<number>`count(*)`.as('count'))
      .where('entity_type', '=', 'contact_moment')
      .where('action', '=', 'create')
      .where(
        'entity_id',
        'in',
        rows.map((row) => String(row.id)),
      )
      .executeTakeFirstOrThrow();
    expect(created.count).toBe(40);
  });

  test('one form submitted on both processes at the same moment stores one contact moment', async () => {
    const path = `/participants/${participantIds[0]}/contacts/new`;
    const form = await request(a!.base, path, { cookie: coachCookie });
    const body = {
      _csrf: hiddenField(form.text, '_csrf'),
      submissionToken: hiddenField(form.text, 'submissionToken'),
      outcome: 'reached',
      summary: 'Dubbel op twee processen',
    };
    const [onA, onB] = await Promise.all([
      request(a!.base, path, { cookie: coachCookie, form: body }),
      request(b!.base, path, { cookie: coachCookie, form: body }),
    ]);
    expect([onA.status, onB.status]).toEqual([303, 303]);
    const rows = await database.db
      .selectFrom('contact_moments')
      .select('id')
      .where('summary', '=', 'Dubbel op twee processen')
      .execute();
    expect(rows).toHaveLength(1);
    // The submit that lost the race is sent to the stored moment; the winner to the timeline.
    expect([onA.headers.get('location'), onB.headers.get('location')].sort()).toEqual(
      [
        `/participants/${participantIds[0]}/contacts/${rows[0]!.id}`,
        `/participants/${participantIds[0]}?done=contactLogged#timeline`,
      ].sort(),
    );
  });

  test('failed sign-ins spread over both processes reach one shared limit, per account and address and per address', async () => {
    const wrong = { email: victim.email, password: 'not the password at all' };
    // Per account from one address: one stranger, alternately on A and on B.
    const perAccount: number[] = [];
    for (let attempt = 0; attempt < ACCOUNT_LIMIT + 2; attempt++) {
      const base = attempt % 2 === 0 ? a!.base : b!.base;
      perAccount.push((await attemptSignIn(base, wrong, '203.0.113.1')).reply.status);
    }
    expect(perAccount).toEqual([...Array(ACCOUNT_LIMIT).fill(401), 429, 429]);
    // The stranger's failures are theirs: the owner signs in from their own address, on either process.
    expect((await attemptSignIn(b!.base, victim, '192.0.2.44')).reply.status).toBe(303);
    expect((await attemptSignIn(a!.base, victim, '203.0.113.1')).reply.status).toBe(429);

    // Per address: one address trying other email addresses, alternately on B and on A.
    const perAddress: number[] = [];
    for (let attempt = 0; attempt < ADDRESS_LIMIT + 2; attempt++) {
      const base = attempt % 2 === 0 ? b!.base : a!.base;
      const unknown = { email: `onbekend${attempt}@process.test`, password: 'whatever it may be' };
      perAddress.push((await attemptSignIn(base, unknown, '203.0.113.200')).reply.status);
    }
    expect(perAddress).toEqual([...Array(ADDRESS_LIMIT).fill(401), 429, 429]);
    const limited = await attemptSignIn(a!.base, victim, '203.0.113.200');
    expect(limited.reply.status).toBe(429);
    expect(limited.reply.text).toContain('Te veel');

    // Successful sign-ins never count: colleagues behind one address all get in.
    for (let i = 0; i < ADDRESS_LIMIT + 2; i++) {
      expect((await attemptSignIn(i % 2 === 0 ? a!.base : b!.base, coach, '198.51.100.77')).reply.status).toBe(303);
    }
  });

  test("today's risk snapshot was taken once, although both processes checked for it", async () => {
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    const deadline = Date.now() + 30_000;
    let finished = false;
    while (!finished && Date.now() < deadline) {
      const run = await database.db
        .selectFrom('risk_snapshot_runs')
        .select('finished_at')
        .where('snapshot_date', '=', today)
        .executeTakeFirst();
      finished = Boolean(run?.finished_at);
      if (!finished) await sleep(200);
    }
    // Both processes made their first check a second after start, long before this point.
    const runs = await database.db.selectFrom('risk_snapshot_runs').selectAll().execute();
    expect(runs.map((run) => [run.snapshot_date, run.participants])).toEqual([[today, PARTICIPANTS.length]]);
    const rows = await database.db
      .selectFrom('risk_snapshots')
      .select('participant_id')
      .where('snapshot_date', '=', today)
      .orderBy('participant_id')
      .execute();
    expect(rows.map((row) => row.participant_id)).toEqual(participantIds);
    const taken = (app: AppProcess) => (app.output().match(/risk snapshot of \d{4}-\d{2}-\d{2} taken/g) ?? []).length;
    expect(taken(a!) + taken(b!)).toBe(1);
  });
});

describe('npm run start:cluster', () => {
  test('refuses the embedded database (no DATABASE_URL): it is one process', async () => {
    const primary = startProcess('dist/scripts/start-cluster.js', { NODE_ENV: 'development', PORT: '0' }, ['--workers', '2']);
    const { code } = await primary.exited;
    expect(code).toBe(1);
    expect(primary.output()).toContain('start:cluster needs a PostgreSQL server: set DATABASE_URL');
  });

  test('refuses a --workers value that is not a positive whole number', async () => {
    const primary = startProcess('dist/scripts/start-cluster.js', { DATABASE_URL: 'postgres://127.0.0.1:1/none' }, [
      '--workers',
      'two',
    ]);
    expect((await primary.exited).code).toBe(2);
    expect(primary.output()).toContain('--workers must be a whole number from 1 to 256, got "two"');
  });

  test('migrates once, serves with 2 workers and their metrics together, restarts a worker that dies and exits 0 on SIGTERM', async () => {
    const database = await createScratchDatabase();
    const port = await freePort();
    const metricsPort = await freePort();
    const primary = startProcess(
      'dist/scripts/start-cluster.js',
      { ...productionEnv(database.url), PORT: String(port), MIGRATE_ON_START: 'true', METRICS_PORT: String(metricsPort) },
      ['--workers', '2'],
    );
    try {
      await primary.waitFor(
        /worker 1 is serving[\s\S]*worker 2 is serving|worker 2 is serving[\s\S]*worker 1 is serving/,
        60_000,
      );
      const base = `http://127.0.0.1:${port}`;
      // The primary migrated the empty database once; the workers did not touch the schema.
      expect(primary.output().match(/applied \d+ migration\(s\)/g)).toHaveLength(1);
      expect(primary.output()).not.toContain('database schema is up to date');
      for (let i = 0; i < 6; i++) {
        expect((await request(base, '/login')).status).toBe(200);
      }
      // One scrape of the primary covers both workers: the six sign-in pages, wherever each was served,
      // and both pools. The app's own port serves no metrics.
      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scrape.status).toBe(200);
      const metrics = await scrape.text();
      const signInPages = metrics
        .split('\n')
        .find(
          (line) =>
            line.startsWith('inbeeld_http_requests_total{') &&
            ['method="GET"', 'route="/login"', 'status="200"'].every((label) => line.includes(label)),
        );
      expect(signInPages?.split(' ').pop()).toBe('6');
      expect(metrics).toMatch(/^inbeeld_db_pool_max_connections 20$/m);
      expect((await request(base, '/metrics')).text).not.toContain('inbeeld_http_requests_total');
      expect((await request(base, '/readyz')).status).toBe(200);

      // A worker that dies is replaced, after the first back-off step, and the port keeps serving.
      const serving = /"worker":1,"pid":(\d+)[^\n]*worker 1 is serving/;
      const firstPid = Number(serving.exec(primary.output())![1]);
      process.kill(firstPid, 'SIGKILL');
      await primary.waitFor(/worker 1 died unexpectedly: restarting it in 500 ms/, 10_000);
      await primary.waitFor(new RegExp(`"worker":1,"pid":(?!${firstPid}\\b)\\d+[^\\n]*worker 1 is serving`), 30_000);
      expect((await request(base, '/login')).status).toBe(200);

      const beforeStop = primary.output().length;
      primary.child.kill('SIGTERM');
      const exit = await within(primary.exited, 20_000, 'still running');
      expect(exit).toEqual({ code: 0, signal: null });
      const shutdownLog = primary.output().slice(beforeStop);
      expect(shutdownLog.match(/shutdown complete/g)).toHaveLength(2);
      expect(shutdownLog).toContain('every worker has stopped');
      expect(await request(base, '/healthz').catch(() => 'refused')).toBe('refused');
    } finally {
      primary.kill();
      await primary.exited;
      await database.drop();
    }
  });
});
