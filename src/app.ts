import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';
import pinoHttp from 'pino-http';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Config, Locale } from './config';
import type { Database } from './db/schema';
import { isDatabaseUnavailableError } from './db/database';
import type { AppDeps } from './app-deps';
import { AppError } from './lib/errors';
import { systemClock, type Clock } from './lib/clock';
import type { Logger } from './lib/logger';
import { isLocale } from './platform/i18n';
import { translatorFor } from './messages';
import { createFormatters } from './lib/format';
import { createPassport } from './auth/service';
import { authRoutes } from './auth/routes';
import { requireUser } from './auth/guards';
import { healthRoutes } from './health/routes';
import { homeRoutes } from './home/routes';
import { todayRoutes } from './today/routes';
import { dashboardRoutes } from './dashboard/routes';
import { adminRoutes } from './admin/routes';
import { accountRoutes } from './account/routes';
import { participantRoutes } from './participants/routes';
import { trajectoryRoutes } from './trajectories/routes';
import { placementRoutes } from './placements/routes';
import { employerRoutes } from './employers/routes';
import { standinRoutes } from './standins/routes';
import { commissionerRoutes } from './commissioners/routes';
import { auditRoutes } from './audit/routes';
import { contactRoutes } from './contacts/routes';
import { goalRoutes } from './goals/routes';
import { referralRoutes } from './referrals/routes';
import { reviewRoutes } from './reviews/routes';
import { caseloadRoutes } from './caseloads/routes';
import { riskRoutes, riskSettingsRoutes } from './risk/routes';
import { reportRoutes } from './reports/routes';
import { trajectoryReportRoutes } from './trajectory-reports/routes';
import { subjectAccessRoutes } from './subject-access/routes';
import { navigationFor } from './home/navigation';

export const VIEWS_DIR = path.resolve(__dirname, '..', 'views');
// Compiled code runs from dist/src, sources from src: both reach the repository's views/.
const viewsDir = __dirname.includes(`${path.sep}dist${path.sep}`) ? path.resolve(__dirname, '..', '..', 'views') : VIEWS_DIR;

export interface CreateAppOptions {
  config: Config;
  db: Kysely<Database>;
  pool: pg.Pool;
  logger: Logger;
  clock?: Clock;
}

