import cluster from 'node:cluster';
import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Which process wrote a line: in a worker of `start:cluster`, its number (1…N, kept when the primary
 * restarts it: INBEELD_WORKER, set by the primary; else node:cluster's id) and its pid. A single
 * process (`npm start`) adds nothing.
 */
function processFields(): Record<string, number> | undefined {
  if (!cluster.isWorker) return undefined;
  const number = Number(process.env.INBEELD_WORKER);
  return { worker: Number.isSafeInteger(number) && number > 0 ? number : (cluster.worker?.id ?? 0), pid: process.pid };
}

/**
 * Structured logs: JSON lines with an ISO `time`. Request logging (see web/setup/logging.ts)
 * records method, path, status, client address and request id only: no headers, query strings or
 * bodies, so passwords, session ids, tokens and participant data never reach the log. Security
 * events (platform/security-log.ts) are lines of their own with `"log":"security"`.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: processFields(),
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['password', '*.password', 'req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
