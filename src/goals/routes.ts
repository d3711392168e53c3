import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { GOAL_STATUSES, LIFE_DOMAINS } from '../db/schema';
import { renderConflict } from '../web/conflict';
import { notFound } from '../lib/errors';
import type { Formatters } from '../lib/format';
import { idParam } from '../lib/form-fields';
import { parseForm } from '../lib/forms';
import type { Translate } from '../platform/i18n';
import { paramsOr404 } from '../web/params';
import { viewerFor, type Viewer } from '../lib/viewer';
import { findOpenParticipant, findParticipant, type ParticipantRecord } from '../participants/service';
import { newSubmissionToken } from '../platform/submissions/service';
import { GoalCreateForm, GoalEditForm, GoalParams, GoalProgressForm } from './schemas';
import {
  createGoal,
  findGoal,
  goalDetail,
  recordProgress,
  updateGoal,
  viewGoal,
  type GoalDetail,
  type VisibleGoalRow,
} from './service';

const FIELD_LABELS: Record<string, string> = {
  title: 'goals.fields.title',
  description: 'goals.fields.description',
  lifeDomain: 'goals.fields.lifeDomain',
  targetDate: 'goals.fields.targetDate',
  agreedWithParticipant: 'goals.fields.agreedWithParticipant',
  status: 'goals.fields.status',
  note: 'goals.fields.note',
};

const EDIT_FIELDS = ['title', 'description', 'lifeDomain', 'targetDate', 'agreedWithParticipant'] as const;

/** Which notice a page shows after a redirect (?done=…). */
const NOTICES: Record<string, string> = {
  created: 'goals.detail.created',
  updated: 'goals.detail.updated',
  progress: 'goals.detail.progressSaved',
};

/** The edit form's fields as the person sees them; a ticked checkbox sends "yes". */
function editValuesOf(goal: VisibleGoalRow, fmt: Formatters): Record<string, string> {
  return {
    title: goal.title,
    description: goal.description ?? '',
    lifeDomain: goal.lifeDomain,
    targetDate: fmt.dateInput(goal.targetDate),
    ...(goal.agreedWithParticipant ? { agreedWithParticipant: 'yes' } : {}),
    version: String(goal.version),
  };
}

/** Form values as the conflict page shows them: words instead of codes. */
function readable(values: Record<string, string>, t: Translate): Record<string, string> {
  const domain = values.lifeDomain ?? '';
  return {
    ...values,
    lifeDomain: (LIFE_DOMAINS as readonly string[]).includes(domain) ? t(`goals.lifeDomains.${domain}`) : domain,
    agreedWithParticipant: t(values.agreedWithParticipant ? 'common.yes' : 'common.no'),
  };
}

