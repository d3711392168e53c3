import { sql } from 'kysely';
import type { Role } from '../db/schema';
import type { Executor } from '../platform/executor';

export interface SsoAccount {
  id: number;
  active: boolean;
  role: Role;
  teamId: number | null;
  version: number;
}

const ACCOUNT_COLUMNS = ['users.id', 'users.active', 'users.role', 'users.team_id as teamId', 'users.version'] as const;

/** The account bound to this person of the provider. */
export async function findAccountBySubject(db: Executor, issuer: string, subject: string): Promise<SsoAccount | undefined> {
  return db
    .selectFrom('sso_identities')
    .innerJoin('users', 'users.id', 'sso_identities.user_id')
    .select(ACCOUNT_COLUMNS)
    .where('sso_identities.issuer', '=', issuer)
    .where('sso_identities.subject', '=', subject)
    .executeTakeFirst();
}

/** The account bound to this person of the provider, locked for the sign-in's changes. */
export async function lockAccountBySubject(db: Executor, issuer: string, subject: string): Promise<SsoAccount | undefined> {
  return db
    .selectFrom('sso_identities')
    .innerJoin('users', 'users.id', 'sso_identities.user_id')
    .select(ACCOUNT_COLUMNS)
    .where('sso_identities.issuer', '=', issuer)
    .where('sso_identities.subject', '=', subject)
    .forUpdate('users')
    .executeTakeFirst();
}

/** The account with this (normalised) email, locked, with the subject it is bound to at this issuer, if any. */
export async function lockAccountByEmail(
  db: Executor,
  email: string,
  issuer: string,
): Promise<(SsoAccount & { boundSubject: string | null }) | undefined> {
  return db
    .selectFrom('users')
    .leftJoin('sso_identities', (join) =>
      join.onRef('sso_identities.user_id', '=', 'users.id').on('sso_identities.issuer', '=', issuer),
    )
    .select([...ACCOUNT_COLUMNS, 'sso_identities.subject as boundSubject'])
    .where('users.email', '=', email)
    .forUpdate('users')
    .executeTakeFirst();
}

export async function insertIdentity(db: Executor, userId: number, issuer: string, subject: string, now: Date): Promise<void> {
  await db
    .insertInto('sso_identities')
    .values({ user_id: userId, issuer, subject, created_at: now, last_signed_in_at: now })
    .execute();
}

export async function touchIdentity(db: Executor, issuer: string, subject: string, now: Date): Promise<void> {
  await db
    .updateTable('sso_identities')
    .set({ last_signed_in_at: now })
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .execute();
}

export async function findTeamIdByName(db: Executor, name: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  return row?.id;
}

/** An account without a password: its person signs in through the identity provider. */
export async function insertAccount(
  db: Executor,
  account: { email: string; displayName: string; role: Role; teamId: number | null },
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      email: account.email,
      display_name: account.displayName,
      role: account.role,
      team_id: account.teamId,
      password_hash: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateRoleAndTeam(
  db: Executor,
  userId: number,
  role: Role,
  teamId: number | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ role, team_id: teamId, updated_at: now, version: sql<number>`version + 1` })
    .where('id', '=', userId)
    .execute();
}

export async function countOtherActiveAdmins(db: Executor, userId: number): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .where('id', '<>', userId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function findRole(db: Executor, userId: number): Promise<Role | undefined> {
  const row = await db.selectFrom('users').select('role').where('id', '=', userId).executeTakeFirst();
  return row?.role;
}

export async function findRoleByEmail(db: Executor, email: string): Promise<Role | undefined> {
  const row = await db.selectFrom('users').select('role').where('email', '=', email).executeTakeFirst();
  return row?.role;
}
