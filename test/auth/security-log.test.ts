import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createTestUser, csrfToken, signIn, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertParticipant } from '../helpers/fixtures';

// The security events of README "Logs and metrics": one JSON line each, read back from what the
// app logged, with their fields, and without the password or the email typed.

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let admin: UserFixture;
let othersParticipant: number;

interface Line {
  log?: string;
  time: string;
  event?: string;
  outcome?: string;
  userId?: number | null;
  emailHash?: string;
  clientAddress?: string | null;
  requestId?: string;
  entityType?: string;
  entityId?: string | null;
  reason?: string;
  route?: string;
  participantId?: number | null;
  req?: { id: string; path: string };
  res?: { statusCode: number };
  [key: string]: unknown;
}

const lines = (): Line[] => t.logLines.map((line) => JSON.parse(line) as Line);
const securityLines = (event: string): Line[] => lines().filter((line) => line.log === 'security' && line.event === event);
const onlyLine = (event: string, requestId: string): Line => {
  const found = securityLines(event).filter((line) => line.requestId === requestId);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const requestIdOf = (response: request.Response): string => response.headers['x-request-id'] as string;

beforeAll(async () => {
  // A strict per-account limit, so the throttle is reached in a few attempts.
  t = await startTestApp({ env: { LOGIN_FAILURES_PER_ACCOUNT: '3' } });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Log' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Elders' });
  admin = await createTestUser(t.database, { role: 'admin' });
  othersParticipant = await insertParticipant(t.database.db, {
    first_name: 'Olga',
    last_name: 'Ander',
    coach_id: otherCoach.id,
    status: 'active',
  });
});
afterAll(() => t.close());

async function tryPassword(agent: TestAgent, email: string, password: string): Promise<request.Response> {
  return signIn(agent, { email, password });
}

describe('sign-in', () => {
  test('a failed sign-in: user id of the account, a keyed hash of the email, address and request id; never what was typed', async () => {
    const typedPassword = 'Wrong-Horse-Typed-1';
    const response = await tryPassword(request.agent(t.app), coach.email, typedPassword);
    expect(response.status).toBe(401);
    const line = onlyLine('sign_in_failed', requestIdOf(response));
    expect(line).toMatchObject({ outcome: 'failure', userId: coach.id, clientAddress: expect.any(String) });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(line.emailHash).toMatch(/^[0-9a-f]{32}$/);
    const all = t.logLines.join('\n');
    expect(all).not.toContain(typedPassword);
    expect(all).not.toContain(coach.email);
  });

  test('an unknown email: no user id, and the same hash for the same email however it was typed', async () => {
    const first = await tryPassword(request.agent(t.app), 'Niemand@Example.test', 'whatever-1');
    const second = await tryPassword(request.agent(t.app), 'niemand@example.test', 'whatever-2');
    const a = onlyLine('sign_in_failed', requestIdOf(first));
    const b = onlyLine('sign_in_failed', requestIdOf(second));
    expect(a.userId).toBeNull();
    expect(a.emailHash).toBe(b.emailHash);
    expect(t.logLines.join('\n').toLowerCase()).not.toContain('niemand@example.test');
  });

  test('a throttled sign-in is logged as refused, with the limit and without the email', async () => {
    const victim = await createTestUser(t.database, { role: 'coach', team: 'Team Log' });
    const agent = request.agent(t.app);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await tryPassword(agent, victim.email, `guess-${attempt}`)).status).toBe(401);
    }
    const refused = await tryPassword(agent, victim.email, 'guess-final');
    expect(refused.status).toBe(429);
    const line = onlyLine('sign_in_throttled', requestIdOf(refused));
    expect(line).toMatchObject({ outcome: 'refused', userId: null, limit: 'sign-in failures' });
    expect(line.emailHash).toBe(securityLines('sign_in_failed').at(-1)!.emailHash);
    expect(t.logLines.join('\n')).not.toContain(victim.email);
  });

  test('a sign-in and a sign-out: the person and the request of each', async () => {
    const agent = request.agent(t.app);
    const signedIn = await signIn(agent, coach);
    expect(signedIn.status).toBe(303);
    expect(onlyLine('sign_in', requestIdOf(signedIn))).toMatchObject({
      outcome: 'success',
      userId: coach.id,
      entityType: 'user',
      entityId: String(coach.id),
    });
    const token = await csrfToken(agent, '/account');
    const signedOut = await agent.post('/logout').type('form').send({ _csrf: token });
    expect(signedOut.status).toBe(303);
    expect(onlyLine('sign_out', requestIdOf(signedOut))).toMatchObject({ outcome: 'success', userId: coach.id });
  });
});

