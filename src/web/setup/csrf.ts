import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { csrfSync } from 'csrf-sync';
import type { Config } from '../../config';
import type { Clock } from '../../lib/clock';
import { readCookie } from '../../lib/cookies';
import { AppError } from '../../lib/errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Posts that carry their own proof instead of a form token: an unsubscribe link is signed for one
 * person (src/mail/tokens.ts), and mail clients post to it in one click (RFC 8058) without cookies
 * or a form, so a form token could never be there. A forged post without the signed link does nothing.
 */
const SELF_PROVING_POSTS = new Set(['/unsubscribe']);

/** The cookie half of a signed-out visitor's form token (the other half is the form's `_csrf`). */
export const PUBLIC_FORM_COOKIE = 'inbeeld.form';
/** A public form token is valid this long after it is made ... */
export const PUBLIC_TOKEN_LIFETIME_MS = 2 * 60 * 60_000;
/** ... and a page reuses the visitor's token while at least this much of it is left, so a form stays valid an hour. */
const PUBLIC_TOKEN_RENEW_BELOW_MS = 60 * 60_000;
const PUBLIC_TOKEN_SHAPE = /^(\d{1,15})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

function tokenOf(req: Request): string | undefined {
  const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof fromBody === 'string') return fromBody;
  const fromHeader = req.headers['x-csrf-token'];
  if (typeof fromHeader === 'string') return fromHeader;
  // A file upload (multipart) is not parsed before this check, so its form carries the token in
  // its action's query string (decisions.md "Import and retention"); the request log never
  // records query strings (setup/logging.ts). Only for multipart posts: every other form has it
  // in its body.
  const fromQuery = (req.query as Record<string, unknown> | undefined)?._csrf;
  return req.is('multipart/form-data') && typeof fromQuery === 'string' ? fromQuery : undefined;
}

function signature(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`inbeeld public form token\n${payload}`).digest('base64url');
}

/** A new public form token: `<expiry ms>.<random nonce>.<HMAC-SHA256 of both with SESSION_SECRET>`. */
export function mintPublicToken(secret: string, nowMs: number): string {
  const payload = `${nowMs + PUBLIC_TOKEN_LIFETIME_MS}.${randomBytes(16).toString('base64url')}`;
  return `${payload}.${signature(secret, payload)}`;
}

/** When the token expires (ms since epoch) if InBeeld signed it and it is still valid at `nowMs`; else null. */
export function publicTokenExpiry(secret: string, token: string | undefined, nowMs: number): number | null {
  const match = PUBLIC_TOKEN_SHAPE.exec(token ?? '');
  if (!match) return null;
  const expected = Buffer.from(signature(secret, `${match[1]}.${match[2]}`));
  const given = Buffer.from(match[3]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const expiresAt = Number(match[1]);
  return expiresAt > nowMs ? expiresAt : null;
}

/**
 * `csrfToken()` of a signed-out visitor's page: the token of their cookie while it has an hour left,
 * else a new one, set in the cookie as the page is rendered. Lazy: a page without a form sets nothing.
 */
function publicTokenFor(req: Request, res: Response, config: Config, clock: Clock): () => string {
  let token: string | undefined;
  return () => {
    if (token !== undefined) return token;
    const now = clock.now().toMillis();
    const current = readCookie(req, PUBLIC_FORM_COOKIE);
    const expiresAt = publicTokenExpiry(config.session.secret, current, now);
    if (current !== undefined && expiresAt !== null && expiresAt - now >= PUBLIC_TOKEN_RENEW_BELOW_MS) {
      token = current;
      return token;
    }
    token = mintPublicToken(config.session.secret, now);
    res.cookie(PUBLIC_FORM_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.isProduction,
      maxAge: PUBLIC_TOKEN_LIFETIME_MS,
      path: '/',
    });
    return token;
  };
}

/** A signed-out visitor's post: the form's token must be the cookie's, signed by InBeeld and unexpired. */
function checkPublicToken(req: Request, config: Config, clock: Clock, next: NextFunction): void {
  const fromForm = tokenOf(req);
  const fromCookie = readCookie(req, PUBLIC_FORM_COOKIE);
  const valid =
    fromForm !== undefined &&
    fromCookie !== undefined &&
    fromForm.length === fromCookie.length &&
    timingSafeEqual(Buffer.from(fromForm), Buffer.from(fromCookie)) &&
    publicTokenExpiry(config.session.secret, fromForm, clock.now().toMillis()) !== null;
  if (valid) return next();
  // In production the cookie is Secure: over plain HTTP (no HTTPS, or a proxy InBeeld does not
  // trust) it never comes back, and the page says why instead of only "form expired".
  next(new AppError(403, config.isProduction && !req.secure ? 'insecureTransport' : 'csrf'));
}

/**
 * Every state-changing request carries a token in the form (`_csrf`) or a header, or it answers 403.
 * Signed in: csrf-sync's synchroniser token, kept in the session. Signed out (the sign-in form, the
 * language switch, the set-password page): a signed double-submit token, in an HttpOnly cookie and
 * in the form, so a visitor who only opens the sign-in page gets no session row; the session is
 * written at a successful sign-in. Pages get `csrfToken()` for their forms either way.
 */
export function setUpCsrf(config: Config, clock: Clock): Router {
  // 32 random bytes (256 bits) as the token, not csrf-sync's default of 128: every form of a page
  // repeats it, and /today has one form per participant (a caseload of 100 sent 50 KB of tokens).
  const { csrfSynchronisedProtection, generateToken } = csrfSync({ getTokenFromRequest: tokenOf, size: 32 });
  const router = Router();
  router.use((req, res, next) => {
    if (req.method === 'POST' && SELF_PROVING_POSTS.has(req.path)) {
      res.locals.csrfToken = req.user ? () => generateToken(req) : publicTokenFor(req, res, config, clock);
      return next();
    }
    if (req.user) {
      res.locals.csrfToken = () => generateToken(req);
      if (SAFE_METHODS.has(req.method)) return next();
      return csrfSynchronisedProtection(req, res, next);
    }
    res.locals.csrfToken = publicTokenFor(req, res, config, clock);
    if (SAFE_METHODS.has(req.method)) return next();
    checkPublicToken(req, config, clock, next);
  });
  return router;
}
