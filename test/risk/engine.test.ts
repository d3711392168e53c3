import { DateTime } from 'luxon';
import {
  DEFAULT_RISK_SETTINGS,
  assessRisk,
  describeReason,
  invalidateRiskSettingsCache,
  loadRiskSettings,
  saveRiskSettings,
  type RiskAssessment,
  type RiskSettings,
} from '../../src/risk/service';
import { translatorFor } from '../../src/messages';
import { createFormatters } from '../../src/lib/format';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createTestUser } from '../helpers/app';
import { RiskScenario, ZONE } from './helpers';
import { QueryCounter } from '../helpers/query-counter';

// Every rule of product.md's signal table at its boundaries, with the clock passed in.

const NOW = DateTime.fromISO('2026-11-25T12:00:00', { zone: ZONE });
const TODAY = '2026-11-25';

let database: TestDatabase;
let s: RiskScenario;

beforeAll(async () => {
  database = await createTestDatabase();
  const coach = await createTestUser(database, { role: 'coach' });
  s = new RiskScenario(database.db, coach.id, TODAY);
  await s.setUp();
});
afterAll(() => database.close());

async function assess(
  id: number,
  settings: RiskSettings = DEFAULT_RISK_SETTINGS,
  now = NOW,
): Promise<RiskAssessment | undefined> {
  return (await assessRisk(database.db, [id], now, ZONE, settings)).get(id);
}

/** signal → level, as the demo personas state them. */
async function signalsOf(id: number, settings?: RiskSettings, now: typeof NOW = NOW) {
  const assessment = await assess(id, settings, now);
  return Object.fromEntries((assessment?.reasons ?? []).map((reason) => [reason.signal, reason.level]));
}

const nl = translatorFor('nl');
const en = translatorFor('en');
const fmtNl = createFormatters('nl', ZONE);
const fmtEn = createFormatters('en', ZONE);

async function wordsOf(id: number, language: 'nl' | 'en' = 'nl'): Promise<string[]> {
  const assessment = await assess(id);
  return (assessment?.reasons ?? []).map((reason) =>
    language === 'nl' ? describeReason(reason, nl, fmtNl) : describeReason(reason, en, fmtEn),
  );
}

describe('a participant with nothing to worry about', () => {
  test('is scored with level none and no reasons', async () => {
    const id = await s.participant();
    expect(await assess(id)).toEqual({ participantId: id, level: 'none', reasons: [] });
  });
});

describe('days since last reached', () => {
  test.each([
    [13, {}],
    [14, { last_reached: 'amber' }],
    [27, { last_reached: 'amber' }],
    [28, { last_reached: 'red' }],
  ])('reached %i days ago', async (days, expected) => {
    const id = await s.participant({ reachedDaysAgo: days });
    expect(await signalsOf(id)).toEqual(expected);
  });

  test('only reaching the participant themself counts, not the employer or a failed call', async () => {
    const id = await s.participant({ reachedDaysAgo: 20 });
    await s.contact(id, 2, 'reached', { counterpart: 'employer', employer_id: s.employer, channel: 'workplace_visit' });
    await s.contact(id, 1, 'callback_requested');
    expect(await signalsOf(id)).toEqual({ last_reached: 'amber' });
    expect(await wordsOf(id)).toEqual(['laatst bereikt 20 dagen geleden (05-11-2026)']);
    expect(await wordsOf(id, 'en')).toEqual(['last reached 20 days ago (05/11/2026)']);
  });

  test('days are counted in the organisation time zone, not in UTC', async () => {
    // 23:30 in Amsterdam is still the previous day in UTC; just after midnight it is the next day.
    const id = await s.participant({ reachedDaysAgo: null });
    await s.contact(id, 14, 'reached', {
      hour: 23,
      occurred_at: DateTime.fromISO(`${s.day(14)}T23:30:00`, { zone: ZONE }).toJSDate(),
    });
    const justAfterMidnight = DateTime.fromISO(`${TODAY}T00:15:00`, { zone: ZONE });
    expect(await signalsOf(id, DEFAULT_RISK_SETTINGS, justAfterMidnight)).toEqual({ last_reached: 'amber' });
    const justBeforeMidnight = DateTime.fromISO(`${s.day(1)}T23:45:00`, { zone: ZONE });
    expect(await signalsOf(id, DEFAULT_RISK_SETTINGS, justBeforeMidnight)).toEqual({});
    // 00:30 in Amsterdam is the day before in UTC: 13 local days, which UTC would make 14.
    const earlyMorning = await s.participant({ reachedDaysAgo: null });
    await s.contact(earlyMorning, 13, 'reached', {
      occurred_at: DateTime.fromISO(`${s.day(13)}T00:30:00`, { zone: ZONE }).toJSDate(),
    });
    expect(await signalsOf(earlyMorning)).toEqual({});
  });

  test('never reached counts from the start of the trajectory: a new participant is not flagged on day one', async () => {
    const fresh = await s.participant({ reachedDaysAgo: null, trajectoryStartedDaysAgo: 3 });
    expect(await assess(fresh)).toEqual({ participantId: fresh, level: 'none', reasons: [] });
    const neverReached = await s.participant({ reachedDaysAgo: null, trajectoryStartedDaysAgo: 30 });
    expect(await signalsOf(neverReached)).toEqual({ last_reached: 'red' });
    expect(await wordsOf(neverReached)).toEqual([
      'nog nooit bereikt sinds de start van het traject, 30 dagen geleden (26-10-2026)',
    ]);
  });
});

