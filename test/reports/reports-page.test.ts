import { sql } from 'kysely';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertCommissioner, insertParticipant, insertTrajectory } from '../helpers/fixtures';

// GET /reports: the trajectory list every role sees, and the export form of managers and admins.
// The clock stands on 23 November 2026: this quarter is Q4 2026, the last complete one Q3 2026.

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let busyCoach: UserFixture;
let manager: UserFixture;
let admin: UserFixture;
let gemeente: number;
let uwv: number;
let oud: number;
const participants: Record<string, number> = {};
const trajectories: Record<string, number> = {};

const MARKUP_NAME = '<b>Vet</b> & "Co"';

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Zuid' });
  busyCoach = await createTestUser(t.database, { role: 'coach', team: 'Team West' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  admin = await createTestUser(t.database, { role: 'admin', locale: 'en' });
  gemeente = await insertCommissioner(db, { name: 'Gemeente Zeist', kind: 'municipality' });
  uwv = await insertCommissioner(db, { name: 'UWV Utrecht', kind: 'uwv' });
  oud = await insertCommissioner(db, { name: 'Gemeente Oud', kind: 'municipality', active: false });
  await insertCommissioner(db, { name: 'Gemeente Leeg', kind: 'municipality', active: false });
  await insertCommissioner(db, { name: 'Aaa Opdrachtgever', kind: 'other' });

  const add = async (
    key: string,
    coachId: number,
    lastName: string,
    trajectory: Partial<Parameters<typeof insertTrajectory>[1]>,
  ) => {
    participants[key] = await insertParticipant(db, {
      first_name: 'Sem',
      last_name: lastName,
      coach_id: coachId,
      status: 'active',
    });
    trajectories[key] = await insertTrajectory(db, {
      participant_id: participants[key],
      commissioner_id: gemeente,
      kind: 'jobcoaching',
      start_date: '2026-01-01',
      granted_hours: '10',
      ...trajectory,
    });
  };
  await add('running', coach.id, 'Lopend', { reference: 'REF-RUN' });
  await add('endedInQ3', coach.id, 'Zomer', { reference: 'REF-Q3', actual_end_date: '2026-08-31', outcome: 'education' });
  await add('startsInQ4', coach.id, 'Herfst', { commissioner_id: uwv, reference: 'REF-Q4', start_date: '2026-11-01' });
  await add('old', coach.id, 'Oud', {
    commissioner_id: oud,
    reference: 'REF-OLD',
    actual_end_date: '2026-12-15',
    outcome: 'other',
  });
  await add('markup', coach.id, MARKUP_NAME, { reference: '<i>ref</i>' });
  await add('otherTeam', otherCoach.id, 'Anderteam', { reference: 'REF-OTHER' });

  // 55 running trajectories for the busy coach, made in one statement.
  await sql`
    with made as (
      insert into participants (first_name, last_name, coach_id, status)
      select 'Deelnemer', 'Nummer ' || lpad(n::text, 3, '0'), ${busyCoach.id}, 'active' from generate_series(1, 55) as n
      returning id
    )
    insert into trajectories (participant_id, commissioner_id, kind, start_date)
    select id, ${gemeente}, 'jobcoaching', date '2026-01-01' from made
  `.execute(db);
});
afterAll(() => t.close());

const reportHref = (key: string, from: string, to: string) =>
  `/participants/${participants[key]}/trajectories/${trajectories[key]}/report?from=${from}&amp;to=${to}`;

