import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { FormRejection, notFound } from '../lib/errors';
import { idParam } from '../lib/form-fields';
import { parseForm } from '../lib/forms';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { viewerFor, type Viewer } from '../lib/viewer';
import { pageTranslator } from '../platform/i18n';
import type { Formatters } from '../lib/format';
import { renderConflict } from '../web/conflict';
import { paramsOr404 } from '../web/params';
import { newSubmissionToken } from '../platform/submissions/service';
import { trajectoriesForProfile } from '../trajectories/service';
import { placementsForProfile } from '../placements/service';
import { timelineForProfile } from '../contacts/service';
import { goalsForProfile } from '../goals/service';
import { referralsForProfile } from '../referrals/service';
import { riskPanelFor } from '../risk/service';
import {
  assignableCoaches,
  closeNeedsOutcome,
  closeParticipant,
  createParticipant,
  filterOptions,
  findParticipant,
  listPage,
  updateParticipant,
  viewParticipant,
  type ParticipantRecord,
} from './service';
import { OPEN_STATUSES, ParticipantCloseForm, ParticipantCreateForm, ParticipantEditForm, ParticipantListQuery } from './schemas';

/** The form's fields as the person sees them, for the edit form and the conflict page. */
function formValuesOf(participant: ParticipantRecord, fmt: Formatters): Record<string, string> {
  return {
    firstName: participant.firstName,
    lastName: participant.lastName,
    dateOfBirth: fmt.dateInput(participant.dateOfBirth),
    phone: participant.phone ?? '',
    email: participant.email ?? '',
    addressLine: participant.addressLine ?? '',
    postalCode: participant.postalCode ?? '',
    city: participant.city ?? '',
    preferredChannel: participant.preferredChannel,
    languageSupport: participant.languageSupport ?? '',
    externalReference: participant.externalReference ?? '',
    status: participant.status,
    coachId: String(participant.coachId),
    version: String(participant.version),
  };
}

const FIELD_LABELS: Record<string, string> = {
  firstName: 'participants.fields.firstName',
  lastName: 'participants.fields.lastName',
  dateOfBirth: 'participants.fields.dateOfBirth',
  phone: 'participants.fields.phone',
  email: 'participants.fields.email',
  addressLine: 'participants.fields.addressLine',
  postalCode: 'participants.fields.postalCode',
  city: 'participants.fields.city',
  preferredChannel: 'participants.fields.preferredChannel',
  languageSupport: 'participants.fields.languageSupport',
  externalReference: 'participants.fields.externalReference',
  status: 'participants.fields.status',
  coachId: 'participants.fields.coach',
  closedOn: 'participants.close.closedOn',
  outcome: 'participants.close.outcome',
};

