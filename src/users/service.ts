import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema';
import { recordAuditEvent } from '../platform/audit/service';
import type { Executor } from '../platform/executor';
import {
  clearFailedSignIns,
  countUsers,
  deleteOtherSessionsOfUser,
  deleteSessionsOfUser,
  findPasswordHash,
  findCredentialsByEmail,
  findTeamByName,
  findUserById,
  findUserForSession,
  incrementFailedSignIns,
  insertTeam,
  insertUser,
  listUserEmails,
  listUsers,
  updatePasswordHash,
  updateUserActive,
  updateUserLocale,
  type SignedInUser,
  type UserListRow,
} from './queries';

export type { SignedInUser, UserListRow } from './queries';

// OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 degree of parallelism.
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

// Verified against when the email is unknown, so both failures take the same time and an attacker
// cannot tell which accounts exist.
let dummyHash: Promise<string> | undefined;
function timingDummyHash(): Promise<string> {
  dummyHash ??= hashPassword('inbeeld-timing-equaliser');
  return dummyHash;
}

/** The user id when the email and password match an active account, else null. */
export async function verifyCredentials(db: Kysely<Database>, email: string, password: string): Promise<number | null> {
  const credentials = await findCredentialsByEmail(db, normaliseEmail(email));
  if (!credentials) {
    await argon2.verify(await timingDummyHash(), password).catch(() => false);
    return null;
  }
  const matches = await argon2.verify(credentials.password_hash, password).catch(() => false);
  return matches && credentials.active ? credentials.id : null;
}

export async function findSignedInUser(db: Kysely<Database>, id: number): Promise<SignedInUser | undefined> {
  return findUserForSession(db, id);
}

export async function setUserLocale(db: Kysely<Database>, userId: number, locale: 'nl' | 'en', now: Date): Promise<void> {
  await updateUserLocale(db, userId, locale, now);
}

export interface CreateUserInput {
  email: string;
  displayName: string;
  role: Role;
  teamName: string | null;
  password: string;
  locale?: 'nl' | 'en';
}

export class UserInputError extends Error {}

/** Creates a user (and the team, if it does not exist yet) in one transaction, audited. */
export async function createUser(db: Kysely<Database>, input: CreateUserInput, actorUserId: number | null): Promise<number> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new UserInputError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  if (input.role !== 'admin' && !input.teamName) {
    throw new UserInputError(`a ${input.role} needs a team`);
  }
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    let teamId: number | null = null;
    if (input.teamName) {
      const existing = await findTeamByName(trx, input.teamName);
      teamId = existing ? existing.id : await insertTeam(trx, input.teamName);
    }
    const email = normaliseEmail(input.email);
    if (await findCredentialsByEmail(trx, email)) {
      throw new UserInputError(`a user with email ${email} already exists`);
    }
    const id = await insertUser(trx, {
      email,
      display_name: input.displayName.trim(),
      role: input.role,
      team_id: teamId,
      locale: input.locale ?? 'nl',
      password_hash: passwordHash,
    });
    await recordAuditEvent(trx, {
      actorUserId,
      action: 'create',
      entityType: 'user',
      entityId: id,
      details: { role: input.role, team: input.teamName },
    });
    return id;
  });
}

/**
 * Deactivates a user and ends every session they have, so a deactivated account is signed out
 * everywhere at once rather than when its sessions happen to expire.
 */
export async function deactivateUser(db: Kysely<Database>, userId: number, actorUserId: number, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if ((await updateUserActive(trx, userId, false, now)) === 0) return false;
    const endedSessions = await deleteSessionsOfUser(trx, userId);
    await recordAuditEvent(trx, {
      actorUserId,
      action: 'deactivate',
      entityType: 'user',
      entityId: userId,
      details: { endedSessions },
    });
    return true;
  });
}

export async function reactivateUser(db: Kysely<Database>, userId: number, actorUserId: number, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if ((await updateUserActive(trx, userId, true, now)) === 0) return false;
    await recordAuditEvent(trx, { actorUserId, action: 'reactivate', entityType: 'user', entityId: userId });
    return true;
  });
}

export async function listUsersPage(
  db: Kysely<Database>,
  page: { limit: number; offset: number },
): Promise<{ rows: UserListRow[]; total: number }> {
  const [rows, total] = await Promise.all([listUsers(db, page), countUsers(db)]);
  return { rows, total };
}

export async function findUser(db: Kysely<Database>, id: number): Promise<UserListRow | undefined> {
  return findUserById(db, id);
}

export async function allUserEmails(db: Kysely<Database>): Promise<string[]> {
  return listUserEmails(db);
}

/**
 * Changes the user's own password after checking the current one, and signs out their other
 * sessions. Returns false when the current password is wrong.
 */
export async function changeOwnPassword(
  db: Kysely<Database>,
  userId: number,
  currentPassword: string,
  newPassword: string,
  currentSid: string,
  now: Date,
): Promise<boolean> {
  const storedHash = await findPasswordHash(db, userId);
  if (!storedHash || !(await argon2.verify(storedHash, currentPassword).catch(() => false))) return false;
  const newHash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await updatePasswordHash(trx, userId, newHash, now);
    const endedSessions = await deleteOtherSessionsOfUser(trx, userId, currentSid);
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: 'change_password',
      entityType: 'user',
      entityId: userId,
      details: { endedSessions },
    });
  });
  return true;
}

/**
 * A failed sign-in with this email: counted on the account, if there is one, and audited (the
 * administrator's user page shows the count since the last success). An unknown email changes nothing.
 */
export async function recordFailedSignIn(db: Kysely<Database>, email: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const account = await incrementFailedSignIns(trx, normaliseEmail(email), now);
    if (!account) return;
    await recordAuditEvent(trx, {
      actorUserId: null,
      action: 'login_failed',
      entityType: 'user',
      entityId: account.id,
      details: { failedSignIns: account.failedSignIns },
    });
  });
}

/** A successful sign-in: the failed ones before it are forgotten; returns how many there were. */
export async function forgetFailedSignIns(db: Executor, userId: number): Promise<number> {
  return clearFailedSignIns(db, userId);
}

/** Ends the user's sessions other than `keepSid`; returns how many. The caller audits. */
export async function endOtherSessions(db: Executor, userId: number, keepSid: string): Promise<number> {
  return deleteOtherSessionsOfUser(db, userId, keepSid);
}
