import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../../src/lib/clock';
import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertParticipant, insertStandin } from '../helpers/fixtures';
import { refreshStoredRiskStates } from '../helpers/risk-state';
import { RiskScenario } from '../risk/helpers';
import { withoutCellLabels } from '../helpers/html';

// The participants list's risk filter: on the stored risk level, in SQL, with the other filters,
// the viewer's access rule and the pagination. The fixtures insert rows straight into the tables,
// so the stored state is brought in step once they are all in (refreshStoredRiskStates).

const START = '2026-11-23T09:00:00+01:00';
const TODAY = '2026-11-23';
const clock = new FixedClock(START);

let t: TestApp;
let coach: UserFixture;
let colleague: UserFixture;
let away: UserFixture;
let southCoach: UserFixture;
let manager: UserFixture;
let admin: UserFixture;

/** Per caseload, the participants by what the list should say about them. */
interface Caseload {
  red: number;
  redPaused: number;
  amber: number;
  acknowledged: number;
  calm: number;
  unscored: number;
  closed: number;
}
const caseloads = new Map<number, Caseload>();

/** The same commissioner and employer (their names are unique) for every coach. */
let base: RiskScenario;
function scenarioOf(coachId: number): RiskScenario {
  return Object.assign(Object.create(RiskScenario.prototype) as RiskScenario, base, { coachId });
}

async function caseloadOf(owner: UserFixture, name: string): Promise<Caseload> {
  const s = scenarioOf(owner.id);
  const participant = (lastName: string, options: Parameters<RiskScenario['participant']>[0]) =>
    s.participant(options).then(async (id) => {
      await t.database.db
        .updateTable('participants')
        .set({ last_name: `${lastName} ${name}` })
        .where('id', '=', id)
        .execute();
      return id;
    });
  const caseload: Caseload = {
    red: await participant('Rood', { reachedDaysAgo: 30 }),
    redPaused: await participant('Pauze', { reachedDaysAgo: 40, status: 'paused' }),
    amber: await participant('Oranje', { placement: false }),
    acknowledged: await participant('Gezien', { placement: false }),
    calm: await participant('Rustig', { reachedDaysAgo: 1 }),
    unscored: await insertParticipant(t.database.db, {
      first_name: 'Intake',
      last_name: `Nieuw ${name}`,
      coach_id: owner.id,
      status: 'intake',
    }),
    closed: await insertParticipant(t.database.db, {
      first_name: 'Klaar',
      last_name: `Afgesloten ${name}`,
      coach_id: owner.id,
      status: 'closed',
      closed_on: '2026-10-01',
    }),
  };
  await t.database.db
    .insertInto('risk_acknowledgements')
    .values({
      participant_id: caseload.acknowledged,
      acknowledged_by: owner.id,
      acknowledged_at: s.at(1),
      note: 'Zoekt een plek.',
      snooze_until: null,
      level: 'amber',
      flagged: JSON.stringify(['no_active_placement:amber']),
    })
    .execute();
  caseloads.set(owner.id, caseload);
  return caseload;
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Cor Coach' });
  colleague = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Karin Collega' });
  away = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Anna Afwezig' });
  southCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Zuid', displayName: 'Zeno Zuid' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord', displayName: 'Mila Manager' });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Admin' });
  base = new RiskScenario(t.database.db, coach.id, TODAY);
  await base.setUp();
  await caseloadOf(coach, 'Cor');
  await caseloadOf(colleague, 'Karin');
  await caseloadOf(away, 'Anna');
  await caseloadOf(southCoach, 'Zeno');
  // The coach stands in for Anna today: her caseload is in the coach's view, Karin's is not.
  await insertStandin(t.database.db, {
    absent_coach_id: away.id,
    standin_coach_id: coach.id,
    starts_on: '2026-11-20',
    ends_on: '2026-11-27',
    created_by: manager.id,
  });
  await refreshStoredRiskStates(t);
});
afterAll(() => t.close());

const agents = new Map<number, TestAgent>();
async function agentOf(user: UserFixture): Promise<TestAgent> {
  if (!agents.has(user.id)) agents.set(user.id, await signedInAgent(t.app, user));
  return agents.get(user.id)!;
}