describe('the trajectory list', () => {
  test("a coach sees this quarter's trajectories of their own caseload, each linking to its report for the quarter", async () => {
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get('/reports');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Trajectrapportages');
    expect(page.text).toContain('Periode: 01-10-2026 tot en met 31-12-2026');
    expect(page.text).toContain('4 trajecten');
    for (const key of ['running', 'startsInQ4', 'old', 'markup']) {
      expect(page.text).toContain(reportHref(key, '2026-10-01', '2026-12-31'));
    }
    expect(page.text).not.toContain('REF-Q3');
    expect(page.text).not.toContain('REF-OTHER');
    expect(page.text).toContain('value="2026-10-01"');
    expect(page.text).toContain('value="2026-12-31"');
    // Coaches have no export form.
    expect(page.text).not.toContain('action="/reports/export"');
    expect(page.text).not.toContain('Periode-export');
  });

  test('another period shows what ran then; names and references are escaped', async () => {
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get('/reports?from=01-07-2026&to=2026-09-30');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Periode: 01-07-2026 tot en met 30-09-2026');
    expect(page.text).toContain(reportHref('endedInQ3', '2026-07-01', '2026-09-30'));
    expect(page.text).toContain(reportHref('running', '2026-07-01', '2026-09-30'));
    expect(page.text).not.toContain(reportHref('startsInQ4', '2026-07-01', '2026-09-30'));
    expect(page.text).toContain('Sem &lt;b&gt;Vet&lt;/b&gt; &amp; &#34;Co&#34;');
    expect(page.text).toContain('&lt;i&gt;ref&lt;/i&gt;');
    expect(page.text).not.toContain('<b>Vet</b>');
  });

  test('an unreadable or reversed period says so and shows this quarter instead', async () => {
    const agent = await signedInAgent(t.app, coach);
    const unreadable = await agent.get('/reports?from=31-02-2026&to=30-09-2026');
    expect(unreadable.status).toBe(200);
    expect(unreadable.text).toContain('De datum bij &#34;Van&#34; is niet herkend.');
    expect(unreadable.text).toContain('value="31-02-2026"');
    expect(unreadable.text).toContain('Periode: 01-10-2026 tot en met 31-12-2026');

    const reversed = await agent.get('/reports?from=30-09-2026&to=01-07-2026');
    expect(reversed.status).toBe(200);
    expect(reversed.text).toContain('De begindatum ligt na de einddatum.');
    expect(reversed.text).toContain('Periode: 01-10-2026 tot en met 31-12-2026');

    const odd = await agent.get('/reports?from[x]=1&page=abc');
    expect(odd.status).toBe(200);
  });

  test('a coach without trajectories in the period gets an empty state', async () => {
    const agent = await signedInAgent(t.app, coach);
    const page = await agent.get('/reports?from=01-01-2020&to=31-12-2020');
    expect(page.status).toBe(200);
    expect(page.text).toContain('In deze periode liep geen traject van jouw deelnemers.');
  });

  test('50 trajectories per page, with page links that keep the period', async () => {
    const agent = await signedInAgent(t.app, busyCoach);
    const first = await agent.get('/reports');
    expect(first.text).toContain('55 trajecten');
    expect(first.text.match(/\/report\?from=/g)).toHaveLength(50);
    expect(first.text).toContain('Nummer 050');
    expect(first.text).not.toContain('Nummer 051');
    expect(first.text).toContain('href="/reports?from=2026-10-01&amp;to=2026-12-31&amp;page=2"');
    const second = await agent.get('/reports?from=2026-10-01&to=2026-12-31&page=2');
    expect(second.text.match(/\/report\?from=/g)).toHaveLength(5);
    expect(second.text).toContain('Nummer 055');
    const beyond = await agent.get('/reports?page=9');
    expect(beyond.text).toContain('Deze pagina bestaat niet (meer).');
  });
});

describe('the export form', () => {
  test('a manager sees the form with the last complete quarter, Dutch Excel separator and commissioners in order', async () => {
    const agent = await signedInAgent(t.app, manager);
    const page = await agent.get('/reports');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Periode-export voor een opdrachtgever');
    expect(page.text).toContain('Alleen de deelnemers van jouw team staan erin.');
    expect(page.text).toContain('action="/reports/export"');
    expect(page.text).toMatch(/name="periodKind" value="quarter" checked/);
    expect(page.text).toMatch(/id="quarter" name="quarter" value="2026-Q3"/);
    expect(page.text).toMatch(/id="month" name="month" value="2026-10"/);
    expect(page.text).toMatch(/id="from" name="from" value="2026-07-01"/);
    expect(page.text).toMatch(/id="to" name="to" value="2026-09-30"/);
    expect(page.text).toMatch(/name="format" value="csv" checked/);
    expect(page.text).toMatch(/name="separator" value="semicolon" checked/);
    expect(page.text).not.toMatch(/name="pseudonymise" value="1"[^>]* checked/);
    const options = [...page.text.matchAll(/<option value="(\d+)"[^>]*>([^<]*)<\/option>/g)].map((match) => [match[1], match[2]]);
    expect(options).toEqual([
      [expect.any(String), 'Aaa Opdrachtgever'],
      [String(gemeente), 'Gemeente Zeist'],
      [String(uwv), 'UWV Utrecht'],
      [String(oud), 'Gemeente Oud (inactief)'],
    ]);
    // The manager's own list is there too (the team's participants).
    expect(page.text).toContain('Trajectrapportages');
    expect(page.text).toContain(reportHref('running', '2026-10-01', '2026-12-31'));
    expect(page.text).not.toContain('REF-OTHER');
  });

  test('an English admin gets a comma separator by default and sees every team', async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get('/reports');
    expect(page.text).toContain('Period export for a commissioner');
    expect(page.text).toContain('for all of the organisation&#39;s participants');
    expect(page.text).toMatch(/name="separator" value="comma" checked/);
    expect(page.text).toMatch(/id="from" name="from" value="2026-07-01"/);
    expect(page.text).toContain(reportHref('otherTeam', '2026-10-01', '2026-12-31'));
  });

  test('a rejected export shows the form again on the reports page with the list at its default period', async () => {
    const agent = await signedInAgent(t.app, manager);
    const response = await agent.get('/reports/export?periodKind=custom&from=01-07-2026&to=31-07-2026&format=xlsx');
    expect(response.status).toBe(422);
    expect(response.text).toContain('Kies een opdrachtgever.');
    expect(response.text).toMatch(/name="periodKind" value="custom" checked/);
    expect(response.text).toMatch(/id="from" name="from" value="2026-07-01"/);
    expect(response.text).toMatch(/id="to" name="to" value="2026-07-31"/);
    expect(response.text).toMatch(/name="format" value="xlsx" checked/);
    expect(response.text).toContain('Periode: 01-10-2026 tot en met 31-12-2026');
  });
});
