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

/** Sessions live in PostgreSQL, so app processes keep no state and any of them can answer. */
export function createSessionStore(pool: pg.Pool, config: Config, logger: Logger): SessionStore {
  const PgSessionStore = connectPgSimple(session);
  const store: SessionStore = new PgSessionStore({
    pool,
    tableName: 'sessions',
    createTableIfMissing: false,
    pruneSessionInterval: sessionPruneInterval(config),
    errorLog: (...args: unknown[]) => logger.warn({ detail: messageOf(args[0]) }, 'session store error'),
  });
  throttleTouches(store, config.session.idleMinutes);
  return store;
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