export function goalRoutes(deps: AppDeps): Router {
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

  /** The goal of the URL, only under its own participant; `open` also requires the participant open. */
  async function goalOr404(
    req: Request,
    open: boolean,
  ): Promise<{ viewer: Viewer; participant: ParticipantRecord; goal: VisibleGoalRow }> {
    const { id, goalId } = paramsOr404(GoalParams, req);
    const viewer = viewerOf(req);
    const participant = open ? await findOpenParticipant(db, viewer, id) : await findParticipant(db, viewer, id);
    if (!participant) throw notFound();
    const goal = await findGoal(db, viewer, participant.id, goalId);
    if (!goal) throw notFound();
    return { viewer, participant, goal };
  }

  const goalPath = (participantId: number, goalId: number) => `/participants/${participantId}/goals/${goalId}`;

  // --- create and edit --------------------------------------------------------------------------

  function renderForm(
    res: Response,
    status: number,
    data: {
      participant: ParticipantRecord;
      goal?: VisibleGoalRow;
      values: Record<string, string>;
      errors?: Record<string, string>;
    },
  ) {
    res.status(status).render('goals/form', {
      title: res.locals.t(data.goal ? 'goals.form.editTitle' : 'goals.form.createTitle'),
      mode: data.goal ? 'edit' : 'create',
      participant: data.participant,
      goal: data.goal ?? null,
      lifeDomains: LIFE_DOMAINS,
      values: data.values,
      errors: data.errors ?? {},
      labels: FIELD_LABELS,
    });
  }

  router.get('/participants/:id/goals/new', async (req, res) => {
    const { participant } = await openParticipantOr404(req);
    renderForm(res, 200, { participant, values: { submissionToken: newSubmissionToken(), lifeDomain: '' } });
  });

  router.post('/participants/:id/goals/new', async (req, res) => {
    const { viewer, participant } = await openParticipantOr404(req);
    const form = parseForm(GoalCreateForm, req.body);
    if (!form.ok) return renderForm(res, 422, { participant, values: form.values, errors: form.errors });
    const { submissionToken, ...input } = form.data;
    const outcome = await createGoal(db, viewer, participant.id, input, submissionToken, now());
    if (outcome.kind === 'duplicate' && !outcome.path) {
      return renderForm(res, 422, {
        participant,
        values: { ...form.values, submissionToken: newSubmissionToken() },
        errors: { _form: 'validation.expiredForm' },
      });
    }
    res.redirect(303, outcome.kind === 'created' ? `${outcome.path}?done=created` : outcome.path);
  });

  router.get('/participants/:id/goals/:goalId/edit', async (req, res) => {
    const { participant, goal } = await goalOr404(req, true);
    renderForm(res, 200, { participant, goal, values: editValuesOf(goal, res.locals.fmt) });
  });

  router.post('/participants/:id/goals/:goalId/edit', async (req, res) => {
    const { viewer, participant, goal } = await goalOr404(req, true);
    const form = parseForm(GoalEditForm, req.body);
    if (!form.ok) return renderForm(res, 422, { participant, goal, values: form.values, errors: form.errors });
    const outcome = await updateGoal(db, viewer, { participantId: participant.id, goalId: goal.id }, form.data, now());
    if (outcome.kind === 'notFound') throw notFound();
    if (outcome.kind === 'conflict') {
      const { t, fmt } = res.locals;
      const current = editValuesOf(outcome.current, fmt);
      return renderConflict(res, {
        backHref: goalPath(participant.id, goal.id),
        action: `${goalPath(participant.id, goal.id)}/edit`,
        labels: FIELD_LABELS,
        fields: EDIT_FIELDS,
        current: readable(current, t),
        yours: readable(form.values, t),
        resubmit: { ...form.values, version: current.version! },
      });
    }
    res.redirect(303, `${goalPath(participant.id, goal.id)}?done=updated`);
  });

  // --- the goal's page and its progress ---------------------------------------------------------

  function renderDetail(
    res: Response,
    status: number,
    data: {
      participant: ParticipantRecord;
      detail: GoalDetail;
      values: Record<string, string>;
      errors?: Record<string, string>;
      notice?: string | null;
    },
  ) {
    res.status(status).render('goals/detail', {
      title: data.detail.goal.title,
      participant: data.participant,
      goal: data.detail.goal,
      progress: data.detail.progress,
      contacts: data.detail.contacts,
      statuses: GOAL_STATUSES,
      canChange: data.participant.status !== 'closed',
      values: data.values,
      errors: data.errors ?? {},
      labels: FIELD_LABELS,
      notice: data.notice ?? null,
    });
  }

  const progressDefaults = (goal: VisibleGoalRow) => ({ status: goal.status, note: '', version: String(goal.version) });

  router.get('/participants/:id/goals/:goalId', async (req, res) => {
    const { viewer, participant, goal } = await goalOr404(req, false);
    const detail = await viewGoal(db, viewer, goal);
    const done = typeof req.query.done === 'string' ? req.query.done : '';
    renderDetail(res, 200, { participant, detail, values: progressDefaults(detail.goal), notice: NOTICES[done] ?? null });
  });

  router.post('/participants/:id/goals/:goalId/progress', async (req, res) => {
    const { viewer, participant, goal } = await goalOr404(req, true);
    const form = parseForm(GoalProgressForm, req.body);
    if (!form.ok) {
      const detail = await goalDetail(db, viewer, goal);
      return renderDetail(res, 422, { participant, detail, values: form.values, errors: form.errors });
    }
    const outcome = await recordProgress(db, viewer, { participantId: participant.id, goalId: goal.id }, form.data, now());
    if (outcome.kind === 'notFound') throw notFound();
    if (outcome.kind === 'conflict') {
      // The page shows the goal as it is now, with the note the person wrote still in the form.
      const detail = await goalDetail(db, viewer, outcome.current);
      return renderDetail(res, 409, {
        participant,
        detail,
        values: { ...form.values, version: String(outcome.current.version) },
        errors: { _form: 'goals.progress.changed' },
      });
    }
    res.redirect(303, `${goalPath(participant.id, goal.id)}?done=progress`);
  });

  return router;
}
