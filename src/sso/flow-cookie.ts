import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SsoChecks } from './provider';

/**
 * One sign-in at the identity provider, kept in the person's browser between leaving for the
 * provider and coming back: no session row is written before a successful sign-in (decisions.md).
 * An HttpOnly cookie signed with SESSION_SECRET, so it cannot be forged or altered; its state,
 * nonce and PKCE verifier are random per sign-in, so a stolen provider answer is worthless without
 * the browser that started it.
 */
export const SSO_FLOW_COOKIE = 'inbeeld.sso';
/** The cookie reaches the start and the callback only. */
export const SSO_FLOW_COOKIE_PATH = '/login/oidc';
/** Time for the person to sign in at the provider. */
export const SSO_FLOW_MINUTES = 10;

export interface SsoFlow extends SsoChecks {
  /** Where to go after signing in (a local path). */
  next: string;
  /** A step-up of the signed-in person with this id (the provider must name the same person), or null: a sign-in. */
  stepUpUserId: number | null;
  expiresAt: number;
}

function signature(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`inbeeld sso flow\n${payload}`).digest('base64url');
}

export function sealFlow(secret: string, flow: SsoFlow): string {
  const payload = Buffer.from(JSON.stringify(flow), 'utf8').toString('base64url');
  return `${payload}.${signature(secret, payload)}`;
}

/** The flow of a cookie InBeeld signed and that has not expired at `nowMs`; else null. */
export function openFlow(secret: string, sealed: string | undefined, nowMs: number): SsoFlow | null {
  const [payload = '', given = '', ...rest] = (sealed ?? '').split('.');
  if (rest.length > 0 || payload === '' || given === '') return null;
  const expected = Buffer.from(signature(secret, payload));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  try {
    const flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SsoFlow;
    return typeof flow.expiresAt === 'number' && flow.expiresAt > nowMs ? flow : null;
  } catch {
    return null;
  }
}