describe('consecutive attempts not reached since the last reach', () => {
  test.each([
    [1, {}],
    [2, { unreached_in_a_row: 'amber' }],
    [3, { unreached_in_a_row: 'red' }],
    [5, { unreached_in_a_row: 'red' }],
  ])('%i failed attempts', async (attempts, expected) => {
    const id = await s.participant({ reachedDaysAgo: 6 });
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      await s.contact(id, 5 - attempt, attempt % 2 === 0 ? 'not_reached' : 'voicemail');
    }
    expect(await signalsOf(id)).toEqual(expected);
  });

  test('a reach ends the streak; call-back requests and attempts with others do not count', async () => {
    const id = await s.participant({ reachedDaysAgo: 9 });
    await s.contact(id, 8, 'not_reached');
    await s.contact(id, 8, 'not_reached', { hour: 11 });
    await s.contact(id, 7, 'reached');
    await s.contact(id, 6, 'not_reached');
    await s.contact(id, 5, 'callback_requested');
    await s.contact(id, 4, 'not_reached', { counterpart: 'family', channel: 'phone' });
    await s.contact(id, 3, 'voicemail');
    expect(await signalsOf(id)).toEqual({ unreached_in_a_row: 'amber' });
    expect(await wordsOf(id)).toEqual(['2 belpogingen op rij niet bereikt']);
    expect(await wordsOf(id, 'en')).toEqual(['2 calls in a row not reached']);
  });
});

describe('planned follow-up overdue', () => {
  test.each([
    [-3, {}],
    [0, {}],
    [1, {}],
    [2, { follow_up_overdue: 'amber' }],
    [6, { follow_up_overdue: 'amber' }],
    [7, { follow_up_overdue: 'red' }],
  ])('planned %i days ago', async (daysOverdue, expected) => {
    const id = await s.participant({ reachedDaysAgo: null });
    await s.contact(id, 10, 'reached', { next_contact_date: s.day(daysOverdue) });
    expect(await signalsOf(id)).toEqual(expected);
  });

  test('only the plan on the latest contact counts', async () => {
    const id = await s.participant({ reachedDaysAgo: null });
    await s.contact(id, 10, 'reached', { next_contact_date: s.day(8) });
    await s.contact(id, 2, 'reached');
    expect(await signalsOf(id)).toEqual({});
    const stillPlanned = await s.participant({ reachedDaysAgo: null });
    await s.contact(stillPlanned, 10, 'reached', { next_contact_date: s.day(8) });
    await s.contact(stillPlanned, 2, 'reached', { next_contact_date: s.day(3) });
    expect(await signalsOf(stillPlanned)).toEqual({ follow_up_overdue: 'amber' });
    expect(await wordsOf(stillPlanned)).toEqual(['vervolgcontact van 22-11-2026 is 3 dagen te laat']);
  });
});

