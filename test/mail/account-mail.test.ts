import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../../src/lib/clock';
import { PASSWORD_RESET_LIMITS } from '../../src/auth/service';
import { unsubscribeToken } from '../../src/mail/service';
import { DAILY_DIGEST_JOB } from '../../src/mail/jobs';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  signedInAgent,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';
import { insertParticipant, openForm } from '../helpers/fixtures';
import { closedPort, startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp';

// Mail around accounts, read from a real SMTP server on loopback: unsubscribe links and /account's
// choice, "forgot password" end to end, the invitation, the test mail, and failures to send.

const PUBLIC_URL = 'https://inbeeld.example.test';
const SECRET = 'test-secret-test-secret-test-secret-0123';
const clock = new FixedClock('2026-11-23T09:00:00+01:00'); // a Monday, after 07:30
let smtp: TestSmtpServer;
let t: TestApp;
let coach: UserFixture;
let coachEn: UserFixture;
let manager: UserFixture;
let admin: UserFixture;

const only = (mails: ReceivedMail[]): ReceivedMail => {
  expect(mails).toHaveLength(1);
  return mails[0]!;
};
const linkIn = (text: string, path: string) => new RegExp(`${PUBLIC_URL}${path.replace(/[?]/g, '\\?')}[^\\s"<]+`).exec(text)?.[0];
const optOuts = async (userId: number) =>
  (await t.database.db.selectFrom('mail_opt_outs').select('kind').where('user_id', '=', userId).orderBy('kind').execute()).map(
    (row) => row.kind,
  );

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({ clock, env: { SMTP_URL: smtp.url, MAIL_FROM: 'inbeeld@example.test', PUBLIC_URL } });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team A', displayName: 'Daan de Vries' });
  coachEn = await createTestUser(t.database, { role: 'coach', team: 'Team A', displayName: 'Amy Jones', locale: 'en' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team A', displayName: 'Mieke Leider' });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Beheer', locale: 'en' });
  await insertParticipant(t.database.db, { first_name: 'Els', last_name: 'Peeters', coach_id: coach.id, status: 'active' });
  await insertParticipant(t.database.db, { first_name: 'Sara', last_name: 'Smith', coach_id: coachEn.id, status: 'active' });
});

afterAll(async () => {
  await t.close();
  await smtp.close();
});

beforeEach(() => smtp.clear());

