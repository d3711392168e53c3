import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKysely, createPool, startEmbeddedServer } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';

/**
 * Migrates one database per test run: a PGlite snapshot (embedded, the default) or a template
 * database on the server named by TEST_DATABASE_URL. Each test file then copies it, which takes
 * a fraction of a second instead of running every migration again.
 */
export default async function globalSetup(): Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const templateName = `inbeeld_template_${process.pid}_${Date.now()}`;
    const admin = createPool({ connectionString: serverUrl, max: 1, connectTimeoutMs: 5000 });
    await admin.query(`create database ${templateName}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${templateName}`;
    const pool = createPool({ connectionString: url.toString(), max: 1, connectTimeoutMs: 5000 });
    const db = createKysely(pool);
    await migrateToLatest(db);
    await db.destroy();
    process.env.INBEELD_TEST_TEMPLATE_DB = templateName;
    return;
  }

  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create();
  const embedded = await startEmbeddedServer(pglite);
  const pool = createPool({ connectionString: embedded.connectionString, max: 1, connectTimeoutMs: 5000 });
  const db = createKysely(pool);
  await migrateToLatest(db);
  await db.destroy();
  await embedded.socketServer.stop();
  const snapshot = await pglite.dumpDataDir('none');
  const file = path.join(os.tmpdir(), `inbeeld-test-snapshot-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await snapshot.arrayBuffer()));
  await pglite.close();
  process.env.INBEELD_TEST_SNAPSHOT = file;
}
