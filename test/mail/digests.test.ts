import { caseloadOverview } from '../../src/caseloads/service';
import { appJobs, mailDepsFor } from '../../src/jobs';
import { FixedClock } from '../../src/lib/clock';
import { createKysely } from '../../src/db/database';
import { firstNameAndInitial, digestTiming } from '../../src/mail/service';
import { DAILY_DIGEST_JOB, WEEKLY_DIGEST_JOB } from '../../src/mail/jobs';
import { DateTime } from 'luxon';
import { createTestUser, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertCommissioner, insertContactMoment, insertParticipant, insertStandin, insertTrajectory } from '../helpers/fixtures';
import { refreshStoredRiskStates } from '../helpers/risk-state';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp';

// The digests end to end: the job runner starts them on its schedule, nodemailer sends them to a
// real SMTP server on loopback, and the tests read what arrived, in Dutch and in English.

const PUBLIC_URL = 'https://inbeeld.example.test';
// Monday 23 November 2026, before the digests' time.
const clock = new FixedClock('2026-11-23T07:00:00+01:00');
let smtp: TestSmtpServer;
let t: TestApp;
const people = {} as Record<
  'coachNl' | 'coachEn' | 'absent' | 'standIn' | 'quiet' | 'optedOut' | 'managerNl' | 'managerEn' | 'coachB',
  UserFixture
>;
const ids = {} as Record<'overdue' | 'dueToday' | 'retry' | 'first' | 'planned' | 'absentsOwn' | 'english', number>;

const only = (mails: ReceivedMail[]): ReceivedMail => {
  expect(mails).toHaveLength(1);
  return mails[0]!;
};

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({
    clock,
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'InBeeld <inbeeld@example.test>', PUBLIC_URL },
  });
  const db = t.database.db;
  people.coachNl = await createTestUser(t.database, { role: 'coach', team: 'Team A', displayName: 'Daan de Vries' });
  people.coachEn = await createTestUser(t.database, { role: 'coach', team: 'Team A', displayName: 'Amy Jones', locale: 'en' });
  people.absent = await createTestUser(t.database, { role: 'coach', team: 'Team A', displayName: 'Anouk Afwezig' });
  people.standIn = await createTestUser(t.database, { role: 'coach', team: 'Team A', displayName: 'Sam Invaller' });
  people.quiet = await createTestUser(t.database, { role: 'coach', team: 'Team A', displayName: 'Quinten Stil' });
  people.optedOut = await createTestUser(t.database, { role: 'coach', team: 'Team A', displayName: 'Olga Uit' });
  people.managerNl = await createTestUser(t.database, { role: 'manager', team: 'Team A', displayName: 'Mieke Leider' });
  people.managerEn = await createTestUser(t.database, {
    role: 'manager',
    team: 'Team B',
    displayName: 'Mark Lead',
    locale: 'en',
  });
  people.coachB = await createTestUser(t.database, { role: 'coach', team: 'Team B', displayName: 'Bram Bee' });

  const commissioner = await insertCommissioner(db, { name: 'UWV', kind: 'uwv' });
  const participant = async (coach: UserFixture, first: string, last: string, extra: Record<string, string> = {}) => {
    const id = await insertParticipant(db, {
      first_name: first,
      last_name: last,
      coach_id: coach.id,
      status: 'active',
      ...extra,
    });
    await insertTrajectory(db, {
      participant_id: id,
      commissioner_id: commissioner,
      kind: 'jobcoaching',
      start_date: '2026-01-05',
      granted_hours: 30,
    });
    return id;
  };
  const contact = (participantId: number, coach: UserFixture, values: Record<string, unknown>) =>
    insertContactMoment(db, {
      participant_id: participantId,
      author_id: coach.id,
      channel: 'phone',
      outcome: 'reached',
      duration_minutes: 15,
      summary: 'GEHEIME-SAMENVATTING over schulden',
      occurred_at: '2026-11-10T10:00:00+01:00',
      ...values,
    } as never);

  ids.overdue = await participant(people.coachNl, 'Mohamed', 'Ouali', { external_reference: 'REF-12345', phone: '0612345678' });
  await contact(ids.overdue, people.coachNl, { next_contact_date: '2026-11-20', next_contact_time: '10:00:00' });
  ids.dueToday = await participant(people.coachNl, 'Fatima', 'van der Berg');
  await contact(ids.dueToday, people.coachNl, { next_contact_date: '2026-11-23', next_contact_time: '14:00:00' });
  ids.retry = await participant(people.coachNl, 'Jan', 'Jansen');
  await contact(ids.retry, people.coachNl, { occurred_at: '2026-11-18T10:00:00+01:00' });
  await contact(ids.retry, people.coachNl, { occurred_at: '2026-11-20T10:00:00+01:00', outcome: 'not_reached', summary: null });
  ids.first = await participant(people.coachNl, 'Els', 'Peeters');
  // Planned for next week: nothing to say today.
  ids.planned = await participant(people.coachNl, 'Kees', 'Klaassen');
  await contact(ids.planned, people.coachNl, { next_contact_date: '2026-11-30' });
  ids.absentsOwn = await participant(people.absent, 'Ahmed', 'Yilmaz');
  ids.english = await participant(people.coachEn, 'Zoë <b>', 'Smith');
  await participant(people.optedOut, 'Olaf', 'Overslaan');
  await participant(people.coachB, 'Bea', 'Bos');
  const quietOne = await participant(people.quiet, 'Rustig', 'Persoon');
  await contact(quietOne, people.quiet, { next_contact_date: '2026-12-01' });

  await insertStandin(db, {
    absent_coach_id: people.absent.id,
    standin_coach_id: people.standIn.id,
    starts_on: '2026-11-23',
    ends_on: '2026-11-27',
    created_by: people.managerNl.id,
  });
  await db.insertInto('mail_opt_outs').values({ user_id: people.optedOut.id, kind: 'daily', opted_out_at: new Date() }).execute();
  await refreshStoredRiskStates(t);
});

afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('when the digests go out', () => {
  test('weekdays from 07:30 for the daily one, Mondays from 07:30 for the weekly one', () => {
    const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });
    const zone = 'Europe/Amsterdam';
    expect(digestTiming('daily', at('2026-11-23T07:29:00+01:00'), zone).kind).toBe('tooEarly');
    expect(digestTiming('daily', at('2026-11-23T07:30:00+01:00'), zone)).toEqual({ kind: 'due', day: '2026-11-23' });
    expect(digestTiming('daily', at('2026-11-27T18:00:00+01:00'), zone).kind).toBe('due');
    expect(digestTiming('daily', at('2026-11-28T09:00:00+01:00'), zone).kind).toBe('notToday');
    expect(digestTiming('daily', at('2026-11-29T09:00:00+01:00'), zone).kind).toBe('notToday');
    expect(digestTiming('weekly', at('2026-11-24T09:00:00+01:00'), zone).kind).toBe('notToday');
    expect(digestTiming('weekly', at('2026-11-23T07:30:00+01:00'), zone).kind).toBe('due');
    // Local time, not UTC: 06:45 UTC is 07:45 in Amsterdam.
    expect(digestTiming('daily', at('2026-11-23T06:45:00Z'), zone).kind).toBe('due');
  });

  test('the runner sends nothing on a Saturday or before 07:30, and everything at 07:30 on Monday', async () => {
    clock.set('2026-11-21T09:00:00+01:00'); // a Saturday
    await t.services.jobs.tick();
    await t.services.jobs.idle();
    clock.set('2026-11-23T07:29:00+01:00');
    await t.services.jobs.tick();
    await t.services.jobs.idle();
    expect(smtp.received).toHaveLength(0);

    clock.set('2026-11-23T07:30:00+01:00');
    await t.services.jobs.tick();
    await t.services.jobs.idle();
    // coachNl, coachEn, the stand-in, coachB (Bea has no contact yet); both managers.
    await smtp.waitFor(6);
    expect(smtp.received.map((mail) => mail.to).sort()).toEqual(
      [people.coachNl, people.coachEn, people.standIn, people.coachB, people.managerNl, people.managerEn]
        .map((p) => p.email)
        .sort(),
    );
  });
});

