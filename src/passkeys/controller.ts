import type { Request } from 'express';
import { FormRejection, notFound } from '../lib/errors';
import { securityEvent } from '../platform/security-log';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { postForm, withNotice } from '../web/post-form';
import { PasskeyIdParam, PasskeyRegistrationForm, PasskeyRenameForm } from './schemas';
import { secondFactorRequired } from '../mfa/service';
import { relyingPartyFor, type Ceremony } from './service';

declare module 'express-session' {
  interface SessionData {
    /** A passkey ceremony of the signed-in person under way (src/passkeys): taken by its answer, once. */
    passkeyCeremony?: Ceremony & { purpose: 'register' | 'verify' };
  }
}

/** Where the person's passkeys are listed: a section of the security page (src/mfa), whose notices name these. */
export const PASSKEYS_PAGE = '/account/security';

export const relyingParty = ({ config }: Services) => relyingPartyFor(config.publicUrl, config.organisationName);

/** A refused new passkey: the passkeys section on its own page, with why and the name as typed (422). */
async function renderRefusedPasskey(
  { passkeys }: Services,
  res: SignedInResponse,
  state: { status: number; values: Record<string, string>; errors: Record<string, string> },
): Promise<void> {
  res.status(state.status).render('passkeys/index', {
    title: res.locals.t('passkeys.section.heading'),
    passkeys: await passkeys.passkeysSection(res.locals.viewer.userId),
    passkeyValues: state.values,
    passkeyErrors: state.errors,
    backTo: PASSKEYS_PAGE,
  });
}

/** POST /account/passkeys/options (JSON, for the browser script): a registration ceremony starts; its challenge waits in the session. */
export async function startRegistration(services: Services, req: Request, res: SignedInResponse) {
  const { user } = res.locals;
  const now = services.clock.now().toMillis();
  const start = await services.passkeys.registrationOptions(relyingParty(services), user, now);
  req.session.passkeyCeremony = { purpose: 'register', ...start.ceremony };
  res.json(start.options);
}

/** The session's ceremony of this purpose, taken: an answer can be checked against it once. */
export function takeCeremony(req: Request, purpose: 'register' | 'verify'): Ceremony | undefined {
  const ceremony = req.session.passkeyCeremony;
  delete req.session.passkeyCeremony;
  return ceremony?.purpose === purpose ? ceremony : undefined;
}

/**
 * POST /account/passkeys: the browser's new passkey, checked against the ceremony and stored under its
 * name. A person's first second factor also gets ten recovery codes, shown once, as with the app.
 */
export async function registerPasskey(services: Services, req: Request, res: SignedInResponse) {
  const { userId } = res.locals.viewer;
  let firstFactor = false;
  await postForm(req, res, {
    parse: PasskeyRegistrationForm,
    render: (status, { values, errors }) => renderRefusedPasskey(services, res, { status, values, errors }),
    save: async (form) => {
      const ceremony = takeCeremony(req, 'register');
      const before = await services.mfa.secondFactorsOf(userId);
      firstFactor = !before.totp && before.passkeys === 0;
      const outcome = await services.passkeys.registerPasskey(
        relyingParty(services),
        userId,
        ceremony,
        form,
        services.clock.now().toJSDate(),
      );
      if (outcome.kind === 'refused') {
        securityEvent('second_factor_changed', 'failure', { passkeyRefusal: outcome.reason });
        throw new FormRejection({ credential: `passkeys.validation.${outcome.reason}` });
      }
      if (outcome.kind === 'tooMany') throw new FormRejection({ credential: 'passkeys.validation.tooMany' });
      return outcome;
    },
    saved: async () => {
      // The passkey just made verified its user: a second factor in this session too (as a new app's
      // first code is). The route asked for a recent factor first when the person already had one.
      req.session.secondFactorAt = services.clock.now().toMillis();
      const done = withNotice(`${PASSKEYS_PAGE}#passkeys`, 'passkeyAdded');
      if (!firstFactor) return done;
      const codes = await services.mfa.regenerateRecoveryCodes(userId);
      if (codes.kind !== 'regenerated') return done;
      req.session.revealRecoveryCodes = codes.recoveryCodes;
      return `${PASSKEYS_PAGE}/recovery-codes?next=${encodeURIComponent(done)}`;
    },
  });
}

