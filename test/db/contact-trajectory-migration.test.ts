import { sql } from 'kysely';
import { createMigrator, migrateToLatest, RequireMigrationProvider } from '../../src/db/migrate';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createTestUser } from '../helpers/app';

// Migration 20261207010000_contact_trajectory gives every existing contact moment its trajectory by
// the rule the app uses (the one covering its local day that started first, then the lowest id;
// none before or between trajectories) and prints how many had several candidates.

const MIGRATION = '20261207010000_contact_trajectory';
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ empty: true });
});
afterAll(() => database.close());

async function migrationBefore(name: string): Promise<string> {
  const names = Object.keys(await new RequireMigrationProvider().getMigrations()).sort();
  return names[names.indexOf(name) - 1]!;
}

test('existing contacts get their trajectory; the ambiguous ones are counted and go to the one that started first', async () => {
  const db = database.db;
  const before = await migrationBefore(MIGRATION);
  const { error } = await createMigrator(db).migrateTo(before);
  expect(error).toBeUndefined();

  const coach = await createTestUser(database, { role: 'coach', team: 'Team Gent' });
  const [ocmw, vdab] = (await Promise.all(
    ['OCMW Gent', 'VDAB'].map(async (name) => {
      const row = await db.insertInto('commissioners').values({ name, kind: 'other' }).returning('id').executeTakeFirstOrThrow();
      return row.id;
    }),
  )) as [number, number];
  const participant = async (lastName: string) =>
    (
      await db
        .insertInto('participants')
        .values({ first_name: 'Lien', last_name: lastName, coach_id: coach.id, status: 'active' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const trajectory = async (participantId: number, commissionerId: number, start: string, end: string | null) =>
    (
      await db
        .insertInto('trajectories')
        .values({
          participant_id: participantId,
          commissioner_id: commissionerId,
          kind: 'jobcoaching',
          start_date: start,
          actual_end_date: end,
          outcome: end ? 'handover' : null,
          granted_hours: 10,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const contact = async (participantId: number, occurredAt: string) =>
    (
      await sql<{
        id: number;
      }>`insert into contact_moments (participant_id, author_id, occurred_at, channel, outcome, duration_minutes, summary)
        values (${participantId}, ${coach.id}, ${occurredAt}::timestamptz, 'phone', 'reached', 30, 'Gesprek') returning id`.execute(
        db,
      )
    ).rows[0]!.id;

  // Lien: OCMW until the handover day 10 March, VDAB from that day on.
  const lien = await participant('Verstraete');
  const lienOcmw = await trajectory(lien, ocmw, '2026-01-01', '2026-03-10');
  const lienVdab = await trajectory(lien, vdab, '2026-03-10', null);
  const intake = await contact(lien, '2025-12-31T23:30:00+01:00');
  const beforeHandover = await contact(lien, '2026-03-09T12:00:00+01:00');
  // 00:30 in Amsterdam on the handover day is still 9 March in UTC: the local day decides.
  const handover = await contact(lien, '2026-03-10T00:30:00+01:00');
  const after = await contact(lien, '2026-03-11T12:00:00+01:00');
  // Sem: two trajectories from the same day; the lower id wins.
  const sem = await participant('Tweemaal');
  const semFirst = await trajectory(sem, ocmw, '2026-05-01', '2026-05-31');
  await trajectory(sem, vdab, '2026-05-01', null);
  const tie = await contact(sem, '2026-05-15T12:00:00+02:00');

  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    await migrateToLatest(db);
    expect(warn.mock.calls.map((call) => String(call[0]))).toContainEqual(
      expect.stringContaining(
        '4 of 5 contact moments assigned to a trajectory (1 before or between trajectories belong to none); 2 ambiguous',
      ),
    );
  } finally {
    warn.mockRestore();
  }

  const rows = await db
    .selectFrom('contact_moments')
    .select(['id', 'trajectory_id', 'trajectory_chosen'])
    .orderBy('id')
    .execute();
  expect(rows).toEqual([
    { id: intake, trajectory_id: null, trajectory_chosen: false },
    { id: beforeHandover, trajectory_id: lienOcmw, trajectory_chosen: false },
    { id: handover, trajectory_id: lienOcmw, trajectory_chosen: false },
    { id: after, trajectory_id: lienVdab, trajectory_chosen: false },
    { id: tie, trajectory_id: semFirst, trajectory_chosen: false },
  ]);

  // A contact can only be in a trajectory of its own participant.
  await expect(
    db.updateTable('contact_moments').set({ trajectory_id: semFirst }).where('id', '=', after).execute(),
  ).rejects.toThrow();

  // And back down: the columns go.
  const down = await createMigrator(db).migrateTo(before);
  expect(down.error).toBeUndefined();
  const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns
    where table_name = 'contact_moments' and column_name like 'trajectory%'`.execute(db);
  expect(columns.rows).toEqual([]);
  const quiet = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  await migrateToLatest(db).finally(() => quiet.mockRestore());
  expect(await db.selectFrom('contact_moments').select('trajectory_id').where('id', '=', handover).executeTakeFirst()).toEqual({
    trajectory_id: lienOcmw,
  });
});
