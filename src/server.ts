import cluster from 'node:cluster';
import http from 'node:http';
import type { Socket } from 'node:net';
import { loadConfigOrExit } from './config';
import { createApp } from './app';
import { createServices } from './services';
import { openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { createLogger } from './lib/logger';
import { systemClock } from './lib/clock';
import { startMetricsServer, type MetricsServer } from './platform/metrics-server';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS, seedDemoIfEmpty } from './demo/service';

// Process entry: config → database → app → listen, and an orderly shutdown on SIGTERM/SIGINT.
/**
 * The demo's second factor, for the start-up text: the one authenticator key of the demo accounts
 * whose role requires a second factor (MFA_REQUIRED_ROLES), grouped as apps ask for it.
 */
function demoTotpLines(roles: readonly string[]): string[] {
  if (roles.length === 0) return [];
  const key = DEMO_TOTP_SECRET.replace(/(.{4})/g, '$1 ').trim();
  return [
    `  Second factor of the ${roles.join(' and ')} accounts: add this key to any authenticator app`,
    `  (time-based, 6 digits, 30 seconds): ${key}`,
  ];
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);

  if (config.session.secretIsEphemeral) {
    logger.warn('SESSION_SECRET is not set: using a random secret for this run, so sessions end when the process restarts');
  }
  for (const warning of config.warnings) logger.warn(warning);

  const database = await openDatabase(config, logger);
  logger.info(
    { mode: database.mode, location: database.location },
    database.mode === 'embedded'
      ? `embedded PostgreSQL (PGlite), data in ${database.location}`
      : `PostgreSQL server at ${database.location}`,
  );

  // Embedded mode is the zero-setup path, so it always brings its schema up to date. Against a
  // real server, migrations are an explicit deployment step unless MIGRATE_ON_START=true.
  if (database.mode === 'embedded' || config.migrateOnStart) {
    const applied = await migrateToLatest(database.db);
    logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
  }

  let seededDemo = false;
  if (database.mode === 'embedded' && config.seedDemoOnEmpty) {
    seededDemo = await seedDemoIfEmpty(database.db, logger, systemClock.now().setZone(config.timeZone), {
      totpRoles: config.mfa.requiredRoles,
    });
    if (config.mfa.requiredRoles.length > 0) {
      logger.info(
        { roles: config.mfa.requiredRoles, totpKey: DEMO_TOTP_SECRET },
        `demo accounts of role ${config.mfa.requiredRoles.join(', ')} sign in with a code from an authenticator app holding the key ${DEMO_TOTP_SECRET}`,
      );
    }
  }

  const services = createServices({ config, db: database.db, pool: database.pool, logger });
  const app = createApp(services);
  // Scheduled work (src/jobs.ts: the risk state's upkeep, the daily risk snapshot), the first look
  // a second after start. Advisory locks make each run once even with several processes.
  services.jobs.start();
  // Metrics on their own port (METRICS_PORT). A worker of start:cluster only collects them: the
  // primary serves every worker's together on that port (scripts/start-cluster.ts).
  let metricsServer: MetricsServer | null = null;
  if (config.metrics.port !== null) {
    services.metrics.collectProcessMetrics();
    if (!cluster.isWorker) {
      const { registry } = services.metrics;
      metricsServer = await startMetricsServer(
        { host: config.metrics.host, port: config.metrics.port, logger },
        { contentType: registry.contentType, metrics: () => registry.metrics() },
      );
    }
  }
  let shuttingDown = false;
  // Responses still being worked on, so that shutdown can tell their clients not to reuse the
  // connection: otherwise a kept-alive connection outlives its last answer and holds close() open.
  const inFlight = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    if (shuttingDown) {
      res.setHeader('Connection', 'close');
    } else {
      inFlight.add(res);
      res.once('close', () => inFlight.delete(res));
    }
    app(req, res);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  logger.info({ host: config.host, port }, `InBeeld is listening on http://${shownHost}:${port}`);
  if (database.mode === 'embedded') {
    // Printed plainly, not as a log line, so a newcomer sees where to go and how to sign in.
    const lines = [
      '',
      // localhost rather than 127.0.0.1: the same machine, and the name passkeys need (browsers refuse
      // WebAuthn on an IP address), as the README's quick start says.
      `  InBeeld runs at http://${shownHost === '127.0.0.1' ? 'localhost' : shownHost}:${port}`,
      ...(seededDemo || config.seedDemoOnEmpty
        ? [
            `  Demo logins (password "${DEMO_PASSWORD}"):`,
            ...DEMO_USERS.map((u) => `    ${u.role.padEnd(8)} ${u.email}`),
            ...demoTotpLines(config.mfa.requiredRoles),
          ]
        : []),
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: no new connections, letting requests in flight finish');
    const deadline = setTimeout(() => {
      logger.warn('requests still running at the shutdown deadline: closing their connections');
      for (const socket of sockets) socket.destroy();
    }, config.shutdownTimeoutMs);
    deadline.unref();
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    // Keep-alive connections with no request in flight would otherwise hold close() open; one whose
    // headers went out before shutdown (a long download) becomes idle only when it is done.
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearInterval(idleSweep);
    clearTimeout(deadline);
    try {
      // Waits for a job's batch in progress; an interrupted recompute resumes at the next start.
      await services.jobs.stop();
      await metricsServer?.close();
      await services.close();
      await database.close();
      logger.info('shutdown complete');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('InBeeld failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
