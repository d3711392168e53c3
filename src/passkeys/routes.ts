import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import {
  registerPasskey,
  removePasskey,
  renamePasskey,
  showPasskeys,
  showRemovePasskey,
  showRenamePasskey,
  signInWithPasskey,
  startPasskeySignIn,
  startRegistration,
} from './controller';

/** Passwordless sign-in: before the sign-in check, like /login. */
export const passkeySignInRoutes: Route<Services>[] = [
  post('/login/passkey/options', 'public', startPasskeySignIn),
  post('/login/passkey', 'public', signInWithPasskey),
];

/** One's own passkeys. */
export const passkeyRoutes: Route<Services>[] = [
  get('/account/passkeys', EVERY_ROLE, showPasskeys),
  post('/account/passkeys/options', EVERY_ROLE, startRegistration),
  post('/account/passkeys', EVERY_ROLE, registerPasskey),
  get('/account/passkeys/:passkeyId/rename', EVERY_ROLE, showRenamePasskey),
  post('/account/passkeys/:passkeyId/rename', EVERY_ROLE, renamePasskey),
  get('/account/passkeys/:passkeyId/remove', EVERY_ROLE, showRemovePasskey),
  post('/account/passkeys/:passkeyId/remove', EVERY_ROLE, removePasskey),
];
