import type { Request } from 'express';
import { ORGANISATION_KINDS, REFERRAL_SERVICE_KINDS, REFERRAL_STATUSES } from '../db/schema';
import type { OrganisationOption } from '../directory/service';
import { notFound } from '../lib/errors';
import { parseForm } from '../lib/forms';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { ParticipantResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { postForm, withNotice, type FormState, answeredWith } from '../web/post-form';
import { CONFLICT_FIELDS, FIELD_LABELS, formValuesOf, profileReferrals, readableValues } from './presentation';
import {
  FollowUpDoneForm,
  INITIAL_REFERRAL_STATUSES,
  parseReferralCreateForm,
  parseReferralEditForm,
  ReferralParams,
} from './schemas';
import type { VisibleReferralRow } from './service';

/** The referral of the URL, only under its own participant (already loaded by the parent router). */
async function referralOf({ referrals }: Services, req: Request, res: ParticipantResponse): Promise<VisibleReferralRow> {
  const { referralId } = paramsOr404(ReferralParams, req);
  const referral = await referrals.findReferral(res.locals.viewer, res.locals.participant.id, referralId);
  if (!referral) throw notFound();
  return referral;
}

function renderForm(
  res: ParticipantResponse,
  status: number,
  page: FormState & { referral?: VisibleReferralRow; organisations: OrganisationOption[] },
) {
  const { participant, t } = res.locals;
  res.status(status).render('referrals/form', {
    title: t(page.referral ? 'referrals.form.editTitle' : 'referrals.form.createTitle'),
    mode: page.referral ? 'edit' : 'create',
    participant,
    referral: page.referral ?? null,
    serviceKinds: REFERRAL_SERVICE_KINDS,
    organisationKinds: ORGANISATION_KINDS,
    organisations: page.organisations,
    statuses: page.referral ? REFERRAL_STATUSES : INITIAL_REFERRAL_STATUSES,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
  });
}

/** GET /participants/:id/referrals/new: referred today, only proposed so far. */
export async function showNewReferralForm(services: Services, _req: Request, res: ParticipantResponse) {
  const { viewer, fmt } = res.locals;
  const values = {
    submissionToken: newSubmissionToken(),
    serviceKind: '',
    organisationId: '',
    referredOn: fmt.dateInput(viewer.today),
    status: 'proposed',
  };
  renderForm(res, 200, { values, errors: {}, organisations: await services.directory.organisationOptions() });
}

/**
 * POST /participants/:id/referrals/new: back to the profile's referrals, also when the same form
 * is sent twice. A new organisation typed in the form is added to the directory in the same
 * transaction; a refused form comes back with everything typed, the new organisation included.
 */
export async function createReferral(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const organisations = await services.directory.organisationOptions();
  await postForm(req, res, {
    parse: parseReferralCreateForm,
    render: (status, state) => renderForm(res, status, { ...state, organisations }),
    save: ({ submissionToken, ...input }) =>
      services.referrals.createReferral(viewer, participant.id, input, submissionToken, services.clock.now().toJSDate()),
    saved: () => withNotice(profileReferrals(participant.id), 'referralCreated'),
    duplicate: () => profileReferrals(participant.id),
  });
}

/** GET /participants/:id/referrals/:referralId/edit */
export async function showEditReferralForm(services: Services, req: Request, res: ParticipantResponse) {
  const referral = await referralOf(services, req, res);
  const organisations = await services.directory.organisationOptions();
  renderForm(res, 200, { referral, values: formValuesOf(referral, res.locals.fmt), errors: {}, organisations });
}

/** POST /participants/:id/referrals/:referralId/edit: a stale form gets the conflict page. */
export async function saveReferral(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant, fmt, t } = res.locals;
  const referral = await referralOf(services, req, res);
  const organisations = await services.directory.organisationOptions();
  const ref = { participantId: participant.id, referralId: referral.id };
  await postForm(req, res, {
    parse: parseReferralEditForm,
    render: (status, state) => renderForm(res, status, { referral, ...state, organisations }),
    save: (form) => services.referrals.updateReferral(viewer, ref, form, services.clock.now().toJSDate()),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(profileReferrals(participant.id), 'referralUpdated');
      const current = formValuesOf(outcome.current, fmt);
      // The current organisation may be one added since this form was loaded.
      const known = [
        ...organisations,
        {
          id: outcome.current.organisationId,
          name: outcome.current.organisationName,
          kind: outcome.current.organisationKind,
          region: null,
        },
      ];
      return answeredWith(
        renderConflict(res, {
          backHref: profileReferrals(participant.id),
          action: `/participants/${participant.id}/referrals/${referral.id}/edit`,
          labels: FIELD_LABELS,
          fields: CONFLICT_FIELDS,
          current: readableValues(current, t, known),
          yours: readableValues(values, t, known),
          resubmit: { ...values, version: current.version },
        }),
      );
    },
  });
}

/**
 * POST /participants/:id/referrals/:referralId/follow-up-done: "followed up" on /today (or the
 * profile) clears the follow-up date and goes back where it came from. A form that does not
 * parse (a tampered date) changes nothing and goes back too: there is nothing to type again.
 */
export async function recordFollowUpDone(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const referral = await referralOf(services, req, res);
  const form = parseForm(FollowUpDoneForm, req.body);
  const back = form.ok && form.data.returnTo === 'today' ? `/today#follow-ups` : profileReferrals(participant.id);
  if (form.ok) {
    const ref = { participantId: participant.id, referralId: referral.id };
    const outcome = await services.referrals.recordFollowUpDone(
      viewer,
      ref,
      form.data.followUpOn,
      services.clock.now().toJSDate(),
    );
    if (outcome.kind === 'notFound') throw notFound();
  }
  res.redirect(303, back);
}
