import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import {
  createTestUser,
  csrfTokenFrom,
  sessionCookie,
  sessionRows,
  setCookie,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';

// NODE_ENV=production: every cookie is Secure, so a browser keeps it only from an HTTPS page. Over
// plain HTTP (no TLS, or a TLS proxy without TRUST_PROXY) sign-in cannot work, and the sign-in page
// says why instead of answering a bare 403 after the form is sent.

const PRODUCTION = {
  NODE_ENV: 'production',
  PSEUDONYM_SECRET: 'production-test-pseudonym-secret-0123456789',
  PUBLIC_URL: 'https://inbeeld.example.test',
};

let database: TestDatabase;
let plain: TestApp;
let proxied: TestApp;
let coach: UserFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  plain = await startTestApp({ database, env: PRODUCTION });
  proxied = await startTestApp({ database, env: { ...PRODUCTION, TRUST_PROXY: 'loopback' } });
  coach = await createTestUser(database, { role: 'coach' });
});
afterAll(async () => {
  await plain.close();
  await proxied.close();
  await database.close();
});

describe('production over plain HTTP without TRUST_PROXY', () => {
  test('the sign-in page explains that HTTPS or a trusted proxy is needed, and shows no form', async () => {
    const page = await request(plain.app).get('/login');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Aanmelden kan niet over deze verbinding');
    expect(page.text).toContain('https://');
    expect(page.text).toContain('TRUST_PROXY');
    expect(page.text).toContain('X-Forwarded-Proto: https');
    expect(page.text).not.toContain('action="/login"');
  });

  test('a sign-in posted anyway gets the same explanation, not a bare 403', async () => {
    // A browser drops the Secure form cookie over HTTP, so the post arrives without it.
    const withoutCookie = await request(plain.app)
      .post('/login')
      .type('form')
      .send({ _csrf: 'whatever', email: coach.email, password: coach.password });
    expect(withoutCookie.status).toBe(403);
    expect(withoutCookie.text).toContain('Aanmelden kan niet over deze verbinding');
    expect(withoutCookie.text).toContain('TRUST_PROXY');

    // A browser that kept it anyway (some do on localhost): the sign-in page explains too.
    const page = await request(plain.app).get('/login');
    const formCookie = setCookie(page, 'inbeeld.form')!;
    expect(formCookie).toContain('Secure');
    const token = /inbeeld\.form=([^;]+)/.exec(formCookie)![1]!;
    const withCookie = await request(plain.app)
      .post('/login')
      .set('Cookie', `inbeeld.form=${token}`)
      .type('form')
      .send({ _csrf: token, email: coach.email, password: coach.password });
    expect(withCookie.status).toBe(403);
    expect(withCookie.text).toContain('TRUST_PROXY');
    expect(sessionCookie(withCookie)).toBeUndefined();
    expect(await sessionRows(database)).toBe(0);
  });
});

describe('production behind a trusted TLS proxy', () => {
  test('the form is shown, its cookie is Secure, and sign-in works with a Secure session cookie', async () => {
    const page = await request(proxied.app).get('/login').set('X-Forwarded-Proto', 'https');
    expect(page.status).toBe(200);
    expect(page.text).toContain('action="/login"');
    expect(page.text).not.toContain('TRUST_PROXY');
    const formCookie = setCookie(page, 'inbeeld.form')!;
    expect(formCookie).toMatch(/HttpOnly/);
    expect(formCookie).toMatch(/Secure/);
    expect(await sessionRows(database)).toBe(0);

    const login = await request(proxied.app)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', formCookie.split(';')[0]!)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email: coach.email, password: coach.password });
    expect(login.status).toBe(303);
    expect(setCookie(login, 'inbeeld.sid')).toMatch(/Secure/);
    expect(await sessionRows(database)).toBe(1);
  });

  test('the same app over plain HTTP (the proxy did not say https) explains instead', async () => {
    const page = await request(proxied.app).get('/login');
    expect(page.text).toContain('Aanmelden kan niet over deze verbinding');
  });
});
