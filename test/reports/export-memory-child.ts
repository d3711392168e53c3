import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createServices } from '../../src/services';
import { createKysely, createPool } from '../../src/db/database';
import { FixedClock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import { sessionCookie, signIn, testConfig } from '../helpers/app';

// Runs in its own process (node --expose-gc), started by export-streaming.test.ts: serves the app
// on the test database, downloads exports through real HTTP and reports, per export, how much the
// process's live memory grew above what it was just before. Live memory is sampled right after a
// full garbage collection, so garbage waiting to be collected does not count; only what the
// export holds on to does. Input (environment): EXPORT_DATABASE_URL, EXPORT_USER_EMAIL,
// EXPORT_USER_PASSWORD, EXPORT_RUNS (JSON: [{ label, path }]). Output: one JSON line on stdout.

interface Run {
  label: string;
  path: string;
}

export interface RunResult {
  label: string;
  status: number;
  bytes: number;
  /** CSV line breaks seen (records, including the header). */
  csvRecords: number;
  /** Peak live memory above the level before the download, in bytes. */
  growth: number;
  milliseconds: number;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

function liveMemory(): number {
  collectGarbage!();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

async function main(): Promise<void> {
  if (!collectGarbage) throw new Error('run with node --expose-gc');
  const runs = JSON.parse(process.env.EXPORT_RUNS ?? '[]') as Run[];
  const config = testConfig({ LOG_LEVEL: 'silent' });
  const pool = createPool({ connectionString: process.env.EXPORT_DATABASE_URL!, max: 1, connectTimeoutMs: 5000 });
  const db = createKysely(pool);
  const logger = createLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));
  const services = createServices({ config, db, pool, logger, clock: new FixedClock('2026-11-23T09:00:00+01:00') });
  const app = createApp(services);

  const signedIn = await signIn(request.agent(app), {
    email: process.env.EXPORT_USER_EMAIL!,
    password: process.env.EXPORT_USER_PASSWORD!,
  });
  const cookie = sessionCookie(signedIn);
  if (signedIn.status !== 303 || !cookie) throw new Error(`sign-in failed with ${signedIn.status}`);

  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const results: RunResult[] = [];
  for (const run of runs) {
    const started = Date.now();
    const before = liveMemory();
    let peak = before;
    const sample = () => {
      peak = Math.max(peak, liveMemory());
    };
    const timer = setInterval(sample, 100);
    let bytes = 0;
    let csvRecords = 0;
    let bytesAtLastSample = 0;
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: run.path, headers: { cookie } }, (response) => {
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) csvRecords += 1;
            // Also sample as the download progresses, whatever the timer manages on a busy machine.
            if (bytes - bytesAtLastSample >= 256 * 1024) {
              bytesAtLastSample = bytes;
              sample();
            }
          });
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        })
        .on('error', reject);
    });
    clearInterval(timer);
    sample();
    results.push({ label: run.label, status, bytes, csvRecords, growth: peak - before, milliseconds: Date.now() - started });
  }

  server.close();
  await services.close();
  await db.destroy();
  process.stdout.write(`${JSON.stringify(results)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
