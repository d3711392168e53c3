import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { REFERRAL_SERVICE_KINDS, REFERRAL_STATUSES } from '../db/schema';
import { renderConflict } from '../web/conflict';
import { FormRejection, notFound } from '../lib/errors';
import type { Formatters } from '../lib/format';
import { idParam } from '../lib/form-fields';
import { parseForm } from '../lib/forms';
import type { Translate } from '../platform/i18n';
import { paramsOr404 } from '../web/params';
import { viewerFor, type Viewer } from '../lib/viewer';
import { findOpenParticipant, type ParticipantRecord } from '../participants/service';
import { newSubmissionToken } from '../platform/submissions/service';
import { INITIAL_REFERRAL_STATUSES, ReferralCreateForm, ReferralEditForm, ReferralParams } from './schemas';
import { createReferral, findReferral, updateReferral, type ReferralChangeOutcome, type VisibleReferralRow } from './service';

const FIELD_LABELS: Record<string, string> = {
  serviceKind: 'referrals.fields.serviceKind',
  organisation: 'referrals.fields.organisation',
  reason: 'referrals.fields.reason',
  referredOn: 'referrals.fields.referredOn',
  status: 'referrals.fields.status',
  closedOn: 'referrals.fields.closedOn',
};

function editValuesOf(referral: VisibleReferralRow, fmt: Formatters): Record<string, string> {
  return {
    serviceKind: referral.serviceKind,
    organisation: referral.organisation,
    reason: referral.reason,
    referredOn: fmt.dateInput(referral.referredOn),
    status: referral.status,
    closedOn: fmt.dateInput(referral.closedOn),
    version: String(referral.version),
  };
}

/** Form values as the conflict page shows them: words instead of codes. */
function readable(values: Record<string, string>, t: Translate): Record<string, string> {
  const kind = values.serviceKind ?? '';
  const status = values.status ?? '';
  return {
    ...values,
    serviceKind: (REFERRAL_SERVICE_KINDS as readonly string[]).includes(kind) ? t(`referrals.serviceKinds.${kind}`) : kind,
    status: (REFERRAL_STATUSES as readonly string[]).includes(status) ? t(`referrals.status.${status}`) : status,
  };
}

export function referralRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;
  const viewerOf = (req: Request): Viewer => viewerFor(req.user!, clock, config.timeZone);
  const now = () => clock.now().toJSDate();

  /** The participant of the URL when the viewer may see them and they are not closed. */
  async function openParticipantOr404(req: Request): Promise<{ viewer: Viewer; participant: ParticipantRecord }> {
    const { id } = paramsOr404(idParam, req);
    const viewer = viewerOf(req);
    const participant = await findOpenParticipant(db, viewer, id);
    if (!participant) throw notFound();
    return { viewer, participant };
  }

  /** The referral of the URL, only under its own open participant. */
  async function referralOr404(
    req: Request,
  ): Promise<{ viewer: Viewer; participant: ParticipantRecord; referral: VisibleReferralRow }> {
    const { referralId } = paramsOr404(ReferralParams, req);
    const { viewer, participant } = await openParticipantOr404(req);
    const referral = await findReferral(db, viewer, participant.id, referralId);
    if (!referral) throw notFound();
    return { viewer, participant, referral };
  }

  const profileReferrals = (participant: ParticipantRecord, done?: string) =>
    `/participants/${participant.id}${done ? `?done=${done}` : ''}#referrals`;

  function renderForm(
    res: Response,
    status: number,
    data: {
      participant: ParticipantRecord;
      referral?: VisibleReferralRow;
      values: Record<string, string>;
      errors?: Record<string, string>;
    },
  ) {
    res.status(status).render('referrals/form', {
      title: res.locals.t(data.referral ? 'referrals.form.editTitle' : 'referrals.form.createTitle'),
      mode: data.referral ? 'edit' : 'create',
      participant: data.participant,
      referral: data.referral ?? null,
      serviceKinds: REFERRAL_SERVICE_KINDS,
      statuses: data.referral ? REFERRAL_STATUSES : INITIAL_REFERRAL_STATUSES,
      values: data.values,
      errors: data.errors ?? {},
      labels: FIELD_LABELS,
    });
  }

  router.get('/participants/:id/referrals/new', async (req, res) => {
    const { viewer, participant } = await openParticipantOr404(req);
    renderForm(res, 200, {
      participant,
      values: {
        submissionToken: newSubmissionToken(),
        serviceKind: '',
        referredOn: res.locals.fmt.dateInput(viewer.today),
        status: 'proposed',
      },
    });
  });

  router.post('/participants/:id/referrals/new', async (req, res) => {
    const { viewer, participant } = await openParticipantOr404(req);
    const form = parseForm(ReferralCreateForm, req.body);
    if (!form.ok) return renderForm(res, 422, { participant, values: form.values, errors: form.errors });
    try {
      const { submissionToken, ...input } = form.data;
      const outcome = await createReferral(db, viewer, participant.id, input, submissionToken, now());
      if (outcome.kind === 'duplicate' && !outcome.path) {
        return renderForm(res, 422, {
          participant,
          values: { ...form.values, submissionToken: newSubmissionToken() },
          errors: { _form: 'validation.expiredForm' },
        });
      }
      res.redirect(303, profileReferrals(participant, outcome.kind === 'created' ? 'referralCreated' : undefined));
    } catch (error) {
      if (error instanceof FormRejection) return renderForm(res, 422, { participant, values: form.values, errors: error.errors });
      throw error;
    }
  });

  router.get('/participants/:id/referrals/:referralId/edit', async (req, res) => {
    const { participant, referral } = await referralOr404(req);
    renderForm(res, 200, { participant, referral, values: editValuesOf(referral, res.locals.fmt) });
  });

  router.post('/participants/:id/referrals/:referralId/edit', async (req, res) => {
    const { viewer, participant, referral } = await referralOr404(req);
    const form = parseForm(ReferralEditForm, req.body);
    if (!form.ok) return renderForm(res, 422, { participant, referral, values: form.values, errors: form.errors });
    let outcome: ReferralChangeOutcome;
    try {
      outcome = await updateReferral(db, viewer, { participantId: participant.id, referralId: referral.id }, form.data, now());
    } catch (error) {
      if (error instanceof FormRejection) {
        return renderForm(res, 422, { participant, referral, values: form.values, errors: error.errors });
      }
      throw error;
    }
    if (outcome.kind === 'notFound') throw notFound();
    if (outcome.kind === 'conflict') {
      const { t, fmt } = res.locals;
      const current = editValuesOf(outcome.current, fmt);
      return renderConflict(res, {
        backHref: profileReferrals(participant),
        action: `/participants/${participant.id}/referrals/${referral.id}/edit`,
        labels: FIELD_LABELS,
        current: readable(current, t),
        yours: readable(form.values, t),
        resubmit: { ...form.values, version: current.version! },
      });
    }
    res.redirect(303, profileReferrals(participant, 'referralUpdated'));
  });

  return router;
}
