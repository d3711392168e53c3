import type { RequestHandler, Response } from 'express';
import { ROLES, type Role } from '../db/schema';
import type { Handler, ParticipantResponse, PublicResponse, SignedInResponse } from './context';

/**
 * Who may reach a route. `public`: anyone, signed in or not (sign-in, health). Otherwise the roles
 * that may; a signed-in person of another role gets 404, a signed-out visitor the sign-in page.
 * Under /participants/:id the participant's access rule decides as well (a 404 for anyone it hides).
 */
export type Access = 'public' | readonly Role[];

export const EVERY_ROLE: readonly Role[] = ROLES;
export const MANAGERS_AND_ADMINS: readonly Role[] = ['manager', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];
export const COACHES: readonly Role[] = ['coach'];

/** One line of the route table: the app mounts these, and the authorization matrix reads them. */
export interface Route<S> {
  method: 'get' | 'post';
  /** The full path, as Express matches it ('/participants/:id/goals/:goalId'). */
  path: string;
  access: Access;
  /** The path's parameters, in order (from `path`). */
  params: readonly string[];
  /** Under /participants/:id: 'open' answers 404 for a closed participant before the handler runs. */
  participant?: 'open';
  /** Middleware of this route only, made once per app from its services. */
  before?: (services: S) => RequestHandler[];
  /** Ask for the second factor again when the last one is old (see needsStepUp). */
  stepUp?: boolean;
  // The table holds handlers of different response types; src/web/router.ts gives each the context its path guarantees.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler: Handler<S, any>;
}

export interface RouteOptions<S = never> {
  participant?: 'open';
  before?: (services: S) => RequestHandler[];
  /** true: step-up (src/mfa/step-up.ts) before the handler; false: never, even under /admin/. */
  stepUp?: boolean;
}

/**
 * Whether a route asks for the second factor again when the last one is older than STEP_UP_MINUTES:
 * its own `stepUp` option (a period export, a subject-access ZIP), else every administrative change,
 * i.e. every POST under /admin/, so a new one cannot be left out.
 */
export function needsStepUp<S>(route: Route<S>): boolean {
  return route.stepUp ?? (route.method === 'post' && route.path.startsWith('/admin/'));
}

/** The prefix of every route whose participant the parent router loads. */
export const PARTICIPANT_PREFIX = '/participants/:id';

export function isParticipantRoute(path: string): boolean {
  return path === PARTICIPANT_PREFIX || path.startsWith(`${PARTICIPANT_PREFIX}/`);
}

function route<S, R extends Response>(
  method: Route<S>['method'],
  path: string,
  access: Access,
  handler: Handler<S, R>,
  options: RouteOptions<S>,
): Route<S> {
  const params = [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  if (options.participant && !isParticipantRoute(path)) throw new Error(`${path}: 'participant' needs a /participants/:id path`);
  return { method, path, access, params, handler, ...options };
}

/** A path under the parent router, whose handlers find the participant in `res.locals`. */
type ParticipantPath = `${typeof PARTICIPANT_PREFIX}` | `${typeof PARTICIPANT_PREFIX}/${string}`;

// The handler's response type follows from the route: a participant path gives ParticipantResponse,
// 'public' a PublicResponse (nobody may be signed in), any other SignedInResponse. So a handler that
// reads res.locals.participant cannot be put on a route that does not load one.
export function get<S>(
  path: ParticipantPath,
  access: readonly Role[],
  handler: Handler<S, ParticipantResponse>,
  options?: RouteOptions<S>,
): Route<S>;
export function get<S>(path: string, access: 'public', handler: Handler<S, PublicResponse>, options?: RouteOptions<S>): Route<S>;
export function get<S>(
  path: string,
  access: readonly Role[],
  handler: Handler<S, SignedInResponse>,
  options?: RouteOptions<S>,
): Route<S>;
export function get<S, R extends Response>(
  path: string,
  access: Access,
  handler: Handler<S, R>,
  options: RouteOptions<S> = {},
): Route<S> {
  return route('get', path, access, handler, options);
}

export function post<S>(
  path: ParticipantPath,
  access: readonly Role[],
  handler: Handler<S, ParticipantResponse>,
  options?: RouteOptions<S>,
): Route<S>;
export function post<S>(path: string, access: 'public', handler: Handler<S, PublicResponse>, options?: RouteOptions<S>): Route<S>;
export function post<S>(
  path: string,
  access: readonly Role[],
  handler: Handler<S, SignedInResponse>,
  options?: RouteOptions<S>,
): Route<S>;
export function post<S, R extends Response>(
  path: string,
  access: Access,
  handler: Handler<S, R>,
  options: RouteOptions<S> = {},
): Route<S> {
  return route('post', path, access, handler, options);
}