export interface InBeeldApp {
  app: express.Express;
  /** Stops the app's own timers and store; the pool belongs to the caller. */
  close(): Promise<void>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createApp(options: CreateAppOptions): InBeeldApp {
  const { config, db, pool, logger } = options;
  const clock = options.clock ?? systemClock;
  const passport = createPassport(db);
  const deps: AppDeps = { config, db, clock, logger, passport };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  if (config.isProduction) app.set('view cache', true);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Only what is needed to follow a request: never headers, cookies, query strings or bodies.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          ...(config.isProduction ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: config.isProduction,
    }),
  );

  app.use('/assets', express.static(path.join(viewsDir, 'assets'), { maxAge: config.isProduction ? '1d' : 0, index: false }));
  // Chart.js's browser build from node_modules, served by the app itself (no CDN). Its package
  // "exports" hide dist/, so resolve the main file's folder.
  app.use(
    '/assets/vendor/chart.js',
    express.static(path.dirname(require.resolve('chart.js')), { maxAge: config.isProduction ? '1d' : 0, index: false }),
  );

  // Locale and helpers for every page, including error pages rendered before the session loads.
  app.use((req, res, next) => {
    setLocale(res, config.defaultLocale, config);
    res.locals.organisationName = config.organisationName;
    res.locals.user = null;
    res.locals.navigation = [];
    res.locals.currentPath = req.originalUrl;
    res.locals.csrfToken = () => '';
    next();
  });

  app.use(healthRoutes(deps));

  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 200 }));

  const PgSessionStore = connectPgSimple(session);
  const sessionStore = new PgSessionStore({
    pool,
    tableName: 'sessions',
    createTableIfMissing: false,
    // Tests build many short-lived apps; pruning runs in long-lived processes only.
    pruneSessionInterval: config.nodeEnv === 'test' ? false : 15 * 60,
    errorLog: (...args: unknown[]) => logger.warn({ detail: String(args[0]) }, 'session store error'),
  });
  const sessions = session({
    name: 'inbeeld.sid',
    store: sessionStore,
    secret: config.session.secret,
    resave: false,
    saveUninitialized: false,
    // Every request pushes the idle deadline forward; signedInAt below bounds the total.
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.isProduction,
      maxAge: config.session.idleMinutes * 60_000,
    },
  });
  // express-session stores (or touches) the session while the response ends and hands a failure
  // to the `next` it was first given, after the request has moved on: Express then cuts the
  // connection of an answer that is already written (a 503 page as the database goes away, say).
  // That answer stands; the failure is only logged.
  app.use((req, res, next) => {
    let continued = false;
    sessions(req, res, (error?: unknown) => {
      if (!continued) {
        continued = true;
        return next(error);
      }
      if (error) {
        logger.warn(
          { reqId: req.id, detail: error instanceof Error ? error.message : String(error) },
          'session not stored after the response',
        );
      }
    });
  });

  // Absolute lifetime: however active, a session ends absoluteHours after sign-in.
  app.use((req, res, next) => {
    const signedInAt = req.session.signedInAt;
    if (signedInAt === undefined) return next();
    if (clock.now().toMillis() - signedInAt <= config.session.absoluteHours * 3_600_000) return next();
    req.session.destroy((error) => {
      if (error) return next(error);
      res.clearCookie('inbeeld.sid');
      res.redirect(303, `/login?expired=1`);
    });
  });

  app.use(passport.initialize());
  app.use(passport.session());

  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof fromBody === 'string' ? fromBody : (req.headers['x-csrf-token'] as string | undefined);
    },
  });

  app.use((req, res, next) => {
    const sessionLocale = req.session.locale;
    const locale: Locale = req.user?.locale ?? (isLocale(sessionLocale) ? sessionLocale : config.defaultLocale);
    setLocale(res, locale, config);
    res.locals.user = req.user ?? null;
    res.locals.navigation = req.user ? navigationFor(req.user.role) : [];
    // Lazy: a token (and so a session) is only made for pages that actually render a form.
    res.locals.csrfToken = () => generateToken(req);
    next();
  });

  app.use((req, res, next) => (SAFE_METHODS.has(req.method) ? next() : csrfSynchronisedProtection(req, res, next)));

  app.use(authRoutes(deps));
  app.use(requireUser);
  app.use(homeRoutes());
  app.use(todayRoutes(deps));
  app.use(caseloadRoutes(deps));
  app.use(dashboardRoutes(deps));
  app.use(accountRoutes(deps));
  app.use(participantRoutes(deps));
  app.use(riskRoutes(deps));
  app.use(trajectoryRoutes(deps));
  app.use(trajectoryReportRoutes(deps));
  app.use(subjectAccessRoutes(deps));
  app.use(reportRoutes(deps));
  app.use(placementRoutes(deps));
  app.use(contactRoutes(deps));
  app.use(goalRoutes(deps));
  app.use(referralRoutes(deps));
  app.use(reviewRoutes(deps));
  app.use(employerRoutes(deps));
  app.use(standinRoutes(deps));
  app.use('/admin', commissionerRoutes(deps));
  app.use('/admin', auditRoutes(deps));
  app.use('/admin', adminRoutes(deps));
  app.use('/admin', riskSettingsRoutes(deps));

  app.use((_req, _res, next) => next(new AppError(404, 'notFound')));
  app.use(errorHandler(config, logger));

  return {
    app,
    async close() {
      // connect-pg-simple's close() stops its prune timer; the pool is closed by its owner.
      (sessionStore as unknown as { close(): void }).close();
    },
  };
}

function setLocale(res: Response, locale: Locale, config: Config): void {
  res.locals.locale = locale;
  res.locals.t = translatorFor(locale);
  res.locals.fmt = createFormatters(locale, config.timeZone);
}

function statusOf(error: unknown): { status: number; code: string } {
  if (error instanceof AppError) return { status: error.status, code: error.code };
  if (isDatabaseUnavailableError(error)) return { status: 503, code: 'unavailable' };
  const candidate = error as { status?: unknown; statusCode?: unknown; code?: unknown; type?: unknown };
  const status = Number(candidate.status ?? candidate.statusCode);
  if (candidate.code === 'EBADCSRFTOKEN' || (status === 403 && String(candidate.code ?? '').includes('CSRF'))) {
    return { status: 403, code: 'csrf' };
  }
  if (status === 413) return { status: 413, code: 'tooLarge' };
  if (status >= 400 && status < 500) return { status, code: status === 403 ? 'csrf' : 'badRequest' };
  return { status: 500, code: 'internal' };
}

function errorHandler(config: Config, logger: Logger): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const { status, code } = statusOf(error);
    if (status >= 500) {
      const message = error instanceof Error ? error.message : String(error);
      if (status === 503) logger.warn({ reqId: req.id, detail: message }, 'database unavailable');
      else logger.error({ reqId: req.id, err: error }, 'request failed');
    }
    if (status === 503) res.setHeader('Retry-After', '10');
    const showDetails = config.nodeEnv === 'development' && status === 500 && error instanceof Error;
    res.status(status);
    res.render(
      'errors/error',
      {
        title: res.locals.t(`errors.${code}.title`),
        status,
        code,
        details: showDetails ? (error as Error).stack : null,
      },
      (renderError: Error | null, html?: string) => {
        if (renderError) {
          logger.error({ err: renderError }, 'error page failed to render');
          res.type('text/plain').send(`${status}`);
          return;
        }
        res.send(html);
      },
    );
  };
}
