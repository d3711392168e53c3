import type { NextFunction, Request } from 'express';
import { establishSignIn, pendingSignInOf } from '../auth/sign-in';
import { readCookie } from '../lib/cookies';
import { safeLocalPath } from '../lib/safe-redirect';
import { factorsView } from '../mfa/presentation';
import { renderStepUp } from '../mfa/sign-in-controller';
import { securityEvent } from '../platform/security-log';
import type { Services } from '../services';
import type { PublicResponse, SignedInResponse } from '../web/context';
import { relyingParty, takeCeremony } from './controller';
import { PasskeyAssertionForm, PasskeyRegistrationForm } from './schemas';
import { CEREMONY_MS, type AssertionOutcome } from './service';

// A passkey where a person proves who they are: passwordless from the sign-in page, as the second
// step after the password (/login/second-factor), as the enrolment a role requires (/login/enrol),
// and as step-up (/login/step-up). Each way: a POST for the options (JSON, for the browser script),
// then a form post with the passkey's answer. Every sign-in ends in establishSignIn (src/auth/sign-in.ts).

/** The cookie that holds a passwordless sign-in's challenge (a signed-out visitor has no session). */
export const SIGN_IN_CHALLENGE_COOKIE = 'inbeeld.passkey';

/** The refused answer's reason, logged; the person sees one message for all of them. */
function refused(
  event: 'sign_in_failed' | 'second_factor_failed',
  outcome: Extract<AssertionOutcome, { kind: 'refused' }>,
  userId?: number,
) {
  securityEvent(event, 'failure', { passkeyRefusal: outcome.reason, ...(userId === undefined ? {} : { userId }) });
}

function credentialOf(req: Request): { credential: string; next?: string } | undefined {
  const form = PasskeyAssertionForm.safeParse(req.body);
  return form.success ? form.data : undefined;
}

const MALFORMED = { kind: 'refused', reason: 'malformed' } as const;

// --- Passwordless ------------------------------------------------------------------------------------

/** POST /login/passkey/options (JSON): a passwordless sign-in starts; its challenge waits in the database and a cookie. */
export async function startPasskeySignIn(services: Services, _req: Request, res: PublicResponse) {
  const start = await services.passkeys.signInOptions(relyingParty(services), services.clock.now().toJSDate());
  res.cookie(SIGN_IN_CHALLENGE_COOKIE, start.ceremony.challenge, {
    httpOnly: true,
    sameSite: 'lax',
    secure: services.config.isProduction,
    maxAge: CEREMONY_MS,
    path: '/login',
  });
  res.json(start.options);
}

/**
 * POST /login/passkey: a discoverable passkey's answer signs its owner in, as a password and a second
 * factor would (user verification is required). Any refusal goes back to the sign-in page with one message.
 */
export async function signInWithPasskey(services: Services, req: Request, res: PublicResponse, next: NextFunction) {
  const form = credentialOf(req);
  const target = safeLocalPath(form?.next, '');
  const failed = `/login?passkey=failed${target ? `&next=${encodeURIComponent(target)}` : ''}`;
  const now = services.clock.now().toJSDate();
  const ceremony = await services.passkeys.takeSignInCeremony(readCookie(req, SIGN_IN_CHALLENGE_COOKIE), now);
  res.clearCookie(SIGN_IN_CHALLENGE_COOKIE, { path: '/login' });
  const outcome = form
    ? await services.passkeys.verifyPasskey(relyingParty(services), ceremony, form.credential, null, now)
    : MALFORMED;
  if (outcome.kind === 'refused') {
    refused('sign_in_failed', outcome);
    return res.redirect(303, failed);
  }
  const user = await services.users.findSignedInUser(outcome.userId, services.organisationToday());
  if (!user) {
    securityEvent('sign_in_failed', 'failure', { userId: outcome.userId, passkeyRefusal: 'inactiveAccount' });
    return res.redirect(303, failed);
  }
  establishSignIn(services, req, user, 'passkey', { next: target || '/' })
    .then((path) => res.redirect(303, path))
    .catch(next);
}

// --- The second step after the password --------------------------------------------------------------

/** POST /login/second-factor/passkey/options (JSON): the pending person's own passkeys; the challenge waits in the session. */
export async function startSecondStep(services: Services, req: Request, res: PublicResponse) {
  const pending = res.locals.user ? null : pendingSignInOf(services, req);
  if (!pending || pending.mustEnrol) {
    res.status(409).json({ error: 'noPendingSignIn' });
    return;
  }
  const start = await services.passkeys.authenticationOptions(
    relyingParty(services),
    pending.userId,
    services.clock.now().toMillis(),
  );
  req.session.passkeyCeremony = { purpose: 'verify', ...start.ceremony };
  res.json(start.options);
}