describe("the coach's daily digest", () => {
  test('in Dutch: each participant by first name and initial, with the reason and a link; no summary, reference or phone', () => {
    const mail = only(smtp.to(people.coachNl.email));
    expect(mail.subject).toBe('InBeeld: je dag van 23-11-2026');
    expect(mail.text).toContain('Goedemorgen Daan de Vries.');
    expect(mail.text).toContain('Achterstallig (1)');
    expect(mail.text).toContain(
      `- Mohamed O.: gepland op 20-11-2026 om 10:00, 3 dagen te laat\n  ${PUBLIC_URL}/participants/${ids.overdue}`,
    );
    expect(mail.text).toContain('Vandaag gepland (1)');
    expect(mail.text).toContain(`- Fatima B.: vandaag om 14:00\n  ${PUBLIC_URL}/participants/${ids.dueToday}`);
    expect(mail.text).toContain('Opnieuw proberen (1)');
    expect(mail.text).toContain('- Jan J.: 1 poging zonder contact sinds 20-11-2026');
    expect(mail.text).toContain('Eerste contact (1)');
    expect(mail.text).toContain('- Els P.: nog geen eerste contact');
    expect(mail.text).toContain(`${PUBLIC_URL}/today`);
    for (const part of [mail.text, mail.html, mail.raw]) {
      for (const secret of ['GEHEIME', 'schulden', 'REF-12345', '0612345678', 'Ouali', 'Peeters', 'Kees', 'Klaassen', 'Yilmaz']) {
        expect(part).not.toContain(secret);
      }
    }
    expect(mail.html).toContain(
      `<a href="${PUBLIC_URL}/participants/${ids.overdue}">Mohamed O.: gepland op 20-11-2026 om 10:00, 3 dagen te laat</a>`,
    );
    expect(mail.html).toContain('<html lang="nl">');
  });

  test('each digest sent is in the audit log, with the participants it named', async () => {
    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['entity_id', 'details'])
      .where('action', '=', 'mail_digest')
      .where('entity_id', '=', String(people.coachNl.id))
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toEqual({
      kind: 'daily',
      day: '2026-11-23',
      items: 4,
      participantIds: [ids.overdue, ids.dueToday, ids.retry, ids.first],
    });
  });

  test('a footer says why it came, with a one-click unsubscribe link, also as List-Unsubscribe headers', () => {
    const mail = only(smtp.to(people.coachNl.email));
    expect(mail.text).toContain('Je krijgt deze mail op werkdagen om 7:30 omdat je jobcoach bent in InBeeld');
    const link = new RegExp(
      `Geen dagoverzicht meer ontvangen: (${PUBLIC_URL}/unsubscribe\\?token=${people.coachNl.id}\\.daily\\.[\\w-]{43})`,
    );
    const url = link.exec(mail.text)?.[1];
    expect(url).toBeDefined();
    expect(mail.html).toContain(`<a href="${url}">Geen dagoverzicht meer ontvangen</a>`);
    // Header lines unfolded (a long header goes on over several lines).
    const headers = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    expect(headers).toMatch(/^List-Unsubscribe: <https:\/\/inbeeld\.example\.test\/unsubscribe\?token=[^>]+> \(/m);
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
  });

  test('in English for an English-speaking coach, every value escaped in the HTML', () => {
    const mail = only(smtp.to(people.coachEn.email));
    expect(mail.subject).toBe('InBeeld: your day of 23/11/2026');
    expect(mail.text).toContain('Good morning Amy Jones.');
    expect(mail.text).toContain('First contact (1)');
    expect(mail.text).toContain('- Zoë <b> S.: no first contact yet');
    expect(mail.text).toContain('You get this mail on weekdays at 7:30 because you are a job coach');
    expect(mail.text).toContain('Stop the daily overview: ');
    expect(mail.html).toContain('Zoë &lt;b&gt; S.: no first contact yet');
    expect(mail.html).not.toContain('Zoë <b>');
    expect(mail.html).toContain('<html lang="en">');
  });

  test("a caseload under a stand-in is in the stand-in's digest, and the absent coach gets none", () => {
    const mail = only(smtp.to(people.standIn.email));
    expect(mail.text).toContain('- Ahmed Y.: nog geen eerste contact (waarneming voor Anouk Afwezig)');
    expect(smtp.to(people.absent.email)).toHaveLength(0);
  });

  test('no mail for a coach who opted out, nor for one with nothing due', async () => {
    expect(smtp.to(people.optedOut.email)).toHaveLength(0);
    expect(smtp.to(people.quiet.email)).toHaveLength(0);
    const quietRow = await t.database.db
      .selectFrom('mail_digest_sends')
      .select('items')
      .where('user_id', '=', people.quiet.id)
      .executeTakeFirstOrThrow();
    expect(quietRow.items).toBe(0);
  });
});