describe('no active placement', () => {
  test.each([
    [13, { no_active_placement: 'amber' }],
    [14, { no_active_placement: 'red', last_reached: 'amber' }],
  ])('without a placement, reached %i days ago', async (days, expected) => {
    const id = await s.participant({ placement: false, reachedDaysAgo: days });
    expect(await signalsOf(id)).toEqual(expected);
  });

  test('a paused placement is not an active one, and the reason names it', async () => {
    const id = await s.participant({ placement: false, reachedDaysAgo: 3 });
    const placement = await s.placement(id, { hours: 16, status: 'paused', pausedDaysAgo: 20, startedDaysAgo: 40 });
    await s.hoursFrom(placement, 20, 0);
    expect(await signalsOf(id)).toEqual({ no_active_placement: 'amber' });
    expect(await wordsOf(id)).toEqual(['plaatsing bij Kringloop Noord gepauzeerd sinds 05-11-2026']);
  });

  test('an ended placement does not count; an active one of any kind does', async () => {
    const ended = await s.participant({ placement: false, reachedDaysAgo: 20 });
    await database.db
      .insertInto('placements')
      .values({
        participant_id: ended,
        employer_id: s.employer,
        kind: 'paid_job',
        job_title: 'Magazijn',
        start_date: s.day(100),
        end_date: s.day(30),
        status: 'ended',
      })
      .execute();
    expect(await signalsOf(ended)).toEqual({ no_active_placement: 'red', last_reached: 'amber' });
    expect(await wordsOf(ended)).toEqual([
      'laatst bereikt 20 dagen geleden (05-11-2026)',
      'geen actieve plaatsing of dagbesteding en 20 dagen niet bereikt',
    ]);
    expect((await wordsOf(ended, 'en'))[1]).toBe('no active placement or day activity and not reached for 20 days');

    const dayActivity = await s.participant({ placement: false, reachedDaysAgo: 3 });
    await database.db
      .insertInto('placements')
      .values({
        participant_id: dayActivity,
        employer_id: s.employer,
        kind: 'day_activity',
        job_title: 'Dagbesteding',
        start_date: s.day(50),
      })
      .execute();
    expect(await signalsOf(dayActivity)).toEqual({});
  });
});

describe('hours per week versus 8 weeks ago', () => {
  test.each([
    [40, 40, {}],
    [40, 21, {}],
    [40, 20, { hours_drop: 'amber' }],
    [40, 0.5, { hours_drop: 'amber' }],
    [40, 0, { hours_drop: 'red' }],
    [20, 40, {}],
  ])('from %d to %d hours', async (before, after, expected) => {
    const id = await s.participant({ placement: false });
    const placement = await s.placement(id, { hours: before, startedDaysAgo: 100 });
    await s.hoursFrom(placement, 20, after);
    expect(await signalsOf(id)).toEqual(expected);
  });

  test('sums active and paused placements, compares with exactly 8 weeks ago, and says it in words', async () => {
    const id = await s.participant({ placement: false });
    const first = await s.placement(id, { hours: 24, startedDaysAgo: 100 });
    const second = await s.placement(id, { hours: 16, startedDaysAgo: 100, status: 'paused', pausedDaysAgo: 10 });
    await s.hoursFrom(second, 10, 0);
    await s.hoursFrom(first, 56, 20); // on the comparison day itself: already in force then
    expect(await signalsOf(id)).toEqual({});
    const cut = await s.participant({ placement: false });
    const job = await s.placement(cut, { hours: 24, startedDaysAgo: 100 });
    const paused = await s.placement(cut, { hours: 16, startedDaysAgo: 100, status: 'paused', pausedDaysAgo: 10 });
    await s.hoursFrom(paused, 10, 0);
    await s.hoursFrom(job, 55, 0);
    expect(await signalsOf(cut)).toEqual({ hours_drop: 'red' });
    expect(await wordsOf(cut)).toEqual(['uren per week van 40 naar 0 (vergeleken met 8 weken geleden)']);
    expect(await wordsOf(cut, 'en')).toEqual(['hours per week from 40 to 0 (compared with 8 weeks ago)']);
  });

  test('a placement that started within the 8 weeks is no drop', async () => {
    const id = await s.participant({ placement: false });
    const placement = await s.placement(id, { hours: 30, startedDaysAgo: 30 });
    await s.hoursFrom(placement, 10, 10);
    expect(await signalsOf(id)).toEqual({});
  });
});

