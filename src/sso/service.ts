import type { Kysely } from 'kysely';
import type { SsoConfig } from '../config';
import type { Database, Role } from '../db/schema';
import { recordAuditEvent } from '../platform/audit/service';
import type { Executor } from '../platform/executor';
import { openCaseloadSize } from '../participants/service';
import { normaliseEmail } from '../users/service';
import {
  countOtherActiveAdmins,
  findAccountBySubject,
  findRole,
  findRoleByEmail,
  findTeamIdByName,
  insertAccount,
  insertIdentity,
  lockAccountByEmail,
  lockAccountBySubject,
  touchIdentity,
  updateRoleAndTeam,
  type SsoAccount,
} from './queries';
import { roleFromClaim } from './role-claim';

/**
 * Why a single sign-on did not sign anyone in. Each has its own sentence on the sign-in page
 * (`sso.refused.<reason>`), so a person knows whether to try again, ask an administrator or ask
 * the identity provider's administrator.
 */
export const SSO_REFUSALS = [
  /** The provider's person matches no account, and accounts are not made (OIDC_CREATE_USERS). */
  'unknownPerson',
  'deactivated',
  /** The provider answered with an error, or could not be reached. */
  'providerError',
  /** The answer belongs to no sign-in started in this browser (state), or it took too long. */
  'wrongState',
  /** The answer could not be verified (nonce, issuer, signature, PKCE). */
  'notVerified',
  /** No email to match a first sign-in with. */
  'noEmail',
  /** The account with this email is bound to another person of the provider. */
  'boundToAnother',
  /** OIDC_ROLE_CLAIM is set and gives the person no InBeeld role. */
  'noRole',
  'ambiguousRole',
  /** The role claim (or OIDC_DEFAULT_TEAM) names no existing team, or a coach or manager would have none. */
  'unknownTeam',
  /** The role claim moves a coach who still has participants: an administrator moves them first. */
  'caseloadMustMove',
  /** The role claim would leave the organisation without an active administrator. */
  'lastAdmin',
  /** PASSWORD_SIGNIN=admins-only and the password was right, but the person is no administrator. */
  'passwordOff',
] as const;
export type SsoRefusal = (typeof SSO_REFUSALS)[number];

export function isSsoRefusal(value: unknown): value is SsoRefusal {
  return typeof value === 'string' && (SSO_REFUSALS as readonly string[]).includes(value);
}

/** What InBeeld reads of the ID token. */
export interface SsoClaims {
  iss: string;
  sub: string;
  [claim: string]: unknown;
}

export type SsoSignInOutcome =
  | { kind: 'signedIn'; userId: number; bound: boolean; created: boolean }
  | { kind: 'refused'; reason: SsoRefusal; userId: number | null };

/**
 * The email of a first sign-in: `email`, else Entra ID's `preferred_username` when it is one (Entra
 * sends `email` only when the account has a mailbox, and often no `email_verified`). Only a first
 * sign-in reads it; after it, the subject finds the account.
 */
function emailOf(claims: SsoClaims): string | null {
  for (const claim of [claims.email, claims.preferred_username]) {
    if (typeof claim === 'string' && /^[^@\s]+@[^@\s]+$/.test(claim.trim())) return normaliseEmail(claim);
  }
  return null;
}

function displayNameOf(claims: SsoClaims, email: string): string {
  if (typeof claims.name === 'string' && claims.name.trim() !== '') return claims.name.trim().slice(0, 200);
  const parts = [claims.given_name, claims.family_name].filter((part): part is string => typeof part === 'string');
  const joined = parts.join(' ').trim();
  return joined === '' ? email : joined.slice(0, 200);
}

type Placement = { kind: 'placed'; role: Role; teamId: number | null } | { kind: 'refused'; reason: SsoRefusal };

/**
 * Where the role claim puts the person: its role, and its team (a named one must exist; none named
 * keeps the account's team, or else OIDC_DEFAULT_TEAM). Null when no role claim is configured.
 */
