import { DateTime } from 'luxon';
import { seedDemo } from '../../src/demo/service';
import { DEMO_PERSONAS } from '../../src/demo/history';
import { assessRisk, describeReason, highestLevel } from '../../src/risk/service';
import { translatorFor } from '../../src/messages';
import { createFormatters } from '../../src/lib/format';
import { createTestDatabase } from '../helpers/database';

// The demo's personas are written to show each risk signal at amber and at red (src/demo/history.ts).
// The engine, with the default thresholds, must give each exactly its designed signals and level.

describe.each([
  ['a Wednesday', '2026-11-25T08:00:00'],
  ['a Sunday, the day winter time starts', '2026-10-25T23:30:00'],
])('the demo seeded on %s', (_label, startedAt) => {
  const now = DateTime.fromISO(startedAt, { zone: 'Europe/Amsterdam' });

  test('every persona gets its designed level and signals, in plain words', async () => {
    const database = await createTestDatabase();
    try {
      await seedDemo(database.db, now);
      const people = await database.db.selectFrom('participants').select(['id', 'first_name', 'last_name', 'status']).execute();
      const assessments = await assessRisk(
        database.db,
        people.map((person) => person.id),
        now,
        'Europe/Amsterdam',
      );
      // Scored: everyone in an open trajectory that has started; intake participants without one are not.
      const inTrajectory = await database.db
        .selectFrom('participants')
        .innerJoin('trajectories', 'trajectories.participant_id', 'participants.id')
        .where('participants.status', '<>', 'closed')
        .where('trajectories.actual_end_date', 'is', null)
        .where('trajectories.start_date', '<=', now.toISODate()!)
        .select('participants.id')
        .execute();
      expect([...assessments.keys()].sort((a, b) => a - b)).toEqual(inTrajectory.map((row) => row.id).sort((a, b) => a - b));

      const shown = DEMO_PERSONAS.map((persona) => {
        const person = people.find(
          (candidate) => candidate.first_name === persona.firstName && candidate.last_name === persona.lastName,
        )!;
        const assessment = assessments.get(person.id)!;
        return {
          key: persona.key,
          level: assessment.level,
          signals: Object.fromEntries(assessment.reasons.map((reason) => [reason.signal, reason.level])),
        };
      });
      expect(shown).toEqual(
        DEMO_PERSONAS.map((persona) => ({
          key: persona.key,
          level: highestLevel(Object.values(persona.signals)),
          signals: persona.signals,
        })),
      );

      // end_of_trajectory (issue 17): every open trajectory past its planned end is red, the UWV
      // ones among them; the Flemish placement ending within weeks is amber.
      const today = now.toISODate()!;
      const open = await database.db
        .selectFrom('trajectories')
        .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
        .select([
          'trajectories.participant_id as participantId',
          'trajectories.planned_end_date as plannedEnd',
          'commissioners.name',
        ])
        .where('trajectories.actual_end_date', 'is', null)
        .where('trajectories.planned_end_date', '<', today)
        .execute();
      const pastEnd = open.filter((row) => assessments.has(row.participantId));
      expect(pastEnd.filter((row) => row.name === 'UWV').length).toBeGreaterThanOrEqual(3);
      for (const row of pastEnd) {
        const reason = assessments.get(row.participantId)!.reasons.find((candidate) => candidate.signal === 'end_of_trajectory');
        expect(reason?.figures).toMatchObject({
          ends: expect.arrayContaining([expect.objectContaining({ kind: 'trajectory', name: row.name, level: 'red' })]),
        });
      }
      const endingSoon = await database.db
        .selectFrom('placements')
        .select(['participant_id as participantId', 'planned_end_date as plannedEnd'])
        .where('status', '<>', 'ended')
        .where('planned_end_date', '>=', today)
        .where('planned_end_date', '<=', now.plus({ days: 30 }).toISODate()!)
        .execute();
      expect(endingSoon.length).toBeGreaterThanOrEqual(1);
      for (const row of endingSoon) {
        const reason = assessments.get(row.participantId)!.reasons.find((candidate) => candidate.signal === 'end_of_trajectory');
        expect(reason?.figures).toMatchObject({
          ends: expect.arrayContaining([
            expect.objectContaining({ kind: 'placement', plannedEnd: row.plannedEnd, level: 'amber' }),
          ]),
        });
      }

      // The paused cook: every signal red, each said in words with its figures.
      const cook = people.find((person) => person.first_name === 'Mohamed' && person.last_name === 'Ouali')!;
      const words = assessments
        .get(cook.id)!
        .reasons.map((reason) => describeReason(reason, translatorFor('nl'), createFormatters('nl', 'Europe/Amsterdam')));
      expect(words).toHaveLength(5);
      expect(words.join('\n')).toMatch(/gepauzeerd sinds \d\d-\d\d-\d{4}/);
      expect(words.join('\n')).toContain('uren per week van 40 naar 0');
    } finally {
      await database.close();
    }
  });
});
