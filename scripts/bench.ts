// npm run bench -- [--duration S] [--connections C] [--routes a,b] [--participants-label 10k]
//                  [--warmup S] [--sql-runs N]
//
// Loads the built app (NODE_ENV=production, against the bench dataset at DATABASE_URL) over
// loopback with autocannon, route by route, with real sign-ins, sessions and CSRF tokens. Beside
// each route it times (a) its own SQL: the statements the route's service calls send, captured once
// and replayed directly through pg; and the service calls themselves (SQL plus the service's
// JavaScript, without HTTP or EJS); and (b) a bare Express + EJS page served on the same machine in
// the same run. It prints the ratios and the target "p95 ≤ 2 × SQL p95 + 5 ms". Writes everything, with the commit, machine and
// dataset sizes, to bench/results/<timestamp>-<label>.json. Exits 1 when any response had another
// status than expected (200 for pages, 303 to the profile for the POST) or no response came.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime, IANAZone } from 'luxon';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import type { Database } from '../src/db/schema';
import { createKysely, createPool, describeServerUrl } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { hasDailySnapshot, takeDailySnapshot } from '../src/risk/snapshot';
import { refreshRiskStates } from '../src/risk/state';
import {
  BENCH_PASSWORD,
  BenchRefusal,
  benchSubjects,
  checkBenchDatabase,
  datasetAnchorDay,
  datasetCounts,
  gitInfo,
  machineInfo,
  postgresVersion,
  removeBenchContacts,
} from './bench/environment';
import { freePort, processCpuMs, processMemory, sampleMemory, startServer, type ServerProcess } from './bench/processes';
import { PROXY_HEADERS, hiddenField, request, signIn, type SignedInSession } from './bench/session';
import { runLoad, type LoadRequest, type LoadResult } from './bench/load';
import { pageGetter, timePaired, type PairedResult } from './bench/paired';
import { findSessionWithUser } from '../src/users/queries';
import { benchRoutes, contactForm, ROUTE_KEYS, type BenchRole, type BenchRoute } from './bench/routes';
import { bytes, ms, ratio, round, summarise, table, times, type LatencySummary } from './bench/stats';

const SESSION_SECRET = 'inbeeld-bench-session-secret-0123456789abcdef';
const PSEUDONYM_SECRET = 'inbeeld-bench-pseudonym-secret-0123456789abcdef';

interface Options {
  duration: number;
  connections: number;
  warmup: number;
  sqlRuns: number;
  /** Rounds of page-then-SQL for the paired figures (bounded by --duration). */
  pairedRuns: number;
  routes: string[];
  label: string | undefined;
  /** A directory for the app's V8 CPU profile (node --cpu-prof), written when it stops. */
  cpuProfileDir: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const valueOf = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    if (index === -1) return undefined;
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) throw new BenchRefusal(`${flag} needs a value`);
    return value;
  };
  const known = new Set([
    '--duration',
    '--connections',
    '--warmup',
    '--sql-runs',
    '--paired-runs',
    '--routes',
    '--participants-label',
    '--cpu-prof-dir',
  ]);
  for (const arg of argv) {
    if (arg.startsWith('--') && !known.has(arg))
      throw new BenchRefusal(`unknown option ${arg} (known: ${[...known].join(', ')})`);
  }
  const number = (flag: string, fallback: number, min: number, max: number) => {
    const value = Number(valueOf(flag) ?? fallback);
    if (!Number.isFinite(value) || value < min || value > max)
      throw new BenchRefusal(`${flag} must be a number from ${min} to ${max}`);
    return value;
  };
  const routes = (valueOf('--routes') ?? ROUTE_KEYS.join(','))
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  for (const key of routes) {
    if (!(ROUTE_KEYS as readonly string[]).includes(key)) {
      throw new BenchRefusal(`unknown route ${key} in --routes (known: ${ROUTE_KEYS.join(', ')})`);
    }
  }
  const label = valueOf('--participants-label');
  if (label !== undefined && !/^[\w.-]{1,40}$/.test(label))
    throw new BenchRefusal('--participants-label must be letters, digits, . _ or -');
  return {
    duration: number('--duration', 10, 1, 600),
    connections: Math.round(number('--connections', 4, 1, 256)),
    warmup: number('--warmup', 2, 0, 60),
    sqlRuns: Math.round(number('--sql-runs', 30, 5, 10_000)),
    pairedRuns: Math.round(number('--paired-runs', 300, 25, 10_000)),
    routes,
    label,
    cpuProfileDir: valueOf('--cpu-prof-dir'),
  };
}