describe('unsubscribing', () => {
  test('opening the link only asks (a mail scanner opens links too); the button unsubscribes, without signing in', async () => {
    const token = unsubscribeToken(SECRET, coach.id, 'daily');
    const visitor = request.agent(t.app);
    const page = await visitor.get(`/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Wil je het dagoverzicht (werkdagen, 7:30) niet meer ontvangen?');
    expect(await optOuts(coach.id)).toEqual([]);

    const done = await visitor
      .post('/unsubscribe')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), token });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Je bent afgemeld');
    expect(await optOuts(coach.id)).toEqual(['daily']);
    // Twice is harmless.
    expect(
      (
        await visitor
          .post('/unsubscribe')
          .type('form')
          .send({ _csrf: csrfTokenFrom(page.text), token })
      ).status,
    ).toBe(200);
    expect(await optOuts(coach.id)).toEqual(['daily']);
  });

  test("a mail client's one-click post (RFC 8058) works without cookie or form token", async () => {
    const token = unsubscribeToken(SECRET, coachEn.id, 'daily');
    const response = await request(t.app)
      .post(`/unsubscribe?token=${encodeURIComponent(token)}`)
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(response.status).toBe(200);
    expect(await optOuts(coachEn.id)).toEqual(['daily']);
  });

  test('a forged or altered token does nothing', async () => {
    const good = unsubscribeToken(SECRET, manager.id, 'weekly');
    const forged = [
      unsubscribeToken('another-secret-another-secret-another', manager.id, 'weekly'),
      good.replace(`${manager.id}.`, `${coach.id}.`),
      good.replace('.weekly.', '.daily.'),
      'nonsense',
      '',
    ];
    for (const token of forged) {
      expect((await request(t.app).get(`/unsubscribe?token=${encodeURIComponent(token)}`)).status).toBe(404);
      expect(
        (
          await request(t.app)
            .post(`/unsubscribe?token=${encodeURIComponent(token)}`)
            .type('form')
            .send('List-Unsubscribe=One-Click')
        ).status,
      ).toBe(404);
    }
    expect(await optOuts(manager.id)).toEqual([]);
  });

  test('an opted-out coach gets no digest; turning it back on in /account brings it back', async () => {
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get('/account');
    expect(page.text).toContain('id="mail-daily"');
    expect(page.text).not.toMatch(/id="mail-daily"[^>]*checked/);
    expect(page.text).not.toContain('id="mail-weekly"');

    t.services.jobs.requestRun(DAILY_DIGEST_JOB);
    await t.services.jobs.idle();
    expect(smtp.to(coach.email)).toHaveLength(0);
    // The English coach unsubscribed by one click above: no digest either.
    expect(smtp.to(coachEn.email)).toHaveLength(0);

    const saved = await agent
      .post('/account/mail')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), daily: 'on' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/account?done=mail#mail');
    expect(await optOuts(coach.id)).toEqual([]);
    expect((await agent.get('/account?done=mail')).text).toContain('Je mailinstellingen zijn opgeslagen.');

    t.services.jobs.requestRun(DAILY_DIGEST_JOB);
    await t.services.jobs.idle();
    const mail = only(await smtp.waitFor(1));
    expect(mail.to).toBe(coach.email);
    expect(mail.text).toContain('- Els P.: nog geen eerste contact');

    // Unticking opts out again.
    await agent
      .post('/account/mail')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) });
    expect(await optOuts(coach.id)).toEqual(['daily']);
  });

  test('a team leader chooses the weekly digest; an administrator has none to choose', async () => {
    const managerPage = await (await signedInAgent(t.app, manager)).get('/account');
    expect(managerPage.text).toMatch(/id="mail-weekly"[^>]*checked/);
    expect(managerPage.text).not.toContain('id="mail-daily"');
    const adminPage = await (await signedInAgent(t.app, admin)).get('/account');
    expect(adminPage.text).toContain('InBeeld sends no overviews for your role.');
  });
});

describe('forgot password', () => {
  const ask = async (agent: TestAgent, email: string) => {
    const form = await agent.get('/forgot-password');
    return agent
      .post('/forgot-password')
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), email });
  };

  test('the sign-in page offers it when mail is configured', async () => {
    const login = await request(t.app).get('/login');
    expect(login.text).toContain('<a href="/forgot-password">Wachtwoord vergeten?</a>');
  });

  test('the same answer for an unknown address; only a known one gets a mail, whose link sets a password end to end', async () => {
    const unknown = await ask(request.agent(t.app), 'nobody@example.test');
    const known = await ask(request.agent(t.app), coachEn.email.toUpperCase());
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    const answer = (response: request.Response, email: string) =>
      /<p class="notice" role="status">([^<]*)<\/p>/.exec(response.text)![1]!.replace(email, '…');
    expect(answer(unknown, 'nobody@example.test')).toBe(answer(known, coachEn.email.toUpperCase()));
    await t.services.mailing.idle();

    const mail = only(await smtp.waitFor(1));
    expect(mail.to).toBe(coachEn.email);
    expect(mail.subject).toBe('A new password for InBeeld');
    expect(mail.text).toContain('Hello Amy Jones, someone (probably you) asked for a new InBeeld password.');
    expect(mail.text).toContain("You get this mail because a new password was asked for this address on InBeeld's sign-in page.");
    expect(mail.text).toMatch(/Stop all overview mails from InBeeld: https:\/\/inbeeld\.example\.test\/unsubscribe\?token=/);
    const link = linkIn(mail.text, '/set-password?token=')!;
    expect(link).toBeDefined();

    const browser = request.agent(t.app);
    const url = new URL(link);
    const form = await browser.get(`${url.pathname}${url.search}`);
    expect(form.status).toBe(200);
    const chosen = await browser
      .post('/set-password')
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        token: url.searchParams.get('token'),
        password: 'a brand new passphrase 42',
        confirmPassword: 'a brand new passphrase 42',
      });
    expect(chosen.status).toBe(303);
    expect((await browser.get('/account')).status).toBe(200);
    coachEn.password = 'a brand new passphrase 42';
  });

  test('an invalid address keeps what was typed; asking too often is refused like sign-in', async () => {
    const agent = request.agent(t.app);
    const invalid = await ask(agent, 'not-an-address');
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('value="not-an-address"');

    for (let attempt = 1; attempt <= PASSWORD_RESET_LIMITS.perEmail; attempt += 1) {
      expect((await ask(agent, manager.email)).status).toBe(200);
    }
    const refused = await ask(agent, manager.email);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Er zijn te veel aanvragen gedaan. Wacht 15 minuten');
    // The same for an address without an account: a refusal tells nothing either.
    for (let attempt = 1; attempt <= PASSWORD_RESET_LIMITS.perEmail; attempt += 1) await ask(agent, 'ghost@example.test');
    expect((await ask(agent, 'ghost@example.test')).status).toBe(429);
    await t.services.mailing.idle();
    expect(smtp.to(manager.email)).toHaveLength(PASSWORD_RESET_LIMITS.perEmail);
  });
});

describe('the invitation', () => {
  test('goes out by mail in the new person’s language, and the administrator still sees the link once', async () => {
    const adminAgent = await signedInAgent(t.app, admin);
    const form = await openForm(adminAgent, '/admin/users/new');
    const response = await adminAgent
      .post('/admin/users')
      .type('form')
      .send({
        ...form,
        displayName: 'Iris Invite',
        email: 'iris@example.test',
        role: 'coach',
        teamId: String(await teamA()),
        locale: 'nl',
      });
    expect(response.status).toBe(303);
    const page = await adminAgent.get(response.headers.location!);
    expect(page.text).toContain('The link has been emailed as well.');

    const mail = only(await smtp.waitFor(1));
    expect(mail.to).toBe('iris@example.test');
    expect(mail.subject).toBe('Je account in InBeeld');
    expect(mail.text).toContain('Hallo Iris Invite, er is een account in InBeeld voor je gemaakt.');
    expect(mail.text).toContain('Je krijgt deze mail omdat een beheerder van InBeeld je heeft uitgenodigd.');
    const shown = /id="set-password-link" value="([^"]+)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
    expect(linkIn(mail.text, '/set-password?token=')).toBe(shown);
  });
});

describe('/admin/settings', () => {
  test('says mail is sent, sends a test mail to the administrator’s own address', async () => {
    const adminAgent = await signedInAgent(t.app, admin);
    const page = await adminAgent.get('/admin/settings');
    expect(page.text).toContain('InBeeld sends mail from inbeeld@example.test.');
    expect(page.text).toContain('No failures to send.');
    const sent = await adminAgent
      .post('/admin/settings/mail-test')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe('/admin/settings?mailTest=sent#mail');
    expect((await adminAgent.get('/admin/settings?mailTest=sent')).text).toContain(`The test mail was sent to ${admin.email}.`);
    const mail = only(await smtp.waitFor(1));
    expect(mail.to).toBe(admin.email);
    expect(mail.subject).toBe('InBeeld: test mail');
    expect(mail.text).toContain('Sent at 23/11/2026 09:00 by Ada Beheer.');
  });
});

describe('when sending fails (SMTP_URL at a closed port)', () => {
  let broken: TestApp;
  beforeAll(async () => {
    broken = await startTestApp({
      clock,
      database: t.database,
      env: { SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`, MAIL_FROM: 'inbeeld@example.test', PUBLIC_URL },
    });
  });
  afterAll(() => broken.close());

  test('the test mail says it failed, and /admin/settings lists the failure with time, kind, person and error', async () => {
    const adminAgent = await signedInAgent(broken.app, admin);
    const token = await csrfToken(adminAgent, '/admin/settings');
    const sent = await adminAgent.post('/admin/settings/mail-test').type('form').send({ _csrf: token });
    expect(sent.headers.location).toBe('/admin/settings?mailTest=failed#mail');
    const page = await adminAgent.get('/admin/settings?mailTest=failed');
    expect(page.text).toContain('The test mail could not be sent.');
    expect(page.text).toMatch(
      /<td>23\/11\/2026 09:00<\/td>\s*<td>Test mail<\/td>\s*<td>Ada Beheer<\/td>\s*<td>[^<]*ECONNREFUSED[^<]*<\/td>/,
    );
  });

  test('a failed digest is recorded and given back, so a later run sends it', async () => {
    await broken.database.db.deleteFrom('mail_digest_sends').execute();
    await broken.database.db.deleteFrom('mail_opt_outs').execute();
    broken.services.jobs.requestRun(DAILY_DIGEST_JOB);
    await broken.services.jobs.idle();
    const failures = await broken.database.db
      .selectFrom('mail_failures')
      .select(['kind', 'user_id'])
      .where('kind', '=', 'daily')
      .execute();
    expect(failures.map((row) => row.user_id).sort()).toEqual([coach.id, coachEn.id].sort());
    expect(await broken.database.db.selectFrom('mail_digest_sends').select('user_id').where('items', '>', 0).execute()).toEqual(
      [],
    );
    // The working process sends them.
    t.services.jobs.requestRun(DAILY_DIGEST_JOB);
    await t.services.jobs.idle();
    expect((await smtp.waitFor(2)).map((mail) => mail.to).sort()).toEqual([coach.email, coachEn.email].sort());
  });

  test('names and errors in the failure list are text, never markup', async () => {
    const odd = await createTestUser(t.database, { role: 'coach', team: 'Team A', displayName: '<script>naam</script>' });
    await broken.database.db
      .insertInto('mail_failures')
      .values({ occurred_at: new Date(), kind: '<b>kind</b>', user_id: odd.id, error: '550 <img src=x onerror=alert(1)>' })
      .execute();
    const page = await (await signedInAgent(broken.app, admin)).get('/admin/settings');
    expect(page.text).toContain('&lt;script&gt;naam&lt;/script&gt;');
    expect(page.text).toContain('550 &lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).toContain('&lt;b&gt;kind&lt;/b&gt;');
    expect(page.text).not.toContain('<script>naam');
    expect(page.text).not.toContain('<img src=x');
  });

  test('no more than the newest 100 failures are kept', async () => {
    for (let i = 0; i < 105; i += 1) {
      await broken.services.mail.send({
        to: 'x@example.test',
        locale: 'nl',
        kind: 'test',
        recipientUserId: null,
        content: { subject: 's', blocks: [], footer: 'f', unsubscribe: { text: 'u', href: `${PUBLIC_URL}/unsubscribe` } },
      });
    }
    const { count } = await broken.database.db
      .selectFrom('mail_failures')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(100);
  }, 60_000);
});

