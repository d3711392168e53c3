import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import type { Locale } from '../config';
import { TRAJECTORY_KINDS, TRAJECTORY_OUTCOMES } from '../db/schema';
import { FormRejection, notFound } from '../lib/errors';
import { idParam } from '../lib/form-fields';
import type { Formatters } from '../lib/format';
import { parseForm } from '../lib/forms';
import type { Translate } from '../platform/i18n';
import { viewerFor, type Viewer } from '../lib/viewer';
import { renderConflict } from '../web/conflict';
import { paramsOr404 } from '../web/params';
import { findOpenParticipant, type ParticipantRecord } from '../participants/service';
import { newSubmissionToken } from '../platform/submissions/service';
import {
  parseTrajectoryForm,
  TrajectoryCloseForm,
  TrajectoryCreateForm,
  TrajectoryEditForm,
  TrajectoryParams,
  type TrajectoryInput,
} from './schemas';
import {
  closeTrajectoryWithOutcome,
  commissionerChoices,
  createTrajectory,
  findTrajectory,
  openTrajectoryOf,
  updateTrajectory,
  type CommissionerChoice,
  type TrajectoryChangeOutcome,
  type TrajectoryRecord,
} from './service';

const FIELD_LABELS: Record<string, string> = {
  commissionerId: 'trajectories.fields.commissioner',
  kind: 'trajectories.fields.kind',
  reference: 'trajectories.fields.reference',
  startDate: 'trajectories.fields.startDate',
  plannedEndDate: 'trajectories.fields.plannedEndDate',
  grantedHours: 'trajectories.fields.grantedHours',
  endDate: 'trajectories.fields.endDate',
  outcome: 'trajectories.fields.outcome',
};

const EDIT_FIELDS = ['commissionerId', 'kind', 'reference', 'startDate', 'plannedEndDate', 'grantedHours'];

/** Hours as a person would type them back: "12,5" in Dutch, "12.5" in English, no grouping. */
function hoursForInput(hours: number, locale: Locale): string {
  const plain = String(Number(hours.toFixed(2)));
  return locale === 'nl' ? plain.replace('.', ',') : plain;
}

function formValuesOf(trajectory: TrajectoryRecord, fmt: Formatters, locale: Locale): Record<string, string> {
  return {
    commissionerId: String(trajectory.commissionerId),
    kind: trajectory.kind,
    reference: trajectory.reference ?? '',
    startDate: fmt.dateInput(trajectory.startDate),
    plannedEndDate: fmt.dateInput(trajectory.plannedEndDate),
    grantedHours: hoursForInput(Number(trajectory.grantedHours), locale),
    version: String(trajectory.version),
  };
}

/** A trajectory as the conflict page shows it: names and labels instead of ids and codes. */
function displayValuesOf(values: TrajectoryInput, choices: CommissionerChoice[], res: Response): Record<string, string> {
  const t = res.locals.t as Translate;
  const fmt = res.locals.fmt as Formatters;
  return {
    commissionerId: choices.find((choice) => choice.id === values.commissionerId)?.name ?? '',
    kind: t(`trajectories.kinds.${values.kind}`),
    reference: values.reference ?? '',
    startDate: fmt.dateInput(values.startDate),
    plannedEndDate: fmt.dateInput(values.plannedEndDate),
    grantedHours: hoursForInput(values.grantedHours, res.locals.locale as Locale),
  };
}

function inputOf(trajectory: TrajectoryRecord): TrajectoryInput {
  return {
    commissionerId: trajectory.commissionerId,
    kind: trajectory.kind,
    reference: trajectory.reference,
    startDate: trajectory.startDate,
    plannedEndDate: trajectory.plannedEndDate,
    grantedHours: Number(trajectory.grantedHours),
  };
}

