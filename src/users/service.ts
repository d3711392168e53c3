import type { Locale } from '../config';
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely, Transaction } from 'kysely';
import type { Database, Role, SetPasswordPurpose } from '../db/schema';
import { FormRejection } from '../lib/errors';
import { revokeCalendarFeedOf } from '../calendar/service';
import { recordAuditEvent } from '../platform/audit/service';
import type { Executor } from '../platform/executor';
import {
  clearFailedSignIns,
  deleteOtherSessionsOfUser,
  deleteSessionsOfUser,
  expireSetPasswordLinksOf,
  findPasswordOwner,
  findSetPasswordLink,
  insertSetPasswordLink,
  useSetPasswordLink,
  findCredentialsByEmail,
  findTeamByName,
  findUserForSession,
  findSessionWithUser,
  incrementFailedSignIns,
  insertTeam,
  insertUser,
  listUserEmails,
  updatePasswordHash,
  updateUserActive,
  updateUserLocale,
  type SignedInUser,
} from './queries';

import { passwordRefusal, type PasswordRefusal } from './password-policy';

export type { SignedInUser } from './queries';
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordRefusal, type PasswordRefusal } from './password-policy';

// OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 degree of parallelism.
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

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
  // An invited person who has not chosen a password yet cannot sign in with one.
  if (!credentials?.password_hash) {
    await argon2.verify(await timingDummyHash(), password).catch(() => false);
    return null;
  }
  const matches = await argon2.verify(credentials.password_hash, password).catch(() => false);
  return matches && credentials.active ? credentials.id : null;
}

/** `today`: the organisation's date (lib/viewer.ts organisationToday), for the navigation's counts. */
export async function findSignedInUser(db: Kysely<Database>, id: number, today: string): Promise<SignedInUser | undefined> {
  return findUserForSession(db, id, today);
}

/** A session's data with its signed-in user, read in one statement (the session store's read). */
export async function findSessionAndSignedInUser(
  db: Kysely<Database>,
  sid: string,
  notExpiredAt: Date,
  today: string,
): Promise<{ sess: unknown; user: SignedInUser | undefined } | undefined> {
  return findSessionWithUser(db, sid, notExpiredAt, today);
}

export async function setUserLocale(db: Kysely<Database>, userId: number, locale: Locale | null, now: Date): Promise<void> {
  await updateUserLocale(db, userId, locale, now);
}

export interface CreateUserInput {
  email: string;
  displayName: string;
  role: Role;
  teamName: string | null;
  password: string;
  locale?: Locale | null;
}

export class UserInputError extends Error {}

/** A password the policy refuses; `refusal` is the i18n key of the reason (the script prints it in English). */
export class PasswordRefusedError extends UserInputError {
  constructor(readonly refusal: PasswordRefusal) {
    super(refusal);
    this.name = 'PasswordRefusedError';
  }
}

/** Creates a user (and the team, if it does not exist yet) in one transaction, audited. */
export async function createUser(db: Kysely<Database>, input: CreateUserInput, actorUserId: number | null): Promise<number> {
  const refusal = await passwordRefusal(input.password, { displayName: input.displayName, email: input.email });
  if (refusal) throw new PasswordRefusedError(refusal);
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
      locale: input.locale ?? null,
      password_hash: passwordHash,
    });
    await recordAuditEvent(trx, {
      actorUserId,
      action: 'create',
      entityType: 'user',
      entityId: id,
      details: { role: input.role, teamId },
    });
    return id;
  });
}

/**
 * Deactivates a user and ends every session they have, inside the caller's transaction, so a
 * deactivated account is signed out everywhere at once rather than when its sessions happen to
 * expire. Their calendar feed address is revoked as well (decisions.md): reactivating the account
 * does not bring it back. Returns how many sessions ended.
 */
export async function deactivateUser(
  trx: Transaction<Database>,
  userId: number,
  actorUserId: number,
  now: Date,
): Promise<number> {
  if ((await updateUserActive(trx, userId, false, now)) === 0) return 0;
  const endedSessions = await deleteSessionsOfUser(trx, userId);
  const calendarFeedRevoked = await revokeCalendarFeedOf(trx, userId);
  await recordAuditEvent(trx, {
    actorUserId,
    action: 'deactivate',
    entityType: 'user',
    entityId: userId,
    details: calendarFeedRevoked ? { endedSessions, calendarFeedRevoked } : { endedSessions },
  });
  return endedSessions;
}

/** Ends every session of a person (inside the caller's transaction); how many ended. */
export async function deleteAllSessionsOf(trx: Executor, userId: number): Promise<number> {
  return deleteSessionsOfUser(trx, userId);
}

export async function reactivateUser(db: Kysely<Database>, userId: number, actorUserId: number, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if ((await updateUserActive(trx, userId, true, now)) === 0) return false;
    await recordAuditEvent(trx, { actorUserId, action: 'reactivate', entityType: 'user', entityId: userId });
    return true;
  });
}

