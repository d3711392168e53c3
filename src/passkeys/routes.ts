import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import {
  registerPasskey,
  removePasskey,
  renamePasskey,
  showRemovePasskey,
  showRenamePasskey,
  startRegistration,
} from './controller';
import {
  checkSecondStep,
  checkStepUp,
  confirmEnrolment,
  signInWithPasskey,
  startEnrolment,
  startPasskeySignIn,
  startSecondStep,
  startStepUp,
} from './sign-in-controller';

/**
 * Passwordless sign-in, and a passkey as the second step or the enrolment a role requires: public,
 * as nobody is signed in yet (the latter two read the session's pending sign-in, src/auth/sign-in.ts).
 */
export const passkeySignInRoutes: Route<Services>[] = [
  post('/login/passkey/options', 'public', startPasskeySignIn),
  post('/login/passkey', 'public', signInWithPasskey),
  post('/login/second-factor/passkey/options', 'public', startSecondStep),
  post('/login/second-factor/passkey', 'public', checkSecondStep),
  post('/login/enrol/passkey/options', 'public', startEnrolment),
  post('/login/enrol/passkey', 'public', confirmEnrolment),
];

/** Step-up with a passkey, and one's own passkeys (a section of /account/security). */
export const passkeyRoutes: Route<Services>[] = [
  post('/login/step-up/passkey/options', EVERY_ROLE, startStepUp),
  post('/login/step-up/passkey', EVERY_ROLE, checkStepUp),
  // Adding a passkey asks for a recent second factor first, as adding an app does (src/mfa/routes.ts).
  post('/account/passkeys/options', EVERY_ROLE, startRegistration, { stepUp: true }),
  post('/account/passkeys', EVERY_ROLE, registerPasskey, { stepUp: true }),
  get('/account/passkeys/:passkeyId/rename', EVERY_ROLE, showRenamePasskey),
  post('/account/passkeys/:passkeyId/rename', EVERY_ROLE, renamePasskey),
  get('/account/passkeys/:passkeyId/remove', EVERY_ROLE, showRemovePasskey),
  // Removing a second factor asks for one again when the last is old, as removing the app does.
  post('/account/passkeys/:passkeyId/remove', EVERY_ROLE, removePasskey, { stepUp: true }),
];
