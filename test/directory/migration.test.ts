import { sql } from 'kysely';
import { createMigrator, RequireMigrationProvider } from '../../src/db/migrate';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

// migrations/20261207040000_referral_directory.ts moves the free-text referral organisations into
// the directory: one entry per normalised name (trimmed, white space collapsed, case ignored),
// named as the oldest referral wrote it, of that referral's service kind, numbered in the order
// of the oldest referrals; every referral linked to its entry; the same result on every run.

const DIRECTORY = '20261207040000_referral_directory';
let database: TestDatabase;

async function migrateTo(name: string) {
  const { error } = await createMigrator(database.db).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
}

beforeAll(async () => {
  database = await createTestDatabase({ empty: true });
  const names = Object.keys(await new RequireMigrationProvider().getMigrations()).sort();
  await migrateTo(names[names.indexOf(DIRECTORY) - 1]!);
});
afterAll(() => database.close());

test('existing organisations become one entry per normalised name, and every referral is linked', async () => {
  const db = database.db;
  const one = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows[0]!;
  const team = await one(sql<{ id: number }>`insert into teams (name) values ('Team Migratie') returning id`);
  const coach = await one(sql<{ id: number }>`
    insert into users (email, display_name, role, team_id, locale, password_hash)
    values ('migratie@example.test', 'Mia Migratie', 'coach', ${team.id}, 'nl', 'x') returning id`);
  const participant = await one(sql<{ id: number }>`
    insert into participants (first_name, last_name, coach_id, status) values ('Piet', 'Verwezen', ${coach.id}, 'active') returning id`);
  // In order of id: the spelling of the oldest of each group names the entry.
  const referrals: Array<[string, string]> = [
    ['Taalhuis  Utrecht ', 'language_coaching'],
    ['Schuldhulp Utrecht', 'debt_counselling'],
    ['taalhuis utrecht', 'other'],
    ['CAW Oost-Vlaanderen', 'social_work'],
    ['SCHULDHULP  UTRECHT', 'social_work'],
  ];
  const ids: number[] = [];
  for (const [organisation, kind] of referrals) {
    const row = await one(sql<{ id: number }>`
      insert into referrals (participant_id, service_kind, organisation, reason, referred_on, created_by)
      values (${participant.id}, ${kind}, ${organisation}, 'Reden', '2026-11-02', ${coach.id}) returning id`);
    ids.push(row.id);
  }

  await migrateTo(DIRECTORY);

  const organisations = (
    await sql<{ id: number; name: string; kind: string; created_by: number }>`
      select id, name, kind, created_by from referral_organisations order by id`.execute(db)
  ).rows;
  expect(organisations.map(({ name, kind }) => ({ name, kind }))).toEqual([
    { name: 'Taalhuis Utrecht', kind: 'language_coaching' },
    { name: 'Schuldhulp Utrecht', kind: 'debt_counselling' },
    { name: 'CAW Oost-Vlaanderen', kind: 'social_work' },
  ]);
  expect(organisations.every((row) => row.created_by === coach.id)).toBe(true);
  const [taalhuis, schuldhulp, caw] = organisations.map((row) => row.id);
  const linked = (
    await sql<{ id: number; organisation_id: number }>`select id, organisation_id from referrals order by id`.execute(db)
  ).rows;
  expect(linked).toEqual([
    { id: ids[0], organisation_id: taalhuis },
    { id: ids[1], organisation_id: schuldhulp },
    { id: ids[2], organisation_id: taalhuis },
    { id: ids[3], organisation_id: caw },
    { id: ids[4], organisation_id: schuldhulp },
  ]);
  // The free text is gone, and the directory refuses a second spelling of a name.
  const columns = await sql<{ column_name: string }>`
    select column_name from information_schema.columns where table_name = 'referrals' and column_name = 'organisation'`.execute(
    db,
  );
  expect(columns.rows).toEqual([]);
  await expect(
    sql`insert into referral_organisations (name, kind) values (' taalhuis   UTRECHT', 'other')`.execute(db),
  ).rejects.toThrow();

  // Down and up again gives the same directory.
  const { error } = await createMigrator(db).migrateDown();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  const back = (await sql<{ organisation: string }>`select organisation from referrals order by id`.execute(db)).rows;
  expect(back.map((row) => row.organisation)).toEqual([
    'Taalhuis Utrecht',
    'Schuldhulp Utrecht',
    'Taalhuis Utrecht',
    'CAW Oost-Vlaanderen',
    'Schuldhulp Utrecht',
  ]);
  await migrateTo(DIRECTORY);
  const again = (await sql<{ name: string }>`select name from referral_organisations order by id`.execute(db)).rows;
  expect(again.map((row) => row.name)).toEqual(['Taalhuis Utrecht', 'Schuldhulp Utrecht', 'CAW Oost-Vlaanderen']);
});