/** 1 000 → "1k", 10 000 → "10k", otherwise the number itself. */
function labelFor(participants: number): string {
  return participants % 1000 === 0 ? `${participants / 1000}k` : String(participants);
}

function repositoryRoot(): string {
  let folder = __dirname;
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`cannot find the repository root above ${__dirname}`);
    folder = parent;
  }
  return folder;
}

interface SqlResult {
  runs: number;
  latencyMs: LatencySummary;
  /** CPU time of this (bench) process per call: the service's own JavaScript and the pg driver. */
  cpuMsPerRun: number;
}

/** The route's own data loading, sequentially: a few warm-up calls, then up to `runs` within `seconds`. */
interface CapturedStatement {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * A Kysely on the bench's pool that records every statement it sends while `capture` is set: the
 * route's service calls run through it once per path, so the bench learns the route's exact SQL.
 */
function capturingKysely(pool: pg.Pool): {
  db: Kysely<Database>;
  capture(load: () => Promise<unknown>): Promise<CapturedStatement[]>;
} {
  let statements: CapturedStatement[] | null = null;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log(event) {
      if (event.level === 'query' && statements) statements.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  return {
    db,
    async capture(load) {
      statements = [];
      try {
        await load();
        return statements;
      } finally {
        statements = null;
      }
    },
  };
}

/**
 * "Its own SQL run directly through pg": the captured statements of each path, replayed one after
 * the other on one connection (so a transaction's begin and commit stay together). Statements the
 * service sends in parallel are replayed in sequence, which makes this figure, and so the target
 * derived from it, a little more lenient than the database's real share of the request.
 */
async function timeReplay(pool: pg.Pool, perPath: CapturedStatement[][], runs: number, seconds: number): Promise<SqlResult> {
  return withReplay(pool, perPath, (replay) => timeSql(replay, runs, seconds));
}

/** Replays path i's statements, on one connection held while `use` runs. */
async function withReplay<T>(
  pool: pg.Pool,
  perPath: CapturedStatement[][],
  use: (replay: (index: number) => Promise<void>) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    return await use(async (index) => {
      for (const statement of perPath[index % perPath.length]!) {
        // As Kysely sends it (text, values), so a statement marked prepared runs as a named one, as in the app.
        await client.query(statement.sql, [...statement.parameters]);
      }
    });
  } finally {
    client.release();
  }
}

async function timeSql(load: (index: number) => Promise<unknown>, runs: number, seconds: number): Promise<SqlResult> {
  for (let index = 0; index < 3; index += 1) await load(index);
  const latencies: number[] = [];
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < runs; index += 1) {
    const start = performance.now();
    await load(index);
    latencies.push(performance.now() - start);
    if (index >= 4 && performance.now() - started > seconds * 1000) break;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    runs: latencies.length,
    latencyMs: summarise(latencies),
    cpuMsPerRun: round((cpu.user + cpu.system) / 1000 / latencies.length),
  };
}

