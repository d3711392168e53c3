import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { Database } from '../db/schema';
import type { Executor } from '../platform/executor';
import { recordAuditEvent } from '../platform/audit/service';
import {
  countPasskeysOf,
  deletePasskeyRow,
  deletePasskeysOf,
  findOwnPasskey,
  findPasskeyByCredentialId,
  insertPasskey,
  insertSignInChallenge,
  listPasskeysOf,
  recordPasskeyUse,
  renamePasskeyRow,
  takeSignInChallenge,
  userHandleOf,
  type PasskeyRow,
} from './queries';
import { AssertionCredential, parseCredential, RegistrationCredential } from './schemas';

/** A person keeps at most this many passkeys: enough for every device and a spare key, and a short list. */
export const MAX_PASSKEYS = 20;
/** How long a ceremony may take, from the options to the answer (the browser's own timeout too). */
export const CEREMONY_MS = 5 * 60_000;

/**
 * Who the passkeys are for: the host of PUBLIC_URL is the relying party's id, its origin the only
 * origin an answer may come from. A passkey made for one host works on no other, so PUBLIC_URL must
 * be the address people really open (http://localhost:PORT in development: browsers refuse IP addresses).
 */
export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

export function relyingPartyFor(publicUrl: string, name: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, origin: url.origin, name };
}

/** A ceremony under way: its challenge, and for a registration the user handle it offered. */
export interface Ceremony {
  challenge: string;
  userHandle?: string;
  expiresAt: number;
}

const transportsOf = (row: Pick<PasskeyRow, 'transports'>): AuthenticatorTransportFuture[] =>
  row.transports === '' ? [] : (row.transports.split(',') as AuthenticatorTransportFuture[]);

// --- One's own passkeys ---------------------------------------------------------------------------

