import type { NextFunction, Request, Response } from 'express';
import type { Locale } from '../config';
import type { Formatters } from '../lib/format';
import type { SignInMethod } from '../lib/sign-in-method';
import type { Viewer } from '../lib/viewer';
import type { Translate } from '../platform/i18n';
// The one type web/ takes from a feature: the participant every /participants/:id route is about.
// It is a type only; the record itself is loaded through the services the app is given.
import type { ParticipantRecord } from '../participants/service';
import type { SignedInUser } from '../users/service';

/**
 * The request context, declared once. What every page has (set by src/web/setup/locale.ts for every
 * request, error pages included) is merged into Express's own `Locals`; what only signed-in and
 * participant routes have is in the response types below, which src/web/router.ts hands to handlers
 * only after the middleware that sets it has run.
 */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /** The signed-in person as passport reloads them on every request (src/auth/service.ts). */
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SignedInUser {}

    interface Locals {
      t: Translate;
      fmt: Formatters;
      locale: Locale;
      /** The CSRF token for this page's forms (src/web/setup/csrf.ts); lazy, so a page without a form makes none. */
      csrfToken: () => string;
      /** The signed-in person for the layout, or null. */
      user: User | null;
      /** The main navigation of the person's role (empty when signed out). */
      navigation: ReadonlyArray<{ href: string; label: string }>;
      currentPath: string;
      organisationName: string;
    }
  }
}

declare module 'express-session' {
  // A session is stored only for a signed-in person (from a successful sign-in on), or for one
  // between the right password and the second step (pendingSignIn).
  interface SessionData {
    /** When the user signed in (ms since epoch): bounds the session's absolute lifetime. */
    signedInAt?: number;
    /** A set-password link an administrator just made, to show once on the person's page. */
    revealLink?: {
      userId: number;
      token: string;
      expiresAt: number;
      invited: boolean;
      /** Whether the link also went out by mail (src/mail): 'sent', 'failed' or 'notConfigured'. */
      mailed?: string;
    };
    /** Where the sign-in came from, for the person's list of their own sessions on /account. */
    client?: { userAgent: string; address: string };
    /**
     * The password was right, but the sign-in waits for a second factor (or, when the person's role
     * requires one and they have none, for its enrolment): nobody is signed in yet (src/auth/sign-in.ts).
     */
    pendingSignIn?: PendingSignIn;
    /** How this session was signed in (src/auth/sign-in.ts). */
    signInMethod?: SignInMethod;
    /** When a second factor was last given in this session (ms since epoch): step-up asks again when it is old. */
    secondFactorAt?: number;
    /** An authenticator app being enrolled: its secret until the first code confirms it (src/mfa). */
    totpEnrolment?: { secret: string; startedAt: number };
    /** Recovery codes just made, shown once on /account/security/recovery-codes and then forgotten. */
    revealRecoveryCodes?: string[];
  }
}

/** A sign-in between the password and the second step. */
export interface PendingSignIn {
  userId: number;
  /** Where to go once signed in (a local path). */
  next: string;
  /** ms since epoch; a pending sign-in is good for PENDING_SIGN_IN_MINUTES. */
  startedAt: number;
  /** The person must enrol a second factor first (their role requires one and they have none). */
  mustEnrol: boolean;
  /** An administrator reset their second factor since their last sign-in: the page says so. */
  wasReset: boolean;
}

/** What a signed-in request adds: who is asking, as every access rule needs it. */
export type SignedInLocals = {
  viewer: Viewer;
  user: Express.User;
};

/** What a route under /participants/:id adds: the participant, already loaded through the access rule. */
export type ParticipantLocals = SignedInLocals & {
  participant: ParticipantRecord;
};

export type PublicResponse = Response;
export type SignedInResponse = Response<unknown, SignedInLocals>;
export type ParticipantResponse = Response<unknown, ParticipantLocals>;

/**
 * A route handler: its services first (as a service takes its database first), then the request
 * and the response typed with what the route guarantees.
 */
export type Handler<S, R extends Response = SignedInResponse> = (
  services: S,
  req: Request,
  res: R,
  next: NextFunction,
) => Promise<void> | void;

/**
 * `res.locals` as the middleware before has filled it, for web/'s own middleware (the participant
 * loader, the open-participant guard). Handlers never need it: the router hands them a typed response.
 */
export function localsOf<L>(res: Response): L & Express.Locals {
  return res.locals as unknown as L & Express.Locals;
}
