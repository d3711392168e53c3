import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { seedDemo } from '../../src/demo/service';
import { PAUSED_COOK } from '../../src/demo/history';
import { createKysely } from '../../src/db/database';
import { backfillSnapshots, takeDailySnapshot } from '../../src/risk/snapshot';
import { riskJobs } from '../../src/risk/jobs';
import { assessRisk } from '../../src/risk/service';
import { findRiskStateDifferences } from '../../src/risk/state';
import { createJobRunner } from '../../src/platform/jobs';
import { FixedClock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createTestUser } from '../helpers/app';
import { RiskScenario, ZONE } from './helpers';

const NOW = DateTime.fromISO('2026-11-23T09:00:00', { zone: ZONE });

describe('the daily risk snapshot', () => {
  let database: TestDatabase;
  let scenario: RiskScenario;
  let coachId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    coachId = (await createTestUser(database, { role: 'coach', team: 'Team Snapshot' })).id;
    scenario = new RiskScenario(database.db, coachId, '2026-11-23');
    await scenario.setUp();
  });
  afterAll(async () => {
    await database.close();
  });

  async function snapshotRows(date: string) {
    return database.db
      .selectFrom('risk_snapshots')
      .selectAll()
      .where('snapshot_date', '=', date)
      .orderBy('participant_id')
      .execute();
  }

  test('stores one row per scored participant with coach, team, level and signals, once per day', async () => {
    const calm = await scenario.participant();
    const red = await scenario.participant({ reachedDaysAgo: 30 });
    const amber = await scenario.participant({ placement: false });
    const intake = await scenario.participant({ status: 'intake', trajectoryStartedDaysAgo: -5 });
    const teamId = (await database.db.selectFrom('users').select('team_id').where('id', '=', coachId).executeTakeFirstOrThrow())
      .team_id;

    // The fixtures wrote no stored risk state: the snapshot brings it up to date first (4 open participants).
    const first = await takeDailySnapshot(database.db, NOW, ZONE);
    expect(first).toEqual({ kind: 'taken', snapshotDate: '2026-11-23', participants: 3, refreshed: 4 });
    const rows = await snapshotRows('2026-11-23');
    expect(rows.map((row) => row.participant_id)).toEqual([calm, red, amber]);
    expect(rows.map((row) => row.participant_id)).not.toContain(intake);
    expect(rows.every((row) => row.coach_id === coachId && row.team_id === teamId)).toBe(true);
    expect(rows.map((row) => row.level)).toEqual(['none', 'red', 'amber']);
    expect(rows[1]!.signals).toEqual([{ signal: 'last_reached', level: 'red' }]);
    expect(rows[2]!.signals).toEqual([{ signal: 'no_active_placement', level: 'amber' }]);

    // Later the same day (even just before local midnight) nothing changes, even after new data.
    await scenario.participant({ reachedDaysAgo: 40 });
    const again = await takeDailySnapshot(database.db, NOW.set({ hour: 23, minute: 59 }), ZONE);
    expect(again).toEqual({ kind: 'exists', snapshotDate: '2026-11-23' });
    expect(await snapshotRows('2026-11-23')).toHaveLength(3);
    const run = await database.db
      .selectFrom('risk_snapshot_runs')
      .selectAll()
      .where('snapshot_date', '=', '2026-11-23')
      .executeTakeFirstOrThrow();
    expect(run.participants).toBe(3);
    expect(run.finished_at).not.toBeNull();

    // The next local day is a new snapshot: 00:30 Amsterdam is still 23:30 UTC the day before.
    const nextDay = await takeDailySnapshot(database.db, DateTime.fromISO('2026-11-23T23:30:00Z'), ZONE);
    expect(nextDay).toMatchObject({ kind: 'taken', snapshotDate: '2026-11-24', participants: 4 });
  });

  test('two processes starting at the same moment make one run and one set of rows', async () => {
    const secondPool = database.openPool();
    const second = createKysely(secondPool);
    const at = NOW.plus({ days: 5 });
    const outcomes = await Promise.all([takeDailySnapshot(database.db, at, ZONE), takeDailySnapshot(second, at, ZONE)]);
    const kinds = outcomes.map((outcome) => outcome.kind);
    expect(kinds.filter((kind) => kind === 'taken')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'exists' || kind === 'locked')).toHaveLength(1);
    const runs = await database.db
      .selectFrom('risk_snapshot_runs')
      .selectAll()
      .where('snapshot_date', '=', '2026-11-28')
      .execute();
    expect(runs).toHaveLength(1);
    const rows = await snapshotRows('2026-11-28');
    expect(rows).toHaveLength(runs[0]!.participants);
    expect(new Set(rows.map((row) => row.participant_id)).size).toBe(rows.length);
  });

  test('the snapshot job runs once a day after RISK_SNAPSHOT_AT (local time), at its first look after start too', async () => {
    const clock = new FixedClock(DateTime.fromISO('2026-12-01T01:59:00', { zone: ZONE }));
    const runner = createJobRunner({
      jobs: riskJobs(database.db, { timeZone: ZONE, snapshotAt: '02:00' }),
      clock,
      timeZone: ZONE,
      logger: createLogger('silent'),
    });
    const runs = () =>
      database.db.selectFrom('risk_snapshot_runs').selectAll().where('snapshot_date', '=', '2026-12-01').execute();
    try {
      await runner.tick();
      expect(await runs()).toHaveLength(0);
      clock.advance({ minutes: 1 });
      await runner.tick();
      expect(await runs()).toHaveLength(1);
      expect(await snapshotRows('2026-12-01')).not.toHaveLength(0);
      clock.advance({ hours: 5 });
      await runner.tick();
      expect(await runs()).toHaveLength(1);
    } finally {
      await runner.stop();
    }
    // A process started later that day finds the day done at its first look.
    const later = createJobRunner({
      jobs: riskJobs(database.db, { timeZone: ZONE, snapshotAt: '02:00' }),
      clock,
      timeZone: ZONE,
      logger: createLogger('silent'),
    });
    await later.tick();
    await later.stop();
    expect(await runs()).toHaveLength(1);
  });

  test("copies the stored risk state, which equals the engine's verdict of that day, weeks later too", async () => {
    const paused = await scenario.participant({ placement: false, reachedDaysAgo: 3 });
    await scenario.placement(paused, { hours: 32, status: 'paused', pausedDaysAgo: 6 });
    const dropped = await scenario.participant({ placement: false });
    await scenario.hoursFrom(await scenario.placement(dropped, { hours: 40, startedDaysAgo: 120 }), 10, 16);
    const unreached = await scenario.participant({ reachedDaysAgo: 9 });
    for (const daysAgo of [5, 3, 1]) await scenario.contact(unreached, daysAgo, 'not_reached');
    const low = await scenario.participant();
    await scenario.wellbeing(low, 2, 2, 1);
    await scenario.participant({ reachedDaysAgo: null, trajectoryStartedDaysAgo: 20 });

    // A day after the other tests', and three weeks on without any write: rows expire (thresholds
    // crossed) and the snapshot redoes them first.
    const first = NOW.plus({ days: 10 });
    for (const at of [first, first.plus({ days: 21 })]) {
      const outcome = await takeDailySnapshot(database.db, at, ZONE);
      expect(outcome).toMatchObject({ kind: 'taken' });
      const date = at.toISODate()!;
      expect(await findRiskStateDifferences(database.db, at, ZONE)).toEqual([]);
      const ids = (await database.db.selectFrom('participants').select('id').orderBy('id').execute()).map((row) => row.id);
      const engine = await assessRisk(database.db, ids, at, ZONE);
      const expected = [...engine]
        .map(([participantId, assessment]) => ({
          participant_id: participantId,
          level: assessment.level,
          signals: assessment.reasons.map((reason) => ({ signal: reason.signal, level: reason.level })),
        }))
        .sort((a, b) => a.participant_id - b.participant_id);
      const rows = (await snapshotRows(date)).map(({ participant_id, level, signals }) => ({ participant_id, level, signals }));
      expect(rows).toEqual(expected);
      expect(outcome).toMatchObject({ participants: expected.length });
      // Not all alike: the copy carries every level, and rows with several signals.
      if (at === first) expect(new Set(rows.map((row) => row.level))).toEqual(new Set(['none', 'amber', 'red']));
      expect(rows.some((row) => row.signals.length > 1)).toBe(true);
    }
  });
});

