import http from 'node:http';
import request from 'supertest';
import { createLogger } from '../../src/lib/logger';
import { startMetricsServer } from '../../src/platform/metrics-server';
import { createTestUser, signIn, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertParticipant } from '../helpers/fixtures';

// Prometheus metrics: counted per route pattern, never served by the app, served on a port of their own.

let t: TestApp;
let coach: UserFixture;
let participant: number;

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Metriek' });
  participant = await insertParticipant(t.database.db, {
    first_name: 'Mia',
    last_name: 'Meter',
    coach_id: coach.id,
    status: 'active',
  });
});
afterAll(() => t.close());

const scrape = () => t.services.metrics.registry.metrics();

test('the app never serves /metrics: signed in it is a 404, signed out the sign-in page', async () => {
  const agent = await signedInAgent(t.app, coach);
  const signedInResponse = await agent.get('/metrics');
  expect(signedInResponse.status).toBe(404);
  expect(signedInResponse.text).not.toContain('inbeeld_');
  const signedOut = await request(t.app).get('/metrics');
  expect(signedOut.status).toBe(303);
  expect(signedOut.headers.location).toMatch(/^\/login/);
});

test('requests are counted and timed by route pattern, never by the URL with its id', async () => {
  const agent = await signedInAgent(t.app, coach);
  expect((await agent.get(`/participants/${participant}`)).status).toBe(200);
  expect((await agent.get('/participants/999999')).status).toBe(404);
  const text = await scrape();
  expect(text).toContain('inbeeld_http_requests_total{method="GET",route="/participants/:id",status="200"}');
  expect(text).toContain('inbeeld_http_request_duration_seconds_count{method="GET",route="/participants/:id",status="200"}');
  expect(text).toContain('inbeeld_http_requests_total{method="GET",route="unmatched",status="404"}');
  const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((match) => match[1]));
  for (const route of routes) expect(route).not.toMatch(/\/\d/);
});

test('the database pool and failed sign-ins are there', async () => {
  await signIn(request.agent(t.app), { email: coach.email, password: 'not-the-password' });
  const text = await scrape();
  expect(text).toMatch(/^inbeeld_db_pool_connections \d+$/m);
  expect(text).toMatch(/^inbeeld_db_pool_idle_connections \d+$/m);
  expect(text).toMatch(/^inbeeld_db_pool_waiting_requests 0$/m);
  expect(text).toMatch(/^inbeeld_db_pool_max_connections [1-9]\d*$/m);
  expect(text).toMatch(/^inbeeld_security_events_total\{event="sign_in_failed",outcome="failure"\} [1-9]\d*$/m);
});

test('the metrics server answers GET /metrics on loopback, and 404 for anything else', async () => {
  const { registry } = t.services.metrics;
  const server = await startMetricsServer(
    { host: '127.0.0.1', port: 0, logger: createLogger('silent') },
    { contentType: registry.contentType, metrics: () => registry.metrics() },
  );
  try {
    const get = (path: string) =>
      new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: server.port, path }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
          })
          .on('error', reject);
      });
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    expect(metrics.body).toContain('inbeeld_http_requests_total');
    expect((await get('/')).status).toBe(404);
    expect((await get('/login')).status).toBe(404);
  } finally {
    await server.close();
  }
});