export interface OwnPasskey {
  id: number;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The person's passkeys (there are at most MAX_PASSKEYS), the most recently used first. */
export async function passkeysOf(db: Kysely<Database>, userId: number): Promise<OwnPasskey[]> {
  const rows = await listPasskeysOf(db, userId, MAX_PASSKEYS);
  return rows.map(({ id, name, createdAt, lastUsedAt }) => ({ id, name, createdAt, lastUsedAt }));
}

/** The passkeys section of /account/security (views/passkeys/_section.ejs): the list, and whether another may be added. */
export interface PasskeysSection {
  rows: OwnPasskey[];
  canAdd: boolean;
  max: number;
}

export async function passkeysSection(db: Kysely<Database>, userId: number): Promise<PasskeysSection> {
  const rows = await passkeysOf(db, userId);
  return { rows, canAdd: rows.length < MAX_PASSKEYS, max: MAX_PASSKEYS };
}

export async function ownPasskey(db: Kysely<Database>, userId: number, id: number): Promise<OwnPasskey | undefined> {
  const row = await findOwnPasskey(db, userId, id);
  return row && { id: row.id, name: row.name, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
}

/** How many passkeys the person has: what src/mfa counts as a second factor. */
export async function passkeyCount(db: Executor, userId: number): Promise<number> {
  return countPasskeysOf(db, userId);
}

/**
 * An administrator's reset of the person's second factor (src/mfa resetSecondFactor) removes their
 * passkeys too, in its transaction, which audits the reset; how many there were.
 */
export async function removeAllPasskeysOf(db: Executor, userId: number): Promise<number> {
  return deletePasskeysOf(db, userId);
}

// --- Registration ----------------------------------------------------------------------------------

export interface RegistrationStart {
  options: PublicKeyCredentialCreationOptionsJSON;
  ceremony: Ceremony;
}

/**
 * The options of a new passkey: discoverable (so it signs in without an email typed), with user
 * verification required, and none of the person's own authenticators again. All of the person's
 * passkeys share one random user handle, so an authenticator keeps one passkey per person here.
 */
export async function registrationOptions(
  db: Kysely<Database>,
  rp: RelyingParty,
  user: { id: number; email: string; displayName: string },
  nowMs: number,
): Promise<RegistrationStart> {
  const existing = await listPasskeysOf(db, user.id, MAX_PASSKEYS);
  const userHandle = (await userHandleOf(db, user.id)) ?? randomBytes(32).toString('base64url');
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.displayName,
    userID: new Uint8Array(Buffer.from(userHandle, 'base64url')),
    attestationType: 'none',
    timeout: CEREMONY_MS,
    excludeCredentials: existing.map((row) => ({ id: row.credentialId, transports: transportsOf(row) })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  return { options, ceremony: { challenge: options.challenge, userHandle, expiresAt: nowMs + CEREMONY_MS } };
}

export type RegistrationOutcome =
  | { kind: 'registered'; id: number }
  /** No ceremony under way (expired, or already used), or an answer that does not verify. */
  | { kind: 'refused'; reason: 'noCeremony' | 'malformed' | 'notVerified' | 'alreadyRegistered' }
  | { kind: 'tooMany' };

/**
 * Checks the browser's answer to the ceremony (challenge, origin, relying party, user verification,
 * signature) and stores the passkey under the name given; audited.
 */
export async function registerPasskey(
  db: Kysely<Database>,
  rp: RelyingParty,
  userId: number,
  ceremony: Ceremony | undefined,
  form: { name: string; credential: string },
  now: Date,
): Promise<RegistrationOutcome> {
  if (!ceremony?.userHandle || ceremony.expiresAt <= now.getTime()) return { kind: 'refused', reason: 'noCeremony' };
  const response = parseCredential(RegistrationCredential, form.credential);
  if (!response) return { kind: 'refused', reason: 'malformed' };
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch {
    // The library throws for every way an answer can be wrong; each is the same refusal here.
    return { kind: 'refused', reason: 'notVerified' };
  }
  if (!verification.verified) return { kind: 'refused', reason: 'notVerified' };
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  return db.transaction().execute(async (trx) => {
    if ((await countPasskeysOf(trx, userId)) >= MAX_PASSKEYS) return { kind: 'tooMany' as const };
    const id = await insertPasskey(trx, {
      userId,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: response.response.transports.join(','),
      userHandle: ceremony.userHandle!,
      name: form.name,
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      createdAt: now,
    });
    if (id === undefined) return { kind: 'refused' as const, reason: 'alreadyRegistered' as const };
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: 'add_passkey',
      entityType: 'user',
      entityId: userId,
      details: { passkeyId: id },
    });
    return { kind: 'registered' as const, id };
  });
}

export async function renamePasskey(
  db: Kysely<Database>,
  userId: number,
  id: number,
  name: string,
): Promise<{ kind: 'renamed' } | { kind: 'notFound' }> {
  return db.transaction().execute(async (trx) => {
    if (!(await renamePasskeyRow(trx, userId, id, name))) return { kind: 'notFound' as const };
    // The name is the person's free text: the audit records which passkey, not what it is called.
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: 'rename_passkey',
      entityType: 'user',
      entityId: userId,
      details: { passkeyId: id },
    });
    return { kind: 'renamed' as const };
  });
}

export async function removePasskey(
  db: Kysely<Database>,
  userId: number,
  id: number,
): Promise<{ kind: 'removed' } | { kind: 'notFound' }> {
  return db.transaction().execute(async (trx) => {
    if (!(await deletePasskeyRow(trx, userId, id))) return { kind: 'notFound' as const };
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: 'remove_passkey',
      entityType: 'user',
      entityId: userId,
      details: { passkeyId: id },
    });
    return { kind: 'removed' as const };
  });
}

// --- Authentication ---------------------------------------------------------------------------------

export interface AuthenticationStart {
  options: PublicKeyCredentialRequestOptionsJSON;
  ceremony: Ceremony;
}

