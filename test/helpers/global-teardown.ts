import { rmSync } from 'node:fs';
import { createPool } from '../../src/db/database';

export default async function globalTeardown(): Promise<void> {
  const snapshot = process.env.INBEELD_TEST_SNAPSHOT;
  if (snapshot) rmSync(snapshot, { force: true });
  const template = process.env.INBEELD_TEST_TEMPLATE_DB;
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (template && serverUrl) {
    const admin = createPool({ connectionString: serverUrl, max: 1, connectTimeoutMs: 5000 });
    await admin.query(`drop database if exists ${template}`);
    await admin.end();
  }
}
