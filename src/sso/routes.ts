import type { Services } from '../services';
import { get, type Route } from '../web/routes';
import { finishSsoSignIn, startSsoSignIn } from './controller';

// Both answer 404 when single sign-on is not configured (OIDC_ISSUER empty).
export const ssoRoutes: Route<Services>[] = [
  get('/login/oidc', 'public', startSsoSignIn),
  get('/login/oidc/callback', 'public', finishSsoSignIn),
];
