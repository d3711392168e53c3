import type { Request } from 'express';
import { safeLocalPath } from '../lib/safe-redirect';
import { readCookie } from '../lib/cookies';
import { FormRejection, notFound } from '../lib/errors';
import { securityEvent } from '../platform/security-log';
import type { Services } from '../services';
import type { PublicResponse, SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, postForm, withNotice } from '../web/post-form';
import { passkeyView } from './presentation';
import { PasskeyAssertionForm, PasskeyIdParam, PasskeyRegistrationForm, PasskeyRenameForm } from './schemas';
import { CEREMONY_MS, MAX_PASSKEYS, relyingPartyFor, type Ceremony } from './service';

declare module 'express-session' {
  interface SessionData {
    /** A passkey ceremony of the signed-in person under way (src/passkeys): taken by its answer, once. */
    passkeyCeremony?: Ceremony & { purpose: 'register' | 'verify' };
  }
}

/** Where the person's passkeys are listed. */
export const PASSKEYS_PAGE = '/account/passkeys';
/** The cookie that holds a passwordless sign-in's challenge (a signed-out visitor has no session). */
export const SIGN_IN_CHALLENGE_COOKIE = 'inbeeld.passkey';

const PASSKEY_NOTICES = {
  passkeyAdded: 'passkeys.added',
  passkeyRenamed: 'passkeys.renamed',
  passkeyRemoved: 'passkeys.removed',
  passkeyGone: 'passkeys.gone',
} as const;

const relyingParty = ({ config }: Services) => relyingPartyFor(config.publicUrl, config.organisationName);

/** The passkeys section's model: the list, and whether another may be added. */
export async function passkeysSection({ passkeys }: Services, res: SignedInResponse) {
  const { viewer, t, fmt } = res.locals;
  const rows = (await passkeys.passkeysOf(viewer.userId)).map((row) => passkeyView(row, t, fmt));
  return { rows, canAdd: rows.length < MAX_PASSKEYS, max: MAX_PASSKEYS };
}

interface PasskeysPage {
  status: number;
  values?: Record<string, string>;
  errors?: Record<string, string>;
  notice?: string | null;
}

async function renderPasskeys(services: Services, res: SignedInResponse, page: PasskeysPage): Promise<void> {
  const { t } = res.locals;
  res.status(page.status).render('passkeys/index', {
    title: t('passkeys.section.heading'),
    passkeys: await passkeysSection(services, res),
    passkeyValues: page.values ?? {},
    passkeyErrors: page.errors ?? {},
    notice: page.notice ?? null,
  });
}

/** GET /account/passkeys: the person's passkeys, with adding, renaming and removing. */
export async function showPasskeys(services: Services, req: Request, res: SignedInResponse) {
  await renderPasskeys(services, res, { status: 200, notice: noticeFrom(req, PASSKEY_NOTICES) });
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
function takeCeremony(req: Request, purpose: 'register' | 'verify'): Ceremony | undefined {
  const ceremony = req.session.passkeyCeremony;
  delete req.session.passkeyCeremony;
  return ceremony?.purpose === purpose ? ceremony : undefined;
}

/** POST /account/passkeys: the browser's new passkey, checked against the ceremony and stored under its name. */
export async function registerPasskey(services: Services, req: Request, res: SignedInResponse) {
  const { userId } = res.locals.viewer;
  await postForm(req, res, {
    parse: PasskeyRegistrationForm,
    render: (status, { values, errors }) => renderPasskeys(services, res, { status, values, errors }),
    save: async (form) => {
      const ceremony = takeCeremony(req, 'register');
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
    saved: () => withNotice(`${PASSKEYS_PAGE}#passkeys`, 'passkeyAdded'),
  });
}

async function ownPasskeyOr404({ passkeys }: Services, req: Request, res: SignedInResponse) {
  const { passkeyId } = paramsOr404(PasskeyIdParam, req);
  const passkey = await passkeys.ownPasskey(res.locals.viewer.userId, passkeyId);
  if (!passkey) throw notFound();
  return passkey;
}

function renderRename(res: SignedInResponse, status: number, passkeyId: number, state: { values: Record<string, string>; errors: Record<string, string> }) {
  res.status(status).render('passkeys/rename', { title: res.locals.t('passkeys.rename.title'), passkeyId, backTo: PASSKEYS_PAGE, ...state });
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

/** GET /account/passkeys/:passkeyId/remove: asks first, and says so when it is the person's last passkey. */
export async function showRemovePasskey(services: Services, req: Request, res: SignedInResponse) {
  const passkey = await ownPasskeyOr404(services, req, res);
  const count = await services.passkeys.passkeyCount(res.locals.viewer.userId);
  res.render('passkeys/remove', {
    title: res.locals.t('passkeys.remove.title'),
    passkey,
    last: count === 1,
    backTo: PASSKEYS_PAGE,
  });
}

/** POST /account/passkeys/:passkeyId/remove */
export async function removePasskey({ passkeys }: Services, req: Request, res: SignedInResponse) {
  const { passkeyId } = paramsOr404(PasskeyIdParam, req);
  const outcome = await passkeys.removePasskey(res.locals.viewer.userId, passkeyId);
  res.redirect(303, withNotice(`${PASSKEYS_PAGE}#passkeys`, outcome.kind === 'removed' ? 'passkeyRemoved' : 'passkeyGone'));
}

// --- Passwordless sign-in --------------------------------------------------------------------------

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
 * factor would. Any refusal goes back to the sign-in page with one message (which reason is logged).
 */
export async function signInWithPasskey(services: Services, req: Request, res: PublicResponse) {
  const form = PasskeyAssertionForm.safeParse(req.body);
  const next = safeLocalPath(form.success ? form.data.next : undefined, '');
  const failed = `/login?passkey=failed${next ? `&next=${encodeURIComponent(next)}` : ''}`;
  const now = services.clock.now().toJSDate();
  const ceremony = await services.passkeys.takeSignInCeremony(readCookie(req, SIGN_IN_CHALLENGE_COOKIE), now);
  res.clearCookie(SIGN_IN_CHALLENGE_COOKIE, { path: '/login' });
  const outcome = form.success
    ? await services.passkeys.verifyPasskey(relyingParty(services), ceremony, form.data.credential, null, now)
    : ({ kind: 'refused', reason: 'malformed' } as const);
  if (outcome.kind === 'refused') {
    securityEvent('sign_in_failed', 'failure', { passkeyRefusal: outcome.reason });
    return res.redirect(303, failed);
  }
  const user = await services.users.findSignedInUser(outcome.userId);
  if (!user) {
    securityEvent('sign_in_failed', 'failure', { userId: outcome.userId, passkeyRefusal: 'inactiveAccount' });
    return res.redirect(303, failed);
  }
  await logInWithPasskey(services, req, user);
  res.redirect(303, safeLocalPath(next, '/'));
}

/** Signs the person in (a new session id), with where from for /account, audited as a passkey sign-in. */
async function logInWithPasskey(services: Services, req: Request, user: Express.User): Promise<void> {
  await new Promise<void>((resolve, reject) => req.logIn(user, (error) => (error ? reject(error) : resolve())));
  req.session.signedInAt = services.clock.now().toMillis();
  req.session.client = { userAgent: (req.get('user-agent') ?? '').slice(0, 500), address: req.ip ?? '' };
  await services.auth.recordPasskeySignIn(user.id);
}
