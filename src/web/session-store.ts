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
  return store;
}
