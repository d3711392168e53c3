import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import pinoHttp from 'pino-http';
import type { Logger } from '../../lib/logger';

const REQUEST_ID = /^[\w.-]{1,100}$/;

/**
 * One log line per request: id, method, path and status only. Never headers, cookies, query strings
 * or bodies, so passwords, session ids, tokens and participant data stay out of the log. A request id
 * from a proxy in front is kept when it looks like one, so both logs can be joined.
 */
export function setUpLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}
