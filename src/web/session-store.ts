import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { messageOf } from '../lib/errors';

/** Expired sessions are deleted this often (seconds) by every long-lived process; connect-pg-simple spreads it over 50–150 %. */
export const SESSION_PRUNE_INTERVAL_SECONDS = 15 * 60;

/**
 * How often this process prunes expired sessions: every 15 minutes in development and production;
 * never in tests, which build many short-lived apps (a test prunes by calling `pruneSessions`).
 */
export function sessionPruneInterval(config: Config): number | false {
  return config.nodeEnv === 'test' ? false : SESSION_PRUNE_INTERVAL_SECONDS;
}

export type SessionStore = session.Store & {
  close(): void;
  /** Deletes every expired session now (what the timer does every SESSION_PRUNE_INTERVAL_SECONDS). */
  pruneSessions(done?: (error?: Error) => void): void;
};

/**
 * Reads a session (undefined: none, or expired) together with whoever is signed in to it
 * (undefined: nobody, or an account that is no longer active), in one statement.
 */
export type SessionWithUserLoader<User> = (
  sid: string,
  notExpiredAt: Date,
) => Promise<{ sess: unknown; user: User | undefined } | undefined>;

/** The user read with the session, per request: passport takes it from here instead of asking again. */
const usersReadWithSession = new WeakMap<object, { userId: number; user: unknown }>();
const USER_READ_WITH_SESSION = Symbol('user read with the session');

/**
 * The signed-in user that was read together with this request's session, when that user is
 * `userId` (the id the session names); null when it was not read (then ask the database).
 * Undefined means read, and no active account.
 */
export function userReadWithSession<User>(req: object, userId: number): User | undefined | null {
  const read = usersReadWithSession.get(req);
  if (!read || read.userId !== userId) return null;
  return read.user as User | undefined;
}

/**
 * Sessions live in PostgreSQL, so app processes keep no state and any of them can answer. With
 * `loadSessionWithUser`, the session is read with its user in one statement: every signed-in
 * request needs both, one after the other, and the second round trip was about 0.9 ms of a page.
 */
export function createSessionStore<User extends { id: number }>(
  pool: pg.Pool,
  config: Config,
  logger: Logger,
  loadSessionWithUser?: SessionWithUserLoader<User>,
): SessionStore {
  const PgSessionStore = connectPgSimple(session);
  const store: SessionStore = new PgSessionStore({
    pool,
    tableName: 'sessions',
    createTableIfMissing: false,
    pruneSessionInterval: sessionPruneInterval(config),
    errorLog: (...args: unknown[]) => logger.warn({ detail: messageOf(args[0]) }, 'session store error'),
  });
  throttleTouches(store, config.session.idleMinutes);
  if (loadSessionWithUser) readUsersWithSessions(store, loadSessionWithUser);
  return store;
}

/**
 * Replaces the store's read by one that brings the user along: the user rides on the session data
 * under a symbol (not stored, not hashed, not copied into the session), and is moved to the
 * request when express-session builds the request's session from that data.
 */
function readUsersWithSessions<User extends { id: number }>(store: session.Store, load: SessionWithUserLoader<User>): void {
  store.get = (sid, callback) => {
    // connect-pg-simple's own test: expired by the wall clock, to the second.
    load(sid, new Date(Math.ceil(Date.now() / 1000) * 1000)).then(
      (found) => {
        if (!found || typeof found.sess !== 'object' || found.sess === null) return callback(null, null);
        const data = found.sess as session.SessionData & { [USER_READ_WITH_SESSION]?: unknown };
        Object.defineProperty(data, USER_READ_WITH_SESSION, { value: found.user });
        callback(null, data);
      },
      (error: unknown) => callback(error),
    );
  };
  const createSession = store.createSession.bind(store);
  store.createSession = (req, data) => {
    const read = (data as { [USER_READ_WITH_SESSION]?: User | undefined })[USER_READ_WITH_SESSION];
    const userId = Number((data as { passport?: { user?: unknown } }).passport?.user);
    // The session names the user passport will ask for (sessions.user_id is copied from it by a
    // trigger); what was read is that user, or nobody when the account is no longer active.
    if (USER_READ_WITH_SESSION in data && Number.isSafeInteger(userId) && (read === undefined || read.id === userId))
      usersReadWithSession.set(req, { userId, user: read });
    else usersReadWithSession.delete(req);
    return createSession(req, data);
  };
}

/** How long after its last touch by this process a session's idle deadline is moved again. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

/**
 * express-session touches the session (an UPDATE of its expiry) at the end of every request and
 * holds the response until it is committed: a WAL flush per page view, 1.4 ms at the median on the
 * bench machine, the largest fixed cost of a signed-in page. The idle deadline need not be exact
 * to the second, so this process touches a session at most once a minute; the deadline then lies
 * up to a minute early, which matters only with an idle timeout shorter than a few minutes (then
 * every request still touches). The sessions page's "last active" is as exact as that.
 */
export function throttleTouches(store: session.Store, idleMinutes: number): void {
  if (!store.touch || idleMinutes * 60_000 < 5 * SESSION_TOUCH_INTERVAL_MS) return;
  const touch = store.touch.bind(store);
  const touchedAt = new Map<string, number>();
  store.touch = (sid, data, callback) => {
    const now = Date.now();
    const last = touchedAt.get(sid);
    if (last !== undefined && now - last < SESSION_TOUCH_INTERVAL_MS) {
      callback?.();
      return;
    }
    // Entries older than the interval decide nothing: drop them before the map grows past a bound.
    if (touchedAt.size >= 10_000) {
      for (const [key, at] of touchedAt) if (now - at >= SESSION_TOUCH_INTERVAL_MS) touchedAt.delete(key);
    }
    touchedAt.set(sid, now);
    // express-session's types give the callback no argument; stores pass their error in it.
    const done: ((error?: unknown) => void) | undefined = callback;
    const touched: (error?: unknown) => void = (error) => {
      if (error) touchedAt.delete(sid);
      done?.(error);
    };
    touch(sid, data, touched);
  };
}
