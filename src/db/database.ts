import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { lockEmbeddedDataDir } from './embedded-lock';
import type { Database } from './schema';

// pg returns int8 (bigint, count(*)) as strings by default. Counts in this app stay far below
// 2^53, so read them as numbers; numeric (hours) stays a string and is parsed deliberately.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
// A `date` is a calendar day, not an instant: keep it as its ISO text ("2026-11-23") instead of
// letting pg turn it into a Date at the server process's local midnight.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export type DatabaseMode = 'server' | 'embedded';

/** Everything the app needs of its database, the same in both modes. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly pool: pg.Pool;
  readonly mode: DatabaseMode;
  /** Where the data lives: the server (without password) or the embedded data directory. */
  readonly location: string;
  close(): Promise<void>;
}

export interface PoolOptions {
  connectionString: string;
  max: number;
  connectTimeoutMs: number;
  logger?: Logger;
  /** Server settings for every connection, e.g. '-c jit=off' (PostgreSQL's startup "options"). */
  serverOptions?: string;
  /** How long one query may take before it fails (default 60 s, 0: no limit); streamed downloads are exempt. */
  queryTimeoutMs?: number;
  /**
   * Send statements marked with PREPARED_STATEMENT_MARK as named prepared statements. Only for a
   * PostgreSQL server: the embedded database's connections share one session, so a name prepared
   * by a connection that died (an outage) would already exist for the next one, which fails.
   */
  prepareMarkedStatements?: boolean;
}

/**
 * A pg pool that survives an outage: a failing idle client is logged instead of crashing the
 * process, and a connection attempt gives up after connectTimeoutMs so requests answer 503 fast.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 30000,
    // A query that takes longer than this is a bug or an outage; fail it instead of hanging.
    query_timeout: options.queryTimeoutMs ?? 60000,
    ...(options.serverOptions ? { options: options.serverOptions } : {}),
  });
  // pg emits 'error' on a client whose server goes away, and an 'error' event nobody listens to
  // ends the process. The pool listens only while a client is idle; a client checked out (by
  // Kysely for a query or transaction, by the session store) has no listener of its own, so give
  // every client one. The statement in flight fails by itself (the request answers 503) and the
  // pool drops the broken client when it is released.
  pool.on('connect', (client) => {
    if (options.prepareMarkedStatements) sendMarkedStatementsNamed(client);
    client.on('error', (error) => {
      options.logger?.warn(
        { err: { message: error.message, code: (error as { code?: string }).code } },
        'database connection lost',
      );
    });
  });
  // The pool re-emits an idle client's error here; the client's own listener above logged it.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Written into a statement's SQL (as a comment, anywhere), it makes the statement a named prepared
 * statement, parsed once per connection. For the few large statements whose preparation costs more
 * than their execution — a write's stored-risk-state facts (2.2 ms on the client for one
 * participant, 0.7 ms of it execution, on the bench dataset) and the coach's day. PostgreSQL then
 * skips parsing and analysing them (2.2 → 1.4 ms), and keeps a generic plan should it find one as
 * good as the plans it makes for the values (plan_cache_mode=auto). Forcing generic
 * plans for the connection was tried and is wrong: unnamed statements use them too, and the
 * participant list's generic plan took 33 ms instead of 2 ms at 100 000 participants.
 */
export const PREPARED_STATEMENT_MARK = '/* prepared */';

const statementNames = new Map<string, string>();

