import type { Request, Response } from 'express';
import type { Locale } from '../config';
import { readCookie } from '../lib/cookies';
import { isLocale } from '../platform/i18n';

/**
 * The language a signed-out visitor chose (in the header, or the one they used before signing
 * out) lives in a cookie, not in a session: a visitor who is not signed in has no session.
 */
export const LANGUAGE_COOKIE = 'inbeeld.lang';
const LANGUAGE_COOKIE_MAX_AGE_MS = 365 * 24 * 60 * 60_000;

export function chosenLanguage(req: Request): Locale | undefined {
  const chosen = readCookie(req, LANGUAGE_COOKIE);
  return isLocale(chosen) ? chosen : undefined;
}

/** Remembers the language for the pages a signed-out visitor sees next (Secure in production). */
export function rememberLanguage(res: Response, locale: Locale, secure: boolean): void {
  res.cookie(LANGUAGE_COOKIE, locale, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: LANGUAGE_COOKIE_MAX_AGE_MS,
    path: '/',
  });
}