export function participantRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;
  const viewerOf = (req: Request): Viewer => viewerFor(req.user!, clock, config.timeZone);
  const now = () => clock.now().toJSDate();

  async function loadOr404(req: Request): Promise<{ viewer: Viewer; participant: ParticipantRecord }> {
    const params = paramsOr404(idParam, req);
    const viewer = viewerOf(req);
    const participant = await findParticipant(db, viewer, params.id);
    if (!participant) throw notFound();
    return { viewer, participant };
  }

  async function renderForm(
    req: Request,
    res: Response,
    status: number,
    data: {
      mode: 'create' | 'edit';
      values: Record<string, string>;
      errors?: Record<string, string>;
      participant?: ParticipantRecord;
    },
  ) {
    const viewer = viewerOf(req);
    const coaches = viewer.role === 'coach' ? [] : await assignableCoaches(db, viewer);
    res.status(status).render('participants/form', {
      title: res.locals.t(data.mode === 'create' ? 'participants.form.createTitle' : 'participants.form.editTitle'),
      mode: data.mode,
      values: data.values,
      errors: data.errors ?? {},
      labels: FIELD_LABELS,
      participant: data.participant ?? null,
      coaches,
      canChooseCoach: viewer.role !== 'coach',
      openStatuses: OPEN_STATUSES,
    });
  }

  router.get('/participants', async (req, res) => {
    const viewer = viewerOf(req);
    const filters = ParticipantListQuery.parse(req.query);
    const page = pageFromQuery(req.query);
    const [{ rows, total }, options] = await Promise.all([listPage(db, viewer, filters, page), filterOptions(db, viewer)]);
    const query = new URLSearchParams();
    if (filters.q) query.set('q', filters.q);
    if (filters.status !== 'open') query.set('status', filters.status);
    if (filters.coach) query.set('coach', String(filters.coach));
    if (filters.team) query.set('team', String(filters.team));
    if (filters.sort !== 'name') query.set('sort', filters.sort);
    if (filters.dir !== 'asc') query.set('dir', filters.dir);
    res.render('participants/list', {
      title: res.locals.t('participants.list.title'),
      rows,
      filters,
      options,
      pagination: pageInfo(page, total, rows.length),
      baseQuery: query.toString(),
      isFiltered: Boolean(filters.q || filters.coach || filters.team || filters.status !== 'open'),
    });
  });

  router.get('/participants/new', async (req, res) => {
    await renderForm(req, res, 200, {
      mode: 'create',
      values: { submissionToken: newSubmissionToken(), status: 'intake', preferredChannel: 'phone', coachId: '' },
    });
  });

  router.post('/participants', async (req, res) => {
    const form = parseForm(ParticipantCreateForm, req.body);
    if (!form.ok) return renderForm(req, res, 422, { mode: 'create', values: form.values, errors: form.errors });
    try {
      const { submissionToken, ...input } = form.data;
      const outcome = await createParticipant(db, viewerOf(req), input, submissionToken, now());
      if (outcome.kind === 'duplicate' && !outcome.path) {
        return renderForm(req, res, 422, {
          mode: 'create',
          values: { ...form.values, submissionToken: newSubmissionToken() },
          errors: { _form: 'validation.expiredForm' },
        });
      }
      res.redirect(303, outcome.kind === 'created' ? `${outcome.path}?done=created` : outcome.path);
    } catch (error) {
      if (error instanceof FormRejection)
        return renderForm(req, res, 422, { mode: 'create', values: form.values, errors: error.errors });
      throw error;
    }
  });

  router.get('/participants/:id', async (req, res) => {
    const params = paramsOr404(idParam, req);
    const viewer = viewerOf(req);
    const participant = await viewParticipant(db, viewer, params.id);
    if (!participant) throw notFound();
    const [trajectories, placements, timeline, goals, referrals, risk] = await Promise.all([
      trajectoriesForProfile(db, participant.id, config.timeZone),
      placementsForProfile(db, participant.id, viewer.today),
      timelineForProfile(db, viewer, participant.id, req.query, config.timeZone),
      goalsForProfile(db, participant.id, viewer.today),
      referralsForProfile(db, participant.id),
      riskPanelFor(db, viewer, participant.id, clock.now(), config.timeZone),
    ]);
    res.render('participants/profile', {
      // Timeline rows repeat the same texts (duration, author, wellbeing): each is translated once.
      t: pageTranslator(res.locals.t),
      title: `${participant.firstName} ${participant.lastName}`,
      participant,
      trajectories,
      placements,
      timeline,
      goals,
      referrals,
      risk,
      notice: typeof req.query.done === 'string' ? req.query.done : null,
    });
  });

  router.get('/participants/:id/edit', async (req, res) => {
    const { participant } = await loadOr404(req);
    if (participant.status === 'closed') throw notFound();
    await renderForm(req, res, 200, { mode: 'edit', values: formValuesOf(participant, res.locals.fmt), participant });
  });

  router.post('/participants/:id/edit', async (req, res) => {
    const { viewer, participant } = await loadOr404(req);
    const form = parseForm(ParticipantEditForm, req.body);
    if (!form.ok) return renderForm(req, res, 422, { mode: 'edit', values: form.values, errors: form.errors, participant });
    try {
      const outcome = await updateParticipant(db, viewer, participant.id, form.data, now());
      if (outcome.kind === 'notFound') throw notFound();
      if (outcome.kind === 'conflict') {
        const current = formValuesOf(outcome.current, res.locals.fmt);
        return renderConflict(res, {
          backHref: `/participants/${participant.id}`,
          action: `/participants/${participant.id}/edit`,
          labels: FIELD_LABELS,
          fields: Object.keys(FIELD_LABELS).filter((field) => field in current && field !== 'coachId'),
          current,
          yours: form.values,
          resubmit: { ...form.values, version: current.version },
        });
      }
      res.redirect(303, `/participants/${participant.id}?done=updated`);
    } catch (error) {
      if (error instanceof FormRejection) {
        return renderForm(req, res, 422, { mode: 'edit', values: form.values, errors: error.errors, participant });
      }
      throw error;
    }
  });

  async function renderClose(
    res: Response,
    status: number,
    participant: ParticipantRecord,
    values: Record<string, string>,
    errors = {},
  ) {
    res.status(status).render('participants/close', {
      title: res.locals.t('participants.close.title'),
      participant,
      values,
      errors,
      labels: FIELD_LABELS,
      needsOutcome: await closeNeedsOutcome(db, participant.id),
    });
  }

  router.get('/participants/:id/close', async (req, res) => {
    const { viewer, participant } = await loadOr404(req);
    if (participant.status === 'closed') throw notFound();
    await renderClose(res, 200, participant, {
      closedOn: res.locals.fmt.dateInput(viewer.today),
      outcome: '',
      version: String(participant.version),
    });
  });

  router.post('/participants/:id/close', async (req, res) => {
    const { viewer, participant } = await loadOr404(req);
    const form = parseForm(ParticipantCloseForm, req.body);
    if (!form.ok) return renderClose(res, 422, participant, form.values, form.errors);
    try {
      const outcome = await closeParticipant(db, viewer, participant.id, form.data, now());
      if (outcome.kind === 'notFound') throw notFound();
      if (outcome.kind === 'conflict') {
        return renderClose(
          res,
          409,
          outcome.current,
          { ...form.values, version: String(outcome.current.version) },
          {
            _form: 'conflict.closeChanged',
          },
        );
      }
      res.redirect(303, `/participants/${participant.id}?done=closed`);
    } catch (error) {
      if (error instanceof FormRejection) return renderClose(res, 422, participant, form.values, error.errors);
      throw error;
    }
  });

  return router;
}