/** POST /login/second-factor/passkey: one of the pending person's passkeys completes the sign-in. */
export async function checkSecondStep(services: Services, req: Request, res: PublicResponse, next: NextFunction) {
  if (res.locals.user) return res.redirect(303, '/');
  const pending = pendingSignInOf(services, req);
  if (!pending || pending.mustEnrol) return res.redirect(303, '/login?pendingExpired=1');
  const form = credentialOf(req);
  const ceremony = takeCeremony(req, 'verify');
  const now = services.clock.now().toJSDate();
  const outcome = form
    ? await services.passkeys.verifyPasskey(relyingParty(services), ceremony, form.credential, pending.userId, now)
    : MALFORMED;
  if (outcome.kind === 'refused') {
    refused('second_factor_failed', outcome, pending.userId);
    const factors = await services.mfa.secondFactorsOf(pending.userId);
    return res.status(401).render('mfa/second-factor', {
      title: res.locals.t('mfa.secondStep.title'),
      factors: factorsView(factors),
      errors: {},
      formError: res.locals.t('passkeys.verify.failed'),
    });
  }
  const user = await services.users.findSignedInUser(pending.userId, services.organisationToday());
  if (!user) return res.redirect(303, '/login?pendingExpired=1');
  establishSignIn(services, req, user, 'passkey')
    .then((path) => res.redirect(303, path))
    .catch(next);
}

// --- Enrolment a role requires ---------------------------------------------------------------------

/** POST /login/enrol/passkey/options (JSON): a new passkey for the pending person who must enrol. */
export async function startEnrolment(services: Services, req: Request, res: PublicResponse) {
  const pending = res.locals.user ? null : pendingSignInOf(services, req);
  const user = pending?.mustEnrol
    ? await services.users.findSignedInUser(pending.userId, services.organisationToday())
    : undefined;
  if (!user) {
    res.status(409).json({ error: 'noPendingSignIn' });
    return;
  }
  const start = await services.passkeys.registrationOptions(relyingParty(services), user, services.clock.now().toMillis());
  req.session.passkeyCeremony = { purpose: 'register', ...start.ceremony };
  res.json(start.options);
}

/**
 * POST /login/enrol/passkey: the new passkey is stored and signs the person in ('passkey'); as with an
 * authenticator app, ten recovery codes are made and shown once on the way to where they were going.
 */
export async function confirmEnrolment(services: Services, req: Request, res: PublicResponse, next: NextFunction) {
  if (res.locals.user) return res.redirect(303, '/');
  const pending = pendingSignInOf(services, req);
  const user = pending?.mustEnrol
    ? await services.users.findSignedInUser(pending.userId, services.organisationToday())
    : undefined;
  if (!pending || !user) return res.redirect(303, '/login?pendingExpired=1');
  const form = PasskeyRegistrationForm.safeParse(req.body);
  const ceremony = takeCeremony(req, 'register');
  const now = services.clock.now().toJSDate();
  const outcome = form.success
    ? await services.passkeys.registerPasskey(relyingParty(services), user.id, ceremony, form.data, now)
    : ({ kind: 'refused', reason: 'malformed' } as const);
  if (outcome.kind !== 'registered') {
    securityEvent('second_factor_failed', 'failure', {
      userId: user.id,
      passkeyRefusal: outcome.kind === 'refused' ? outcome.reason : 'tooMany',
    });
    return res.status(422).render('passkeys/enrol-refused', { title: res.locals.t('passkeys.enrolRefused.title') });
  }
  const codes = await services.mfa.regenerateRecoveryCodes(user.id);
  const revealRecoveryCodes = codes.kind === 'regenerated' ? codes.recoveryCodes : undefined;
  const then = `/account/security/recovery-codes?next=${encodeURIComponent(safeLocalPath(pending.next, '/'))}`;
  establishSignIn(services, req, user, 'passkey', revealRecoveryCodes ? { next: then, keep: { revealRecoveryCodes } } : {})
    .then((path) => res.redirect(303, path))
    .catch(next);
}

// --- Step-up ------------------------------------------------------------------------------------------

/** POST /login/step-up/passkey/options (JSON): the signed-in person's own passkeys; the challenge waits in the session. */
export async function startStepUp(services: Services, req: Request, res: SignedInResponse) {
  const start = await services.passkeys.authenticationOptions(
    relyingParty(services),
    res.locals.viewer.userId,
    services.clock.now().toMillis(),
  );
  req.session.passkeyCeremony = { purpose: 'verify', ...start.ceremony };
  res.json(start.options);
}

/** POST /login/step-up/passkey: one of the person's own passkeys renews the session's second factor; audited. */
export async function checkStepUp(services: Services, req: Request, res: SignedInResponse) {
  const { userId } = res.locals.viewer;
  const form = credentialOf(req);
  const back = safeLocalPath(form?.next);
  const ceremony = takeCeremony(req, 'verify');
  const now = services.clock.now();
  const outcome = form
    ? await services.passkeys.verifyPasskey(relyingParty(services), ceremony, form.credential, userId, now.toJSDate())
    : MALFORMED;
  if (outcome.kind === 'refused') {
    refused('second_factor_failed', outcome, userId);
    const factors = await services.mfa.secondFactorsOf(userId);
    return renderStepUp(res, services, {
      status: 401,
      factors: factorsView(factors),
      next: back,
      formError: res.locals.t('passkeys.verify.failed'),
    });
  }
  req.session.secondFactorAt = now.toMillis();
  await services.mfa.recordStepUp(userId, 'passkey');
  res.redirect(303, back);
}