interface RouteOutcome {
  key: string;
  label: string;
  role: BenchRole;
  method: string;
  paths: string[];
  coachPage: boolean;
  status: 'measured' | 'not available';
  reason?: string;
  http?: LoadResult;
  /** CPU time of the app process per response during the measured run (JavaScript, EJS, pg driver). */
  appCpuMsPerResponse?: number | null;
  /** The route's service calls: SQL plus the service's JavaScript (risk scoring, row mapping). */
  sql?: SqlResult;
  /** The route's captured SQL replayed through pg (GET pages), with the statement count per request. */
  sqlOnly?: SqlResult & { statementsPerRequest: number };
  /** Page and replayed SQL in alternation, one request at a time (scripts/bench/paired.ts). */
  paired?: PairedResult;
  /** The route's own target for the paired page p50 above its SQL p50 (/today: 3 ms). */
  gapTarget?: { limitMs: number; pass: boolean };
  sqlUnavailable?: string;
  ratios?: { sqlP50: number | null; sqlP95: number | null; bareP50: number | null; bareP95: number | null };
  /** basis: the replayed SQL where the route has it, else the service calls (the POST, the export). */
  target?: { limitMs: number; pass: boolean; basis: 'sql' | 'service' };
  download?: {
    downloads: number;
    bytesPerDownload: number;
    expectedRows: number;
    rowsInProbe: number;
    contentType: string | null;
    appRssBeforeKb: number | null;
    appRssPeakKb: number | null;
    appPeakRssSinceStartKb: number | null;
    rssSamples: number;
  };
  storedContactMoments?: { confirmedResponses: number; stored: number };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const root = repositoryRoot();
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    throw new BenchRefusal(
      'set DATABASE_URL to a bench database, e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/inbeeld_bench_10k (made with npm run bench:data)',
    );
  }
  const timeZone = process.env.APP_TIMEZONE?.trim() || 'Europe/Amsterdam';
  if (!IANAZone.isValidZone(timeZone)) throw new BenchRefusal(`APP_TIMEZONE ${timeZone} is not an IANA time zone`);
  const appScript = path.join(root, 'dist', 'src', 'server.js');
  const bareScript = path.join(root, 'dist', 'scripts', 'bench', 'bare-server.js');
  if (!existsSync(appScript) || !existsSync(bareScript))
    throw new BenchRefusal('build first: npm run build (npm run bench does it)');

  // The same connection settings as the app's own pool (JIT off), so the replayed SQL runs as the app runs it.
  const pool = createPool({
    connectionString: url,
    max: 10,
    connectTimeoutMs: 5000,
    serverOptions: '-c jit=off',
    prepareMarkedStatements: true,
  });
  const db = createKysely(pool);
  const capturing = capturingKysely(pool);
  const servers: ServerProcess[] = [];
  // Interrupted (Ctrl-C, or a CI timeout's SIGTERM): stop the app and the bare page first, so no
  // server process is left behind holding database connections.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the bench's servers.`);
      void Promise.allSettled(servers.map((server) => server.stop())).then(() => process.exit(130));
    });
  }
  try {
    await checkBenchDatabase(db);
    const applied = await migrateToLatest(db);
    if (applied.length) console.log(`Applied ${applied.length} migration(s) to the bench database.`);
    const now = () => DateTime.now();
    const today = now().setZone(timeZone).toISODate()!;
    const touched = await removeBenchContacts(db);
    if (touched.length > 0) {
      await db.transaction().execute((trx) => refreshRiskStates(trx, touched, now(), timeZone));
      console.log(
        `Removed the contact moments of earlier bench runs (${touched.length} participants) and refreshed their risk state.`,
      );
    }
    const subjects = await benchSubjects(db, today);
    // The app takes the day's risk snapshot a second after it starts when it is missing: take it
    // now, so it does not run during a measurement.
    if (!(await hasDailySnapshot(db, now(), timeZone))) {
      const started = performance.now();
      const outcome = await takeDailySnapshot(db, now(), timeZone);
      console.log(`Risk snapshot of ${today}: ${outcome.kind} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    }
    const dataset = await datasetCounts(db);
    const anchor = await datasetAnchorDay(db, timeZone);
    if (anchor && DateTime.fromISO(today).diff(DateTime.fromISO(anchor), 'days').days > 3) {
      console.log(
        `Note: the dataset's latest generated contact moment is of ${anchor}, but the app's today is ${today}: ` +
          'its /today and risk figures are those of a stale caseload. Make the dataset again with npm run bench:data -- --participants N --reset.',
      );
    }
    const label = options.label ?? labelFor(dataset.participants!);
    const git = gitInfo(root);
    const machine = machineInfo();
    const postgres = await postgresVersion(db);
    const startedAt = new Date();

    console.log(
      `Bench "${label}" on ${describeServerUrl(url)}: ${dataset.participants} participants, ${dataset.contactMoments} contact moments, ` +
        `${dataset.trajectories} trajectories; PostgreSQL ${postgres}, Node ${process.version}, ${machine.cpuCount} × ${machine.cpuModel}.`,
    );
    console.log(
      `Coach ${subjects.coach.email} (${subjects.coach.participants} participants, ${subjects.coach.openParticipants} open), ` +
        `manager ${subjects.manager.email}, admin ${subjects.admin.email}. ${options.duration} s per route, ` +
        `${options.connections} connection(s), warm-up ${options.warmup} s.`,
    );

    const appPort = await freePort();
    const app = await startServer({
      name: 'the app',
      script: appScript,
      cwd: root,
      port: appPort,
      readyPath: '/readyz',
      nodeArgs: options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProfileDir)}`] : [],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATABASE_URL: url,
        // Pinned (a .env file in the work tree would otherwise fill it in): recorded as appPoolSize.
        DATABASE_POOL_SIZE: '10',
        SESSION_SECRET,
        PSEUDONYM_SECRET,
        PUBLIC_URL: `http://localhost:${appPort}`,
        HOST: '127.0.0.1',
        PORT: String(appPort),
        LOG_LEVEL: 'warn',
        APP_TIMEZONE: timeZone,
        // Production cookies are Secure: the bench is the TLS-terminating proxy in front of the app.
        TRUST_PROXY: 'loopback',
        // The bench's manager and administrator sign in with the password alone (no second factor).
        MFA_REQUIRED_ROLES: '',
        MIGRATE_ON_START: 'false',
        SEED_DEMO_ON_EMPTY: 'false',
      },
    });
    servers.push(app);
    const barePort = await freePort();
    const bare = await startServer({
      name: 'the bare Express + EJS page',
      script: bareScript,
      cwd: root,
      port: barePort,
      readyPath: '/readyz',
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(barePort) },
    });
    servers.push(bare);

    const sessions: Record<BenchRole, SignedInSession> = {
      coach: await signIn(app.baseUrl, subjects.coach.email, BENCH_PASSWORD),
      manager: await signIn(app.baseUrl, subjects.manager.email, BENCH_PASSWORD),
      admin: await signIn(app.baseUrl, subjects.admin.email, BENCH_PASSWORD),
    };
    const headersOf = (session: SignedInSession | null, method: 'GET' | 'POST'): Record<string, string> => ({
      ...PROXY_HEADERS,
      accept: 'text/html,application/xhtml+xml',
      'accept-language': 'nl',
      ...(session ? { cookie: session.cookie } : {}),
      ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    });

    const failures: string[] = [];
    const loadSettings = (duration: number) => ({ connections: options.connections, duration, timeoutSeconds: 30 });

    // (b) The bare page: the same load settings as every page route.
    const bareRequest: LoadRequest = { method: 'GET', paths: ['/bare'], headers: headersOf(null, 'GET'), expectStatus: 200 };
    if (options.warmup > 0) await runLoad({ url: bare.baseUrl, ...loadSettings(options.warmup) }, bareRequest);
    const bareCpuBefore = processCpuMs(bare.pid);
    const bareResult = await runLoad({ url: bare.baseUrl, ...loadSettings(options.duration) }, bareRequest);
    const bareCpuMsPerResponse = cpuPerResponse(bareCpuBefore, processCpuMs(bare.pid), bareResult.responses);
    report(failures, 'bare Express + EJS page', bareResult);
    console.log(
      `bare Express + EJS page: p50 ${ms(bareResult.latencyMs.p50)} ms, p95 ${ms(bareResult.latencyMs.p95)} ms, ${bareResult.requestsPerSecond} req/s`,
    );

    const outcomes: RouteOutcome[] = [];
    const routes = benchRoutes({ db, subjects, timeZone, now, pseudonymSecret: PSEUDONYM_SECRET }).filter((route) =>
      options.routes.includes(route.key),
    );
    const capturedRoutes = new Map(
      benchRoutes({ db: capturing.db, subjects, timeZone, now, pseudonymSecret: PSEUDONYM_SECRET }).map((route) => [
        route.key,
        route,
      ]),
    );
    for (const key of options.routes) {
      if (!routes.some((route) => route.key === key)) {
        outcomes.push(notAvailable({ key, label: key }, 'the dataset has no commissioner with trajectories'));
      }
    }
    for (const route of routes) {
      const session = sessions[route.role];
      const probe = await probeRoute(app.baseUrl, route, session, timeZone);
      if (probe.kind === 'missing') {
        console.log(`${route.label}: not available (${probe.status})`);
        outcomes.push(notAvailable(route, `the route answered ${probe.status}`));
        continue;
      }
      if (probe.kind === 'wrong') {
        failures.push(`${route.label}: ${probe.message}`);
        outcomes.push(notAvailable(route, probe.message));
        console.log(`${route.label}: ${probe.message}`);
        continue;
      }
      const loadRequest: LoadRequest = {
        method: route.method,
        paths: route.paths,
        headers: headersOf(session, route.method),
        body: route.body?.(session.csrfToken),
        expectStatus: route.expectStatus,
        expectLocation: route.expectLocation,
      };
      const outcome: RouteOutcome = {
        key: route.key,
        label: route.label,
        role: route.role,
        method: route.method,
        paths: route.paths,
        coachPage: route.coachPage,
        status: 'measured',
      };
      if (route.download) {
        // One connection, a whole number of downloads filling about --duration seconds.
        const downloads = Math.min(200, Math.max(3, Math.ceil(options.duration / Math.max(probe.seconds, 0.001))));
        const timeoutSeconds = Math.max(60, Math.ceil(probe.seconds * 10));
        const memoryBefore = processMemory(app.pid);
        const sampler = sampleMemory(app.pid);
        const cpuBefore = processCpuMs(app.pid);
        outcome.http = await runLoad({ url: app.baseUrl, connections: 1, amount: downloads, timeoutSeconds }, loadRequest);
        outcome.appCpuMsPerResponse = cpuPerResponse(cpuBefore, processCpuMs(app.pid), outcome.http.responses);
        const sampled = sampler.stop();
        outcome.download = {
          downloads: outcome.http.responses,
          bytesPerDownload: outcome.http.bytesPerResponse.mean,
          expectedRows: subjects.exportCommissioner?.trajectories ?? 0,
          rowsInProbe: probe.rows,
          contentType: probe.contentType,
          appRssBeforeKb: memoryBefore?.rssKb ?? null,
          appRssPeakKb: sampled.peakRssKb,
          appPeakRssSinceStartKb: processMemory(app.pid)?.peakRssKb ?? null,
          rssSamples: sampled.samples,
        };
      } else {
        if (options.warmup > 0) await runLoad({ url: app.baseUrl, ...loadSettings(options.warmup) }, loadRequest);
        // POSTs of the warm-up still in flight when it stopped may be stored after it: let them land.
        if (route.method === 'POST') await new Promise((resolve) => setTimeout(resolve, 500));
        const storedBefore = route.method === 'POST' ? await contactMomentsBy(subjects.coach.id) : 0;
        const cpuBefore = processCpuMs(app.pid);
        outcome.http = await runLoad({ url: app.baseUrl, ...loadSettings(options.duration) }, loadRequest);
        outcome.appCpuMsPerResponse = cpuPerResponse(cpuBefore, processCpuMs(app.pid), outcome.http.responses);
        if (route.method === 'POST') {
          // Requests in flight when autocannon stops may still be stored: allow one per connection.
          await new Promise((resolve) => setTimeout(resolve, 500));
          const stored = (await contactMomentsBy(subjects.coach.id)) - storedBefore;
          const confirmed = outcome.http.responses - outcome.http.unexpected;
          outcome.storedContactMoments = { confirmedResponses: confirmed, stored };
          if (stored < confirmed || stored > confirmed + options.connections) {
            failures.push(`${route.label}: ${confirmed} POSTs answered "stored" but ${stored} contact moments were stored`);
          }
        }
      }
      report(failures, route.label, outcome.http);

      const captured = capturedRoutes.get(route.key)?.sql;
      if ('unavailable' in route.sql) {
        outcome.sqlUnavailable = route.sql.unavailable;
      } else {
        try {
          outcome.sql = await timeSql(route.sql, options.sqlRuns, options.duration);
          // Pages only: the POST's statements would store its contact moments again, and the
          // export's are one streamed statement that the service figure already times.
          if (route.method === 'GET' && !route.download && captured && !('unavailable' in captured)) {
            const perPath: CapturedStatement[][] = [];
            for (let index = 0; index < Math.min(route.paths.length, 10); index += 1) {
              perPath.push(await capturing.capture(() => captured(index)));
            }
            const replayed = await timeReplay(pool, perPath, options.sqlRuns, options.duration);
            const statements = perPath.reduce((sum, list) => sum + list.length, 0) / perPath.length;
            outcome.sqlOnly = { ...replayed, statementsPerRequest: round(statements, 1) };
            const get = pageGetter(app.baseUrl, headersOf(session, 'GET'), route.expectStatus);
            // The request waits for its session read too (one statement, before the route runs):
            // the paired SQL is every statement the request sends.
            const sessionRead = await capturing.capture(() =>
              findSessionWithUser(capturing.db, sessionIdOf(session), new Date(), today),
            );
            const requestStatements = perPath.map((statements) => [...sessionRead, ...statements]);
            outcome.paired = await withReplay(pool, requestStatements, (replay) =>
              timePaired({
                page: (index) => get(route.paths[index % route.paths.length]!),
                replay,
                rounds: options.pairedRuns,
                seconds: options.duration,
              }),
            );
            if (route.gapTargetMs !== undefined) {
              outcome.gapTarget = { limitMs: route.gapTargetMs, pass: outcome.paired.gapP50Ms <= route.gapTargetMs };
            }
            if (statements === 0) {
              // A route with no SQL of its own (the floor): only its paired figure, which counts
              // the session read, says anything; ratios to nothing and a 5 ms target would not.
              delete outcome.sql;
              delete outcome.sqlOnly;
              outcome.sqlUnavailable = 'no SQL of its own: see the paired figure, which counts the session read';
            }
          }
        } catch (error) {
          failures.push(`${route.label}: its service call failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const http = outcome.http.latencyMs;
      const basis = outcome.sqlOnly ?? outcome.sql;
      outcome.ratios = {
        sqlP50: ratio(http.p50, basis?.latencyMs.p50),
        sqlP95: ratio(http.p95, basis?.latencyMs.p95),
        bareP50: ratio(http.p50, bareResult.latencyMs.p50),
        bareP95: ratio(http.p95, bareResult.latencyMs.p95),
      };
      if (basis) {
        const limitMs = round(2 * basis.latencyMs.p95 + 5);
        outcome.target = { limitMs, pass: http.p95 <= limitMs, basis: outcome.sqlOnly ? 'sql' : 'service' };
      }
      outcomes.push(outcome);
      console.log(
        `${route.label}: p50 ${ms(http.p50)} ms, p95 ${ms(http.p95)} ms, ${outcome.http.requestsPerSecond} req/s` +
          (outcome.sqlOnly
            ? `; SQL (${outcome.sqlOnly.statementsPerRequest} statements) p50 ${ms(outcome.sqlOnly.latencyMs.p50)} ms, p95 ${ms(outcome.sqlOnly.latencyMs.p95)} ms`
            : '') +
          (outcome.sql ? `; service p50 ${ms(outcome.sql.latencyMs.p50)} ms, p95 ${ms(outcome.sql.latencyMs.p95)} ms` : ''),
      );
      if (outcome.paired) {
        const paired = outcome.paired;
        console.log(
          `  paired, one request at a time (${paired.rounds} rounds): page p50 ${ms(paired.pageMs.p50)} ms, its SQL (with the session read) p50 ${ms(paired.sqlMs.p50)} ms, ` +
            `page above SQL ${ms(paired.gapP50Ms)} ms (median per round ${ms(paired.medianRoundGapMs)} ms)` +
            (outcome.gapTarget ? `; target ≤ ${outcome.gapTarget.limitMs} ms: ${outcome.gapTarget.pass ? 'PASS' : 'FAIL'}` : ''),
        );
      }
    }

    const appWarnings = app.output.filter((line) => line.trim() !== '');
    for (const server of servers.splice(0)) await server.stop();

    console.log('');
    console.log(resultTable(outcomes, bareResult, bareCpuMsPerResponse));
    const download = outcomes.find((outcome) => outcome.download)?.download;
    if (download) {
      const kb = (value: number | null) => (value === null ? '–' : bytes(value * 1024));
      console.log(
        `\nExport: ${download.downloads} download(s) of ${bytes(download.bytesPerDownload)} (${download.rowsInProbe} rows; ` +
          `${download.expectedRows} trajectories of the commissioner), app RSS ${kb(download.appRssBeforeKb)} before, ` +
          `peak ${kb(download.appRssPeakKb)} during the export (${download.rssSamples} samples); process peak since start ${kb(download.appPeakRssSinceStartKb)}.`,
      );
    }
    if (download && download.rowsInProbe !== download.expectedRows) {
      console.log(
        `Note: the export held ${download.rowsInProbe} rows, not the commissioner's ${download.expectedRows} trajectories: is the period still covering them all?`,
      );
    }
    if (appWarnings.length)
      console.log(`\nThe app logged ${appWarnings.length} warning/error line(s); the last: ${appWarnings.slice(-3).join('\n')}`);

    const result = {
      label,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      ok: failures.length === 0,
      failures,
      git,
      node: process.version,
      postgres,
      machine,
      database: describeServerUrl(url),
      timeZone,
      today,
      datasetLatestContactDay: anchor,
      dataset,
      options: { ...options, exportConnections: 1, appPoolSize: 10 },
      subjects: {
        coach: subjects.coach,
        manager: subjects.manager,
        admin: subjects.admin,
        profileIds: subjects.profileIds,
        contactIds: subjects.contactIds,
        exportCommissioner: subjects.exportCommissioner,
      },
      bare: { ...bareResult, appCpuMsPerResponse: bareCpuMsPerResponse },
      routes: outcomes,
      appLog: appWarnings.slice(-50),
    };
    const folder = path.join(root, 'bench', 'results');
    mkdirSync(folder, { recursive: true });
    const file = path.join(
      folder,
      `${startedAt
        .toISOString()
        .replace(/\.\d+Z$/, 'Z')
        .replace(/:/g, '-')}-${label}.json`,
    );
    writeFileSync(file, await formatted(file, JSON.stringify(result, null, 2) + '\n'));
    console.log(`\nWrote ${path.relative(root, file)}${git.dirty ? ' (the work tree had uncommitted changes)' : ''}.`);

    if (failures.length) {
      console.error(`\nFAILED: ${failures.length} problem(s):\n${failures.map((failure) => `  - ${failure}`).join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    for (const server of servers) await server.stop();
    await db.destroy();
  }

  async function contactMomentsBy(authorId: number): Promise<number> {
    const row = (
      await sql<{ count: number }>`select count(*)::int as count from contact_moments where author_id = ${authorId}`.execute(db)
    ).rows[0];
    return row?.count ?? 0;
  }
}

/** The JSON as the repository's Prettier settings write it, so `npm run format:check` passes on committed results. */
async function formatted(file: string, json: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    return await prettier.format(json, { ...(await prettier.resolveConfig(file)), parser: 'json' });
  } catch {
    return json;
  }
}

function notAvailable(route: Pick<BenchRoute, 'key' | 'label'> & Partial<BenchRoute>, reason: string): RouteOutcome {
  return {
    key: route.key,
    label: route.label,
    role: route.role ?? 'admin',
    method: route.method ?? 'GET',
    paths: route.paths ?? [],
    coachPage: route.coachPage ?? false,
    status: 'not available',
    reason,
  };
}

function report(failures: string[], label: string, result: LoadResult): void {
  const problems: string[] = [];
  if (result.responses === 0) problems.push('no response at all');
  if (result.unexpected) problems.push(`${result.unexpected} unexpected response(s) ${JSON.stringify(result.statusCounts)}`);
  if (result.errors) problems.push(`${result.errors} connection error(s)`);
  if (result.timeouts) problems.push(`${result.timeouts} timeout(s)`);
  if (problems.length) {
    failures.push(
      `${label}: ${problems.join(', ')}${result.unexpectedSamples.length ? ` — e.g. ${result.unexpectedSamples.join(' | ')}` : ''}`,
    );
  }
}

type Probe =
  | { kind: 'ok'; seconds: number; rows: number; contentType: string | null }
  | { kind: 'missing'; status: number }
  | { kind: 'wrong'; message: string };

/**
 * One request before the load, to see that the route exists and answers what a person would get;
 * for the POST, a real round trip through the form: GET the form, POST it with its own tokens.
 */
async function probeRoute(baseUrl: string, route: BenchRoute, session: SignedInSession, timeZone: string): Promise<Probe> {
  const started = performance.now();
  if (route.method === 'POST') {
    const form = await request(baseUrl, route.paths[0]!, { cookie: session.cookie });
    const html = await form.text();
    const submissionToken = hiddenField(html, 'submissionToken');
    const csrfToken = hiddenField(html, '_csrf');
    if (form.status !== 200 || !submissionToken || !csrfToken) {
      return {
        kind: 'wrong',
        message: `the contact form answered ${form.status}${submissionToken ? '' : ' without a submissionToken'}`,
      };
    }
    // The form's token is a random UUID that the server records only when it is used, so the load
    // sends a fresh UUID per POST, exactly what GETting the form again would hand out.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(submissionToken)) {
      return {
        kind: 'wrong',
        message: `the form's submissionToken is no longer a random UUID (${submissionToken}): fetch tokens per request instead`,
      };
    }
    const answer = await request(baseUrl, route.paths[0]!, {
      cookie: session.cookie,
      form: { ...contactForm(csrfToken, DateTime.now().setZone(timeZone)), submissionToken },
    });
    const text = await answer.text();
    const location = answer.headers.get('location') ?? '';
    if (answer.status !== route.expectStatus || (route.expectLocation && !route.expectLocation.test(location))) {
      return { kind: 'wrong', message: `POSTing the contact form answered ${answer.status} ${location} ${text.slice(0, 200)}` };
    }
    return { kind: 'ok', seconds: (performance.now() - started) / 1000, rows: 0, contentType: null };
  }
  const answer = await request(baseUrl, route.paths[0]!, { cookie: session.cookie, timeoutMs: 600_000 });
  const body = await answer.text();
  const seconds = (performance.now() - started) / 1000;
  if (answer.status === 404 && route.expectStatus !== 404) return { kind: 'missing', status: 404 };
  if (answer.status !== route.expectStatus) {
    return {
      kind: 'wrong',
      message: `GET ${route.paths[0]} answered ${answer.status}${answer.headers.get('location') ? ` to ${answer.headers.get('location')}` : ''}`,
    };
  }
  const contentType = answer.headers.get('content-type');
  if (route.download && !contentType?.startsWith('text/csv')) {
    return { kind: 'wrong', message: `the export answered ${contentType ?? 'no content type'} instead of text/csv` };
  }
  const rows = route.download ? Math.max(0, body.split('\n').filter((line) => line.trim() !== '').length - 1) : 0;
  return { kind: 'ok', seconds, rows, contentType };
}