describe('latest wellbeing check', () => {
  test.each([
    ['social 3, rhythm 3', [[3, 3]], {}],
    ['social 2', [[2, 3]], { wellbeing: 'amber' }],
    ['rhythm 2', [[4, 2]], { wellbeing: 'amber' }],
    ['social 1, rhythm 5', [[1, 5]], { wellbeing: 'amber' }],
    ['both 2', [[2, 2]], { wellbeing: 'red' }],
    [
      'social 5 → 4 → 3 (drop of 2)',
      [
        [5, 3],
        [4, 3],
        [3, 3],
      ],
      { wellbeing: 'red' },
    ],
    [
      'rhythm 4 → 4 → 2 (drop of 2, and low)',
      [
        [3, 4],
        [3, 4],
        [3, 2],
      ],
      { wellbeing: 'red' },
    ],
    [
      'social 4 → 4 → 3 (drop of 1)',
      [
        [4, 3],
        [4, 3],
        [3, 3],
      ],
      {},
    ],
    [
      'a drop of 2 that began four checks ago',
      [
        [5, 3],
        [4, 3],
        [4, 3],
        [3, 3],
      ],
      {},
    ],
    [
      'an earlier low check, recovered since',
      [
        [1, 1],
        [3, 3],
      ],
      {},
    ],
  ])('%s', async (_label, checks, expected) => {
    const id = await s.participant({ reachedDaysAgo: null });
    for (const [index, [social, rhythm]] of checks.entries()) {
      await s.wellbeing(id, 10 - index, social!, rhythm!);
    }
    expect(await signalsOf(id)).toEqual(expected);
  });

  test('the reason gives the scores and the drop', async () => {
    const id = await s.participant({ reachedDaysAgo: null });
    await s.wellbeing(id, 9, 5, 3);
    await s.wellbeing(id, 5, 4, 3);
    await s.wellbeing(id, 2, 3, 3);
    expect(await wordsOf(id)).toEqual([
      'laatste welzijnscheck (23-11-2026): sociale contacten 3, dagritme 3; sociale contacten gedaald van 5 naar 3',
    ]);
    expect(await wordsOf(id, 'en')).toEqual([
      'latest wellbeing check (23/11/2026): social contacts 3, daily rhythm 3; social contacts down from 5 to 3',
    ]);
  });
});

describe('the level', () => {
  test('is the highest of the signals, with every reason kept', async () => {
    const id = await s.participant({ placement: false, reachedDaysAgo: 5 });
    await s.contact(id, 4, 'not_reached');
    await s.contact(id, 3, 'not_reached', { next_contact_date: s.day(1) });
    await s.contact(id, 2, 'voicemail', { next_contact_date: s.day(-1) });
    const assessment = await assess(id);
    expect(assessment!.level).toBe('red');
    expect(assessment!.reasons.map((reason) => [reason.signal, reason.level])).toEqual([
      ['unreached_in_a_row', 'red'],
      ['no_active_placement', 'amber'],
    ]);
    const amberOnly = await s.participant({ placement: false, reachedDaysAgo: 2 });
    expect((await assess(amberOnly))!.level).toBe('amber');
  });
});

describe('who is scored', () => {
  test('only participants in an active trajectory: open, started, and not closed', async () => {
    const scored = await s.participant({ placement: false, reachedDaysAgo: 40 });
    const paused = await s.participant({ status: 'paused', reachedDaysAgo: 40 });
    const closed = await s.participant({ reachedDaysAgo: 40 });
    await database.db
      .updateTable('trajectories')
      .set({ actual_end_date: s.day(2), outcome: 'dropout' })
      .where('participant_id', '=', closed)
      .execute();
    await database.db
      .updateTable('participants')
      .set({ status: 'closed', closed_on: s.day(2) })
      .where('id', '=', closed)
      .execute();
    const trajectoryEnded = await s.participant({ reachedDaysAgo: 40 });
    await database.db
      .updateTable('trajectories')
      .set({ actual_end_date: s.day(2), outcome: 'regular_job' })
      .where('participant_id', '=', trajectoryEnded)
      .execute();
    const notStarted = await s.participant({ reachedDaysAgo: 40, trajectoryStartedDaysAgo: -3 });
    const result = await assessRisk(
      database.db,
      [scored, paused, closed, trajectoryEnded, notStarted, 999_999],
      NOW,
      ZONE,
      DEFAULT_RISK_SETTINGS,
    );
    expect([...result.keys()].sort((a, b) => a - b)).toEqual([scored, paused].sort((a, b) => a - b));
    expect(result.get(scored)!.level).toBe('red');
  });

  test('no ids: no queries and an empty map', async () => {
    const counter = new QueryCounter();
    expect((await assessRisk(database.db.withPlugin(counter), [], NOW, ZONE)).size).toBe(0);
    expect(counter.count).toBe(0);
  });
});

describe('the number of queries', () => {
  test('does not grow with the number of participants', async () => {
    const ids: number[] = [];
    for (let index = 0; index < 25; index += 1) {
      const id = await s.participant({ placement: index % 2 === 0, reachedDaysAgo: index });
      await s.contact(id, 0, 'not_reached', { hour: 8 });
      await s.wellbeing(id, 3, 2 + (index % 3), 3);
      ids.push(id);
    }
    const counts: number[] = [];
    for (const batch of [ids.slice(0, 1), ids.slice(0, 5), ids]) {
      const counter = new QueryCounter();
      const result = await assessRisk(database.db.withPlugin(counter), batch, NOW, ZONE, DEFAULT_RISK_SETTINGS);
      expect(result.size).toBe(batch.length);
      counts.push(counter.count);
    }
    expect(counts).toEqual([2, 2, 2]);

    // Without settings passed in: one more query to load them, then they come from the cache.
    const counter = new QueryCounter();
    const counted = database.db.withPlugin(counter);
    await assessRisk(counted, ids, NOW, ZONE);
    expect(counter.count).toBe(3);
    await assessRisk(counted, ids, NOW, ZONE);
    expect(counter.count).toBe(5);
  });
});