/** Trajectories are changed from a participant's profile; every path starts with a participant the viewer may see. */
export function trajectoryRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;
  const viewerOf = (req: Request): Viewer => viewerFor(req.user!, clock, config.timeZone);
  const now = () => clock.now().toJSDate();

  /** A participant the viewer may see and change: closed participants get no new or changed trajectories. */
  async function loadParticipant(req: Request): Promise<{ viewer: Viewer; participant: ParticipantRecord }> {
    const params = paramsOr404(idParam, req);
    const viewer = viewerOf(req);
    const participant = await findOpenParticipant(db, viewer, params.id);
    if (!participant) throw notFound();
    return { viewer, participant };
  }

  /** The trajectory in the URL, only as one of the participant in the same URL. */
  async function loadTrajectory(
    req: Request,
  ): Promise<{ viewer: Viewer; participant: ParticipantRecord; trajectory: TrajectoryRecord }> {
    const params = paramsOr404(TrajectoryParams, req);
    const { viewer, participant } = await loadParticipant(req);
    const trajectory = await findTrajectory(db, viewer, participant.id, params.tid);
    if (!trajectory) throw notFound();
    return { viewer, participant, trajectory };
  }

  async function renderForm(
    res: Response,
    status: number,
    data: {
      mode: 'create' | 'edit';
      participant: ParticipantRecord;
      trajectory?: TrajectoryRecord;
      values: Record<string, string>;
      errors?: Record<string, string>;
    },
  ) {
    const commissioners = await commissionerChoices(db, data.trajectory);
    res.status(status).render('trajectories/form', {
      title: res.locals.t(data.mode === 'create' ? 'trajectories.form.createTitle' : 'trajectories.form.editTitle'),
      mode: data.mode,
      participant: data.participant,
      trajectory: data.trajectory ?? null,
      values: data.values,
      errors: data.errors ?? {},
      labels: FIELD_LABELS,
      commissioners,
      kinds: TRAJECTORY_KINDS,
    });
  }

  function renderAlreadyClosed(res: Response, status: number, participant: ParticipantRecord, trajectory: TrajectoryRecord) {
    res.status(status).render('trajectories/already-closed', {
      title: res.locals.t('trajectories.alreadyClosed.title'),
      participant,
      trajectory,
    });
  }

  router.get('/participants/:id/trajectories/new', async (req, res) => {
    const { viewer, participant } = await loadParticipant(req);
    const open = await openTrajectoryOf(db, participant.id);
    if (open) {
      return res.render('trajectories/open-exists', {
        title: res.locals.t('trajectories.form.createTitle'),
        participant,
        open,
      });
    }
    await renderForm(res, 200, {
      mode: 'create',
      participant,
      values: {
        submissionToken: newSubmissionToken(),
        commissionerId: '',
        kind: 'jobcoaching',
        startDate: res.locals.fmt.dateInput(viewer.today),
      },
    });
  });

  // The form posts to /new; the collection path is accepted too, as participants are created by POST /participants.
  router.post('/participants/:id/trajectories/new', async (req, res) => {
    const { viewer, participant } = await loadParticipant(req);
    const form = parseTrajectoryForm(TrajectoryCreateForm, req.body);
    if (!form.ok) return renderForm(res, 422, { mode: 'create', participant, values: form.values, errors: form.errors });
    try {
      const { submissionToken, ...input } = form.data;
      const outcome = await createTrajectory(db, viewer, participant.id, input, submissionToken, now());
      if (outcome.kind === 'duplicate' && !outcome.path) {
        return renderForm(res, 422, {
          mode: 'create',
          participant,
          values: { ...form.values, submissionToken: newSubmissionToken() },
          errors: { _form: 'validation.expiredForm' },
        });
      }
      res.redirect(303, outcome.kind === 'created' ? `${outcome.path}?done=trajectoryCreated` : outcome.path);
    } catch (error) {
      if (error instanceof FormRejection) {
        return renderForm(res, 422, { mode: 'create', participant, values: form.values, errors: error.errors });
      }
      throw error;
    }
  });

  router.get('/participants/:id/trajectories/:tid/edit', async (req, res) => {
    const { participant, trajectory } = await loadTrajectory(req);
    if (trajectory.actualEndDate !== null) return renderAlreadyClosed(res, 200, participant, trajectory);
    await renderForm(res, 200, {
      mode: 'edit',
      participant,
      trajectory,
      values: formValuesOf(trajectory, res.locals.fmt, res.locals.locale),
    });
  });

  router.post('/participants/:id/trajectories/:tid/edit', async (req, res) => {
    const { viewer, participant, trajectory } = await loadTrajectory(req);
    const form = parseTrajectoryForm(TrajectoryEditForm, req.body);
    if (!form.ok)
      return renderForm(res, 422, { mode: 'edit', participant, trajectory, values: form.values, errors: form.errors });
    let outcome: TrajectoryChangeOutcome;
    try {
      outcome = await updateTrajectory(db, viewer, participant.id, trajectory.id, form.data, now());
    } catch (error) {
      if (error instanceof FormRejection) {
        return renderForm(res, 422, { mode: 'edit', participant, trajectory, values: form.values, errors: error.errors });
      }
      throw error;
    }
    switch (outcome.kind) {
      case 'notFound':
        throw notFound();
      case 'closed':
        return renderAlreadyClosed(res, 409, participant, outcome.current);
      case 'conflict': {
        const choices = await commissionerChoices(db, outcome.current);
        const base = `/participants/${participant.id}`;
        return renderConflict(res, {
          backHref: base,
          action: `${base}/trajectories/${trajectory.id}/edit`,
          labels: FIELD_LABELS,
          fields: EDIT_FIELDS,
          current: displayValuesOf(inputOf(outcome.current), choices, res),
          yours: displayValuesOf(form.data, choices, res),
          resubmit: {
            ...Object.fromEntries(EDIT_FIELDS.map((field) => [field, form.values[field] ?? ''])),
            version: String(outcome.current.version),
          },
        });
      }
      case 'saved':
        return res.redirect(303, `/participants/${participant.id}?done=trajectoryUpdated`);
    }
  });

  function renderClose(
    res: Response,
    status: number,
    data: {
      participant: ParticipantRecord;
      trajectory: TrajectoryRecord;
      values: Record<string, string>;
      errors?: Record<string, string>;
    },
  ) {
    res.status(status).render('trajectories/close', {
      title: res.locals.t('trajectories.close.title'),
      participant: data.participant,
      trajectory: data.trajectory,
      values: data.values,
      errors: data.errors ?? {},
      labels: FIELD_LABELS,
      outcomes: TRAJECTORY_OUTCOMES,
    });
  }

  router.get('/participants/:id/trajectories/:tid/close', async (req, res) => {
    const { viewer, participant, trajectory } = await loadTrajectory(req);
    if (trajectory.actualEndDate !== null) return renderAlreadyClosed(res, 200, participant, trajectory);
    renderClose(res, 200, {
      participant,
      trajectory,
      values: { endDate: res.locals.fmt.dateInput(viewer.today), outcome: '', version: String(trajectory.version) },
    });
  });

  router.post('/participants/:id/trajectories/:tid/close', async (req, res) => {
    const { viewer, participant, trajectory } = await loadTrajectory(req);
    const form = parseForm(TrajectoryCloseForm, req.body);
    if (!form.ok) return renderClose(res, 422, { participant, trajectory, values: form.values, errors: form.errors });
    let outcome: TrajectoryChangeOutcome;
    try {
      outcome = await closeTrajectoryWithOutcome(db, viewer, participant.id, trajectory.id, form.data, now());
    } catch (error) {
      if (error instanceof FormRejection) {
        return renderClose(res, 422, { participant, trajectory, values: form.values, errors: error.errors });
      }
      throw error;
    }
    switch (outcome.kind) {
      case 'notFound':
        throw notFound();
      case 'closed':
        return renderAlreadyClosed(res, 409, participant, outcome.current);
      case 'conflict':
        // The trajectory changed while the page was open: show it as it is now and ask again.
        return renderClose(res, 409, {
          participant,
          trajectory: outcome.current,
          values: { ...form.values, version: String(outcome.current.version) },
          errors: { _form: 'trajectories.close.changed' },
        });
      case 'saved':
        return res.redirect(303, `/participants/${participant.id}?done=trajectoryClosed`);
    }
  });

  return router;
}