/** The session id in a signed session cookie ("inbeeld.sid=s%3A<id>.<signature>"). */
function sessionIdOf(session: SignedInSession): string {
  const value = decodeURIComponent(session.cookie.slice(session.cookie.indexOf('=') + 1));
  return value.slice(2, value.lastIndexOf('.'));
}

function cpuPerResponse(before: number | undefined, after: number | undefined, responses: number): number | null {
  return before === undefined || after === undefined || responses === 0 ? null : round((after - before) / responses, 2);
}

function resultTable(outcomes: RouteOutcome[], bare: LoadResult, bareCpuMs: number | null): string {
  const measured = outcomes.filter((outcome) => outcome.status === 'measured' && outcome.http);
  const rows = measured.map((outcome) => {
    const http = outcome.http!;
    const service = outcome.sql?.latencyMs;
    const sqlOnly = outcome.sqlOnly?.latencyMs;
    const pair = (a: number | null | undefined, b: number | null | undefined) => `${times(a)}/${times(b)}`;
    return [
      outcome.label,
      ms(http.latencyMs.p50),
      ms(http.latencyMs.p95),
      ms(http.latencyMs.p99),
      String(http.requestsPerSecond),
      `${ms(outcome.appCpuMsPerResponse)}/${ms(outcome.sql?.cpuMsPerRun)}`,
      sqlOnly ? `${ms(sqlOnly.p50)}/${ms(sqlOnly.p95)}` : '–',
      service ? `${ms(service.p50)}/${ms(service.p95)}` : outcome.sqlUnavailable ? 'n/a' : '–',
      pair(outcome.ratios?.sqlP50, outcome.ratios?.sqlP95),
      pair(outcome.ratios?.bareP50, outcome.ratios?.bareP95),
      outcome.target
        ? `${outcome.target.pass ? 'PASS' : 'FAIL'} ≤${ms(outcome.target.limitMs)}${outcome.target.basis === 'service' ? '*' : ''}`
        : 'n/a',
      String(http.unexpected + http.errors + http.timeouts),
    ];
  });
  rows.push([
    'bare Express + EJS page',
    ms(bare.latencyMs.p50),
    ms(bare.latencyMs.p95),
    ms(bare.latencyMs.p99),
    String(bare.requestsPerSecond),
    `${ms(bareCpuMs)}/–`,
    '',
    '',
    '',
    '',
    '',
    String(bare.unexpected + bare.errors + bare.timeouts),
  ]);
  const missing = outcomes
    .filter((outcome) => !measured.includes(outcome))
    .map((outcome) => `\n${outcome.label}: not available (${outcome.reason ?? 'not measured'})`);
  return (
    table(
      [
        'route',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'req/s',
        'CPU ms app/service',
        'SQL p50/p95 ms',
        'service p50/p95 ms',
        '×SQL p50/p95',
        '×bare p50/p95',
        'p95 ≤ 2×SQL+5',
        'bad',
      ],
      rows,
    ) +
    '\n×SQL: against the replayed SQL where there is one, else against the service (* in the target column: the POST and the export).' +
    missing.join('')
  );
}

main().then(
  // Exit even if a keep-alive socket or timer of a library is still open.
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    if (error instanceof BenchRefusal) {
      console.error(`Refused: ${error.message}`);
    } else {
      console.error('The bench failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    }
    process.exit(1);
  },
);
