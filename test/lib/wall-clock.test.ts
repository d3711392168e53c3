import { DateTime } from 'luxon';
import { steadyOffsetOnDay, wallClockAt } from '../../src/lib/wall-clock';
import { organisationToday } from '../../src/lib/viewer';
import { FixedClock } from '../../src/lib/clock';

/** What luxon (the reference) reads on the zone's wall clock at an instant, in wallClockAt's shape. */
function luxonWallClock(ms: number, zone: string) {
  const at = DateTime.fromMillis(ms, { zone });
  if (at.year < 1000 || at.year > 9999) return null;
  return {
    year: String(at.year),
    month: at.toFormat('MM'),
    day: at.toFormat('dd'),
    hour: at.toFormat('HH'),
    minute: at.toFormat('mm'),
  };
}

const shape = (wall: ReturnType<typeof wallClockAt>) =>
  wall && { year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute };

/**
 * Zones with what makes an offset memo go wrong: clock changes at 02:00 and 03:00 local, half-hour
 * and quarter-hour offsets, a half-hour daylight saving (Lord Howe), and an offset in seconds
 * (Monrovia until 1972: −00:44:30).
 */
const ZONES = [
  'Europe/Amsterdam',
  'Europe/Brussels',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Africa/Monrovia',
  'UTC',
];

describe('the wall clock at an instant', () => {
  test('reads what luxon reads, minute by minute around every clock change of 2026 and 1935 in seven zones', () => {
    const differences: string[] = [];
    let compared = 0;
    for (const zone of ZONES) {
      for (const year of [1935, 2026]) {
        // The instants at which the offset changes this year, found hour by hour.
        const start = Date.UTC(year, 0, 1);
        const changes: number[] = [];
        for (let ms = start; ms < Date.UTC(year + 1, 0, 1); ms += 3_600_000) {
          if (DateTime.fromMillis(ms, { zone }).offset !== DateTime.fromMillis(ms + 3_600_000, { zone }).offset) changes.push(ms);
        }
        // Every minute (and an odd second and millisecond) of the three hours around each, and
        // a few ordinary instants of the year, visited in an order that fills the memo first.
        const instants = [start + 17_000, Date.UTC(year, 6, 15, 12, 34, 56, 789)];
        for (const change of changes) {
          for (let ms = change - 3_600_000; ms <= change + 7_200_000; ms += 60_000) instants.push(ms, ms + 59_999, ms + 31_001);
        }
        for (const ms of [...instants, ...instants.reverse()]) {
          compared += 1;
          const ours = shape(wallClockAt(new Date(ms), zone));
          const reference = luxonWallClock(ms, zone);
          if (JSON.stringify(ours) !== JSON.stringify(reference)) {
            differences.push(`${zone} ${new Date(ms).toISOString()}: ${JSON.stringify(ours)} ≠ ${JSON.stringify(reference)}`);
          }
        }
      }
    }
    expect(differences.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(15_000);
  });

  test('the summer-time hour that repeats reads as it happens: 02:30 twice in Amsterdam', () => {
    expect(shape(wallClockAt(new Date('2026-10-25T00:30:00Z'), 'Europe/Amsterdam'))?.hour).toBe('02');
    expect(shape(wallClockAt(new Date('2026-10-25T01:30:00Z'), 'Europe/Amsterdam'))?.hour).toBe('02');
    expect(shape(wallClockAt(new Date('2026-10-25T02:30:00Z'), 'Europe/Amsterdam'))?.hour).toBe('03');
  });

  test('leaves to luxon what is not a date of four-digit years', () => {
    expect(wallClockAt(new Date(Number.NaN), 'Europe/Amsterdam')).toBeNull();
    expect(wallClockAt(new Date('0999-06-01T12:00:00Z'), 'Europe/Amsterdam')).toBeNull();
    expect(wallClockAt(new Date(Date.UTC(10000, 0, 1)), 'Europe/Amsterdam')).toBeNull();
    // The last minute of year 9999 in UTC is already year 10000 in Amsterdam.
    expect(wallClockAt(new Date('9999-12-31T23:30:00Z'), 'Europe/Amsterdam')).toBeNull();
  });

  test('a steady offset is given only for days whose clock does not change, and it is the right one', () => {
    for (const zone of ZONES) {
      let steadyDays = 0;
      for (let day = DateTime.fromISO('2026-01-01', { zone }); day.year === 2026; day = day.plus({ days: 1 })) {
        const offset = steadyOffsetOnDay(day.toISODate()!, zone);
        const start = day.startOf('day');
        const end = day.endOf('day');
        if (start.offset !== end.offset) expect(offset).toBeNull();
        if (offset !== null) {
          steadyDays += 1;
          expect([offset, offset]).toEqual([start.offset, end.offset]);
        }
      }
      // Only the days around a clock change are left to luxon.
      expect(steadyDays).toBeGreaterThan(355);
    }
    // Monrovia's offset of 1935 had seconds (−00:44:30): no whole-minute arithmetic then.
    expect(steadyOffsetOnDay('1935-06-01', 'Africa/Monrovia')).toBeNull();
  });

  test("the organisation's today is luxon's, also around midnight and far from now", () => {
    for (const iso of [
      '2026-03-28T22:59:59.999Z',
      '2026-03-28T23:00:00Z',
      '2026-10-24T21:59:00Z',
      '2026-10-24T22:00:00Z',
      '1935-05-15T23:40:28Z',
      '+010000-01-01T00:00:00Z',
    ]) {
      const clock = new FixedClock(DateTime.fromISO(iso, { zone: 'utc' }));
      for (const zone of ZONES) {
        expect(organisationToday(clock, zone)).toBe(clock.now().setZone(zone).toISODate());
      }
    }
  });
});
