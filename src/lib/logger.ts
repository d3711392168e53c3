import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs. Request logging (see app.ts) records method, path, status and request id only:
 * no headers, query strings or bodies, so passwords, session ids, tokens and participant data
 * never reach the log.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['password', '*.password', 'req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
