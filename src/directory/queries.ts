import { sql } from 'kysely';
import type { OrganisationKind } from '../db/schema';
import type { Executor } from '../platform/executor';
import type { DirectoryListQuery } from './schemas';
import { containing } from '../db/like';

export interface OrganisationRecord {
  id: number;
  name: string;
  kind: OrganisationKind;
  region: string | null;
  phone: string | null;
  email: string | null;
  version: number;
}

export interface OrganisationColumns {
  name: string;
  kind: OrganisationKind;
  region: string | null;
  phone: string | null;
  email: string | null;
}

/**
 * The normalised name, as the unique index referral_organisations_name_key (and the migration
 * that filled the directory) computes it: trimmed, runs of white space as one, lower case.
 */
const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
const NAME_KEY_SQL = sql<string>`lower(regexp_replace(btrim(referral_organisations.name), '\\s+', ' ', 'g'))`;

function listBase(db: Executor, filters: DirectoryListQuery) {
  let query = db.selectFrom('referral_organisations');
  if (filters.q) {
    const pattern = containing(filters.q.toLowerCase());
    query = query.where((eb) =>
      eb.or([
        eb(sql<string>`lower(referral_organisations.name)`, 'like', pattern),
        eb(sql<string>`lower(referral_organisations.region)`, 'like', pattern),
      ]),
    );
  }
  if (filters.kind) query = query.where('referral_organisations.kind', '=', filters.kind);
  return query;
}

const RECORD_COLUMNS = [
  'referral_organisations.id',
  'referral_organisations.name',
  'referral_organisations.kind',
  'referral_organisations.region',
  'referral_organisations.phone',
  'referral_organisations.email',
  'referral_organisations.version',
] as const;

/** One page of the directory by name, with the number of referrals each has (one query). */
export async function listOrganisations(
  db: Executor,
  filters: DirectoryListQuery,
  page: { limit: number; offset: number },
): Promise<Array<OrganisationRecord & { referrals: number }>> {
  const rows = await listBase(db, filters)
    .select(RECORD_COLUMNS)
    .select((eb) =>
      // A correlated count, served by referrals_organisation.
      eb
        .selectFrom('referrals')
        .whereRef('referrals.organisation_id', '=', 'referral_organisations.id')
        .select((sub) => sub.fn.countAll<string>().as('n'))
        .as('referrals'),
    )
    .orderBy(sql`lower(referral_organisations.name)`)
    .orderBy('referral_organisations.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((row) => ({ ...row, referrals: Number(row.referrals ?? 0) }));
}

export async function countOrganisations(db: Executor, filters: DirectoryListQuery): Promise<number> {
  const row = await listBase(db, filters)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface OrganisationOption {
  id: number;
  name: string;
  kind: OrganisationKind;
  region: string | null;
}

/** The directory as a referral form's choice list, by kind and name; at most `limit` entries. */
export async function listOrganisationOptions(db: Executor, limit: number): Promise<OrganisationOption[]> {
  return db
    .selectFrom('referral_organisations')
    .select(['id', 'name', 'kind', 'region'])
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function findOrganisation(db: Executor, id: number): Promise<OrganisationRecord | undefined> {
  return db.selectFrom('referral_organisations').select(RECORD_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** The organisation of this name however it is spaced or capitalised, other than `exceptId`. */
export async function findOrganisationByName(
  db: Executor,
  name: string,
  exceptId: number | null = null,
): Promise<{ id: number } | undefined> {
  let query = db.selectFrom('referral_organisations').select('id').where(NAME_KEY_SQL, '=', nameKey(name));
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

export async function insertOrganisation(
  trx: Executor,
  columns: OrganisationColumns,
  createdBy: number,
  now: Date,
): Promise<number> {
  const row = await trx
    .insertInto('referral_organisations')
    .values({ ...columns, name: columns.name.replace(/\s+/g, ' '), created_by: createdBy, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateOrganisationIfVersion(
  trx: Executor,
  id: number,
  expectedVersion: number,
  columns: OrganisationColumns,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('referral_organisations')
    .set((eb) => ({ ...columns, name: columns.name.replace(/\s+/g, ' '), updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
