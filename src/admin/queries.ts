import type { Locale } from '../config';
import { sql } from 'kysely';
import type { Role } from '../db/schema';
import type { Executor } from '../platform/executor';
import type { UserListQuery } from './schemas';
import { containing } from '../db/like';

export interface AdminUserRow {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  teamId: number | null;
  teamName: string | null;
  /** Their own language choice; null: their team's default (else the organisation's). */
  locale: Locale | null;
  active: boolean;
  /** False while an invited person has not chosen a password yet. */
  hasPassword: boolean;
  version: number;
  createdAt: Date;
  /** Failed sign-ins since the last successful one, from any address, and the latest's time. */
  failedSignIns: number;
  lastFailedSignInAt: Date | null;
}

function selectAdminUsers(db: Executor) {
  return db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .select([
      'users.id',
      'users.email',
      'users.display_name as displayName',
      'users.role',
      'users.team_id as teamId',
      'teams.name as teamName',
      'users.locale',
      'users.active',
      sql<boolean>`users.password_hash is not null`.as('hasPassword'),
      'users.version',
      'users.created_at as createdAt',
      'users.failed_sign_ins as failedSignIns',
      'users.last_failed_sign_in_at as lastFailedSignInAt',
    ]);
}

function filtered(db: Executor, filters: UserListQuery) {
  let query = selectAdminUsers(db);
  if (filters.q) {
    const pattern = containing(filters.q.toLowerCase());
    query = query.where((eb) =>
      eb.or([eb(sql<string>`lower(users.display_name)`, 'like', pattern), eb('users.email', 'like', pattern)]),
    );
  }
  if (filters.role) query = query.where('users.role', '=', filters.role);
  if (filters.status !== 'all') query = query.where('users.active', '=', filters.status === 'active');
  return query;
}

export async function listAdminUsers(
  db: Executor,
  filters: UserListQuery,
  page: { limit: number; offset: number },
): Promise<AdminUserRow[]> {
  return filtered(db, filters)
    .orderBy('users.active', 'desc')
    .orderBy(sql`lower(users.display_name)`)
    .orderBy('users.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countAdminUsers(db: Executor, filters: UserListQuery): Promise<number> {
  const row = await filtered(db, filters)
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function findAdminUser(db: Executor, id: number): Promise<AdminUserRow | undefined> {
  return selectAdminUsers(db).where('users.id', '=', id).executeTakeFirst();
}

/** Locks the person's row for a change, so two administrators' changes follow each other. */
export async function lockAdminUser(db: Executor, id: number): Promise<AdminUserRow | undefined> {
  return selectAdminUsers(db).where('users.id', '=', id).forUpdate('users').executeTakeFirst();
}

export async function findUserIdByEmail(db: Executor, email: string): Promise<number | undefined> {
  const row = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  return row?.id;
}

/** Active administrators other than `exceptId`: there must always be one left. */
export async function countOtherActiveAdmins(db: Executor, exceptId: number): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .where('id', '<>', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface TeamChoice {
  id: number;
  name: string;
}

export async function listTeamChoices(db: Executor): Promise<TeamChoice[]> {
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .orderBy(sql`lower(name)`)
    .execute();
}

export interface CoachChoice {
  id: number;
  displayName: string;
}

/** The active coaches of a team, but one: who may take over that one's participants. */
export async function listOtherActiveCoaches(db: Executor, teamId: number, exceptId: number): Promise<CoachChoice[]> {
  return db
    .selectFrom('users')
    .select(['id', 'display_name as displayName'])
    .where('team_id', '=', teamId)
    .where('role', '=', 'coach')
    .where('active', '=', true)
    .where('id', '<>', exceptId)
    .orderBy(sql`lower(display_name)`)
    .execute();
}

export async function insertInvitedUser(
  db: Executor,
  person: { email: string; displayName: string; role: Role; teamId: number | null; locale: Locale | null },
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      email: person.email,
      display_name: person.displayName,
      role: person.role,
      team_id: person.teamId,
      locale: person.locale,
      password_hash: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUserIfVersion(
  db: Executor,
  id: number,
  version: number,
  person: { email: string; displayName: string; role: Role; teamId: number | null; locale: Locale | null },
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({
      email: person.email,
      display_name: person.displayName,
      role: person.role,
      team_id: person.teamId,
      locale: person.locale,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
