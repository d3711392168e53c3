import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { createKysely, createPool, startEmbeddedServer, type EmbeddedServer } from '../../src/db/database';
import type { Database } from '../../src/db/schema';
import { TcpProxy } from './tcp-proxy';

export interface TestDatabase {
  db: Kysely<Database>;
  pool: pg.Pool;
  mode: 'embedded' | 'server';
  /** Where the database answers, for a separate app process (DATABASE_URL); PGlite's is a socket server. */
  connectionString: string;
  /** Present when opened with { viaProxy: true }: cut() it to simulate an outage. */
  proxy?: TcpProxy;
  /** A second pool on the same database, for tests that play a second app process. */
  openPool(options?: { queryTimeoutMs?: number }): pg.Pool;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a copy of the run's PGlite snapshot (default) or
 * a new database on the server named by TEST_DATABASE_URL, created from the run's template.
 * `empty: true` gives one without any migration instead (for tests that migrate it themselves).
 */
export async function createTestDatabase(options: { viaProxy?: boolean; empty?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let connectionString: string;
  let cleanup: () => Promise<void>;
  let maxConnections: number;

  if (serverUrl) {
    const template = process.env.INBEELD_TEST_TEMPLATE_DB;
    if (!template) throw new Error('globalSetup did not create a template database');
    const name = `inbeeld_test_${randomBytes(6).toString('hex')}`;
    const admin = createPool({ connectionString: serverUrl, max: 1, connectTimeoutMs: 5000 });
    await admin.query(options.empty ? `create database ${name}` : `create database ${name} template ${template}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    connectionString = url.toString();
    maxConnections = 5;
    cleanup = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const snapshotFile = process.env.INBEELD_TEST_SNAPSHOT;
    if (!snapshotFile) throw new Error('globalSetup did not create a database snapshot');
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create(options.empty ? {} : { loadDataDir: new Blob([readFileSync(snapshotFile)]) });
    // Two connections, so a test can play a second app process; PGlite's socket server queues
    // their statements and keeps each transaction to its own connection.
    const embedded: EmbeddedServer = await startEmbeddedServer(pglite, { maxConnections: 2 });
    connectionString = embedded.connectionString;
    maxConnections = 1;
    cleanup = () => embedded.stop();
  }

  let proxy: TcpProxy | undefined;
  if (options.viaProxy) {
    const target = new URL(connectionString);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    target.host = `127.0.0.1:${proxy.port}`;
    connectionString = target.toString();
  }

  const extraPools: pg.Pool[] = [];
  const pool = createPool({ connectionString, max: maxConnections, connectTimeoutMs: 2000 });
  const db = createKysely(pool);
  return {
    db,
    pool,
    mode: serverUrl ? 'server' : 'embedded',
    connectionString,
    proxy,
    openPool(options = {}) {
      const extra = createPool({ connectionString, max: maxConnections, connectTimeoutMs: 2000, ...options });
      extraPools.push(extra);
      return extra;
    },
    async close() {
      await db.destroy();
      for (const extra of extraPools) await extra.end();
      await proxy?.cut();
      await cleanup();
    },
  };
}
