import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { messageOf } from '../lib/errors';

/** Sessions live in PostgreSQL, so app processes keep no state and any of them can answer. */
export function createSessionStore(pool: pg.Pool, config: Config, logger: Logger): session.Store & { close(): void } {
  const PgSessionStore = connectPgSimple(session);
  const store: session.Store & { close(): void } = new PgSessionStore({
    pool,
    tableName: 'sessions',
    createTableIfMissing: false,
    // Tests build many short-lived apps; pruning runs in long-lived processes only.
    pruneSessionInterval: config.nodeEnv === 'test' ? false : 15 * 60,
    errorLog: (...args: unknown[]) => logger.warn({ detail: messageOf(args[0]) }, 'session store error'),
  });
  return store;
}
