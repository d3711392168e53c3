import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Config } from '../../config';
import { isDatabaseUnavailableError } from '../../db/database';
import { AppError, messageOf } from '../../lib/errors';
import type { Logger } from '../../lib/logger';

/** Anything no route answered: the same 404 page as for what the person may not see. */
export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(new AppError(404, 'notFound'));
}

/**
 * The one error handler: an AppError's status and message, 503 while the database is away, 403 for
 * a failed CSRF check, 500 for anything else, always as views/errors/error.ejs. The stack trace is
 * shown in development only, and only for a 500.
 */
export function errorHandler(config: Config, logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, code } = statusOf(error);
    if (status === 503) logger.warn({ reqId: req.id, detail: messageOf(error) }, 'database unavailable');
    else if (status >= 500) logger.error({ reqId: req.id, err: error }, 'request failed');
    if (status === 503) res.setHeader('Retry-After', '10');
    const details = config.nodeEnv === 'development' && status === 500 && error instanceof Error ? error.stack : null;
    res.status(status);
    res.render('errors/error', { title: res.locals.t(`errors.${code}.title`), status, code, details }, (renderError, html) => {
      if (renderError) {
        logger.error({ err: renderError }, 'error page failed to render');
        res.type('text/plain').send(`${status}`);
        return;
      }
      res.send(html);
    });
  };
}

function statusOf(error: unknown): { status: number; code: string } {
  if (error instanceof AppError) return { status: error.status, code: error.code };
  if (isDatabaseUnavailableError(error)) return { status: 503, code: 'unavailable' };
  const candidate = error as { status?: unknown; statusCode?: unknown; code?: unknown };
  const status = Number(candidate.status ?? candidate.statusCode);
  if (
    candidate.code === 'EBADCSRFTOKEN' ||
    (status === 403 && typeof candidate.code === 'string' && candidate.code.includes('CSRF'))
  ) {
    return { status: 403, code: 'csrf' };
  }
  if (status === 413) return { status: 413, code: 'tooLarge' };
  if (status >= 400 && status < 500) return { status, code: status === 403 ? 'csrf' : 'badRequest' };
  return { status: 500, code: 'internal' };
}
