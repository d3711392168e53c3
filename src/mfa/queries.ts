import { sql } from 'kysely';
import type { Executor } from '../platform/executor';

export async function findTotp(db: Executor, userId: number) {
  return db
    .selectFrom('user_totp')
    .select(['secret', 'last_used_step', 'confirmed_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Stores a confirmed enrolment (a new one replaces the old), with the step of the code that confirmed it as used. */
/**
 * Stores a confirmed authenticator app; false when the person already has one (an app is replaced
 * only by removing it first, which asks for the second factor again).
 */
export async function insertTotp(db: Executor, userId: number, secret: string, usedStep: number, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('user_totp')
    .values({ user_id: userId, secret, last_used_step: usedStep, confirmed_at: now })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Stores an enrolment no code confirmed (the demo's known secret): no step used yet. */
export async function upsertTotpWithoutUse(db: Executor, userId: number, secret: string, now: Date): Promise<void> {
  await db
    .insertInto('user_totp')
    .values({ user_id: userId, secret, last_used_step: null, confirmed_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret, last_used_step: null, confirmed_at: now }))
    .execute();
}

/**
 * Marks `step` used when it is later than the last used one. One statement, so two requests with the
 * same code (in two processes) cannot both pass: true for the one that did.
 */
export async function claimTotpStep(db: Executor, userId: number, step: number): Promise<boolean> {
  const result = await db
    .updateTable('user_totp')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteTotp(db: Executor, userId: number): Promise<number> {
  const result = await db.deleteFrom('user_totp').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function replaceRecoveryCodes(db: Executor, userId: number, hashes: readonly string[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (hashes.length === 0) return;
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

export async function deleteRecoveryCodes(db: Executor, userId: number): Promise<number> {
  const result = await db.deleteFrom('recovery_codes').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Spends an unused code with this hash: true when there was one (one statement, so a code is spent once). */
export async function spendRecoveryCode(db: Executor, userId: number, hash: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Executor, userId: number): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function setSecondFactorResetAt(db: Executor, userId: number, at: Date | null): Promise<void> {
  await db.updateTable('users').set({ second_factor_reset_at: at }).where('id', '=', userId).execute();
}

export async function findSecondFactorResetAt(db: Executor, userId: number): Promise<Date | null> {
  const row = await db.selectFrom('users').select('second_factor_reset_at').where('id', '=', userId).executeTakeFirst();
  return row?.second_factor_reset_at ?? null;
}

/** Clears the reset mark: true when there was one (one statement, so it is told once). */
export async function clearSecondFactorResetAt(db: Executor, userId: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ second_factor_reset_at: null })
    .where('id', '=', userId)
    .where('second_factor_reset_at', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
