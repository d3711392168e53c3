import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../lib/logger';

export interface MetricsSource {
  contentType: string;
  /** The exposition text: one process's registry, or (start:cluster's primary) every worker's together. */
  metrics(): Promise<string>;
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `GET /metrics` on a port of its own (METRICS_PORT, on METRICS_HOST: 127.0.0.1 unless set), so
 * metrics never reach the public port and its proxy: a scraper on the machine (or one let through a
 * firewall to METRICS_HOST) reads them. No session, no sign-in; anything else answers 404.
 */
export async function startMetricsServer(
  options: { host: string; port: number; logger: Logger },
  source: MetricsSource,
): Promise<MetricsServer> {
  const { host, port, logger } = options;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    source.metrics().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': source.contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        logger.warn({ err: error }, 'metrics could not be collected');
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
      },
    );
  });
  // A scraper keeps its connection open between scrapes: it must not hold a shutdown open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  logger.info({ host, port: bound }, `metrics at http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`);
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
