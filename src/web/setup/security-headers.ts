import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../../config';

/**
 * Security headers. The content security policy allows nothing from another host and no inline
 * script: every script, style, font and image is served by the app itself (no CDN). HSTS and the
 * upgrade of insecure requests only in production, where the app is reached over TLS.
 * Referrer-Policy same-origin: an address of the app (which may name a participant's id or a search)
 * never goes to another site, while the app's own form posts carry the page they were on, which
 * step-up returns to (src/mfa/step-up.ts returnPathOf; helmet's default no-referrer sent none, so
 * every form post after a step-up ended on the home page).
 */
export function setUpSecurityHeaders(config: Config): RequestHandler {
  return helmet({
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
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: config.isProduction,
  });
}

/**
 * Pages, downloads and error pages hold personal data: no browser or proxy keeps a copy, so the back
 * button after signing out shows nothing and a shared computer's cache holds nothing. Mounted after
 * the static files, which set their own caching (and would keep this header if it came first).
 */
export function setUpNoStore(): RequestHandler {
  return function noStore(_req, res, next) {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
