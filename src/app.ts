import path from 'node:path';
import express from 'express';
import { translatorFor } from './messages';
import { requireRecentSecondFactor } from './mfa/step-up';
import { routeTable } from './routes';
import type { Services } from './services';
import { signedInRouter, publicRouter } from './web/router';
import { requireSignIn, setUpAuthentication } from './web/setup/authentication';
import { setUpCsrf } from './web/setup/csrf';
import { errorHandler, notFoundHandler } from './web/setup/errors';
import { setUpHealthChecks } from './web/setup/health';
import { setUpLocale, setUpPageDefaults } from './web/setup/locale';
import { parseQueryString } from './web/setup/input-hygiene';
import { setUpLogging } from './web/setup/logging';
import { setUpRequestMetrics } from './web/setup/metrics';
import { setUpRequestBodies } from './web/setup/request-bodies';
import { setUpNoStore, setUpSecurityHeaders } from './web/setup/security-headers';
import { setUpSecurityLog } from './web/setup/security-log';
import { setUpSession } from './web/setup/session';
import { setUpStaticFiles } from './web/setup/static-files';
import { escapeHtml } from './web/escape-html';
import { strictTemplates } from './web/strict-templates';

export const VIEWS_DIR = path.resolve(__dirname, '..', 'views');
// Compiled code runs from dist/src, sources from src: both reach the repository's views/.
const viewsDir = __dirname.includes(`${path.sep}dist${path.sep}`) ? path.resolve(__dirname, '..', '..', 'views') : VIEWS_DIR;

/**
 * The web app, composed of src/web's set-up modules in the order a request meets them, then the
 * route table (public routes, the sign-in check, the signed-in ones). It never listens: server.ts does.
 */
export function createApp(services: Services): express.Express {
  const { config, clock, logger } = services;
  const app = express();
  app.disable('x-powered-by');
  // Pages are sent with Cache-Control: no-store (setUpNoStore), so no browser ever revalidates
  // one: hashing every page for an ETag (a sha1 over 100 KB for /today) would be work for nothing.
  // Static files keep the ETags serve-static gives them.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', parseQueryString);
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  if (config.isProduction) app.set('view cache', true);
  // The templates' indentation and blank lines are for their readers, not the browser: without
  // them /today for a caseload of 100 is a fifth smaller (117 → 94 KB), which is less to write.
  // Only the template's own text loses its leading and trailing blanks; values are untouched.
  // compileDebug makes EJS track the template line before every statement, for error messages
  // that name the line; in production that bookkeeping was a large share of rendering a long
  // list, and an error there is logged with its stack and answered with the error page anyway.
  // escapeHtml: EJS's escaping, with characters beyond Latin-1 as references (a one-byte page).
  app.set('view options', { rmWhitespace: true, compileDebug: !config.isProduction, escape: escapeHtml });
  // The rows of the longest lists, rendered by templates without `with` (src/web/strict-templates.ts).
  app.locals.strictInclude = strictTemplates(viewsDir, { cache: config.isProduction, compileDebug: !config.isProduction });
  // Whether mail leaves the app: the sign-in page offers "forgot password" only then.
  app.locals.mailConfigured = services.mail.configured;
  // Single sign-on's button on the sign-in page (its own label, or null: the app's words), and
  // whether the password form is for administrators only (src/sso).
  app.locals.ssoButtonLabel = config.sso ? (config.sso.buttonLabel ?? '') : null;
  app.locals.passwordSignIn = config.passwordSignIn;

  app.use(setUpLogging(logger));
  app.use(setUpSecurityLog(services.securityLog));
  app.use(setUpRequestMetrics(services.metrics));
  app.use(setUpSecurityHeaders(config));
  app.use(setUpStaticFiles(config, viewsDir));
  app.use(setUpNoStore());
  app.use(setUpPageDefaults(config, translatorFor));
  app.use(setUpHealthChecks(config, services.health));
  app.use(setUpRequestBodies());
  app.use(setUpSession(config, services.sessionStore, clock, logger));
  app.use(setUpAuthentication(services.passport, clock, config.timeZone));
  app.use(setUpLocale(config, translatorFor));
  app.use(setUpCsrf(config, clock));

  app.use(publicRouter(routeTable, services));
  app.use(requireSignIn());
  app.use(
    signedInRouter(routeTable, services, services.participants.findParticipant, { stepUp: requireRecentSecondFactor(services) }),
  );

  app.use(notFoundHandler());
  app.use(errorHandler(config, logger));

  return app;
}