describe("the team leader's weekly digest", () => {
  test('red and amber per coach of their own team, as the caseload page counts them (nl and en)', async () => {
    const now = clock.now();
    for (const manager of [people.managerNl, people.managerEn]) {
      const viewer = {
        userId: manager.id,
        role: 'manager' as const,
        teamId: null,
        today: '2026-11-23',
        timeZone: t.config.timeZone,
      };
      viewer.teamId = (
        await t.database.db.selectFrom('users').select('team_id').where('id', '=', manager.id).executeTakeFirstOrThrow()
      ).team_id as never;
      const overview = await caseloadOverview(
        t.database.db,
        viewer,
        { sort: 'coach', dir: 'asc' },
        { number: 1, limit: 100, offset: 0 },
        now,
        t.config.timeZone,
      );
      const mail = only(smtp.to(manager.email));
      const coaches = overview.teams.flatMap((team) => team.coaches);
      expect(coaches.length).toBeGreaterThan(0);
      for (const coach of coaches) {
        const line =
          manager === people.managerNl
            ? `- ${coach.coach}: ${coach.red} rood, ${coach.amber} oranje, van ${coach.active} actief`
            : `- ${coach.coach}: ${coach.red} red, ${coach.amber} amber, of ${coach.active} active`;
        expect(mail.text).toContain(line);
      }
      expect(mail.text).toContain(`${PUBLIC_URL}/dashboard/caseloads`);
      expect(mail.text).not.toContain('Bea');
    }
    expect(only(smtp.to(people.managerNl.email)).subject).toBe('InBeeld: je team in week 48');
    expect(only(smtp.to(people.managerEn.email)).text).toContain('Bram Bee');
    expect(only(smtp.to(people.managerNl.email)).text).not.toContain('Bram Bee');
    // Some of the Team A caseload is red (no contact reached in the trajectory's months).
    expect(only(smtp.to(people.managerNl.email)).text).toMatch(/[1-9]\d* rood/);
  });
});

describe('once per person and day', () => {
  test('running the jobs again, and in two processes at once, sends nothing more', async () => {
    const before = smtp.received.length;
    const runBoth = async (db: typeof t.database.db) => {
      const jobs = appJobs(db, t.config, mailDepsFor(db, t.config));
      for (const name of [DAILY_DIGEST_JOB, WEEKLY_DIGEST_JOB]) {
        await jobs.find((job) => job.name === name)!.run(clock.now(), new AbortController().signal);
      }
    };
    const secondDb = createKysely(t.database.openPool());
    await Promise.all([runBoth(t.database.db), runBoth(secondDb)]);
    t.services.jobs.requestRun(DAILY_DIGEST_JOB);
    await t.services.jobs.idle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.received.length).toBe(before);
  });

  test('the next weekday brings the next daily digest, and no weekly one', async () => {
    smtp.clear();
    clock.set('2026-11-24T07:31:00+01:00');
    await t.services.jobs.tick();
    await t.services.jobs.idle();
    await smtp.waitFor(1);
    expect(smtp.received.every((mail) => mail.subject.includes('24-11-2026') || mail.subject.includes('24/11/2026'))).toBe(true);
    expect(smtp.to(people.managerNl.email)).toHaveLength(0);
  });
});

test('first name and initial', () => {
  expect(firstNameAndInitial('Mohamed', 'Ouali')).toBe('Mohamed O.');
  expect(firstNameAndInitial('Fatima', 'van der Berg')).toBe('Fatima B.');
  expect(firstNameAndInitial('Pieter', 'Van Damme')).toBe('Pieter V.');
  expect(firstNameAndInitial('Ella', 'émile')).toBe('Ella É.');
  expect(firstNameAndInitial('Solo', '')).toBe('Solo');
});
