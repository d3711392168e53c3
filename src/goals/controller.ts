import type { Request } from 'express';
import { GOAL_STATUSES, LIFE_DOMAINS } from '../db/schema';
import { notFound } from '../lib/errors';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { ParticipantResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, postForm, withNotice, type FormState, answeredWith } from '../web/post-form';
import { EDIT_FIELDS, FIELD_LABELS, formValuesOf, NOTICES, progressDefaults, readableValues } from './presentation';
import { GoalCreateForm, GoalEditForm, GoalParams, GoalProgressForm } from './schemas';
import type { GoalDetail, VisibleGoalRow } from './service';

/** The goal of the URL, only under its own participant (already loaded by the parent router). */
async function goalOf({ goals }: Services, req: Request, res: ParticipantResponse): Promise<VisibleGoalRow> {
  const { goalId } = paramsOr404(GoalParams, req);
  const goal = await goals.findGoal(res.locals.viewer, res.locals.participant.id, goalId);
  if (!goal) throw notFound();
  return goal;
}

const goalPath = (goal: VisibleGoalRow) => `/participants/${goal.participantId}/goals/${goal.id}`;

function renderForm(res: ParticipantResponse, status: number, page: FormState & { goal?: VisibleGoalRow }) {
  const { participant, t } = res.locals;
  res.status(status).render('goals/form', {
    title: t(page.goal ? 'goals.form.editTitle' : 'goals.form.createTitle'),
    mode: page.goal ? 'edit' : 'create',
    participant,
    goal: page.goal ?? null,
    lifeDomains: LIFE_DOMAINS,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
  });
}

/** GET /participants/:id/goals/new */
export function showNewGoalForm(_services: Services, _req: Request, res: ParticipantResponse) {
  renderForm(res, 200, { values: { submissionToken: newSubmissionToken(), lifeDomain: '' }, errors: {} });
}

/** POST /participants/:id/goals/new: a second submit of the same form lands on the goal the first stored. */
export async function createGoal(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  await postForm(req, res, {
    parse: GoalCreateForm,
    render: (status, state) => renderForm(res, status, state),
    save: ({ submissionToken, ...input }) =>
      services.goals.createGoal(viewer, participant.id, input, submissionToken, services.clock.now().toJSDate()),
    saved: (created) => withNotice(created.path, 'created'),
  });
}

/** GET /participants/:id/goals/:goalId/edit */
export async function showEditGoalForm(services: Services, req: Request, res: ParticipantResponse) {
  const goal = await goalOf(services, req, res);
  renderForm(res, 200, { goal, values: formValuesOf(goal, res.locals.fmt), errors: {} });
}

/** POST /participants/:id/goals/:goalId/edit: a stale form gets the conflict page. */
export async function saveGoal(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant, fmt, t } = res.locals;
  const goal = await goalOf(services, req, res);
  await postForm(req, res, {
    parse: GoalEditForm,
    render: (status, state) => renderForm(res, status, { goal, ...state }),
    save: (form) =>
      services.goals.updateGoal(
        viewer,
        { participantId: participant.id, goalId: goal.id },
        form,
        services.clock.now().toJSDate(),
      ),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(goalPath(goal), 'updated');
      const current = formValuesOf(outcome.current, fmt);
      return answeredWith(
        renderConflict(res, {
          backHref: goalPath(goal),
          action: `${goalPath(goal)}/edit`,
          labels: FIELD_LABELS,
          fields: EDIT_FIELDS,
          current: readableValues(current, t),
          yours: readableValues(values, t),
          resubmit: { ...values, version: current.version },
        }),
      );
    },
  });
}

function renderDetail(
  res: ParticipantResponse,
  status: number,
  page: FormState & { detail: GoalDetail; notice?: string | null },
) {
  const { participant } = res.locals;
  const { detail } = page;
  res.status(status).render('goals/detail', {
    title: detail.goal.title,
    participant,
    goal: detail.goal,
    progress: detail.progress,
    contacts: detail.contacts,
    statuses: GOAL_STATUSES,
    canChange: participant.status !== 'closed',
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
    notice: page.notice ?? null,
  });
}

/** GET /participants/:id/goals/:goalId: the goal with its progress and linked contacts; the view is audited. */
export async function showGoal(services: Services, req: Request, res: ParticipantResponse) {
  const goal = await goalOf(services, req, res);
  const detail = await services.goals.viewGoal(res.locals.viewer, goal);
  renderDetail(res, 200, { detail, values: progressDefaults(detail.goal), errors: {}, notice: noticeFrom(req, NOTICES) });
}

/** POST /participants/:id/goals/:goalId/progress: a progress note and the goal's status after it. */
export async function recordGoalProgress(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const goal = await goalOf(services, req, res);
  await postForm(req, res, {
    parse: GoalProgressForm,
    render: async (status, state) =>
      renderDetail(res, status, { detail: await services.goals.goalDetail(viewer, goal), ...state }),
    save: (form) =>
      services.goals.recordProgress(
        viewer,
        { participantId: participant.id, goalId: goal.id },
        form,
        services.clock.now().toJSDate(),
      ),
    saved: async (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(goalPath(goal), 'progress');
      // The page shows the goal as it is now, with the note the person wrote still in the form.
      const detail = await services.goals.goalDetail(viewer, outcome.current);
      const state = {
        values: { ...values, version: String(outcome.current.version) },
        errors: { _form: 'goals.progress.changed' },
      };
      return answeredWith(renderDetail(res, 409, { detail, ...state }));
    },
  });
}