export async function allUserEmails(db: Kysely<Database>): Promise<string[]> {
  return listUserEmails(db);
}

/**
 * Changes the user's own password after checking the current one, and signs out their other
 * sessions. `currentWrong` when the current password does not match; a new password the policy
 * refuses throws a FormRejection on the field.
 */
export async function changeOwnPassword(
  db: Kysely<Database>,
  userId: number,
  currentPassword: string,
  newPassword: string,
  currentSid: string,
  now: Date,
): Promise<{ kind: 'changed' } | { kind: 'currentWrong' }> {
  const owner = await findPasswordOwner(db, userId);
  if (!owner?.currentHash || !(await argon2.verify(owner.currentHash, currentPassword).catch(() => false))) {
    return { kind: 'currentWrong' };
  }
  const refusal = newPassword === currentPassword ? 'users.password.sameAsCurrent' : await passwordRefusal(newPassword, owner);
  if (refusal) throw new FormRejection({ newPassword: refusal });
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
  return { kind: 'changed' };
}

// --- set-password links ------------------------------------------------------------------------

/** How long a set-password link works. */
export const SET_PASSWORD_LINK_HOURS = 72;

function tokenHashOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A new one-time link for the person to choose a password (an invitation, or a new link when theirs
 * expired or they forgot it). Older unused links stop working. Only the token's hash is stored: the
 * token itself is returned once, to be shown to the administrator or mailed.
 */
export async function issueSetPasswordLink(
  db: Kysely<Database>,
  link: { userId: number; purpose: SetPasswordPurpose; actorUserId: number | null; now: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(link.now.getTime() + SET_PASSWORD_LINK_HOURS * 3_600_000);
  await db.transaction().execute(async (trx) => {
    await expireSetPasswordLinksOf(trx, link.userId, link.now);
    const values = { userId: link.userId, purpose: link.purpose, createdBy: link.actorUserId, expiresAt, now: link.now };
    await insertSetPasswordLink(trx, { ...values, tokenHash: tokenHashOf(token) });
    await recordAuditEvent(trx, {
      actorUserId: link.actorUserId,
      action: 'issue_password_link',
      entityType: 'user',
      entityId: link.userId,
      details: { purpose: link.purpose },
    });
  });
  return { token, expiresAt };
}

export type SetPasswordLinkState =
  | { kind: 'usable'; userId: number; displayName: string; email: string; purpose: SetPasswordPurpose }
  | { kind: 'expired' }
  | { kind: 'used' }
  | { kind: 'unknown' };

/** What a token in a set-password link stands for now. */
export async function setPasswordLinkState(db: Kysely<Database>, token: string, now: Date): Promise<SetPasswordLinkState> {
  const link = token ? await findSetPasswordLink(db, tokenHashOf(token)) : undefined;
  if (!link || !link.active) return { kind: 'unknown' };
  if (link.usedAt) return { kind: 'used' };
  if (link.expiresAt <= now) return { kind: 'expired' };
  return { kind: 'usable', userId: link.userId, displayName: link.displayName, email: link.email, purpose: link.purpose };
}

/**
 * Sets the password of a link's person and uses the link up, in one transaction: a second submit
 * (or a second tab) finds it used. Their other sessions end. The policy's refusal is a FormRejection.
 */
export async function setPasswordByLink(
  db: Kysely<Database>,
  token: string,
  password: string,
  now: Date,
): Promise<SetPasswordLinkState & { kind: 'usable' | 'expired' | 'used' | 'unknown' }> {
  const state = await setPasswordLinkState(db, token, now);
  if (state.kind !== 'usable') return state;
  const owner = await findPasswordOwner(db, state.userId);
  const refusal = await passwordRefusal(password, {
    displayName: state.displayName,
    email: state.email,
    currentHash: owner?.currentHash,
  });
  if (refusal) throw new FormRejection({ password: refusal });
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const link = await findSetPasswordLink(trx, tokenHashOf(token));
    if (!link || !(await useSetPasswordLink(trx, link.id, now))) return { kind: 'used' as const };
    await updatePasswordHash(trx, state.userId, hash, now);
    const endedSessions = await deleteSessionsOfUser(trx, state.userId);
    await recordAuditEvent(trx, {
      actorUserId: state.userId,
      action: 'set_password',
      entityType: 'user',
      entityId: state.userId,
      details: { purpose: state.purpose, endedSessions },
    });
    return state;
  });
}

/**
 * A failed sign-in with this email: counted on the account, if there is one, and audited (the
 * administrator's user page shows the count since the last success). An unknown email changes nothing.
 * Returns the account's id, or null for an unknown email.
 */
export async function recordFailedSignIn(db: Kysely<Database>, email: string, now: Date): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const account = await incrementFailedSignIns(trx, normaliseEmail(email), now);
    if (!account) return null;
    await recordAuditEvent(trx, {
      actorUserId: null,
      action: 'login_failed',
      entityType: 'user',
      entityId: account.id,
      details: { failedSignIns: account.failedSignIns },
    });
    return account.id;
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
