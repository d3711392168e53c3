import { ipKeyGenerator } from 'express-rate-limit';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Clock, Sleep } from '../lib/clock';
import {
  admitPasswordReset,
  checkCurrentPassword,
  checkSecondFactor,
  forgetExpiredCounters,
  openSignIn,
  signInFailed,
  signInSucceeded,
  type LimitedCheck,
  type SignInAttempt,
  type SignInLimits,
} from './service';

/** Expired counter rows are removed after this many counted attempts of a process. */
const CLEANUP_EVERY = 500;

/**
 * The sign-in throttle of one app process (the rules are in service.ts; the counters in PostgreSQL,
 * shared by every process): what POST /login and POST /account/password call.
 */
export function createSignInThrottle(db: Kysely<Database>, options: { clock: Clock; sleep: Sleep; limits: SignInLimits }) {
  const { clock, sleep, limits } = options;
  let attemptsSinceCleanup = 0;
  const now = () => clock.now().toJSDate();
  const cleanUpNowAndThen = async () => {
    if (++attemptsSinceCleanup < CLEANUP_EVERY) return;
    attemptsSinceCleanup = 0;
    await forgetExpiredCounters(db, now());
  };
  return {
    limits,
    /** The attempt of this address (an IPv6 address counts as its /56, as express-rate-limit keys it). */
    attemptOf(email: string, ip: string | undefined): SignInAttempt {
      return { email, address: ipKeyGenerator(ip ?? 'unknown') };
    },
    /** False when a limit refuses the attempt; else true, after the delay the account's failures call for. */
    async admit(attempt: SignInAttempt): Promise<boolean> {
      await cleanUpNowAndThen();
      const gate = await openSignIn(db, limits, attempt, now());
      if (gate.kind === 'refused') return false;
      if (gate.delayMs > 0) await sleep(gate.delayMs);
      return true;
    },
    failed: (attempt: SignInAttempt) => signInFailed(db, limits, attempt, now()),
    /** The password was right: its attempt no longer counts (the sign-in is recorded when complete). */
    succeeded: (attempt: SignInAttempt) => signInSucceeded(db, attempt),
    /** A "forgot password" request: false when too many came from this address, or for this email, in the window. */
    passwordReset: (attempt: SignInAttempt) => admitPasswordReset(db, limits.windowMinutes, attempt, now()),
    /** A check of the person's current password, refused after too many wrong ones (see checkCurrentPassword). */
    currentPassword<T>(userId: number, check: () => Promise<T>, passed: (result: T) => boolean): Promise<LimitedCheck<T>> {
      return checkCurrentPassword(db, userId, limits.windowMinutes, now(), check, passed);
    },
    /** A check of a second-factor code, refused after too many wrong ones (see checkSecondFactor). */
    secondFactor<T>(userId: number, check: () => Promise<T>, passed: (result: T) => boolean): Promise<LimitedCheck<T>> {
      return checkSecondFactor(db, userId, limits, now(), check, passed);
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
