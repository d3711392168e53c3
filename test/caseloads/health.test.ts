import { FixedClock } from '../../src/lib/clock';
import { createTestUser, csrfToken, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertCommissioner, insertContactMoment, insertParticipant, insertTrajectory } from '../helpers/fixtures';
import { refreshStoredRiskStates } from '../helpers/risk-state';

// Issue 20 items 1 and 2: the caseload page marks cells over the admin's attention thresholds in
// words and colour, links each coach to their flagged participants and to their own 12-week trend.

const clock = new FixedClock('2026-11-23T10:00:00+01:00');
let t: TestApp;
let admin: UserFixture;
let manager: UserFixture;
let otherManager: UserFixture;
let anna: UserFixture;
let bram: UserFixture;
let cor: UserFixture;
let teamNoordId: number;

async function participant(coach: UserFixture, lastName: string, lastReached: string | null, next: string | null) {
  const id = await insertParticipant(t.database.db, {
    first_name: 'Deelnemer',
    last_name: lastName,
    coach_id: coach.id,
    status: 'active',
  });
  await insertTrajectory(t.database.db, {
    participant_id: id,
    commissioner_id: commissionerId,
    kind: 'jobcoaching',
    start_date: '2026-06-01',
    granted_hours: 40,
  });
  if (lastReached) {
    await insertContactMoment(t.database.db, {
      participant_id: id,
      author_id: coach.id,
      occurred_at: `${lastReached}T10:00:00+01:00`,
      channel: 'phone',
      counterpart: 'participant',
      outcome: 'reached',
      summary: 'Gesproken.',
      next_contact_date: next,
    });
  }
  return id;
}
let commissionerId: number;

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = await createTestUser(t.database, { role: 'admin' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  otherManager = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid' });
  anna = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Anna Aalders' });
  bram = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Bram Bos' });
  cor = await createTestUser(t.database, { role: 'coach', team: 'Team Zuid', displayName: 'Cor Claes' });
  teamNoordId = (await t.database.db.selectFrom('teams').select('id').where('name', '=', 'Team Noord').executeTakeFirstOrThrow())
    .id;
  commissionerId = await insertCommissioner(t.database.db, { name: 'Gemeente Test', kind: 'municipality' });
  // Anna: four participants, none reached in 14 days, all red (unreached 40+ days), follow-ups long overdue.
  for (const name of ['Een', 'Twee', 'Drie', 'Vier']) await participant(anna, name, '2026-10-01', '2026-10-08');
  // Bram: two participants reached yesterday, follow-up next week: nothing needs attention.
  for (const name of ['Een', 'Twee']) await participant(bram, name, '2026-11-22', '2026-11-30');
  await participant(cor, 'Een', '2026-11-22', '2026-11-30');
  await refreshStoredRiskStates(t);
});
afterAll(() => t.close());

