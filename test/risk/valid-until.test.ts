import { DateTime } from 'luxon';
import { assessmentOn, DEFAULT_RISK_SETTINGS, evaluateRisk, validUntil, type RiskStateFacts } from '../../src/risk/service';
import type { PlacementFactsRow, PlannedEndFactsRow, RiskSettings } from '../../src/risk/queries';

// validUntil at every threshold: a row scored the day before a threshold is valid until the
// threshold day, and the row scored on that day looks past it. Each scenario also walks day by day
// and checks the reason valid_until exists: until that day the stored assessment, with its day
// counts moved on (assessmentOn), equals a fresh evaluation; on that day it no longer does.

const plus = (iso: string, days: number) => DateTime.fromISO(iso, { zone: 'utc' }).plus({ days }).toISODate()!;

const ACTIVE: PlacementFactsRow = {
  placementId: 1,
  participantId: 1,
  status: 'active',
  employerName: 'Kringloop',
  pausedSince: null,
  hoursNow: 20,
  hoursThen: 20,
};

function facts(options: {
  reachedOn?: string | null;
  nextContactDate?: string | null;
  placements?: PlacementFactsRow[];
  nextChangeOn?: string | null;
  ends?: PlannedEndFactsRow[];
}): RiskStateFacts {
  return {
    contact: {
      participantId: 1,
      trajectoryStartDate: '2026-09-01',
      reachedOn: options.reachedOn === undefined ? '2026-11-01' : options.reachedOn,
      unreachedCount: 0,
      lastUnreachedOn: null,
      nextContactDate: options.nextContactDate ?? null,
      wellbeing: [],
      ends: options.ends ?? [],
    },
    placements: options.placements ?? [ACTIVE],
    nextChangeOn: options.nextChangeOn ?? null,
  };
}

const evaluate = (f: RiskStateFacts, day: string, settings: RiskSettings) =>
  evaluateRisk(
    { contact: { ...f.contact, trajectoryStartDate: f.contact.trajectoryStartDate! }, placements: f.placements },
    day,
    settings,
  );

interface Scenario {
  name: string;
  facts: RiskStateFacts;
  settings: RiskSettings;
  /** The days on which time alone changes the assessment, in order. */
  thresholds: string[];
}

const NO_PLACEMENT_SETTINGS = { ...DEFAULT_RISK_SETTINGS, noPlacementRedDays: 10 };
const scenarios: Scenario[] = [
  {
    // Reached 01-11: amber after 14 days, red after 28.
    name: 'last reached',
    facts: facts({}),
    settings: DEFAULT_RISK_SETTINGS,
    thresholds: ['2026-11-15', '2026-11-29'],
  },
  {
    // Never reached: counted from the start of the trajectory (01-09).
    name: 'never reached',
    facts: facts({ reachedOn: null }),
    settings: DEFAULT_RISK_SETTINGS,
    thresholds: ['2026-09-15', '2026-09-29'],
  },
  {
    // No active placement: red after 10 days (set apart from the last-reached 14 and 28).
    name: 'no active placement',
    facts: facts({ placements: [] }),
    settings: NO_PLACEMENT_SETTINGS,
    thresholds: ['2026-11-11', '2026-11-15', '2026-11-29'],
  },
  {
    // Planned on 22-11: overdue amber 2 days later, red 7 days later; reached 20-11 crosses 04-12 and 18-12.
    name: 'follow-up overdue',
    facts: facts({ reachedOn: '2026-11-20', nextContactDate: '2026-11-22' }),
    settings: DEFAULT_RISK_SETTINGS,
    thresholds: ['2026-11-24', '2026-11-29', '2026-12-04', '2026-12-18'],
  },
  {
    // A trajectory planned to end 31-01-2027, nothing after it: amber from 01-01 (30 days before), red from 01-02.
    name: 'planned end, no next step',
    facts: facts({ ends: [{ kind: 'trajectory', id: 1, name: 'UWV', plannedEnd: '2027-01-31', nextStepOn: null }] }),
    settings: DEFAULT_RISK_SETTINGS,
    thresholds: ['2026-11-15', '2026-11-29', '2027-01-01', '2027-02-01'],
  },
  {
    // A placement starting 10-01 is recorded: no amber, but red once the planned end has passed.
    name: 'planned end with a next step',
    facts: facts({ ends: [{ kind: 'trajectory', id: 1, name: 'UWV', plannedEnd: '2027-01-31', nextStepOn: '2027-01-10' }] }),
    settings: DEFAULT_RISK_SETTINGS,
    thresholds: ['2026-11-15', '2026-11-29', '2027-02-01'],
  },
  {
    // A placement ending on 25-10-2026, the day winter time starts; a week's warning (from 18-10).
    name: 'placement planned end across the clock change',
    facts: facts({
      reachedOn: '2026-10-01',
      ends: [{ kind: 'placement', id: 1, name: 'Kringwinkel', plannedEnd: '2026-10-25', nextStepOn: '2026-09-01' }],
    }),
    settings: { ...DEFAULT_RISK_SETTINGS, endWarningDays: 7 },
    thresholds: ['2026-10-15', '2026-10-18', '2026-10-26', '2026-10-29'],
  },
];

describe.each(scenarios)('$name', ({ facts: f, settings, thresholds }) => {
  test.each(thresholds)('the day before %s is valid until it; on it the row looks past it', (threshold) => {
    const next = thresholds[thresholds.indexOf(threshold) + 1] ?? null;
    expect(validUntil(f, plus(threshold, -1), settings)).toBe(threshold);
    expect(validUntil(f, threshold, settings)).toBe(next);
  });

  test('every day until valid_until reads like a fresh evaluation, and valid_until itself does not', () => {
    const first = f.contact.reachedOn ?? f.contact.trajectoryStartDate!;
    const last = plus(thresholds[thresholds.length - 1]!, 5);
    for (let scoredOn = first; scoredOn <= last; scoredOn = plus(scoredOn, 1)) {
      const stored = evaluate(f, scoredOn, settings);
      const until = validUntil(f, scoredOn, settings);
      expect(until).toBe(thresholds.find((day) => day > scoredOn) ?? null);
      const end = until ?? plus(last, 30);
      for (let day = plus(scoredOn, 1); day < end; day = plus(day, 1)) {
        expect({ scoredOn, day, ...assessmentOn(stored, scoredOn, day) }).toEqual({
          scoredOn,
          day,
          ...evaluate(f, day, settings),
        });
      }
      if (until !== null) expect(assessmentOn(stored, scoredOn, until)).not.toEqual(evaluate(f, until, settings));
    }
  });
});

describe('a dated change in the data (nextChangeOn)', () => {
  test('the day before it is valid until that day; on the day it no longer counts', () => {
    // Reached today, so no threshold comes before the change on 01-12.
    const f = facts({ reachedOn: '2026-11-25', nextChangeOn: '2026-12-01' });
    expect(validUntil(f, '2026-11-30', DEFAULT_RISK_SETTINGS)).toBe('2026-12-01');
    // On that day the query gives the next change or null; an old one no longer holds the row back.
    expect(validUntil(f, '2026-12-01', DEFAULT_RISK_SETTINGS)).toBe('2026-12-09');
  });

  test('an earlier threshold comes first', () => {
    const f = facts({ nextChangeOn: '2026-12-20' });
    expect(validUntil(f, '2026-11-10', DEFAULT_RISK_SETTINGS)).toBe('2026-11-15');
  });

  test('nothing left to cross: null', () => {
    expect(validUntil(facts({}), '2026-11-29', DEFAULT_RISK_SETTINGS)).toBeNull();
  });
});
