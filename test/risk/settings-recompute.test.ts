import { createTestUser, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { postForm, versionFrom } from '../helpers/fixtures';
import { refreshStoredRiskStates } from '../helpers/risk-state';
import { appJobs } from '../../src/jobs';
import { createJobRunner } from '../../src/platform/jobs';
import { createLogger } from '../../src/lib/logger';
import * as riskState from '../../src/risk/state';
import { RiskScenario, ZONE } from './helpers';

// A settings change recomputes every stored risk state in the background: the admin's save answers
// at once, /admin/settings shows how far the recompute has come (from the database, so any
// process can), and when it is done nothing differs from a computation from scratch. The upkeep
// job's work is held back by a gate here, so the test sees the page while it is under way.

let t: TestApp;
let admin: UserFixture;
let englishAdmin: UserFixture;
let scenario: RiskScenario;
let participantIds: number[];

const FIELDS = {
  lastReachedAmberDays: '14',
  lastReachedRedDays: '28',
  unreachedAmberAttempts: '2',
  unreachedRedAttempts: '3',
  overdueAmberDays: '2',
  overdueRedDays: '7',
  noPlacementRedDays: '14',
  hoursLookbackWeeks: '8',
  hoursDropAmberPercent: '50',
  hoursDropRedPercent: '100',
  wellbeingLowScore: '2',
  wellbeingDropPoints: '2',
  wellbeingDropChecks: '3',
  endWarningDays: '30',
};

beforeAll(async () => {
  t = await startTestApp();
  admin = await createTestUser(t.database, { role: 'admin' });
  englishAdmin = await createTestUser(t.database, { role: 'admin', locale: 'en' });
  const coach = await createTestUser(t.database, { role: 'coach' });
  scenario = new RiskScenario(t.database.db, coach.id, t.clock.now().setZone(ZONE).toISODate()!);
  await scenario.setUp();
  participantIds = [
    await scenario.participant(),
    // Reached 12 days ago: no signal at 14 days, amber once the threshold is 10.
    await scenario.participant({ reachedDaysAgo: 12 }),
    await scenario.participant({ reachedDaysAgo: 20 }),
    await scenario.participant({ placement: false }),
  ];
  await refreshStoredRiskStates(t);
});
afterAll(() => t.close());

function differences() {
  return riskState.findRiskStateDifferences(t.database.db, t.clock.now(), ZONE);
}

function levelOf(participantId: number) {
  return t.database.db
    .selectFrom('participant_risk_states')
    .select(['level', 'settings_version'])
    .where('participant_id', '=', participantId)
    .executeTakeFirstOrThrow();
}

/** Holds the upkeep job's work back until opened: the job has started, its rows are not done yet. */
function holdUpkeep() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const real = riskState.keepRiskStatesCurrent;
  const spy = jest.spyOn(riskState, 'keepRiskStatesCurrent').mockImplementation(async (...args) => {
    await opened;
    return real(...args);
  });
  return {
    spy,
    release() {
      open();
      spy.mockRestore();
    },
  };
}

async function saveWithAmberAt(agent: Awaited<ReturnType<typeof signedInAgent>>, days: string) {
  const version = versionFrom((await agent.get('/admin/settings')).text);
  return postForm(agent, '/admin/settings', { ...FIELDS, lastReachedAmberDays: days, version });
}

test('a save answers at once; the page shows the progress meanwhile; the recompute ends with zero differences', async () => {
  const total = participantIds.length;
  const agent = await signedInAgent(t.app, admin);
  expect((await agent.get('/admin/settings')).text).not.toContain('data-recompute-progress');
  const hold = holdUpkeep();

  const response = await saveWithAmberAt(agent, '10');
  expect(response.status).toBe(303);
  expect(response.headers.location).toBe('/admin/settings?done=saved');
  // The job has started, and no row has been recomputed: the answer did not wait for it.
  expect(hold.spy).toHaveBeenCalledTimes(1);
  const stale = await differences();
  expect(stale).toHaveLength(total);
  expect(stale.every((difference) => difference.fields.includes('settingsVersion'))).toBe(true);
  expect((await levelOf(participantIds[1]!)).level).toBe('none');

  const page = (await agent.get(response.headers.location!)).text;
  expect(page).toContain('De instellingen zijn opgeslagen. De risiconiveaus worden op de achtergrond herberekend.');
  expect(page).toContain(`Risiconiveaus herberekenen met de nieuwe instellingen: 0 van ${total} deelnemers klaar.`);
  expect(page).toMatch(new RegExp(`<progress class="recompute__bar" max="${total}" value="0"`));
  expect(page).toContain('data-recompute-progress="running"');
  expect(page).toContain('<script src="/assets/js/recompute-progress.js" defer></script>');
  expect(page).toContain('<a href="/admin/settings" data-recompute-refresh>Voortgang bijwerken</a>');

  // A write meanwhile stores its participant with the new settings: one done.
  await t.database.db.transaction().execute((trx) => riskState.refreshRiskStates(trx, [participantIds[0]!], t.clock.now(), ZONE));
  expect((await agent.get('/admin/settings')).text).toContain(`1 van ${total} deelnemers klaar.`);
  const english = await signedInAgent(t.app, englishAdmin);
  expect((await english.get('/admin/settings')).text).toContain(
    `Recomputing risk levels with the new settings: 1 of ${total} participants done.`,
  );

  hold.release();
  await t.services.jobs.idle();
  expect(await differences()).toEqual([]);
  expect((await levelOf(participantIds[1]!)).level).toBe('amber');

  const done = (await agent.get('/admin/settings')).text;
  expect(done).toContain(`De risiconiveaus van ${total} deelnemers zijn herberekend met deze instellingen (klaar op `);
  expect(done).toContain('data-recompute-progress="finished"');
  expect(done).not.toContain('<progress');
  expect(done).not.toContain('recompute-progress.js');
  expect((await english.get('/admin/settings')).text).toContain(
    `The risk levels of ${total} participants have been recomputed with these settings (finished on `,
  );
});

test('the progress script is served by the app', async () => {
  const agent = await signedInAgent(t.app, admin);
  const script = await agent.get('/assets/js/recompute-progress.js');
  expect(script.status).toBe(200);
  expect(script.headers['content-type']).toContain('javascript');
  expect(script.text).toContain('data-recompute-progress');
});

test('a recompute cut short by a restart is finished by the next process at its first look', async () => {
  const agent = await signedInAgent(t.app, admin);
  const hold = holdUpkeep();
  expect((await saveWithAmberAt(agent, '11')).status).toBe(303);
  // The process stops before a batch ran (its job sees the stop and ends between batches).
  const stopping = t.services.jobs.stop();
  hold.release();
  await stopping;
  expect(await differences()).toHaveLength(participantIds.length);
  expect((await agent.get('/admin/settings')).text).toContain(`0 van ${participantIds.length} deelnemers klaar.`);

  // The next process: its runner's first look runs the upkeep, which finds the rows of older settings.
  const next = createJobRunner({
    jobs: appJobs(t.database.db, t.config),
    clock: t.clock,
    timeZone: t.config.timeZone,
    logger: createLogger('silent'),
  });
  await next.tick();
  await next.stop();
  expect(await differences()).toEqual([]);
  expect((await levelOf(participantIds[1]!)).level).toBe('amber');
  expect((await agent.get('/admin/settings')).text).toContain('data-recompute-progress="finished"');
});
