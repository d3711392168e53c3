import type { Insertable, Transaction } from 'kysely';
import type {
  CommissionersTable,
  Database,
  EmployerContactsTable,
  EmployersTable,
  ParticipantsTable,
  PlacementHoursTable,
  PlacementsTable,
  TrajectoriesTable,
} from '../db/schema';

// Bulk inserts for the demo caseload: one statement per table, so seeding stays fast.

export async function countParticipants(trx: Transaction<Database>): Promise<number> {
  const row = await trx
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function demoCoachIdsByEmail(trx: Transaction<Database>): Promise<Map<string, number>> {
  const rows = await trx.selectFrom('users').select(['id', 'email']).where('role', '=', 'coach').execute();
  return new Map(rows.map((row) => [row.email, row.id]));
}

export async function insertCommissioners(trx: Transaction<Database>, rows: Insertable<CommissionersTable>[]): Promise<number[]> {
  return (await trx.insertInto('commissioners').values(rows).returning('id').execute()).map((row) => row.id);
}

export async function insertEmployers(trx: Transaction<Database>, rows: Insertable<EmployersTable>[]): Promise<number[]> {
  return (await trx.insertInto('employers').values(rows).returning('id').execute()).map((row) => row.id);
}

export async function insertEmployerContacts(
  trx: Transaction<Database>,
  rows: Insertable<EmployerContactsTable>[],
): Promise<number[]> {
  return (await trx.insertInto('employer_contacts').values(rows).returning('id').execute()).map((row) => row.id);
}

export async function insertParticipants(trx: Transaction<Database>, rows: Insertable<ParticipantsTable>[]): Promise<number[]> {
  return (await trx.insertInto('participants').values(rows).returning('id').execute()).map((row) => row.id);
}

export async function insertTrajectories(trx: Transaction<Database>, rows: Insertable<TrajectoriesTable>[]): Promise<void> {
  if (rows.length) await trx.insertInto('trajectories').values(rows).execute();
}

export async function insertPlacements(trx: Transaction<Database>, rows: Insertable<PlacementsTable>[]): Promise<number[]> {
  if (!rows.length) return [];
  return (await trx.insertInto('placements').values(rows).returning('id').execute()).map((row) => row.id);
}

export async function insertPlacementHours(trx: Transaction<Database>, rows: Insertable<PlacementHoursTable>[]): Promise<void> {
  if (rows.length) await trx.insertInto('placement_hours').values(rows).execute();
}
