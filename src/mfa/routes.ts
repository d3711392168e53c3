import type { Services } from '../services';
import { ADMINS, EVERY_ROLE, get, post, type Route } from '../web/routes';
import {
  confirmTotpEnrolment,
  disableTotp,
  regenerateRecoveryCodes,
  resetSecondFactor,
  showDisableTotp,
  showRecoveryCodes,
  showResetSecondFactor,
  showSecurity,
  showTotpEnrolment,
} from './controller';
import { checkSecondStep, checkStepUp, confirmEnrolment, showEnrolment, showSecondStep, showStepUp } from './sign-in-controller';

/** The sign-in's second step and its enrolment: public, as nobody is signed in yet (they read session.pendingSignIn). */
export const mfaSignInRoutes: Route<Services>[] = [
  get('/login/second-factor', 'public', showSecondStep),
  post('/login/second-factor', 'public', checkSecondStep),
  get('/login/enrol', 'public', showEnrolment),
  post('/login/enrol', 'public', confirmEnrolment),
];

export const mfaRoutes: Route<Services>[] = [
  get('/login/step-up', EVERY_ROLE, showStepUp),
  post('/login/step-up', EVERY_ROLE, checkStepUp),
  get('/account/security', EVERY_ROLE, showSecurity),
  // Adding a factor asks for a recent one first when the person has any (requireRecentSecondFactor
  // lets a person without one through): otherwise a stale session could add its own factor and use
  // it as a fresh step-up.
  get('/account/security/totp', EVERY_ROLE, showTotpEnrolment, { stepUp: true }),
  post('/account/security/totp', EVERY_ROLE, confirmTotpEnrolment, { stepUp: true }),
  get('/account/security/totp/disable', EVERY_ROLE, showDisableTotp),
  post('/account/security/totp/disable', EVERY_ROLE, disableTotp, { stepUp: true }),
  get('/account/security/recovery-codes', EVERY_ROLE, showRecoveryCodes),
  post('/account/security/recovery-codes', EVERY_ROLE, regenerateRecoveryCodes, { stepUp: true }),
  get('/admin/users/:id/second-factor/reset', ADMINS, showResetSecondFactor),
  // A POST under /admin/: step-up, as every administrative change (web/routes.ts needsStepUp).
  post('/admin/users/:id/second-factor/reset', ADMINS, resetSecondFactor),
];