describe('settings', () => {
  test('other thresholds give another outcome', async () => {
    const id = await s.participant({ reachedDaysAgo: 15 });
    expect(await signalsOf(id)).toEqual({ last_reached: 'amber' });
    expect(await signalsOf(id, { ...DEFAULT_RISK_SETTINGS, lastReachedAmberDays: 16, lastReachedRedDays: 30 })).toEqual({});
    expect(await signalsOf(id, { ...DEFAULT_RISK_SETTINGS, lastReachedAmberDays: 7, lastReachedRedDays: 15 })).toEqual({
      last_reached: 'red',
    });

    const hours = await s.participant({ placement: false });
    const placement = await s.placement(hours, { hours: 40, startedDaysAgo: 200 });
    await s.hoursFrom(placement, 70, 10);
    expect(await signalsOf(hours)).toEqual({});
    expect(await signalsOf(hours, { ...DEFAULT_RISK_SETTINGS, hoursLookbackWeeks: 12 })).toEqual({ hours_drop: 'amber' });
    expect(await signalsOf(hours, { ...DEFAULT_RISK_SETTINGS, hoursLookbackWeeks: 12, hoursDropRedPercent: 75 })).toEqual({
      hours_drop: 'red',
    });

    const wellbeing = await s.participant({ reachedDaysAgo: null });
    await s.wellbeing(wellbeing, 9, 5, 3);
    await s.wellbeing(wellbeing, 6, 4, 3);
    await s.wellbeing(wellbeing, 4, 4, 3);
    await s.wellbeing(wellbeing, 2, 3, 3);
    expect(await signalsOf(wellbeing)).toEqual({});
    expect(await signalsOf(wellbeing, { ...DEFAULT_RISK_SETTINGS, wellbeingDropChecks: 4 })).toEqual({ wellbeing: 'red' });
    expect(await signalsOf(wellbeing, { ...DEFAULT_RISK_SETTINGS, wellbeingLowScore: 3 })).toEqual({ wellbeing: 'red' });
  });

  test('loadRiskSettings starts from the defaults, caches, and a save takes effect at once', async () => {
    invalidateRiskSettingsCache(database.db);
    expect(await loadRiskSettings(database.db)).toEqual(DEFAULT_RISK_SETTINGS);
    const id = await s.participant({ reachedDaysAgo: 15 });
    expect((await assessRisk(database.db, [id], NOW, ZONE)).get(id)!.level).toBe('amber');

    // A change behind the cache's back (as another process would make) is not seen until it expires.
    await database.db.updateTable('risk_settings').set({ last_reached_amber_days: 20, last_reached_red_days: 40 }).execute();
    expect((await loadRiskSettings(database.db)).lastReachedAmberDays).toBe(14);
    invalidateRiskSettingsCache(database.db);
    expect((await loadRiskSettings(database.db)).lastReachedAmberDays).toBe(20);
    expect((await assessRisk(database.db, [id], NOW, ZONE)).get(id)!.level).toBe('none');

    const admin = await createTestUser(database, { role: 'admin' });
    const { version } = await database.db.selectFrom('risk_settings').select('version').executeTakeFirstOrThrow();
    const saved = await saveRiskSettings(
      database.db,
      { userId: admin.id },
      { ...DEFAULT_RISK_SETTINGS, lastReachedAmberDays: 10, version },
      NOW.toJSDate(),
    );
    expect(saved).toEqual({ kind: 'saved' });
    expect((await assessRisk(database.db, [id], NOW, ZONE)).get(id)!.reasons).toEqual([
      { signal: 'last_reached', level: 'amber', figures: { days: 15, reachedOn: s.day(15), trajectoryStartDate: s.day(300) } },
    ]);
    const stale = await saveRiskSettings(
      database.db,
      { userId: admin.id },
      { ...DEFAULT_RISK_SETTINGS, version },
      NOW.toJSDate(),
    );
    expect(stale.kind).toBe('conflict');
    await database.db
      .updateTable('risk_settings')
      .set((eb) => ({ ...{ last_reached_amber_days: 14, last_reached_red_days: 28 }, version: eb('version', '+', 1) }))
      .execute();
    invalidateRiskSettingsCache(database.db);
  });
});
