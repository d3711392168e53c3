import type TestAgent from 'supertest/lib/agent';
import { parseQueryString, withoutControlCharacters } from '../../src/web/setup/input-hygiene';
import { createTestUser, signedInAgent, startTestApp, type TestApp } from '../helpers/app';
import { insertParticipant, openForm } from '../helpers/fixtures';

// What a browser (or a script) sends is cleaned in one place before any schema reads it: control
// characters stripped, a repeated parameter read as its first value. And no page is kept in a cache.

describe('cleaning input', () => {
  test('strips control characters but keeps tab, line feed and carriage return', () => {
    expect(withoutControlCharacters('a\u0000b\u0007c\u001b[0m\u007fd\u0085e')).toBe('abc[0mde');
    expect(withoutControlCharacters('regel 1\r\nregel 2\tkolom')).toBe('regel 1\r\nregel 2\tkolom');
    expect(withoutControlCharacters('Ærø – 👩‍👩‍👧 \u202Fé')).toBe('Ærø – 👩‍👩‍👧 \u202Fé');
  });

  test('reads each query parameter once, as a clean string', () => {
    expect(parseQueryString('q=a&q=b&coach=1&coach=2&x=%00y&a%5Bb%5D=c')).toEqual({ q: 'a', coach: '1', x: 'y', 'a[b]': 'c' });
    expect(parseQueryString('q=%FF&r=%')).toEqual({ q: '\uFFFD', r: '%' });
  });
});

describe('through the app', () => {
  let t: TestApp;
  let agent: TestAgent;

  beforeAll(async () => {
    t = await startTestApp();
    const coach = await createTestUser(t.database, { role: 'coach', team: 'Team Hygiëne' });
    agent = await signedInAgent(t.app, coach);
    await insertParticipant(t.database.db, { first_name: 'Wim', last_name: 'Schoon', coach_id: coach.id, status: 'active' });
  });
  afterAll(() => t.close());

  test('a NUL byte in a search is stripped, and the search still finds', async () => {
    const response = await agent.get('/participants?q=W%00im');
    expect(response.status).toBe(200);
    expect(response.text).toContain('Schoon');
  });

  test('a repeated search parameter is read as its first value', async () => {
    const first = await agent.get('/participants?q=Wim&q=nobody');
    expect(first.status).toBe(200);
    expect(first.text).toContain('Schoon');
    const second = await agent.get('/participants?q=nobody&q=Wim');
    expect(second.status).toBe(200);
    expect(second.text).not.toContain('Schoon');
  });

  test('a form keeps what was typed without its control characters, and a repeated field once', async () => {
    const tokens = await openForm(agent, '/employers/new');
    const body = [
      `_csrf=${encodeURIComponent(tokens._csrf)}`,
      `submissionToken=${tokens.submissionToken}`,
      'name=Bakkerij%00%1B%20De%20Korst',
      'name=Tweede%20naam',
      'sector=hospitality',
      'notes=regel%201%0D%0Aregel%202%00',
    ].join('&');
    const response = await agent.post('/employers').set('Content-Type', 'application/x-www-form-urlencoded').send(body);
    expect(response.status).toBe(303);
    const stored = await t.database.db.selectFrom('employers').select(['name', 'notes']).executeTakeFirstOrThrow();
    expect(stored).toEqual({ name: 'Bakkerij De Korst', notes: 'regel 1\r\nregel 2' });
  });

  test('pages and error pages are not cached; the app’s own assets are', async () => {
    expect((await agent.get('/participants')).headers['cache-control']).toBe('no-store');
    expect((await agent.get('/participants/999999')).headers['cache-control']).toBe('no-store');
    expect((await agent.get('/login')).headers['cache-control']).toBe('no-store');
    const asset = await agent.get('/assets/css/app.css');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toMatch(/max-age/);
  });
});
