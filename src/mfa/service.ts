import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { SignInMethod } from '../lib/sign-in-method';
import { recordAuditEvent } from '../platform/audit/service';
import type { Executor } from '../platform/executor';
import {
  claimTotpStep,
  clearSecondFactorResetAt,
  countUnusedRecoveryCodes,
  deleteRecoveryCodes,
  deleteTotp,
  findSecondFactorResetAt,
  findTotp,
  replaceRecoveryCodes,
  setSecondFactorResetAt,
  spendRecoveryCode,
  insertTotp,
  upsertTotpWithoutUse,
} from './queries';
import { passkeyCount, removeAllPasskeysOf } from '../passkeys/service';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode, normaliseTotpCode, totpStepOf } from './totp';

// A second factor (issue 18): an authenticator app (TOTP) and single-use recovery codes; passkeys
// are the passkeys feature's, counted here by secondFactorsOf. How sign-in uses these is in
// src/auth/sign-in.ts; step-up in src/mfa/step-up.ts.

export interface SecondFactors {
  totp: boolean;
  /** How many passkeys the person has registered. */
  passkeys: number;
}

/** Whether the person has any second factor to give: an authenticator app or a passkey. */
export function hasSecondFactor(factors: SecondFactors): boolean {
  return factors.totp || factors.passkeys > 0;
}

/** The second factors a person has: what decides, after the password, whether a second step follows. */
export async function secondFactorsOf(db: Executor, userId: number): Promise<SecondFactors> {
  const totp = await findTotp(db, userId);
  return { totp: totp !== undefined, passkeys: await passkeyCount(db, userId) };
}

/** Whether the person's role requires a second factor (MFA_REQUIRED_ROLES). */
export function secondFactorRequired(requiredRoles: readonly string[], role: string): boolean {
  return requiredRoles.includes(role);
}

/** An administrator reset the person's second factor, and they have not been told yet. */
export async function wasResetSinceSignIn(db: Kysely<Database>, userId: number): Promise<boolean> {
  return (await findSecondFactorResetAt(db, userId)) !== null;
}

/** Tells the reset once: true the first time after a reset, and never again until the next one. */
export async function takeResetNotice(db: Kysely<Database>, userId: number): Promise<boolean> {
  return clearSecondFactorResetAt(db, userId);
}

export interface SecurityOverview {
  totp: { confirmedAt: Date } | null;
  recoveryCodesLeft: number;
}

/** What /account/security shows of the person's own factors. */
export async function securityOverview(db: Kysely<Database>, userId: number): Promise<SecurityOverview> {
  const [totp, recoveryCodesLeft] = await Promise.all([findTotp(db, userId), countUnusedRecoveryCodes(db, userId)]);
  return { totp: totp ? { confirmedAt: totp.confirmed_at } : null, recoveryCodesLeft };
}

export type EnrolmentOutcome =
  { kind: 'enrolled'; recoveryCodes: string[] } | { kind: 'wrongCode' } | { kind: 'alreadyEnrolled' };

/**
 * The first code from the app confirms its enrolment: the secret is stored (that code's step as used,
 * so it cannot sign in again), ten new recovery codes replace any old ones, a reset mark is cleared;
 * audited. The codes are returned to be shown once.
 */
export async function confirmTotpEnrolment(
  db: Kysely<Database>,
  userId: number,
  secret: string,
  input: string,
  now: Date,
): Promise<EnrolmentOutcome> {
  const code = normaliseTotpCode(input);
  const step = code === null ? null : totpStepOf(secret, code, now);
  if (step === null) return { kind: 'wrongCode' };
  const recoveryCodes = newRecoveryCodes();
  const enrolled = await db.transaction().execute(async (trx) => {
    if (!(await insertTotp(trx, userId, secret, step, now))) return false;
    await replaceRecoveryCodes(
      trx,
      userId,
      recoveryCodes.map((recoveryCode) => hashRecoveryCode(normaliseRecoveryCode(recoveryCode)!)),
    );
    await setSecondFactorResetAt(trx, userId, null);
    await recordAuditEvent(trx, { actorUserId: userId, action: 'enrol_totp', entityType: 'user', entityId: userId });
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: 'regenerate_recovery_codes',
      entityType: 'user',
      entityId: userId,
      details: { codes: recoveryCodes.length },
    });
    return true;
  });
  return enrolled ? { kind: 'enrolled', recoveryCodes } : { kind: 'alreadyEnrolled' };
}

export type CodeCheck = { kind: 'accepted'; method: Extract<SignInMethod, 'totp' | 'recovery'> } | { kind: 'wrong' };

/**
 * A code typed at the second step or at step-up: six digits are an authenticator code (right within
 * ±1 step, and for a later step than the last one used: no replay), anything else a recovery code
 * (unused; spent now, audited with how many are left).
 */
