import type { Request } from 'express';
import { REFERRAL_SERVICE_KINDS, REFERRAL_STATUSES } from '../db/schema';
import { notFound } from '../lib/errors';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { ParticipantResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { postForm, withNotice, type FormState, answeredWith } from '../web/post-form';
import { FIELD_LABELS, formValuesOf, profileReferrals, readableValues } from './presentation';
import { INITIAL_REFERRAL_STATUSES, ReferralCreateForm, ReferralEditForm, ReferralParams } from './schemas';
import type { VisibleReferralRow } from './service';

/** The referral of the URL, only under its own participant (already loaded by the parent router). */
async function referralOf({ referrals }: Services, req: Request, res: ParticipantResponse): Promise<VisibleReferralRow> {
  const { referralId } = paramsOr404(ReferralParams, req);
  const referral = await referrals.findReferral(res.locals.viewer, res.locals.participant.id, referralId);
  if (!referral) throw notFound();
  return referral;
}

function renderForm(res: ParticipantResponse, status: number, page: FormState & { referral?: VisibleReferralRow }) {
  const { participant, t } = res.locals;
  res.status(status).render('referrals/form', {
    title: t(page.referral ? 'referrals.form.editTitle' : 'referrals.form.createTitle'),
    mode: page.referral ? 'edit' : 'create',
    participant,
    referral: page.referral ?? null,
    serviceKinds: REFERRAL_SERVICE_KINDS,
    statuses: page.referral ? REFERRAL_STATUSES : INITIAL_REFERRAL_STATUSES,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
  });
}

/** GET /participants/:id/referrals/new: referred today, only proposed so far. */
export function showNewReferralForm(_services: Services, _req: Request, res: ParticipantResponse) {
  const { viewer, fmt } = res.locals;
  const values = {
    submissionToken: newSubmissionToken(),
    serviceKind: '',
    referredOn: fmt.dateInput(viewer.today),
    status: 'proposed',
  };
  renderForm(res, 200, { values, errors: {} });
}

/** POST /participants/:id/referrals/new: back to the profile's referrals, also when the same form is sent twice. */
export async function createReferral(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  await postForm(req, res, {
    parse: ReferralCreateForm,
    render: (status, state) => renderForm(res, status, state),
    save: ({ submissionToken, ...input }) =>
      services.referrals.createReferral(viewer, participant.id, input, submissionToken, services.clock.now().toJSDate()),
    saved: () => withNotice(profileReferrals(participant.id), 'referralCreated'),
    duplicate: () => profileReferrals(participant.id),
  });
}

/** GET /participants/:id/referrals/:referralId/edit */
export async function showEditReferralForm(services: Services, req: Request, res: ParticipantResponse) {
  const referral = await referralOf(services, req, res);
  renderForm(res, 200, { referral, values: formValuesOf(referral, res.locals.fmt), errors: {} });
}

/** POST /participants/:id/referrals/:referralId/edit: a stale form gets the conflict page. */
export async function saveReferral(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant, fmt, t } = res.locals;
  const referral = await referralOf(services, req, res);
  const ref = { participantId: participant.id, referralId: referral.id };
  await postForm(req, res, {
    parse: ReferralEditForm,
    render: (status, state) => renderForm(res, status, { referral, ...state }),
    save: (form) => services.referrals.updateReferral(viewer, ref, form, services.clock.now().toJSDate()),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(profileReferrals(participant.id), 'referralUpdated');
      const current = formValuesOf(outcome.current, fmt);
      return answeredWith(
        renderConflict(res, {
          backHref: profileReferrals(participant.id),
          action: `/participants/${participant.id}/referrals/${referral.id}/edit`,
          labels: FIELD_LABELS,
          current: readableValues(current, t),
          yours: readableValues(values, t),
          resubmit: { ...values, version: current.version },
        }),
      );
    },
  });
}
