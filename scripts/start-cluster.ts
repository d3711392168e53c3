// npm run start:cluster [-- --workers N]
// Runs N app processes (node:cluster) that share the configured PORT, against one PostgreSQL
// server. The primary serves no requests: it migrates once (MIGRATE_ON_START=true), starts the
// workers, restarts one that dies unexpectedly (backing off when it keeps dying), and on
// SIGTERM/SIGINT passes the signal on and exits once every worker finished its graceful shutdown.
import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { AggregatorRegistry } from 'prom-client';
import { loadConfigOrExit } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { createLogger } from '../src/lib/logger';
import { startMetricsServer, type MetricsServer } from '../src/platform/metrics-server';

const USAGE = 'usage: npm run start:cluster -- [--workers N]   (N app processes, default: the number of CPUs)';
const MAX_WORKERS = 256;

/** A restart waits this long, doubled for each quick death in a row, up to the maximum. */
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
/** A worker that ran this long counts as healthy again: its next restart starts from the first delay. */
const STABLE_AFTER_MS = 30_000;

/** How long to wait before restarting a worker, given how many times in a row it died quickly. */
function restartDelayMs(quickDeathsInARow: number): number {
  const doublings = Math.max(0, quickDeathsInARow - 1);
  return Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** Math.min(doublings, 16));
}

/** --workers N (default: the number of CPUs), or the exit status after printing help or a problem. */
function parseArguments(argv: string[]): { workers: number } | { exitCode: number } {
  let values: { workers?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { workers: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    return { exitCode: 2 };
  }
  if (values.help) {
    console.log(USAGE);
    return { exitCode: 0 };
  }
  if (values.workers === undefined) return { workers: os.availableParallelism() };
  const text = values.workers.trim();
  const count = Number(text);
  if (!/^\d+$/.test(text) || count < 1 || count > MAX_WORKERS) {
    console.error(`--workers must be a whole number from 1 to ${MAX_WORKERS}, got "${values.workers}"`);
    console.error(USAGE);
    return { exitCode: 2 };
  }
  return { workers: count };
}

interface Slot {
  /** 1-based, stable across restarts, so logs can tell "the second worker" apart. */
  readonly number: number;
  worker: Worker | null;
  startedAt: number;
  quickDeathsInARow: number;
  restartTimer: NodeJS.Timeout | null;
}

async function main(): Promise<void> {
  const parsed = parseArguments(process.argv.slice(2));
  if ('exitCode' in parsed) process.exit(parsed.exitCode);
  const workerCount = parsed.workers;
  const config = loadConfigOrExit();
  if (config.database.mode !== 'server') {
    console.error(
      'start:cluster needs a PostgreSQL server: set DATABASE_URL. The embedded database (PGlite) can be used by one ' +
        'process only; start that with `npm start`.',
    );
    process.exit(1);
  }
  // Synchronous writes: the primary ends with process.exit, which must not overtake its last lines.
  const logger = createLogger(config.logLevel, pino.destination({ dest: 1, sync: true })).child({ role: 'cluster-primary' });

  let shuttingDown = false;
  let anyWorkerListened = false;
  let failedShutdown = false;
  const slots: Slot[] = [];

  const live = () => slots.filter((slot) => slot.worker !== null);

  let metricsServer: MetricsServer | null = null;

  const finishIfDone = () => {
    if (!shuttingDown || live().length > 0) return;
    logger.info('every worker has stopped');
    void (metricsServer?.close() ?? Promise.resolve()).finally(() => process.exit(failedShutdown ? 1 : 0));
  };

  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, `shutting down: passing ${signal} to ${live().length} worker(s)`);
    for (const slot of slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
      slot.worker?.process.kill(signal);
    }
    // Each worker has SHUTDOWN_TIMEOUT_MS for its requests, then closes its pool; a worker still
    // there well after that is stuck, and must not keep the deployment from stopping.
    const deadline = setTimeout(() => {
      for (const slot of live()) {
        logger.error({ worker: slot.number, pid: slot.worker!.process.pid }, 'worker did not stop in time: killing it');
        slot.worker!.process.kill('SIGKILL');
      }
      failedShutdown = true;
    }, config.shutdownTimeoutMs + 5000);
    deadline.unref();
    finishIfDone();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  // Migrations run here, once, before any worker starts: workers never race each other over them.
  if (config.migrateOnStart) {
    const database = await openDatabase(config, logger);
    try {
      const applied = await migrateToLatest(database.db);
      logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
    } finally {
      await database.close();
    }
  }
  if (shuttingDown) process.exit(0);

  // METRICS_PORT: the primary serves them, asking every worker for its registry at each scrape
  // (prom-client's AggregatorRegistry: counters summed over the workers), so one scrape covers all.
  if (config.metrics.port !== null) {
    const aggregator = new AggregatorRegistry();
    metricsServer = await startMetricsServer(
      { host: config.metrics.host, port: config.metrics.port, logger },
      { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() },
    );
  }

  cluster.setupPrimary({
    // The same entry as `npm start`: a worker is an ordinary app process.
    exec: require.resolve('../src/server'),
    // Workers log their own JSON lines to the same stdout/stderr.
    silent: false,
  });

  const start = (slot: Slot) => {
    slot.restartTimer = null;
    slot.startedAt = Date.now();
    // The primary migrated already (or migrations are a deployment step): never again per worker.
    // INBEELD_WORKER: the slot's number, so the worker's log lines say `"worker":2` as these do.
    const worker = cluster.fork({ MIGRATE_ON_START: 'false', INBEELD_WORKER: String(slot.number) });
    slot.worker = worker;
    worker.once('listening', () => {
      anyWorkerListened = true;
      logger.info({ worker: slot.number, pid: worker.process.pid }, `worker ${slot.number} is serving`);
    });
    worker.once('exit', (code, signal) => {
      slot.worker = null;
      const exit = { worker: slot.number, pid: worker.process.pid, code, signal };
      if (shuttingDown) {
        if (code !== 0) failedShutdown = true;
        logger.info(exit, `worker ${slot.number} stopped`);
        return finishIfDone();
      }
      if (!anyWorkerListened) {
        // Nothing ever came up (port taken, unreadable build, …): restarting would only repeat it.
        logger.error(exit, `worker ${slot.number} failed before serving anything: stopping (see its output above)`);
        shuttingDown = true;
        failedShutdown = true;
        for (const other of live()) other.worker!.process.kill('SIGTERM');
        return finishIfDone();
      }
      const ranMs = Date.now() - slot.startedAt;
      slot.quickDeathsInARow = ranMs >= STABLE_AFTER_MS ? 1 : slot.quickDeathsInARow + 1;
      const delayMs = restartDelayMs(slot.quickDeathsInARow);
      logger.warn({ ...exit, ranMs, delayMs }, `worker ${slot.number} died unexpectedly: restarting it in ${delayMs} ms`);
      slot.restartTimer = setTimeout(() => start(slot), delayMs);
    });
  };

  logger.info(
    { workers: workerCount, poolSize: config.database.poolSize },
    `starting ${workerCount} worker(s); each opens up to ${config.database.poolSize} database connections ` +
      `(${workerCount * config.database.poolSize} in all)`,
  );
  for (let number = 1; number <= workerCount; number++) {
    const slot: Slot = { number, worker: null, startedAt: 0, quickDeathsInARow: 0, restartTimer: null };
    slots.push(slot);
    start(slot);
  }
}

main().catch((error: unknown) => {
  console.error('InBeeld cluster failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
