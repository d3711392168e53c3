import { DateTime } from 'luxon';
import { assessRisk, DEFAULT_RISK_SETTINGS, describeReason, type RiskReason, type RiskSettings } from '../../src/risk/service';
import { findRiskStateDifferences, keepRiskStatesCurrent, refreshRiskStates } from '../../src/risk/state';
import { translatorFor } from '../../src/messages';
import { createFormatters } from '../../src/lib/format';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createTestUser } from '../helpers/app';
import { insertCommissioner, insertEmployer, insertParticipant, insertPlacement, insertTrajectory } from '../helpers/fixtures';

// end_of_trajectory at its day boundaries (src/risk/README.md): amber from the warning period's
// first day (planned end − 30 days) while no next step is recorded, red from the day after the
// planned end while the trajectory has no recorded end or the placement has not ended. Days are
// the organisation's calendar days, also on the days the clocks change (25-10-2026 and 28-03-2027
// in Amsterdam and Brussels): at 00:00:01 local time the UTC date is still the day before.

let database: TestDatabase;
let coachId: number;
let uwv: number;
let kringwinkel: number;
let counter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  coachId = (await createTestUser(database, { role: 'coach' })).id;
  uwv = await insertCommissioner(database.db, { name: 'UWV', kind: 'uwv' });
  kringwinkel = await insertEmployer(database.db, { name: 'Kringwinkel Gent', sector: 'retail', city: 'Gent' });
});
afterAll(() => database.close());

const db = () => database.db;

/** A participant in a trajectory since 2026-01-01 with a placement since 2026-01-15; planned ends as given. */
async function participant(options: {
  trajectoryEnd?: string | null;
  placementEnd?: string | null;
  trajectoryClosedOn?: string | null;
  outcome?: 'handover' | 'regular_job' | null;
}): Promise<{ id: number; trajectoryId: number; placementId: number }> {
  counter += 1;
  const id = await insertParticipant(db(), {
    first_name: 'Lien',
    last_name: `Einde ${counter}`,
    coach_id: coachId,
    status: 'active',
  });
  const trajectoryId = await insertTrajectory(db(), {
    participant_id: id,
    commissioner_id: uwv,
    kind: 'work_experience',
    granted_hours: 60,
    start_date: '2026-01-01',
    planned_end_date: options.trajectoryEnd ?? null,
    actual_end_date: options.trajectoryClosedOn ?? null,
    outcome: options.outcome ?? null,
  });
  const placementId = await insertPlacement(
    db(),
    {
      participant_id: id,
      employer_id: kringwinkel,
      kind: 'work_experience',
      job_title: 'Winkelmedewerker',
      start_date: '2026-01-15',
      planned_end_date: options.placementEnd ?? null,
    },
    { hoursPerWeek: 19 },
  );
  return { id, trajectoryId, placementId };
}

const local = (iso: string, zone = 'Europe/Amsterdam') => DateTime.fromISO(iso, { zone });

async function endReason(id: number, now: DateTime, zone = 'Europe/Amsterdam', settings: RiskSettings = DEFAULT_RISK_SETTINGS) {
  const assessment = (await assessRisk(db(), [id], now, zone, settings)).get(id);
  return assessment?.reasons.find(
    (reason): reason is Extract<RiskReason, { signal: 'end_of_trajectory' }> => reason.signal === 'end_of_trajectory',
  );
}

const words = (reason: RiskReason | undefined, language: 'nl' | 'en') =>
  reason ? describeReason(reason, translatorFor(language), createFormatters(language, 'Europe/Amsterdam')) : undefined;

