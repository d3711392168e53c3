import { createHmac, timingSafeEqual } from 'node:crypto';
import { DIGEST_KINDS, type DigestKind } from '../db/schema';
import type { MailDeps } from './deps';

// Unsubscribe links work without signing in, so the link itself is the proof: the person and what
// to stop, signed with HMAC-SHA256 (SESSION_SECRET). Nothing is stored per link; a link keeps
// working (a mail read weeks later still unsubscribes), and only ever turns mail off.

/** What a link stops: one digest, or (from a mail that is no digest) every digest. */
export type UnsubscribeScope = DigestKind | 'all';
const SCOPES: readonly string[] = [...DIGEST_KINDS, 'all'];
const TOKEN_SHAPE = /^(\d{1,10})\.([a-z]{1,10})\.([A-Za-z0-9_-]{43})$/;

function signature(secret: string, userId: number, scope: string): string {
  return createHmac('sha256', secret).update(`inbeeld unsubscribe\n${userId}\n${scope}`).digest('base64url');
}

export function unsubscribeToken(secret: string, userId: number, scope: UnsubscribeScope): string {
  return `${userId}.${scope}.${signature(secret, userId, scope)}`;
}

/** The person and scope of a token InBeeld signed; null for anything else. */
export function readUnsubscribeToken(secret: string, token: unknown): { userId: number; scope: UnsubscribeScope } | null {
  if (typeof token !== 'string') return null;
  const match = TOKEN_SHAPE.exec(token);
  if (!match || !SCOPES.includes(match[2]!)) return null;
  const userId = Number(match[1]);
  const scope = match[2] as UnsubscribeScope;
  const expected = Buffer.from(signature(secret, userId, scope));
  const given = Buffer.from(match[3]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId, scope };
}

export function unsubscribeUrl(deps: Pick<MailDeps, 'publicUrl' | 'secret'>, userId: number, scope: UnsubscribeScope): string {
  return `${deps.publicUrl}/unsubscribe?token=${encodeURIComponent(unsubscribeToken(deps.secret, userId, scope))}`;
}
