import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import pinoHttp from 'pino-http';
import type { Logger } from '../../lib/logger';

/**
 * Paths whose last segment is a secret (a calendar feed's address is its own key, see
 * src/calendar/service.ts): logged with that segment replaced, so the log cannot subscribe anyone.
 */
const SECRET_PATHS: readonly RegExp[] = [/^(\/calendar\/)[^/]+$/];

/** The path as it is logged: without its query string, and without a secret segment. */
export function loggedPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  for (const pattern of SECRET_PATHS) if (pattern.test(path)) return path.replace(pattern, '$1[secret]');
  return path;
}

/** An incoming X-Request-Id is kept only when it is a short token of letters, digits, `.`, `_` and `-`. */
const REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * One log line per request: id, method, path, status and the client address (req.ip, so behind a
 * proxy the address TRUST_PROXY lets through). Never headers, cookies, query strings or bodies, so
 * passwords, session ids, tokens and participant data stay out of the log. A request id from a proxy
 * in front is kept when it looks like one, so both logs can be joined; either way the response says
 * it in `X-Request-Id`, and every security event of the request carries it too. A calendar feed's
 * secret address is logged without its secret (loggedPath).
 */
export function setUpLogging(logger: Logger): RequestHandler {
  const requestIdOf = (req: IncomingMessage, res: ServerResponse): string => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    return id;
  };
  // Request lines are written at info. Below it (LOG_LEVEL=warn and up) pino-http would still
  // make two child loggers and serialise the request for every request, to write nothing (about
  // 0.15 ms of each); the request id is all the rest of the app reads.
  if (!logger.isLevelEnabled('info')) {
    return (req, res, next) => {
      req.id = requestIdOf(req, res);
      next();
    };
  }
  return pinoHttp({
    logger,
    genReqId: requestIdOf,
    // Express's req.ip (the app's `trust proxy`): this middleware runs inside the app.
    customProps: (req) => ({ clientAddress: (req as Request).ip ?? null }),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: loggedPath(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}
