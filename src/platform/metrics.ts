import { AggregatorRegistry, Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import type pg from 'pg';

/**
 * Prometheus metrics of one app process, in its own registry (tests build many apps in one
 * process, so nothing goes into prom-client's global registry). Served by metrics-server.ts on a
 * port of its own, never by the app. Under `start:cluster` every worker keeps its own registry and
 * the primary asks each for it (prom-client's AggregatorRegistry): counters and histograms are
 * summed over the workers, the pool gauges too (connections of all workers together).
 *
 * Label values are few and fixed: a route is the route table's pattern (`/participants/:id`),
 * never the URL with its ids; a security event is a name of security-log.ts.
 */
export function createMetrics(options: { pool?: pg.Pool } = {}) {
  // An AggregatorRegistry is a Registry that, in a cluster worker, also answers the primary's request
  // for its metrics (prom-client only listens for that once one is constructed).
  const registry: Registry = new AggregatorRegistry();
  AggregatorRegistry.setRegistries(registry);
  const registers = [registry];

  const httpRequests = new Counter({
    name: 'inbeeld_http_requests_total',
    help: 'Requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'inbeeld_http_request_duration_seconds',
    help: 'Time from the request to the end of its response, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const securityEvents = new Counter({
    name: 'inbeeld_security_events_total',
    help: 'Security events written to the log (see README "Logs and metrics"), by event and outcome.',
    labelNames: ['event', 'outcome'] as const,
    registers,
  });
  const jobRuns = new Counter({
    name: 'inbeeld_job_runs_total',
    help: 'Runs of a background job that did or tried work, by job and outcome (failed: it threw).',
    labelNames: ['job', 'outcome'] as const,
    registers,
  });
  const jobDuration = new Histogram({
    name: 'inbeeld_job_duration_seconds',
    help: 'How long a run of a background job took, by job.',
    labelNames: ['job'] as const,
    buckets: [0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers,
  });
  const jobLastSuccess = new Gauge({
    name: 'inbeeld_job_last_success_timestamp_seconds',
    help: 'When a background job last ran without failing (Unix time), by job.',
    labelNames: ['job'] as const,
    // Over the workers of a cluster: the latest of them, not a sum of times.
    aggregator: 'max',
    registers,
  });

  const pool = options.pool;
  if (pool) {
    // Both database modes have a pg.Pool: a real server's (DATABASE_POOL_SIZE), or the embedded
    // database's of one connection. Read when scraped, so they cost nothing in between.
    const poolGauge = (name: string, help: string, read: (p: pg.Pool) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(pool));
        },
      });
    poolGauge('inbeeld_db_pool_connections', 'Open connections of the database pool (busy and idle).', (p) => p.totalCount);
    poolGauge('inbeeld_db_pool_idle_connections', 'Open connections of the database pool that are idle.', (p) => p.idleCount);
    poolGauge(
      'inbeeld_db_pool_waiting_requests',
      'Queries waiting for a connection of the database pool (all of them busy).',
      (p) => p.waitingCount,
    );
    poolGauge('inbeeld_db_pool_max_connections', 'The most connections the database pool opens.', (p) => p.options.max);
  }

  return {
    registry,
    /** The process metrics prom-client offers (CPU, memory, event loop lag, GC): only for a process that serves them. */
    collectProcessMetrics(): void {
      collectDefaultMetrics({ register: registry });
    },
    request(method: string, route: string, status: number, seconds: number): void {
      const labels = { method, route, status: String(status) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, seconds);
    },
    securityEvent: (event: string, outcome: string): void => {
      securityEvents.inc({ event, outcome });
    },
    /** Times one run of a job: `run` answers the outcome to count; a throw counts as `failed` and is passed on. */
    async job<T>(job: string, run: () => Promise<T>, outcomeOf: (result: T) => string): Promise<T> {
      const end = jobDuration.startTimer({ job });
      try {
        const result = await run();
        jobRuns.inc({ job, outcome: outcomeOf(result) });
        jobLastSuccess.set({ job }, Date.now() / 1000);
        return result;
      } catch (error) {
        jobRuns.inc({ job, outcome: 'failed' });
        throw error;
      } finally {
        end();
      }
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