async function placementOf(
  db: Executor,
  sso: SsoConfig,
  claims: SsoClaims,
  currentTeamId: number | null,
): Promise<Placement | null> {
  if (sso.roleClaim === null) return null;
  const fromClaim = roleFromClaim(claims[sso.roleClaim]);
  if (fromClaim.kind === 'none') return { kind: 'refused', reason: 'noRole' };
  if (fromClaim.kind === 'ambiguous') return { kind: 'refused', reason: 'ambiguousRole' };
  if (fromClaim.role === 'admin') return { kind: 'placed', role: 'admin', teamId: null };
  return teamPlacement(db, fromClaim.role, fromClaim.team ?? null, currentTeamId, sso.defaultTeam);
}

async function teamPlacement(
  db: Executor,
  role: Role,
  namedTeam: string | null,
  currentTeamId: number | null,
  defaultTeam: string | null,
): Promise<Placement> {
  if (namedTeam !== null) {
    const teamId = await findTeamIdByName(db, namedTeam);
    return teamId === undefined ? { kind: 'refused', reason: 'unknownTeam' } : { kind: 'placed', role, teamId };
  }
  if (currentTeamId !== null) return { kind: 'placed', role, teamId: currentTeamId };
  const teamId = defaultTeam === null ? undefined : await findTeamIdByName(db, defaultTeam);
  return teamId === undefined ? { kind: 'refused', reason: 'unknownTeam' } : { kind: 'placed', role, teamId };
}

/**
 * Brings an existing account to the role claim's role and team, audited; refused when that would
 * strand a coach's participants or leave no administrator (an administrator decides those on the
 * person's page).
 */
async function applyPlacement(
  trx: Executor,
  account: SsoAccount,
  placement: Extract<Placement, { kind: 'placed' }>,
  now: Date,
): Promise<SsoRefusal | null> {
  if (placement.role === account.role && placement.teamId === account.teamId) return null;
  if (account.role === 'coach' && (await openCaseloadSize(trx, account.id)) > 0) return 'caseloadMustMove';
  if (account.role === 'admin' && placement.role !== 'admin' && (await countOtherActiveAdmins(trx, account.id)) === 0) {
    return 'lastAdmin';
  }
  await updateRoleAndTeam(trx, account.id, placement.role, placement.teamId, now);
  const changed = [
    ...(placement.role === account.role ? [] : ['role']),
    ...(placement.teamId === account.teamId ? [] : ['teamId']),
  ];
  await recordAuditEvent(trx, {
    actorUserId: account.id,
    action: 'update',
    entityType: 'user',
    entityId: account.id,
    details: { changed, via: 'sso', role: placement.role, fromTeamId: account.teamId, toTeamId: placement.teamId },
  });
  return null;
}

/** The role claim applied to an account that signs in (its sign-in itself is audited by establishSignIn). */
async function admit(
  trx: Executor,
  account: SsoAccount,
  sso: SsoConfig,
  claims: SsoClaims,
  now: Date,
): Promise<SsoRefusal | null> {
  const placement = await placementOf(trx, sso, claims, account.teamId);
  if (placement?.kind === 'refused') return placement.reason;
  return placement ? applyPlacement(trx, account, placement, now) : null;
}

/** A person the provider knows and InBeeld does not: an account when OIDC_CREATE_USERS allows it. */
async function createAccount(
  trx: Executor,
  sso: SsoConfig,
  claims: SsoClaims,
  email: string,
  now: Date,
): Promise<SsoSignInOutcome> {
  if (!sso.createUsers) return { kind: 'refused', reason: 'unknownPerson', userId: null };
  const placement =
    (await placementOf(trx, sso, claims, null)) ?? (await teamPlacement(trx, 'coach', null, null, sso.defaultTeam));
  if (placement.kind === 'refused') return { ...placement, userId: null };
  const account = { email, displayName: displayNameOf(claims, email), role: placement.role, teamId: placement.teamId };
  const userId = await insertAccount(trx, account, now);
  await insertIdentity(trx, userId, claims.iss, claims.sub, now);
  await recordAuditEvent(trx, {
    actorUserId: null,
    action: 'create',
    entityType: 'user',
    entityId: userId,
    details: { via: 'sso', role: placement.role, teamId: placement.teamId },
  });
  return { kind: 'signedIn', userId, bound: true, created: true };
}

