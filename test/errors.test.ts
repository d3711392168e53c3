import request from 'supertest';
import { sql } from 'kysely';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from './helpers/app';

describe('database outage', () => {
  let t: TestApp;
  let coach: UserFixture;

  beforeAll(async () => {
    // The app reaches its database through a proxy that the test can cut.
    t = await startTestApp({ viaProxy: true, env: { DATABASE_CONNECT_TIMEOUT_MS: '2000' } });
    coach = await createTestUser(t.database, { role: 'coach' });
  });
  afterAll(() => t.close());

  test('pages answer 503 quickly while the database is away, and serve again when it is back', async () => {
    const agent = await signedInAgent(t.app, coach);
    expect((await agent.get('/today')).status).toBe(200);

    await t.database.proxy!.cut();
    const started = Date.now();
    const down = await agent.get('/today');
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('10');
    expect(down.text).toContain('InBeeld is even niet bereikbaar');
    expect(Date.now() - started).toBeLessThan(5000);

    const ready = await request(t.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect((await request(t.app).get('/healthz')).status).toBe(200);

    await t.database.proxy!.restore();
    // The pool may still hold a connection that died with the proxy; the next request recovers.
    let status = 0;
    for (let attempt = 0; attempt < 3 && status !== 200; attempt += 1) {
      status = (await agent.get('/today')).status;
    }
    expect(status).toBe(200);
    expect((await request(t.app).get('/readyz')).status).toBe(200);
  });
});

describe('error pages', () => {
  let t: TestApp;
  let coach: UserFixture;

  beforeAll(async () => {
    t = await startTestApp();
    coach = await createTestUser(t.database, { role: 'coach' });
  });
  afterAll(() => t.close());

  test('/healthz and /readyz answer 200 while all is well', async () => {
    expect((await request(t.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(t.app).get('/readyz')).body).toEqual({ status: 'ready' });
  });

  test('an unknown page is a 404 inside the layout', async () => {
    const agent = await signedInAgent(t.app, coach);
    const response = await agent.get('/does-not-exist');
    expect(response.status).toBe(404);
    expect(response.text).toContain('Pagina niet gevonden');
    expect(response.text).toContain('<main id="main"');
  });

  test('an unexpected failure is a 500 page without a stack trace outside development', async () => {
    const agent = await signedInAgent(t.app, coach);
    // Break the schema under the running app: every signed-in request now fails in the database.
    await sql`alter table teams rename to teams_broken`.execute(t.database.db);
    try {
      const response = await agent.get('/today');
      expect(response.status).toBe(500);
      expect(response.text).toContain('Er ging iets mis');
      expect(response.text).not.toContain('teams_broken');
      expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/);
    } finally {
      await sql`alter table teams_broken rename to teams`.execute(t.database.db);
    }
  });

  test('in development the 500 page shows the stack trace', async () => {
    const dev = await startTestApp({ database: t.database, env: { NODE_ENV: 'development' } });
    const agent = await signedInAgent(dev.app, coach);
    await sql`alter table teams rename to teams_broken`.execute(t.database.db);
    try {
      const response = await agent.get('/today');
      expect(response.status).toBe(500);
      expect(response.text).toContain('error-page__details');
    } finally {
      await sql`alter table teams_broken rename to teams`.execute(t.database.db);
      await dev.close();
    }
  });

  test('an oversized form is refused with 413, not a crash', async () => {
    const response = await request(t.app)
      .post('/login')
      .type('form')
      .send({ email: 'x'.repeat(300_000) });
    expect(response.status).toBe(413);
    expect(response.text).toContain('Te veel gegevens');
  });
});
