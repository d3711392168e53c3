import { sql } from 'kysely';
import type { Executor } from '../platform/executor';

export interface PasskeyRow {
  id: number;
  userId: number;
  credentialId: string;
  publicKey: Buffer;
  counter: number;
  transports: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const PASSKEY_COLUMNS = [
  'id',
  'user_id as userId',
  'credential_id as credentialId',
  'public_key as publicKey',
  'counter',
  'transports',
  'name',
  'created_at as createdAt',
  'last_used_at as lastUsedAt',
] as const;

/** The person's passkeys, the most recently used first (never used ones by when they were added), at most `limit`. */
export async function listPasskeysOf(db: Executor, userId: number, limit: number): Promise<PasskeyRow[]> {
  const rows = await db
    .selectFrom('passkeys')
    .select(PASSKEY_COLUMNS)
    .where('user_id', '=', userId)
    .orderBy(sql`coalesce(last_used_at, created_at)`, 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, counter: Number(row.counter) }));
}

export async function countPasskeysOf(db: Executor, userId: number): Promise<number> {
  const row = await db
    .selectFrom('passkeys')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The passkey with this credential id, whoever's it is. */
export async function findPasskeyByCredentialId(db: Executor, credentialId: string): Promise<PasskeyRow | undefined> {
  const row = await db
    .selectFrom('passkeys')
    .select(PASSKEY_COLUMNS)
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
  return row && { ...row, counter: Number(row.counter) };
}

/** One of the person's passkeys; nothing for another person's. */
export async function findOwnPasskey(db: Executor, userId: number, id: number): Promise<PasskeyRow | undefined> {
  const row = await db
    .selectFrom('passkeys')
    .select(PASSKEY_COLUMNS)
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && { ...row, counter: Number(row.counter) };
}

/** The WebAuthn user handle the person's passkeys share, when they have one. */
export async function userHandleOf(db: Executor, userId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('passkeys')
    .select('user_handle')
    .where('user_id', '=', userId)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.user_handle;
}

export interface NewPasskey {
  userId: number;
  credentialId: string;
  publicKey: Buffer;
  counter: number;
  transports: string;
  userHandle: string;
  name: string;
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  createdAt: Date;
}

/** Stores a new passkey; undefined when its credential id is stored already (registered twice). */
export async function insertPasskey(db: Executor, passkey: NewPasskey): Promise<number | undefined> {
  const row = await db
    .insertInto('passkeys')
    .values({
      user_id: passkey.userId,
      credential_id: passkey.credentialId,
      public_key: passkey.publicKey,
      counter: passkey.counter,
      transports: passkey.transports,
      user_handle: passkey.userHandle,
      name: passkey.name,
      device_type: passkey.deviceType,
      backed_up: passkey.backedUp,
      created_at: passkey.createdAt,
    })
    .onConflict((oc) => oc.column('credential_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * A use of the passkey: its new signature counter and when. Only while the stored counter is still
 * the one the assertion was checked against, so two uses of one assertion at once cannot both pass.
 */
export async function recordPasskeyUse(
  db: Executor,
  id: number,
  checkedCounter: number,
  newCounter: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('passkeys')
    .set({ counter: newCounter, last_used_at: now })
    .where('id', '=', id)
    .where('counter', '=', String(checkedCounter))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function renamePasskeyRow(db: Executor, userId: number, id: number, name: string): Promise<boolean> {
  const result = await db
    .updateTable('passkeys')
    .set({ name })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deletePasskeyRow(db: Executor, userId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('passkeys').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Removes every passkey of the person; how many there were. */
export async function deletePasskeysOf(db: Executor, userId: number): Promise<number> {
  const result = await db.deleteFrom('passkeys').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Keeps a passwordless sign-in's challenge until `expiresAt`; expired ones are removed on the way. */
export async function insertSignInChallenge(db: Executor, challenge: string, expiresAt: Date, now: Date): Promise<void> {
  await db.deleteFrom('passkey_challenges').where('expires_at', '<=', now).execute();
  await db.insertInto('passkey_challenges').values({ challenge, expires_at: expiresAt }).execute();
}

/** Takes the challenge (single use): true when it was there and unexpired. */
export async function takeSignInChallenge(db: Executor, challenge: string, now: Date): Promise<boolean> {
  const row = await db
    .deleteFrom('passkey_challenges')
    .where('challenge', '=', challenge)
    .returning('expires_at')
    .executeTakeFirst();
  return row !== undefined && new Date(row.expires_at) > now;
}