describe('request lines and request ids', () => {
  test('the request line has the client address, and the id is sent back as X-Request-Id', async () => {
    const response = await request(t.app).get('/login');
    const id = requestIdOf(response);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = lines().find((candidate) => candidate.req?.id === id);
    expect(line).toMatchObject({ req: { path: '/login' }, res: { statusCode: 200 }, clientAddress: expect.any(String) });
  });

  test("a proxy's short request id is kept; anything else is replaced", async () => {
    expect(requestIdOf(await request(t.app).get('/login').set('X-Request-Id', 'proxy-abc.123'))).toBe('proxy-abc.123');
    const odd = requestIdOf(await request(t.app).get('/login').set('X-Request-Id', 'a b"c'));
    expect(odd).not.toBe('a b"c');
    const long = requestIdOf(await request(t.app).get('/login').set('X-Request-Id', 'x'.repeat(65)));
    expect(long).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('below info (LOG_LEVEL=warn) no request line is written, and every response still has its id', async () => {
    const quiet = await startTestApp({ env: { LOG_LEVEL: 'warn' } });
    try {
      const fresh = requestIdOf(await request(quiet.app).get('/login'));
      expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
      expect(requestIdOf(await request(quiet.app).get('/login').set('X-Request-Id', 'proxy-abc.123'))).toBe('proxy-abc.123');
      expect(requestIdOf(await request(quiet.app).get('/login').set('X-Request-Id', 'a b"c'))).toMatch(/^[0-9a-f-]{36}$/);
      expect(quiet.logLines.filter((line) => line.includes('"req"'))).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});

describe('the signed-in person', () => {
  test('a wrong current password, then too many: failure, then refused', async () => {
    const person = await createTestUser(t.database, { role: 'coach', team: 'Team Log' });
    const agent = await signedInAgent(t.app, person);
    const typed = 'Not-My-Current-Password-9';
    let response: request.Response | undefined;
    for (let attempt = 0; attempt < 6; attempt++) {
      const token = await csrfToken(agent, '/account');
      response = await agent.post('/account/password').type('form').send({
        _csrf: token,
        currentPassword: typed,
        newPassword: 'a-brand-new-passphrase',
        confirmPassword: 'a-brand-new-passphrase',
      });
      if (attempt === 0) {
        expect(response.status).toBe(422);
        expect(onlyLine('password_change_failed', requestIdOf(response))).toMatchObject({
          outcome: 'failure',
          userId: person.id,
        });
      }
    }
    expect(response!.status).toBe(429);
    expect(onlyLine('password_change_throttled', requestIdOf(response!))).toMatchObject({
      outcome: 'refused',
      userId: person.id,
      limit: 'wrong current passwords',
    });
    expect(t.logLines.join('\n')).not.toContain(typed);
  });

  test('a password change, from the audit it records', async () => {
    const person = await createTestUser(t.database, { role: 'coach', team: 'Team Log' });
    const agent = await signedInAgent(t.app, person);
    const token = await csrfToken(agent, '/account');
    const newPassword = 'Een-Heel-Nieuw-Wachtwoord-42';
    const response = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: token, currentPassword: person.password, newPassword, confirmPassword: newPassword });
    expect(response.status).toBe(303);
    expect(onlyLine('password_changed', requestIdOf(response))).toMatchObject({
      outcome: 'success',
      userId: person.id,
      entityId: String(person.id),
    });
    const all = t.logLines.join('\n');
    expect(all).not.toContain(newPassword);
    expect(all).not.toContain(person.password);
  });

  test("another coach's participant: access refused by the access rule, with the id", async () => {
    const agent = await signedInAgent(t.app, coach);
    const response = await agent.get(`/participants/${othersParticipant}`);
    expect(response.status).toBe(404);
    expect(onlyLine('access_refused', requestIdOf(response))).toMatchObject({
      outcome: 'refused',
      userId: coach.id,
      reason: 'participant',
      participantId: othersParticipant,
    });
  });

  test('a page of another role: access refused by the role guard, with the route pattern', async () => {
    const agent = await signedInAgent(t.app, coach);
    const response = await agent.get(`/admin/users/${admin.id}`);
    expect(response.status).toBe(404);
    expect(onlyLine('access_refused', requestIdOf(response))).toMatchObject({
      outcome: 'refused',
      userId: coach.id,
      reason: 'role',
      route: '/admin/users/:id',
    });
  });
});

describe('administration', () => {
  test("an administrator ends a person's sessions: who did it to whom", async () => {
    const agent = await signedInAgent(t.app, admin);
    const token = await csrfToken(agent, `/admin/users/${otherCoach.id}`);
    const response = await agent.post(`/admin/users/${otherCoach.id}/sessions/end`).type('form').send({ _csrf: token });
    expect(response.status).toBe(303);
    expect(onlyLine('sessions_ended_by_admin', requestIdOf(response))).toMatchObject({
      outcome: 'success',
      userId: admin.id,
      entityType: 'user',
      entityId: String(otherCoach.id),
    });
  });
});
