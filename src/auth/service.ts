import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { SignInMethod } from '../lib/sign-in-method';
import { recordAuditEvent } from '../platform/audit/service';
import { endOtherSessions, forgetFailedSignIns, normaliseEmail, recordFailedSignIn } from '../users/service';
import {
  currentRateLimitHits,
  decrementRateLimitHits,
  deleteExpiredRateLimits,
  deleteRateLimitKey,
  deleteSessionByHandle,
  incrementRateLimitHits,
  listSessionsOfUser,
} from './queries';

export async function recordSignOut(db: Kysely<Database>, userId: number): Promise<void> {
  await recordAuditEvent(db, { actorUserId: userId, action: 'logout', entityType: 'user', entityId: userId });
}

// --- Throttling sign-in -------------------------------------------------------------------------
//
// Many colleagues share one office address, so a successful sign-in never counts. Failures count
// per client address (generous) and per account *from* one address (strict): a stranger's failures
// are theirs, and never refuse the right password from another address. Failures on one account
// from anywhere only slow it down (SIGN_IN_DELAY), never lock it. The counters are rows of
// `rate_limit_hits`, so every app process shares them.

export interface SignInLimits {
  failuresPerAddress: number;
  failuresPerAccount: number;
  windowMinutes: number;
}

/** One sign-in attempt: the email typed and the client's address (an IPv6 address as its /56). */
export interface SignInAttempt {
  email: string;
  address: string;
}

/**
 * The delay before the password is checked, by the failures on the account (from any address) in
 * the window: none for the first five (a person mistyping), then 0.25 s doubling per failure up to
 * 8 s. Five free tries cover every honest typo; from then on a guesser gets slower with every wrong
 * guess, while the owner waits at most 8 s — a delay, never a lock-out.
 */
export const SIGN_IN_DELAY = { freeFailures: 5, firstMs: 250, maxMs: 8_000 } as const;

export function signInDelayMs(failuresOnAccount: number): number {
  if (failuresOnAccount < SIGN_IN_DELAY.freeFailures) return 0;
  return Math.min(SIGN_IN_DELAY.maxMs, SIGN_IN_DELAY.firstMs * 2 ** (failuresOnAccount - SIGN_IN_DELAY.freeFailures));
}

function signInKeys(attempt: SignInAttempt) {
  const email = normaliseEmail(attempt.email).slice(0, 254);
  return {
    address: `sign-in-failures:address:${attempt.address}`,
    accountAtAddress: `sign-in-failures:account-at-address:${attempt.address} ${email}`,
    account: `sign-in-failures:account:${email}`,
  };
}

export type SignInGate = { kind: 'refused' } | { kind: 'open'; delayMs: number };

/**
 * Before the password is checked: refused when the address or the account-at-address has had its
 * failures in the window; else open, with the delay the account's failures call for. The attempt is
 * counted as a failure at once and taken back when it succeeds, so attempts sent in parallel cannot
 * slip past a limit together; a refused attempt is taken back too (it checked nothing).
 */
export async function openSignIn(
  db: Kysely<Database>,
  limits: SignInLimits,
  attempt: SignInAttempt,
  now: Date,
): Promise<SignInGate> {
  const keys = signInKeys(attempt);
  const windowMs = limits.windowMinutes * 60_000;
  const address = await incrementRateLimitHits(db, keys.address, now, windowMs);
  const accountAtAddress = await incrementRateLimitHits(db, keys.accountAtAddress, now, windowMs);
  if (address.hits > limits.failuresPerAddress || accountAtAddress.hits > limits.failuresPerAccount) {
    await decrementRateLimitHits(db, keys.address);
    await decrementRateLimitHits(db, keys.accountAtAddress);
    return { kind: 'refused' };
  }
  const failures = await currentRateLimitHits(db, [keys.account], now);
  return { kind: 'open', delayMs: signInDelayMs(failures.get(keys.account) ?? 0) };
}