/** The list's rows in order (participant ids), with the page's count line and its risk cells. */
async function list(user: UserFixture, query: string) {
  const response = await (await agentOf(user)).get(`/participants?${query}`);
  expect(response.status).toBe(200);
  const html = withoutCellLabels(response.text);
  const rows = [...html.matchAll(/<tr>\s*<td><a href="\/participants\/(\d+)">[\s\S]*?<\/tr>/g)];
  const riskOf = new Map(
    rows.map((row) => {
      const cell = /<td class="participant-risk">([\s\S]*?)<\/td>/.exec(row[0])![1]!;
      return [
        Number(row[1]),
        cell
          .replace(/<[^>]+>/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      ];
    }),
  );
  const count = /<p class="result-count" role="status">([^<]*)<\/p>/.exec(html)![1]!;
  return { html, ids: rows.map((row) => Number(row[1])), riskOf, count };
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
const of = (owner: UserFixture) => caseloads.get(owner.id)!;

describe('the risk filter per role', () => {
  test('a coach finds their own and their stand-in caseload’s red participants, never a colleague’s', async () => {
    const { ids, riskOf, count } = await list(coach, 'risk=red');
    expect(sorted(ids)).toEqual(sorted([of(coach).red, of(coach).redPaused, of(away).red, of(away).redPaused]));
    expect(count).toBe('4 deelnemers');
    for (const id of ids) expect(riskOf.get(id)).toBe('Rood');
    // Karin's red participant is in the same team, the same state: not in this coach's view.
    const all = await list(coach, 'risk=all&status=all');
    expect(all.ids).not.toContain(of(colleague).red);
    expect(all.ids).not.toContain(of(southCoach).red);
  });

  test('a manager sees the team’s flags, not another team’s; an admin sees all', async () => {
    const team = await list(manager, 'risk=flagged');
    const north = [coach, colleague, away].flatMap((owner) => [
      of(owner).red,
      of(owner).redPaused,
      of(owner).amber,
      of(owner).acknowledged,
    ]);
    expect(sorted(team.ids)).toEqual(sorted(north));
    expect(team.count).toBe('12 deelnemers');
    const everyone = await list(admin, 'risk=flagged');
    expect(sorted(everyone.ids)).toEqual(
      sorted([...north, of(southCoach).red, of(southCoach).redPaused, of(southCoach).amber, of(southCoach).acknowledged]),
    );
  });
});

describe('what the filter and the rows say', () => {
  test('amber includes an acknowledged flag, marked in its row; the level is in words', async () => {
    const { ids, riskOf } = await list(coach, `risk=amber&coach=${coach.id}`);
    expect(sorted(ids)).toEqual(sorted([of(coach).amber, of(coach).acknowledged]));
    expect(riskOf.get(of(coach).amber)).toBe('Oranje');
    expect(riskOf.get(of(coach).acknowledged)).toBe('Oranje gezien');
  });

  test('not flagged: no signal, and those not scored (no trajectory); a closed participant has no risk', async () => {
    const { ids, riskOf } = await list(coach, `risk=unflagged&coach=${coach.id}&status=all`);
    expect(sorted(ids)).toEqual(sorted([of(coach).calm, of(coach).unscored, of(coach).closed]));
    expect(riskOf.get(of(coach).calm)).toBe('Geen signaal');
    expect(riskOf.get(of(coach).unscored)).toBe('niet beoordeeld');
    expect(riskOf.get(of(coach).closed)).toBe('niet beoordeeld');
  });

  test('without a risk filter every row shows its level', async () => {
    const { riskOf } = await list(coach, `coach=${coach.id}`);
    expect(riskOf.get(of(coach).red)).toBe('Rood');
    expect(riskOf.get(of(coach).calm)).toBe('Geen signaal');
    expect(riskOf.has(of(coach).closed)).toBe(false);
  });

  test('combined with status, search and team', async () => {
    expect(sorted((await list(coach, 'risk=red&status=paused')).ids)).toEqual(sorted([of(coach).redPaused, of(away).redPaused]));
    expect((await list(coach, 'risk=flagged&q=karin')).ids).toEqual([]);
    expect(sorted((await list(coach, 'risk=flagged&q=anna')).ids)).toEqual(
      sorted([of(away).red, of(away).redPaused, of(away).amber, of(away).acknowledged]),
    );
    const teams = await t.database.db.selectFrom('teams').select(['id', 'name']).execute();
    const south = teams.find((team) => team.name === 'Team Zuid')!.id;
    expect(sorted((await list(admin, `risk=red&team=${south}`)).ids)).toEqual(
      sorted([of(southCoach).red, of(southCoach).redPaused]),
    );
    // A manager asking for another team's risk gets nothing of it: the access rule comes first.
    expect((await list(manager, `risk=red&team=${south}`)).ids).toEqual([]);
  });

  test('the form keeps the chosen risk, and an unknown value means every risk level, not an error', async () => {
    const chosen = await list(coach, 'risk=amber');
    expect(chosen.html).toContain('<option value="amber" selected>Oranje</option>');
    const unknown = await list(coach, 'risk=purple%3Cscript%3E');
    expect(unknown.html).toContain('<option value="all" selected>Alle</option>');
    expect(unknown.ids.length).toBe((await list(coach, '')).ids.length);
    expect(unknown.html).not.toContain('purple<script>');
  });

  test('the list speaks English to an English-speaking viewer', async () => {
    const english = await createTestUser(t.database, { role: 'admin', displayName: 'Eve English', locale: 'en' });
    const { html, riskOf } = await list(english, `risk=amber&coach=${coach.id}`);
    expect(html).toContain('<label for="risk">Risk</label>');
    expect(html).toContain('<option value="flagged">Red or amber</option>');
    expect(riskOf.get(of(coach).acknowledged)).toBe('Amber acknowledged');
  });
});

describe('pagination', () => {
  test('50 a page in SQL with the total, and the page links keep the risk filter', async () => {
    const many = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Veel Deelnemers' });
    const s = scenarioOf(many.id);
    const amber: number[] = [];
    // No placement: amber; a calm one for every fifth, so the filter has something to leave out.
    for (let index = 0; index < 60; index += 1) {
      if (index % 5 === 4) await s.participant({ reachedDaysAgo: 1 });
      else amber.push(await s.participant({ placement: false }));
    }
    await refreshStoredRiskStates(t);
    const first = await list(many, 'risk=amber');
    expect(amber).toHaveLength(48);
    expect(first.ids).toHaveLength(48);
    expect(first.count).toBe('48 deelnemers');

    for (let index = 0; index < 7; index += 1) amber.push(await s.participant({ placement: false }));
    await refreshStoredRiskStates(t);
    const page1 = await list(many, 'risk=amber&sort=name&dir=desc');
    expect(page1.count).toBe('55 deelnemers');
    expect(page1.ids).toHaveLength(50);
    expect(page1.html).toContain('href="?risk=amber&amp;dir=desc&amp;page=2" rel="next"');
    const page2 = await list(many, 'risk=amber&dir=desc&page=2');
    expect(page2.ids).toHaveLength(5);
    expect(page2.html).toContain('href="?risk=amber&amp;dir=desc&amp;page=1" rel="prev"');
    expect(sorted([...page1.ids, ...page2.ids])).toEqual(sorted(amber));
  });
});