describe('a trajectory planned to end on 25-10-2026, the day winter time starts (Europe/Amsterdam)', () => {
  let id: number;
  beforeAll(async () => {
    ({ id } = await participant({ trajectoryEnd: '2026-10-25' }));
  });

  test('no signal up to the day before the warning period (25-09)', async () => {
    expect(await endReason(id, local('2026-09-24T23:59:59'))).toBeUndefined();
  });

  test('amber from 25-09, 30 days before, up to the planned end itself', async () => {
    const first = await endReason(id, local('2026-09-25T00:00:01'));
    expect(first).toEqual({
      signal: 'end_of_trajectory',
      level: 'amber',
      figures: { ends: [{ kind: 'trajectory', name: 'UWV', plannedEnd: '2026-10-25', daysLeft: 30, level: 'amber' }] },
    });
    expect(words(first, 'nl')).toBe('traject UWV loopt af op 25-10-2026, over 30 dagen; nog geen vervolgstap vastgelegd');
    const lastDay = await endReason(id, local('2026-10-25T23:59:59'));
    expect(lastDay?.level).toBe('amber');
    expect(words(lastDay, 'nl')).toBe('traject UWV loopt vandaag af (25-10-2026); nog geen vervolgstap vastgelegd');
    expect(words(lastDay, 'en')).toBe('trajectory UWV ends today (25/10/2026); no next step recorded');
  });

  test('red from 26-10 00:00 local time, while UTC still says 25-10', async () => {
    const now = local('2026-10-26T00:00:01');
    expect(now.toUTC().toISODate()).toBe('2026-10-25');
    const red = await endReason(id, now);
    expect(red?.level).toBe('red');
    expect(words(red, 'nl')).toBe('traject UWV zou aflopen op 25-10-2026, 1 dag geleden, en is niet afgesloten');
    expect(words(await endReason(id, local('2027-01-23T12:00')), 'en')).toBe(
      'trajectory UWV was planned to end on 25/10/2026, 90 days ago, and has not been closed',
    );
  });

  test('the warning period is a setting', async () => {
    const settings = { ...DEFAULT_RISK_SETTINGS, endWarningDays: 10 };
    expect(await endReason(id, local('2026-10-14T23:59'), 'Europe/Amsterdam', settings)).toBeUndefined();
    expect((await endReason(id, local('2026-10-15T00:01'), 'Europe/Amsterdam', settings))?.level).toBe('amber');
  });
});

describe('a placement planned to end on 28-03-2027, the day summer time starts (Europe/Brussels)', () => {
  const brussels = (iso: string) => local(iso, 'Europe/Brussels');
  let id: number;
  beforeAll(async () => {
    ({ id } = await participant({ placementEnd: '2027-03-28' }));
  });

  test('amber from 26-02 (30 days before) at midnight local time, which is 25-02 in UTC', async () => {
    expect(await endReason(id, brussels('2027-02-25T23:59:59'), 'Europe/Brussels')).toBeUndefined();
    const now = brussels('2027-02-26T00:00:01');
    expect(now.toUTC().toISODate()).toBe('2027-02-25');
    const amber = await endReason(id, now, 'Europe/Brussels');
    expect(amber?.level).toBe('amber');
    expect(words(amber, 'nl')).toBe(
      'plaatsing bij Kringwinkel Gent loopt af op 28-03-2027, over 30 dagen; nog geen vervolgstap vastgelegd',
    );
  });

  test('still amber at 23:59 on the 23-hour day itself, red one second after midnight', async () => {
    expect((await endReason(id, brussels('2027-03-28T23:59:59'), 'Europe/Brussels'))?.level).toBe('amber');
    const now = brussels('2027-03-29T00:00:01');
    expect(now.toUTC().toISO()).toBe('2027-03-28T22:00:01.000Z');
    const red = await endReason(id, now, 'Europe/Brussels');
    expect(red?.figures.ends).toEqual([
      { kind: 'placement', name: 'Kringwinkel Gent', plannedEnd: '2027-03-28', daysLeft: -1, level: 'red' },
    ]);
    expect(words(red, 'en')).toBe(
      'placement at Kringwinkel Gent was planned to end on 28/03/2027, 1 day ago, and has not been ended',
    );
  });
});