describe('without SMTP_URL and MAIL_FROM', () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await startTestApp({ clock, database: t.database, env: { PUBLIC_URL } });
  });
  afterAll(() => plain.close());

  test('nothing is sent: the sign-in page says to ask an administrator, /forgot-password too, /admin/settings says why', async () => {
    const forgot = request.agent(plain.app);
    const login = await forgot.get('/login');
    expect(login.text).not.toContain('href="/forgot-password"');
    expect(login.text).toContain('Wachtwoord vergeten? Vraag je beheerder om een nieuwe link.');
    const page = await forgot.get('/forgot-password');
    expect(page.text).toContain('InBeeld kan geen mail versturen. Vraag je beheerder');
    const posted = await forgot
      .post('/forgot-password')
      .type('form')
      .send({ _csrf: csrfTokenFrom(login.text), email: coach.email });
    expect(posted.status).toBe(200);
    const settings = await (await signedInAgent(plain.app, admin)).get('/admin/settings');
    expect(settings.text).toContain('InBeeld sends no mail: SMTP_URL and MAIL_FROM are not set.');
    expect(settings.text).not.toContain('/admin/settings/mail-test');
    await plain.services.mailing.idle();
    expect(smtp.received).toHaveLength(0);
  });
});

async function teamA(): Promise<number> {
  return (await t.database.db.selectFrom('teams').select('id').where('name', '=', 'Team A').executeTakeFirstOrThrow()).id;
}