export async function checkSecondFactorCode(db: Kysely<Database>, userId: number, input: string, now: Date): Promise<CodeCheck> {
  const totpCode = normaliseTotpCode(input);
  if (totpCode !== null) {
    const totp = await findTotp(db, userId);
    const step = totp ? totpStepOf(totp.secret, totpCode, now) : null;
    if (step === null) return { kind: 'wrong' };
    return (await claimTotpStep(db, userId, step)) ? { kind: 'accepted', method: 'totp' } : { kind: 'wrong' };
  }
  const recoveryCode = normaliseRecoveryCode(input);
  if (recoveryCode === null) return { kind: 'wrong' };
  return db.transaction().execute(async (trx) => {
    if (!(await spendRecoveryCode(trx, userId, hashRecoveryCode(recoveryCode), now))) return { kind: 'wrong' as const };
    const left = await countUnusedRecoveryCodes(trx, userId);
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: 'use_recovery_code',
      entityType: 'user',
      entityId: userId,
      details: { left },
    });
    return { kind: 'accepted' as const, method: 'recovery' as const };
  });
}

/**
 * The embedded demo's accounts get an authenticator app with a known secret (src/demo), so anyone
 * can add it to their app and try every role. Without a first code and without recovery codes: it
 * is seed data, never a real enrolment.
 */
export async function enrolDemoTotp(db: Kysely<Database>, userId: number, secret: string, now: Date): Promise<void> {
  await upsertTotpWithoutUse(db, userId, secret, now);
}

/** A second factor given again for a step-up: audited with how. */
export async function recordStepUp(db: Kysely<Database>, userId: number, method: SignInMethod): Promise<void> {
  await recordAuditEvent(db, {
    actorUserId: userId,
    action: 'step_up',
    entityType: 'user',
    entityId: userId,
    details: { method },
  });
}

export type DisableOutcome = { kind: 'disabled' } | { kind: 'notEnrolled' } | { kind: 'required' };

/**
 * The person removes their authenticator app (audited). Refused while their role requires a second
 * factor and it is their only one; their recovery codes go with their last factor.
 */
export async function disableTotp(db: Kysely<Database>, userId: number, required: boolean): Promise<DisableOutcome> {
  return db.transaction().execute(async (trx) => {
    const factors = await secondFactorsOf(trx, userId);
    if (!factors.totp) return { kind: 'notEnrolled' as const };
    if (required && factors.passkeys === 0) return { kind: 'required' as const };
    await deleteTotp(trx, userId);
    if (factors.passkeys === 0) await deleteRecoveryCodes(trx, userId);
    await recordAuditEvent(trx, { actorUserId: userId, action: 'disable_totp', entityType: 'user', entityId: userId });
    return { kind: 'disabled' as const };
  });
}

export type RegenerateOutcome = { kind: 'regenerated'; recoveryCodes: string[] } | { kind: 'noFactor' };

/** Ten new recovery codes replace the old ones (all of them, used or not); audited. Only with a second factor. */
export async function regenerateRecoveryCodes(db: Kysely<Database>, userId: number): Promise<RegenerateOutcome> {
  const factors = await secondFactorsOf(db, userId);
  if (!factors.totp && factors.passkeys === 0) return { kind: 'noFactor' };
  const recoveryCodes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await replaceRecoveryCodes(
      trx,
      userId,
      recoveryCodes.map((code) => hashRecoveryCode(normaliseRecoveryCode(code)!)),
    );
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: 'regenerate_recovery_codes',
      entityType: 'user',
      entityId: userId,
      details: { codes: recoveryCodes.length },
    });
  });
  return { kind: 'regenerated', recoveryCodes };
}

export type ResetOutcome = { kind: 'reset' } | { kind: 'nothingToReset' };

/**
 * An administrator removes a person's second factor (a lost phone): their authenticator app, passkeys and
 * recovery codes go, and they are told at their next sign-in, where a role that requires a second
 * factor enrols again. Audited by the administrator, on the person.
 */
export async function resetSecondFactor(db: Kysely<Database>, adminId: number, userId: number, now: Date): Promise<ResetOutcome> {
  return db.transaction().execute(async (trx) => {
    const totp = await deleteTotp(trx, userId);
    const codes = await deleteRecoveryCodes(trx, userId);
    const passkeys = await removeAllPasskeysOf(trx, userId);
    if (totp === 0 && codes === 0 && passkeys === 0) return { kind: 'nothingToReset' as const };
    await setSecondFactorResetAt(trx, userId, now);
    await recordAuditEvent(trx, {
      actorUserId: adminId,
      action: 'reset_second_factor',
      entityType: 'user',
      entityId: userId,
      details: { totp: totp > 0, recoveryCodes: codes, passkeys },
    });
    return { kind: 'reset' as const };
  });
}