describe('the demo backfill', () => {
  test('12 weeks of weekly snapshots plus today, as of each day: the paused cook turns red in the last weeks', async () => {
    const database = await createTestDatabase();
    try {
      const today = DateTime.fromISO('2026-11-25T08:00:00', { zone: ZONE });
      // The demo seed backfills the snapshots itself; a second backfill finds every day done.
      await seedDemo(database.db, today);
      const outcomes = await backfillSnapshots(database.db, today, 12, ZONE);
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(Array(13).fill('exists'));
      const runs = await database.db.selectFrom('risk_snapshot_runs').select('snapshot_date').orderBy('snapshot_date').execute();
      expect(runs.map((run) => run.snapshot_date)).toEqual(
        [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((weeks) => today.minus({ weeks }).toISODate()),
      );

      const cook = await database.db
        .selectFrom('participants')
        .select('id')
        .where('first_name', '=', PAUSED_COOK.firstName)
        .where('last_name', '=', PAUSED_COOK.lastName)
        .executeTakeFirstOrThrow();
      const levels = await database.db
        .selectFrom('risk_snapshots')
        .select(['snapshot_date', 'level', 'signals'])
        .where('participant_id', '=', cook.id)
        .orderBy('snapshot_date')
        .execute();
      expect(levels).toHaveLength(13);
      // Calm three months ago; none of his story's signals before the restaurant closed (five weeks
      // ago); red from four weeks ago on, with the hours drop, and the unreached streak at the end.
      const story = ['last_reached', 'unreached_in_a_row', 'no_active_placement', 'hours_drop'];
      expect(levels.slice(0, 5).map((row) => row.level)).toEqual(['none', 'none', 'none', 'none', 'none']);
      for (const row of levels.slice(0, 7)) expect(row.signals.filter((signal) => story.includes(signal.signal))).toEqual([]);
      expect(levels.slice(8).map((row) => row.level)).toEqual(['red', 'red', 'red', 'red', 'red']);
      for (const row of levels.slice(8)) expect(row.signals).toContainEqual({ signal: 'hours_drop', level: 'red' });
      expect(levels[11]!.signals).toContainEqual({ signal: 'unreached_in_a_row', level: 'red' });
      // Today's row is the engine's own verdict: every designed signal.
      expect(levels[12]!.signals.map((signal) => signal.signal).sort()).toEqual(
        ['hours_drop', 'last_reached', 'no_active_placement', 'unreached_in_a_row', 'wellbeing'].sort(),
      );

      // Calling it again changes nothing.
      const count = async () =>
        (
          await database.db
            .selectFrom('risk_snapshots')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n;
      const before = await count();
      expect((await backfillSnapshots(database.db, today, 12, ZONE)).map((outcome) => outcome.kind)).toEqual(
        Array(13).fill('exists'),
      );
      expect(await count()).toBe(before);

      // The trend's per-coach tallies (kept by triggers) equal the rows, also after rows go.
      const talliesAgainstRows = async () => {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from (
            select snapshot_date, coach_id, count(*)::int as scored,
              count(*) filter (where level = 'red')::int as red, count(*) filter (where level = 'amber')::int as amber
            from risk_snapshots group by 1, 2
          ) counted
          full join risk_snapshot_tallies t using (snapshot_date, coach_id)
          where counted.scored is distinct from t.scored and not (counted.scored is null and t.scored = 0)
            or counted.red is distinct from t.red and not (counted.red is null and t.red = 0)
            or counted.amber is distinct from t.amber and not (counted.amber is null and t.amber = 0)
        `.execute(database.db);
        // And the organisation's day totals: a row per day with rows, none for a day without.
        const days = await sql<{ n: number }>`
          select count(*)::int as n from (
            select snapshot_date, count(*)::int as scored,
              count(*) filter (where level = 'red')::int as red, count(*) filter (where level = 'amber')::int as amber
            from risk_snapshots group by 1
          ) counted
          full join risk_snapshot_day_tallies t using (snapshot_date)
          where counted.scored is distinct from t.scored or counted.red is distinct from t.red
            or counted.amber is distinct from t.amber
        `.execute(database.db);
        return rows[0]!.n + days.rows[0]!.n;
      };
      expect(await database.db.selectFrom('risk_snapshot_tallies').select('coach_id').execute()).not.toHaveLength(0);
      expect(await talliesAgainstRows()).toBe(0);
      await database.db.deleteFrom('risk_snapshots').where('participant_id', '=', cook.id).execute();
      await database.db.updateTable('risk_snapshots').set({ level: 'red' }).where('level', '=', 'amber').execute();
      expect(await talliesAgainstRows()).toBe(0);
      await database.db.deleteFrom('risk_snapshots').where('snapshot_date', '=', today.toISODate()!).execute();
      expect(await talliesAgainstRows()).toBe(0);
    } finally {
      await database.close();
    }
  });
});