/**
 * The password was wrong (or the email unknown): the failure stays counted, and the account's too.
 * Returns the account's id, or null for an unknown email.
 */
export async function signInFailed(
  db: Kysely<Database>,
  limits: SignInLimits,
  attempt: SignInAttempt,
  now: Date,
): Promise<number | null> {
  await incrementRateLimitHits(db, signInKeys(attempt).account, now, limits.windowMinutes * 60_000);
  return recordFailedSignIn(db, attempt.email, now);
}

/**
 * The password was right: the attempt is taken back from the address's count and the
 * account-at-address count starts again. (The account's delay counter runs out with its window: a
 * guesser stays slow while the owner signs in.) The sign-in itself is recorded by recordSignIn once
 * it is complete, after the second step when there is one.
 */
export async function signInSucceeded(db: Kysely<Database>, attempt: SignInAttempt): Promise<void> {
  const keys = signInKeys(attempt);
  await decrementRateLimitHits(db, keys.address);
  await deleteRateLimitKey(db, keys.accountAtAddress);
}

/**
 * A sign-in is complete (src/auth/sign-in.ts): the account's failed sign-ins are reset, and the
 * sign-in is audited with its method and how many failed ones came before it.
 */
export async function recordSignIn(db: Kysely<Database>, userId: number, method: SignInMethod): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const failedBefore = await forgetFailedSignIns(trx, userId);
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: 'login',
      entityType: 'user',
      entityId: userId,
      details: failedBefore > 0 ? { method, failedSignInsBefore: failedBefore } : { method },
    });
  });
}

/**
 * "Forgot password" requests allowed in the sign-in window: per client address (a colleague may
 * ask for several accounts from the office) and per typed email from anywhere (one address is not
 * flooded with mail). Counted whether or not the email has an account, so a refusal tells nothing.
 */
export const PASSWORD_RESET_LIMITS = { perAddress: 20, perEmail: 3 } as const;

/** Counts a "forgot password" request; false (and not counted) when a limit refuses it. */
export async function admitPasswordReset(
  db: Kysely<Database>,
  windowMinutes: number,
  attempt: SignInAttempt,
  now: Date,
): Promise<boolean> {
  const windowMs = windowMinutes * 60_000;
  const addressKey = `password-reset:address:${attempt.address}`;
  const emailKey = `password-reset:email:${normaliseEmail(attempt.email).slice(0, 254)}`;
  const address = await incrementRateLimitHits(db, addressKey, now, windowMs);
  const email = await incrementRateLimitHits(db, emailKey, now, windowMs);
  if (address.hits > PASSWORD_RESET_LIMITS.perAddress || email.hits > PASSWORD_RESET_LIMITS.perEmail) {
    await decrementRateLimitHits(db, addressKey);
    await decrementRateLimitHits(db, emailKey);
    return false;
  }
  return true;
}

/** Wrong current passwords on /account/password allowed per person in the sign-in window. */
export const CURRENT_PASSWORD_FAILURES = 5;

export type LimitedCheck<T> = { kind: 'refused' } | { kind: 'checked'; result: T };

/**
 * Runs a check unless `limit` wrong ones have been counted under `key` in the window. Counted before
 * it runs (parallel tries cannot slip past); taken back when `passed` says it was right, or when the
 * check throws (it then checked nothing).
 */
export async function limitedCheck<T>(
  db: Kysely<Database>,
  limit: { key: string; failures: number; windowMinutes: number },
  now: Date,
  check: () => Promise<T>,
  passed: (result: T) => boolean,
): Promise<LimitedCheck<T>> {
  const { hits } = await incrementRateLimitHits(db, limit.key, now, limit.windowMinutes * 60_000);
  if (hits > limit.failures) {
    await decrementRateLimitHits(db, limit.key);
    return { kind: 'refused' };
  }
  let result: T;
  try {
    result = await check();
  } catch (error) {
    await decrementRateLimitHits(db, limit.key);
    throw error;
  }
  if (passed(result)) await decrementRateLimitHits(db, limit.key);
  return { kind: 'checked', result };
}

