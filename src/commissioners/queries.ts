import { sql } from 'kysely';
import type { CommissionerKind } from '../db/schema';
import type { Executor } from '../platform/executor';

export interface CommissionerListRow {
  id: number;
  name: string;
  kind: CommissionerKind;
  active: boolean;
  trajectoryCount: number;
  openTrajectoryCount: number;
}

/** One page of commissioners, alphabetical, with how many trajectories each funds. */
export async function listCommissioners(db: Executor, page: { limit: number; offset: number }): Promise<CommissionerListRow[]> {
  // Correlated counts use the (commissioner_id, …) index and only run for the rows on the page.
  const rows = await db
    .selectFrom('commissioners')
    .select((eb) => [
      'commissioners.id',
      'commissioners.name',
      'commissioners.kind',
      'commissioners.active',
      eb
        .selectFrom('trajectories')
        .whereRef('trajectories.commissioner_id', '=', 'commissioners.id')
        .select((inner) => inner.fn.countAll<string>().as('n'))
        .as('trajectoryCount'),
      eb
        .selectFrom('trajectories')
        .whereRef('trajectories.commissioner_id', '=', 'commissioners.id')
        .where('trajectories.actual_end_date', 'is', null)
        .select((inner) => inner.fn.countAll<string>().as('n'))
        .as('openTrajectoryCount'),
    ])
    .orderBy(sql`lower(commissioners.name)`)
    .orderBy('commissioners.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((row) => ({
    ...row,
    trajectoryCount: Number(row.trajectoryCount ?? 0),
    openTrajectoryCount: Number(row.openTrajectoryCount ?? 0),
  }));
}

export async function countCommissioners(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('commissioners')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface CommissionerRecord {
  id: number;
  name: string;
  kind: CommissionerKind;
  active: boolean;
  version: number;
}

export async function findCommissionerById(db: Executor, id: number): Promise<CommissionerRecord | undefined> {
  return db
    .selectFrom('commissioners')
    .where('id', '=', id)
    .select(['id', 'name', 'kind', 'active', 'version'])
    .executeTakeFirst();
}

/** Whether another commissioner already has this name, ignoring case (as the unique index does). */
export async function commissionerNameTaken(db: Executor, name: string, exceptId: number | null): Promise<boolean> {
  let query = db
    .selectFrom('commissioners')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .select('id');
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export interface CommissionerColumns {
  name: string;
  kind: CommissionerKind;
}

export async function insertCommissioner(trx: Executor, values: CommissionerColumns, now: Date): Promise<number> {
  const row = await trx
    .insertInto('commissioners')
    .values({ ...values, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Updates only when the row still has `expectedVersion`; returns whether it did. */
export async function updateCommissionerIfVersion(
  trx: Executor,
  id: number,
  expectedVersion: number,
  values: CommissionerColumns,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('commissioners')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sets the active flag when it differs; returns whether anything changed. */
export async function setCommissionerActive(trx: Executor, id: number, active: boolean, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('commissioners')
    .set((eb) => ({ active, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('active', '=', !active)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface CommissionerOption {
  id: number;
  name: string;
  kind: CommissionerKind;
}

export async function listActiveCommissioners(db: Executor): Promise<CommissionerOption[]> {
  return db
    .selectFrom('commissioners')
    .where('active', '=', true)
    .select(['id', 'name', 'kind'])
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
}

export async function isActiveCommissioner(db: Executor, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('commissioners')
    .where('id', '=', id)
    .where('active', '=', true)
    .select('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function countTrajectoriesOfCommissioner(db: Executor, id: number): Promise<number> {
  const row = await db
    .selectFrom('trajectories')
    .where('commissioner_id', '=', id)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