/** The cells of a coach's row: [text without notes, attention note or null]. */
function cellsOf(html: string, coachId: number): Array<[string, string | null, boolean]> {
  const row = new RegExp(`<tr data-coach-id="${coachId}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  return [...row.matchAll(/<td([^>]*)>([\s\S]*?)<\/td>/g)].map((cell) => {
    const note = /<span class="caseload-attention__note">([\s\S]*?)<\/span>/.exec(cell[2]!)?.[1] ?? null;
    const text = cell[2]!
      .replace(/<span class="caseload-attention__note">[\s\S]*?<\/span>/, '')
      .replace(/<[^>]+>/g, '')
      .trim();
    return [text, note, cell[1]!.includes('caseload-attention')];
  });
}

describe('attention thresholds on the caseload page', () => {
  test('cells over the default thresholds say so in words and are marked; others are not', async () => {
    const html = (await (await signedInAgent(t.app, manager)).get('/dashboard/caseloads')).text;
    const annaCells = cellsOf(html, anna.id);
    // active, reached 14 d, red, amber, overdue, …
    expect(annaCells[1]).toEqual(['0 % (0)', 'onder 80 %', true]);
    expect(annaCells[2]).toEqual(['4', 'meer dan 2', true]);
    expect(annaCells[4]).toEqual(['4', 'meer dan 3', true]);
    expect(annaCells[0]![2]).toBe(false);
    for (const cell of cellsOf(html, bram.id)) expect(cell[2]).toBe(false);
    expect(html).toContain('bereikt in 14 dagen onder 80 %, meer dan 2 deelnemers op rood of meer dan 3 opvolgingen te laat');
    // A manager cannot change the thresholds; the link is the administrator's.
    expect(html).not.toContain('href="/admin/settings/caseloads"');
  });

  test("each coach's name leads to the dashboard filtered on their caseload, and to their trend", async () => {
    const agent = await signedInAgent(t.app, manager);
    const html = (await agent.get('/dashboard/caseloads')).text;
    expect(html).toContain(
      `<a href="/dashboard?coach=${anna.id}" aria-label="Gemarkeerde deelnemers van Anna Aalders op het risicodashboard">Anna Aalders</a>`,
    );
    expect(html).toContain(`href="/dashboard/caseloads/coaches/${bram.id}"`);
    const dashboard = await agent.get(`/dashboard?coach=${anna.id}`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Deelnemer Een');
    expect(dashboard.text).not.toContain('Bram Bos</td>');
  });

  test('an administrator changes the thresholds; the page uses them at once, and the change is audited', async () => {
    const agent = await signedInAgent(t.app, admin);
    const form = await agent.get('/admin/settings/caseloads');
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="80"');
    const saved = await agent
      .post('/admin/settings/caseloads')
      .type('form')
      .send({
        _csrf: await csrfToken(agent, '/admin/settings/caseloads'),
        reachedMinPercent: '50',
        redMax: '4',
        overdueMax: '3',
        version: '1',
      });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/admin/settings/caseloads?done=saved');
    const html = (await agent.get(`/dashboard/caseloads?team=${teamNoordId}`)).text;
    const cells = cellsOf(html, anna.id);
    expect(cells[1]).toEqual(['0 % (0)', 'onder 50 %', true]);
    expect(cells[2]).toEqual(['4', null, false]);
    expect(cells[4]).toEqual(['4', 'meer dan 3', true]);
    expect(html).toContain('href="/admin/settings/caseloads"');
    const event = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('entity_type', '=', 'caseload_thresholds')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({
      action: 'update',
      details: { changes: { reachedMinPercent: { from: 80, to: 50 }, redMax: { from: 2, to: 4 } } },
    });
  });

  test('an invalid or stale form keeps what was typed; nothing is saved', async () => {
    const agent = await signedInAgent(t.app, admin);
    const token = await csrfToken(agent, '/admin/settings/caseloads');
    const invalid = await agent
      .post('/admin/settings/caseloads')
      .type('form')
      .send({ _csrf: token, reachedMinPercent: '150', redMax: 'twee', overdueMax: '', version: '2' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('value="150"');
    expect(invalid.text).toContain('value="twee"');
    expect(invalid.text).toContain('Vul een heel getal in');
    const stale = await agent
      .post('/admin/settings/caseloads')
      .type('form')
      .send({ _csrf: token, reachedMinPercent: '70', redMax: '2', overdueMax: '3', version: '1' });
    expect(stale.status).toBe(409);
    const row = await t.database.db.selectFrom('caseload_thresholds').selectAll().executeTakeFirstOrThrow();
    expect([row.reached_min_percent, row.red_max, row.version]).toEqual([50, 4, 2]);
  });
});

describe("a coach's trend", () => {
  test("a manager sees their team coach's red and amber per week, chart data and table; another team's coach is 404", async () => {
    const participants = await t.database.db.selectFrom('participants').select('id').where('coach_id', '=', anna.id).execute();
    await t.database.db
      .insertInto('risk_snapshots')
      .values([
        {
          snapshot_date: '2026-11-09',
          participant_id: participants[0]!.id,
          coach_id: anna.id,
          team_id: teamNoordId,
          level: 'amber',
          signals: '[]',
        },
        {
          snapshot_date: '2026-11-16',
          participant_id: participants[0]!.id,
          coach_id: anna.id,
          team_id: teamNoordId,
          level: 'red',
          signals: '[]',
        },
        {
          snapshot_date: '2026-11-16',
          participant_id: participants[1]!.id,
          coach_id: anna.id,
          team_id: teamNoordId,
          level: 'red',
          signals: '[]',
        },
        {
          snapshot_date: '2026-11-23',
          participant_id: participants[1]!.id,
          coach_id: anna.id,
          team_id: teamNoordId,
          level: 'amber',
          signals: '[]',
        },
      ])
      .execute();
    const agent = await signedInAgent(t.app, manager);
    const page = await agent.get(`/dashboard/caseloads/coaches/${anna.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Rood en oranje van Anna Aalders');
    const table = /<table id="caseload-trend-table"[^>]*>([\s\S]*?)<\/table>/.exec(page.text)![1]!;
    const rows = [...table.slice(table.indexOf('<tbody>')).matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1]!.trim()),
    );
    expect(rows).toEqual([
      ['09-11-2026', '0', '1'],
      ['16-11-2026', '2', '0'],
      ['23-11-2026', '0', '1'],
    ]);
    const data = JSON.parse(
      /<script type="application\/json" id="caseload-trend-data">([\s\S]*?)<\/script>/.exec(page.text)![1]!,
    );
    expect(data).toMatchObject({ red: [0, 2, 0], amber: [1, 0, 1] });
    // Bram has no snapshot rows of his own: his days read as zero, not as missing.
    const bramPage = await agent.get(`/dashboard/caseloads/coaches/${bram.id}`);
    expect(bramPage.status).toBe(200);
    expect(bramPage.text).toContain('<td>0</td>');
    expect((await agent.get(`/dashboard/caseloads/coaches/${cor.id}`)).status).toBe(404);
    expect((await (await signedInAgent(t.app, otherManager)).get(`/dashboard/caseloads/coaches/${anna.id}`)).status).toBe(404);
    expect((await agent.get('/dashboard/caseloads/coaches/abc')).status).toBe(404);
    expect((await (await signedInAgent(t.app, admin)).get(`/dashboard/caseloads/coaches/${cor.id}`)).status).toBe(200);
  });
});