/**
 * Who a verified ID token signs in. A person already bound (issuer + subject) is found by that
 * alone. At their first sign-in the email is matched to an ACTIVE account, which is then bound to
 * them, unless that account is bound to someone else at this provider. An unknown person gets an
 * account only with OIDC_CREATE_USERS. With OIDC_ROLE_CLAIM, every sign-in takes the role and team
 * the claim gives. All of it in one transaction, audited; nothing is kept of a refusal. The
 * sign-in itself is made and audited by the caller (src/auth/sign-in.ts establishSignIn, 'oidc').
 */
export async function signInWithSso(
  db: Kysely<Database>,
  sso: SsoConfig,
  claims: SsoClaims,
  now: Date,
): Promise<SsoSignInOutcome> {
  return db.transaction().execute(async (trx): Promise<SsoSignInOutcome> => {
    const bound = await lockAccountBySubject(trx, claims.iss, claims.sub);
    if (bound) {
      if (!bound.active) return { kind: 'refused', reason: 'deactivated', userId: bound.id };
      const refusal = await admit(trx, bound, sso, claims, now);
      if (refusal) return { kind: 'refused', reason: refusal, userId: bound.id };
      await touchIdentity(trx, claims.iss, claims.sub, now);
      return { kind: 'signedIn', userId: bound.id, bound: false, created: false };
    }
    const email = emailOf(claims);
    if (email === null) return { kind: 'refused', reason: 'noEmail', userId: null };
    const account = await lockAccountByEmail(trx, email, claims.iss);
    if (!account) return createAccount(trx, sso, claims, email, now);
    if (!account.active) return { kind: 'refused', reason: 'deactivated', userId: account.id };
    if (account.boundSubject !== null) return { kind: 'refused', reason: 'boundToAnother', userId: account.id };
    const refusal = await admit(trx, account, sso, claims, now);
    if (refusal) return { kind: 'refused', reason: refusal, userId: account.id };
    await insertIdentity(trx, account.id, claims.iss, claims.sub, now);
    await recordAuditEvent(trx, {
      actorUserId: account.id,
      action: 'sso_bind',
      entityType: 'user',
      entityId: account.id,
      details: { issuer: claims.iss },
    });
    return { kind: 'signedIn', userId: account.id, bound: true, created: false };
  });
}

/**
 * A step-up at the provider counts only when the person who authenticated there again is the one
 * signed in: their identity (issuer + subject) must be bound to that account, and it still active.
 */
export async function isBoundTo(db: Kysely<Database>, claims: SsoClaims, userId: number): Promise<boolean> {
  const account = await findAccountBySubject(db, claims.iss, claims.sub);
  return account !== undefined && account.id === userId && account.active;
}

/**
 * Under PASSWORD_SIGNIN=admins-only only an administrator may use a password (to sign in, or to
 * get a set-password link); everyone else signs in through the identity provider. Passkeys stay.
 */
export async function mayUsePassword(
  db: Kysely<Database>,
  passwordSignIn: 'all' | 'admins-only',
  userId: number,
): Promise<boolean> {
  if (passwordSignIn === 'all') return true;
  return (await findRole(db, userId)) === 'admin';
}

/** mayUsePassword for the account with this email (true for an unknown email: there is nothing to refuse). */
export async function mayUsePasswordByEmail(
  db: Kysely<Database>,
  passwordSignIn: 'all' | 'admins-only',
  email: string,
): Promise<boolean> {
  if (passwordSignIn === 'all') return true;
  const role = await findRoleByEmail(db, normaliseEmail(email));
  return role === undefined || role === 'admin';
}