/**
 * The options of a passkey check. For a known person (a second step, a step-up) only their own
 * passkeys are offered; for a passwordless sign-in none are named, so the browser offers the
 * discoverable passkeys it holds for this site.
 */
export async function authenticationOptions(
  db: Kysely<Database>,
  rp: RelyingParty,
  userId: number | null,
  nowMs: number,
): Promise<AuthenticationStart> {
  const own = userId === null ? [] : await listPasskeysOf(db, userId, MAX_PASSKEYS);
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    timeout: CEREMONY_MS,
    userVerification: 'required',
    allowCredentials: own.map((row) => ({ id: row.credentialId, transports: transportsOf(row) })),
  });
  return { options, ceremony: { challenge: options.challenge, expiresAt: nowMs + CEREMONY_MS } };
}

/**
 * A passwordless sign-in's options. A signed-out visitor has no session, so the challenge is kept in
 * the database (single use, CEREMONY_MS) and the caller hands it to the browser in a cookie too.
 */
export async function signInOptions(db: Kysely<Database>, rp: RelyingParty, now: Date): Promise<AuthenticationStart> {
  const start = await authenticationOptions(db, rp, null, now.getTime());
  await insertSignInChallenge(db, start.ceremony.challenge, new Date(start.ceremony.expiresAt), now);
  return start;
}

/** Takes a passwordless sign-in's challenge (single use): the ceremony when it was still open. */
export async function takeSignInCeremony(
  db: Kysely<Database>,
  challenge: string | undefined,
  now: Date,
): Promise<Ceremony | undefined> {
  if (!challenge || challenge.length > 200) return undefined;
  return (await takeSignInChallenge(db, challenge, now)) ? { challenge, expiresAt: now.getTime() + 1 } : undefined;
}

export type AssertionOutcome =
  | { kind: 'verified'; userId: number; passkeyId: number }
  | { kind: 'refused'; reason: 'noCeremony' | 'malformed' | 'unknownCredential' | 'otherUser' | 'notVerified' };

/**
 * Checks a passkey's answer: the challenge of this ceremony, the origin and relying party, user
 * verification, the signature with the stored public key, the user handle against the passkey's
 * owner, and (for a second step or a step-up) that the passkey is the expected person's. The
 * signature counter is stored; one that did not move on an authenticator that counts is refused
 * (a cloned authenticator), as is a second use of one answer.
 */
export async function verifyPasskey(
  db: Kysely<Database>,
  rp: RelyingParty,
  ceremony: Ceremony | undefined,
  credentialJson: string,
  expectedUserId: number | null,
  now: Date,
): Promise<AssertionOutcome> {
  if (!ceremony || ceremony.expiresAt <= now.getTime()) return { kind: 'refused', reason: 'noCeremony' };
  const response = parseCredential(AssertionCredential, credentialJson);
  if (!response) return { kind: 'refused', reason: 'malformed' };
  const passkey = await findPasskeyByCredentialId(db, response.id);
  if (!passkey) return { kind: 'refused', reason: 'unknownCredential' };
  if (expectedUserId !== null && passkey.userId !== expectedUserId) return { kind: 'refused', reason: 'otherUser' };
  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: transportsOf(passkey),
      },
    });
  } catch {
    return { kind: 'refused', reason: 'notVerified' };
  }
  if (!verification.verified) return { kind: 'refused', reason: 'notVerified' };
  // A discoverable passkey names its owner: it must be the owner the passkey was stored for.
  const handle = response.response.userHandle;
  if (handle !== undefined && handle !== (await userHandleOf(db, passkey.userId)))
    return { kind: 'refused', reason: 'otherUser' };
  const recorded = await recordPasskeyUse(db, passkey.id, passkey.counter, verification.authenticationInfo.newCounter, now);
  if (!recorded) return { kind: 'refused', reason: 'notVerified' };
  return { kind: 'verified', userId: passkey.userId, passkeyId: passkey.id };
}