/** A check of the person's current password, refused after CURRENT_PASSWORD_FAILURES wrong ones in the window. */
export async function checkCurrentPassword<T>(
  db: Kysely<Database>,
  userId: number,
  windowMinutes: number,
  now: Date,
  check: () => Promise<T>,
  passed: (result: T) => boolean,
): Promise<LimitedCheck<T>> {
  const limit = { key: `current-password-failures:user:${userId}`, failures: CURRENT_PASSWORD_FAILURES, windowMinutes };
  return limitedCheck(db, limit, now, check, passed);
}

/**
 * A check of a second-factor code (an authenticator code or a recovery code, at sign-in or step-up),
 * throttled like passwords: after `failures` wrong ones for the account in the window (as many as
 * LOGIN_FAILURES_PER_ACCOUNT allows a password), the next is refused until the window ends.
 */
export async function checkSecondFactor<T>(
  db: Kysely<Database>,
  userId: number,
  limits: SignInLimits,
  now: Date,
  check: () => Promise<T>,
  passed: (result: T) => boolean,
): Promise<LimitedCheck<T>> {
  const limit = {
    key: `second-factor-failures:user:${userId}`,
    failures: limits.failuresPerAccount,
    windowMinutes: limits.windowMinutes,
  };
  return limitedCheck(db, limit, now, check, passed);
}

/** Old counter windows are of no use; removed now and then so the table stays small. */
export async function forgetExpiredCounters(db: Kysely<Database>, now: Date): Promise<void> {
  await deleteExpiredRateLimits(db, now);
}

// --- One's own sessions ---------------------------------------------------------------------------

export interface OwnSession {
  /** An opaque name of the session; the session id itself never leaves the server. */
  handle: string;
  current: boolean;
  signedInAt: Date | null;
  userAgent: string;
  address: string;
  lastSeenAt: Date;
}

/**
 * The person's active sessions, this one included: unexpired, and signed in less than the absolute
 * lifetime ago (an older one ends at its next request).
 */
export async function ownSessions(
  db: Kysely<Database>,
  userId: number,
  currentSid: string,
  signedInSince: Date,
): Promise<OwnSession[]> {
  const rows = await listSessionsOfUser(db, userId, currentSid);
  return rows
    .map((row) => {
      const signedInMs = row.signedInAt === null ? NaN : Number(row.signedInAt);
      return {
        handle: row.handle,
        current: row.current,
        signedInAt: Number.isFinite(signedInMs) ? new Date(signedInMs) : null,
        userAgent: row.userAgent ?? '',
        address: row.address ?? '',
        lastSeenAt: row.lastSeenAt,
      };
    })
    .filter((session) => session.current || session.signedInAt === null || session.signedInAt >= signedInSince);
}

/** Ends one of the person's other sessions (audited); `gone` when it had ended already. */
export async function endOwnSession(
  db: Kysely<Database>,
  userId: number,
  handle: string,
  currentSid: string,
): Promise<{ kind: 'ended' } | { kind: 'gone' }> {
  return db.transaction().execute(async (trx) => {
    if ((await deleteSessionByHandle(trx, userId, handle, currentSid)) === 0) return { kind: 'gone' as const };
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: 'end_session',
      entityType: 'user',
      entityId: userId,
      details: { sessions: 1 },
    });
    return { kind: 'ended' as const };
  });
}

/** Ends every session of the person but this one (audited, with how many); returns how many. */
export async function endOtherOwnSessions(db: Kysely<Database>, userId: number, currentSid: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ended = await endOtherSessions(trx, userId, currentSid);
    if (ended > 0) {
      await recordAuditEvent(trx, {
        actorUserId: userId,
        action: 'end_other_sessions',
        entityType: 'user',
        entityId: userId,
        details: { sessions: ended },
      });
    }
    return ended;
  });
}