/** One name per distinct text, so a marked statement whose text varies is never confused with another. */
function statementNameOf(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `inbeeld_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    // Marked texts are few and fixed; the bound only guards against a marked text built from data.
    if (statementNames.size < 1000) statementNames.set(text, name);
  }
  return name;
}

/** Sends marked statements (PREPARED_STATEMENT_MARK) as named ones; everything else as before. */
function sendMarkedStatementsNamed(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const withNames = (config: unknown, values?: unknown, callback?: unknown): unknown => {
    if (typeof config === 'string' && config.includes(PREPARED_STATEMENT_MARK) && typeof values !== 'function') {
      return query({ name: statementNameOf(config), text: config, values }, callback);
    }
    return query(config, values, callback);
  };
  client.query = withNames as typeof client.query;
}

/**
 * A cursor for streamed downloads. pg arms its query_timeout timer when a query is submitted and
 * disarms it through the query's callback, which a cursor never has: without this, a period
 * export that streams for longer than query_timeout is cut off mid-file even though every batch
 * arrives quickly. A download whose client goes away stops reading (the stream is destroyed).
 */
class DownloadCursor extends Cursor {
  constructor(...args: ConstructorParameters<typeof Cursor>) {
    super(...args);
    const submit = this.submit.bind(this);
    this.submit = (connection) => {
      submit(connection);
      (this as { callback?: () => void }).callback?.();
    };
  }
}

export function createKysely(pool: pg.Pool): Kysely<Database> {
  // The cursor lets `.stream()` read big results (period exports) in batches instead of at once.
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: DownloadCursor }) });
}

/** Removes the password from a connection URL before it goes into a log line. */
export function describeServerUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

export interface EmbeddedServer {
  readonly pglite: PGlite;
  readonly socketServer: PGLiteSocketServer;
  readonly connectionString: string;
  stop(): Promise<void>;
}

/**
 * Serves a PGlite instance on a free loopback port, so the app talks to it through `pg` exactly as
 * it talks to a real server. PGlite runs one session, hence one connection (pool size 1).
 */
export async function startEmbeddedServer(pglite: PGlite, options: { maxConnections?: number } = {}): Promise<EmbeddedServer> {
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const socketServer = new PGLiteSocketServer({
    db: pglite,
    host: '127.0.0.1',
    port: 0,
    maxConnections: options.maxConnections ?? 1,
  });
  await socketServer.start();
  const connectionString = `postgresql://postgres@${socketServer.getServerConn()}/postgres?sslmode=disable`;
  return {
    pglite,
    socketServer,
    connectionString,
    async stop() {
      await socketServer.stop();
      await pglite.close();
    },
  };
}

export async function createEmbeddedPglite(dataDir: string): Promise<PGlite> {
  const absolute = path.resolve(dataDir);
  mkdirSync(absolute, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create({ dataDir: absolute });
}

/** Opens the database the configuration asks for: a real server, or the embedded one. */
export async function openDatabase(
  config: Config,
  logger?: Logger,
  options: Pick<PoolOptions, 'queryTimeoutMs'> = {},
): Promise<DatabaseHandle> {
  if (config.database.mode === 'server') {
    const pool = createPool({
      connectionString: config.database.url,
      max: config.database.poolSize,
      connectTimeoutMs: config.database.connectTimeoutMs,
      logger,
      queryTimeoutMs: options.queryTimeoutMs,
      // JIT compiles dozens of functions for the lateral/aggregate queries of /today and the
      // dashboards and costs more than the queries themselves (bench/README.md).
      serverOptions: '-c jit=off',
      prepareMarkedStatements: true,
    });
    const db = createKysely(pool);
    return {
      db,
      pool,
      mode: 'server',
      location: describeServerUrl(config.database.url),
      async close() {
        await db.destroy();
      },
    };
  }

  const dataDir = path.resolve(config.database.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // One process per data directory: a second (a script next to the running app) is refused.
  const unlock = lockEmbeddedDataDir(dataDir);
  let embedded: EmbeddedServer;
  try {
    embedded = await startEmbeddedServer(await createEmbeddedPglite(dataDir));
  } catch (error) {
    unlock();
    throw error;
  }
  const pool = createPool({
    connectionString: embedded.connectionString,
    max: 1,
    connectTimeoutMs: config.database.connectTimeoutMs,
    logger,
    queryTimeoutMs: options.queryTimeoutMs,
  });
  const db = createKysely(pool);
  return {
    db,
    pool,
    mode: 'embedded',
    location: dataDir,
    async close() {
      await db.destroy();
      await embedded.stop();
      unlock();
    },
  };
}

/** `select 1` with a deadline: readiness must answer quickly even when the database hangs. */
export async function databaseIsReachable(db: Kysely<Database>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = sql`select 1`
    .execute(db)
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Errors that mean "the database cannot be reached right now" rather than a bug. */
export function isDatabaseUnavailableError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const unavailableCodes = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENOTFOUND',
    'EPIPE',
    '57P01', // admin_shutdown
    '57P02', // crash_shutdown
    '57P03', // cannot_connect_now
    '08000',
    '08001',
    '08003',
    '08006',
  ]);
  if (typeof code === 'string' && unavailableCodes.has(code)) return true;
  if (typeof message === 'string') {
    return (
      message.includes('timeout exceeded when trying to connect') ||
      message.includes('Connection terminated') ||
      message.includes('Client has encountered a connection error') ||
      message.includes('Too many connections') ||
      message.includes('Query read timeout')
    );
  }
  return false;
}
