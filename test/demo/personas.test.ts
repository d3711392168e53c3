import { DateTime } from 'luxon';
import { seedDemo } from '../../src/demo/service';
import { DEMO_PERSONAS } from '../../src/demo/history';
import { createTestDatabase } from '../helpers/database';
import { participantFigures, signalsOf, todaySectionOf } from './figures';

// The personas are written in days before today, and the demo is seeded on whatever day it is
// started. Their scripted contacts avoid weekends, which moves them by a day or two: each persona
// must still show exactly its signals on any weekday, and across the changes of daylight saving time.

describe.each([
  ['a Wednesday', '2026-11-25T08:00:00'],
  ['a Saturday, the day before summer time starts', '2026-03-28T12:00:00'],
  ['a Sunday, the day winter time starts', '2026-10-25T23:30:00'],
])('the demo seeded on %s', (_label, startedAt) => {
  const today = DateTime.fromISO(startedAt, { zone: 'Europe/Amsterdam' });
  const todayIso = today.toISODate()!;

  test('every persona shows exactly its signals and sits in its /today section', async () => {
    const database = await createTestDatabase();
    try {
      await seedDemo(database.db, today);
      const people = await database.db.selectFrom('participants').select(['id', 'first_name', 'last_name']).execute();
      const figures = await participantFigures(
        database.db,
        people.map((person) => person.id),
        todayIso,
      );
      const shown = DEMO_PERSONAS.map((persona) => {
        const person = people.find(
          (candidate) => candidate.first_name === persona.firstName && candidate.last_name === persona.lastName,
        )!;
        const figure = figures.get(person.id)!;
        return { key: persona.key, signals: signalsOf(figure), today: todaySectionOf(figure) };
      });
      expect(shown).toEqual(
        DEMO_PERSONAS.map((persona) => ({ key: persona.key, signals: persona.signals, today: persona.today })),
      );

      const latest = await database.db
        .selectFrom('contact_moments')
        .select((eb) => eb.fn.max('occurred_at').as('at'))
        .executeTakeFirstOrThrow();
      expect(DateTime.fromJSDate(new Date(latest.at), { zone: 'Europe/Amsterdam' }).toISODate()! < todayIso).toBe(true);
    } finally {
      await database.close();
    }
  });
});

test('the same day gives the same demo, contact for contact', async () => {
  const today = DateTime.fromISO('2026-11-25T08:00:00', { zone: 'Europe/Amsterdam' });
  const histories: string[][] = [];
  for (let run = 0; run < 2; run += 1) {
    const database = await createTestDatabase();
    try {
      await seedDemo(database.db, today);
      const rows = await database.db
        .selectFrom('contact_moments')
        .innerJoin('participants', 'participants.id', 'contact_moments.participant_id')
        .select([
          'participants.first_name',
          'participants.last_name',
          'contact_moments.occurred_at',
          'contact_moments.outcome',
          'contact_moments.summary',
          'contact_moments.next_contact_date',
        ])
        .orderBy('contact_moments.id')
        .execute();
      histories.push(rows.map((row) => JSON.stringify(row)));
    } finally {
      await database.close();
    }
  }
  expect(histories[0]!.length).toBeGreaterThan(1000);
  expect(histories[1]).toEqual(histories[0]);
  // Two whole demo seeds on fresh databases: well within the default alone, but not when CI runs
  // both database suites side by side on two cores.
}, 120_000);