async function ownPasskeyOr404({ passkeys }: Services, req: Request, res: SignedInResponse) {
  const { passkeyId } = paramsOr404(PasskeyIdParam, req);
  const passkey = await passkeys.ownPasskey(res.locals.viewer.userId, passkeyId);
  if (!passkey) throw notFound();
  return passkey;
}

function renderRename(
  res: SignedInResponse,
  status: number,
  passkeyId: number,
  state: { values: Record<string, string>; errors: Record<string, string> },
) {
  res
    .status(status)
    .render('passkeys/rename', { title: res.locals.t('passkeys.rename.title'), passkeyId, backTo: PASSKEYS_PAGE, ...state });
}

/** GET /account/passkeys/:passkeyId/rename */
export async function showRenamePasskey(services: Services, req: Request, res: SignedInResponse) {
  const passkey = await ownPasskeyOr404(services, req, res);
  renderRename(res, 200, passkey.id, { values: { name: passkey.name }, errors: {} });
}

/** POST /account/passkeys/:passkeyId/rename: another person's passkey is as unknown as a missing one (404). */
export async function renamePasskey(services: Services, req: Request, res: SignedInResponse) {
  const { passkeyId } = paramsOr404(PasskeyIdParam, req);
  await postForm(req, res, {
    parse: PasskeyRenameForm,
    render: (status, state) => renderRename(res, status, passkeyId, state),
    save: ({ name }) => services.passkeys.renamePasskey(res.locals.viewer.userId, passkeyId, name),
    saved: () => withNotice(`${PASSKEYS_PAGE}#passkeys`, 'passkeyRenamed'),
  });
}

/**
 * Whether removing this passkey would leave the person without a second factor, and whether their
 * role then refuses it (MFA_REQUIRED_ROLES): as removing the authenticator app (src/mfa) does.
 */
async function removalOf({ mfa, config }: Services, res: SignedInResponse) {
  const { userId, role } = res.locals.viewer;
  const factors = await mfa.secondFactorsOf(userId);
  const last = !factors.totp && factors.passkeys <= 1;
  return { last, refused: last && secondFactorRequired(config.mfa.requiredRoles, role) };
}

/** GET /account/passkeys/:passkeyId/remove: asks first, and says so when it is the person's last second factor. */
export async function showRemovePasskey(services: Services, req: Request, res: SignedInResponse) {
  const passkey = await ownPasskeyOr404(services, req, res);
  const { last, refused } = await removalOf(services, res);
  res.render('passkeys/remove', { title: res.locals.t('passkeys.remove.title'), passkey, last, refused, backTo: PASSKEYS_PAGE });
}

/** POST /account/passkeys/:passkeyId/remove (step-up, as removing any second factor): refused for the last one a role requires. */
export async function removePasskey(services: Services, req: Request, res: SignedInResponse) {
  const { passkeyId } = paramsOr404(PasskeyIdParam, req);
  const { userId } = res.locals.viewer;
  const own = await services.passkeys.ownPasskey(userId, passkeyId);
  if (own && (await removalOf(services, res)).refused) {
    return res.redirect(303, withNotice(`${PASSKEYS_PAGE}#passkeys`, 'passkeyRequired'));
  }
  const outcome = await services.passkeys.removePasskey(userId, passkeyId);
  res.redirect(303, withNotice(`${PASSKEYS_PAGE}#passkeys`, outcome.kind === 'removed' ? 'passkeyRemoved' : 'passkeyGone'));
}