describe('a next step silences amber, not red', () => {
  const now = local('2026-11-10T12:00');

  test('a new placement starting on or after the first day of the warning period', async () => {
    // Planned end 30-11: the warning period starts on 31-10.
    const onTime = await participant({ trajectoryEnd: '2026-11-30' });
    await insertPlacement(db(), {
      participant_id: onTime.id,
      employer_id: kringwinkel,
      kind: 'paid_job',
      job_title: 'Kassa',
      start_date: '2026-10-31',
    });
    expect(await endReason(onTime.id, now)).toBeUndefined();
    const tooEarly = await participant({ trajectoryEnd: '2026-11-30' });
    await insertPlacement(db(), {
      participant_id: tooEarly.id,
      employer_id: kringwinkel,
      kind: 'paid_job',
      job_title: 'Kassa',
      start_date: '2026-10-30',
    });
    expect((await endReason(tooEarly.id, now))?.level).toBe('amber');
    // Past the planned end the trajectory is still open: red whatever follows.
    expect((await endReason(onTime.id, local('2026-12-01T08:00')))?.level).toBe('red');
  });

  test('a handover recorded on the trajectory is the next step of a placement; a trajectory with a recorded end is not flagged', async () => {
    const handedOver = await participant({
      trajectoryEnd: '2026-11-15',
      placementEnd: '2026-11-30',
      trajectoryClosedOn: '2026-12-31',
      outcome: 'handover',
    });
    expect(await endReason(handedOver.id, now)).toBeUndefined();
    const otherOutcome = await participant({
      trajectoryEnd: '2026-11-15',
      placementEnd: '2026-11-30',
      trajectoryClosedOn: '2026-12-31',
      outcome: 'regular_job',
    });
    expect((await endReason(otherOutcome.id, now))?.figures.ends.map((end) => end.kind)).toEqual(['placement']);
  });

  test('a new trajectory is the next step of a placement', async () => {
    const { id } = await participant({ placementEnd: '2026-11-30', trajectoryClosedOn: '2026-11-01', outcome: 'regular_job' });
    await insertTrajectory(db(), {
      participant_id: id,
      commissioner_id: uwv,
      kind: 'jobcoaching',
      granted_hours: 10,
      start_date: '2026-11-02',
    });
    expect(await endReason(id, now)).toBeUndefined();
  });

  test('an ended placement is not flagged, and both ends are listed nearest first with their own level', async () => {
    const ended = await participant({ placementEnd: '2026-11-01' });
    await db()
      .updateTable('placements')
      .set({ status: 'ended', end_date: '2026-11-30' })
      .where('id', '=', ended.placementId)
      .execute();
    expect(await endReason(ended.id, now)).toBeUndefined();
    const both = await participant({ trajectoryEnd: '2026-11-20', placementEnd: '2026-11-01' });
    const reason = await endReason(both.id, now);
    expect(reason?.level).toBe('red');
    expect(reason?.figures.ends.map((end) => [end.kind, end.level, end.daysLeft])).toEqual([
      ['placement', 'red', -9],
      ['trajectory', 'amber', 10],
    ]);
    expect(words(reason, 'nl')).toBe(
      'plaatsing bij Kringwinkel Gent zou eindigen op 01-11-2026, 9 dagen geleden, en is niet beëindigd; traject UWV loopt af op 20-11-2026, over 10 dagen; nog geen vervolgstap vastgelegd',
    );
  });
});

describe('the stored state across the clock change', () => {
  test('valid_until is the first amber day, then the day after the planned end; the upkeep moves the row on', async () => {
    const { id } = await participant({ placementEnd: '2026-10-25' });
    const stored = async () =>
      db()
        .selectFrom('participant_risk_states')
        .select(['level', 'valid_until', 'planned_end_on', 'reasons'])
        .where('participant_id', '=', id)
        .executeTakeFirstOrThrow();
    const check = async (now: DateTime) => {
      await keepRiskStatesCurrent(db(), now, 'Europe/Amsterdam');
      const differences = await findRiskStateDifferences(db(), now, 'Europe/Amsterdam');
      expect(differences.filter((difference) => difference.participantId === id)).toEqual([]);
      return stored();
    };
    // Reached never: last_reached runs from the start (long red); only the planned end's days matter here.
    const before = local('2026-09-20T10:00');
    await db()
      .transaction()
      .execute((trx) => refreshRiskStates(trx, [id], before, 'Europe/Amsterdam'));
    const endOf = (row: Awaited<ReturnType<typeof stored>>) =>
      (row.reasons as RiskReason[]).find((reason) => reason.signal === 'end_of_trajectory')?.level ?? null;
    let row = await stored();
    expect([row.planned_end_on, row.valid_until, endOf(row)]).toEqual(['2026-10-25', '2026-09-25', null]);
    row = await check(local('2026-09-25T00:00:01'));
    expect([row.valid_until, endOf(row)]).toEqual(['2026-10-26', 'amber']);
    row = await check(local('2026-10-25T23:59:59'));
    expect([row.valid_until, endOf(row)]).toEqual(['2026-10-26', 'amber']);
    row = await check(local('2026-10-26T00:00:01'));
    expect(endOf(row)).toBe('red');
    expect(row.valid_until === null || row.valid_until > '2026-10-26').toBe(true);
  });
});
