import type { Services } from '../services';
import { EVERY_ROLE, get, type Route } from '../web/routes';
import { finishSsoSignIn, startSsoSignIn, startSsoStepUp } from './controller';

// Each answers 404 when single sign-on is not configured (OIDC_ISSUER empty).
export const ssoRoutes: Route<Services>[] = [
  get('/login/oidc', 'public', startSsoSignIn),
  get('/login/oidc/callback', 'public', finishSsoSignIn),
];

/** Signed in: a step-up at the identity provider (src/mfa/step-up.ts stepUpTargetFor sends SSO sessions here). */
export const ssoStepUpRoutes: Route<Services>[] = [get('/login/oidc/step-up', EVERY_ROLE, startSsoStepUp)];
