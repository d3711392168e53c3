import type { Request } from 'express';
import { submittedValues } from '../lib/forms';
import type { Services } from '../services';
import type { PublicResponse, SignedInResponse } from '../web/context';
import { withNotice } from '../web/post-form';
import { MailPreferencesForm, UnsubscribeToken } from './schemas';
import type { UnsubscribeState } from './service';

/** The token of an unsubscribe link: in the URL (the link, a mail client's one-click post) or the confirmation form. */
function tokenOf(req: Request): string {
  const fromForm = submittedValues(req.body).token;
  return UnsubscribeToken.parse(fromForm !== undefined && fromForm !== '' ? fromForm : req.query.token);
}

function renderUnsubscribe(res: PublicResponse, state: UnsubscribeState, page: { token: string; done: boolean }) {
  const { t } = res.locals;
  if (state.kind === 'invalid') {
    res
      .status(404)
      .render('mail/unsubscribe', { title: t('mail.unsubscribePage.invalidTitle'), mailScope: null, token: '', done: false });
    return;
  }
  res.render('mail/unsubscribe', {
    title: t('mail.unsubscribePage.title'),
    mailScope: state.scope,
    token: page.token,
    done: page.done,
  });
}

/**
 * GET /unsubscribe?token=…: asks first. Mail scanners open every link of a mail; a GET that
 * unsubscribed would turn people's mail off without them.
 */
export async function showUnsubscribe({ mailing }: Services, req: Request, res: PublicResponse) {
  const token = tokenOf(req);
  renderUnsubscribe(res, await mailing.unsubscribeState(token), { token, done: false });
}

/** POST /unsubscribe: the confirmation page's button, or a mail client's RFC 8058 one-click post (no sign-in, no form token). */
export async function unsubscribeNow({ mailing, clock }: Services, req: Request, res: PublicResponse) {
  const token = tokenOf(req);
  renderUnsubscribe(res, await mailing.unsubscribe(token, clock.now().toJSDate()), { token, done: true });
}

/** POST /account/mail: the person's choice of digests. */
export async function saveMailPreferences({ mailing, clock }: Services, req: Request, res: SignedInResponse) {
  const { viewer } = res.locals;
  // Checkboxes cannot be invalid: anything sent means ticked, nothing means not.
  const form = MailPreferencesForm.parse(submittedValues(req.body));
  await mailing.savePreferences(viewer.userId, viewer.role, form, clock.now().toJSDate());
  res.redirect(303, withNotice('/account#mail', 'mail'));
}

/** POST /admin/settings/mail-test: a test mail to the administrator's own address; the page says how it went. */
export async function sendTestMail({ mailing, clock }: Services, _req: Request, res: SignedInResponse) {
  const outcome = await mailing.sendTestMail(res.locals.viewer.userId, clock.now().toJSDate());
  res.redirect(303, `/admin/settings?mailTest=${outcome.kind}#mail`);
}
