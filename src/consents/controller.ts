import type { Request } from 'express';
import { CONSENT_PURPOSES } from '../db/schema';
import { notFound } from '../lib/errors';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import type { ParticipantResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { answeredWith, postForm, withNotice, type FormState } from '../web/post-form';
import { FIELD_LABELS, profileConsents } from './presentation';
import { ConsentParams, ConsentRecordForm, ConsentWithdrawForm } from './schemas';
import type { VisibleConsentRow } from './service';

function renderForm(res: ParticipantResponse, status: number, page: FormState) {
  const { participant, t } = res.locals;
  res.status(status).render('consents/form', {
    title: t('consents.form.title'),
    participant,
    purposes: CONSENT_PURPOSES,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
  });
}

/** GET /participants/:id/consents/new: given today; ?purpose= presets the purpose from the profile's row. */
export function showNewConsentForm(_services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, fmt } = res.locals;
  const purpose =
    typeof req.query.purpose === 'string' && (CONSENT_PURPOSES as readonly string[]).includes(req.query.purpose)
      ? req.query.purpose
      : '';
  renderForm(res, 200, {
    values: { submissionToken: newSubmissionToken(), purpose, givenOn: fmt.dateInput(viewer.today) },
    errors: {},
  });
}

/** POST /participants/:id/consents/new */
export async function recordConsent(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  await postForm(req, res, {
    parse: ConsentRecordForm,
    render: (status, state) => renderForm(res, status, state),
    save: ({ submissionToken, ...input }) =>
      services.consents.recordConsent(viewer, participant.id, input, submissionToken, services.clock.now().toJSDate()),
    saved: () => withNotice(profileConsents(participant.id), 'consentRecorded'),
    duplicate: () => profileConsents(participant.id),
  });
}

/** The consent of the URL, not withdrawn yet, under its own participant. */
async function consentOf({ consents }: Services, req: Request, res: ParticipantResponse): Promise<VisibleConsentRow> {
  const { consentId } = paramsOr404(ConsentParams, req);
  const consent = await consents.findConsent(res.locals.viewer, res.locals.participant.id, consentId);
  if (!consent || consent.withdrawnOn !== null) throw notFound();
  return consent;
}

function renderWithdraw(res: ParticipantResponse, status: number, page: FormState & { consent: VisibleConsentRow }) {
  const { participant, t } = res.locals;
  res.status(status).render('consents/withdraw', {
    title: t('consents.withdraw.title'),
    participant,
    consent: page.consent,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
  });
}

/** GET /participants/:id/consents/:consentId/withdraw: asks to confirm, with the day. */
export async function showWithdrawConsentForm(services: Services, req: Request, res: ParticipantResponse) {
  const consent = await consentOf(services, req, res);
  const { viewer, fmt } = res.locals;
  renderWithdraw(res, 200, {
    consent,
    values: { withdrawnOn: fmt.dateInput(viewer.today), version: String(consent.version) },
    errors: {},
  });
}

/** POST /participants/:id/consents/:consentId/withdraw */
export async function withdrawConsent(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const consent = await consentOf(services, req, res);
  await postForm(req, res, {
    parse: ConsentWithdrawForm,
    render: (status, state) => renderWithdraw(res, status, { consent, ...state }),
    save: (form) =>
      services.consents.withdrawConsent(
        viewer,
        { participantId: participant.id, consentId: consent.id },
        form,
        services.clock.now().toJSDate(),
      ),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'withdrawn') return withNotice(profileConsents(participant.id), 'consentWithdrawn');
      const state = {
        values: { ...values, version: String(outcome.current.version) },
        errors: { _form: 'consents.withdraw.changed' },
      };
      return answeredWith(renderWithdraw(res, 409, { consent: outcome.current, ...state }));
    },
  });
}
