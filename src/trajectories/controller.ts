import type { Request } from 'express';
import { ORGANISATION_KINDS, TRAJECTORY_KINDS, TRAJECTORY_OUTCOMES } from '../db/schema';
import { HANDOVER_FIELD_LABELS, NextTrajectoryQuery, parseCloseForm } from '../handovers/service';
import { notFound } from '../lib/errors';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { ParticipantResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { postForm, withNotice, type FormState, answeredWith } from '../web/post-form';
import { EDIT_FIELDS, FIELD_LABELS, formValuesOf, inputOf, readableValues } from './presentation';
import { parseTrajectoryForm, TrajectoryCreateForm, TrajectoryEditForm, TrajectoryParams, type TrajectoryInput } from './schemas';
import type { TrajectoryRecord } from './service';

/** The trajectory of the URL, only as one of the participant of the URL (loaded by the parent router). */
async function trajectoryOf({ trajectories }: Services, req: Request, res: ParticipantResponse): Promise<TrajectoryRecord> {
  const { tid } = paramsOr404(TrajectoryParams, req);
  const trajectory = await trajectories.findTrajectory(res.locals.viewer, res.locals.participant.id, tid);
  if (!trajectory) throw notFound();
  return trajectory;
}

function now({ clock }: Services): Date {
  return clock.now().toJSDate();
}

function profilePath(res: ParticipantResponse): string {
  return `/participants/${res.locals.participant.id}`;
}

interface FormPage extends FormState {
  trajectory?: TrajectoryRecord;
}

async function renderForm({ trajectories }: Services, res: ParticipantResponse, status: number, page: FormPage) {
  const { participant, t } = res.locals;
  const commissioners = await trajectories.commissionerChoices(page.trajectory);
  res.status(status).render('trajectories/form', {
    title: t(page.trajectory ? 'trajectories.form.editTitle' : 'trajectories.form.createTitle'),
    mode: page.trajectory ? 'edit' : 'create',
    participant,
    trajectory: page.trajectory ?? null,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
    commissioners,
    kinds: TRAJECTORY_KINDS,
  });
}

/** The page for a trajectory that has ended: there is nothing left to change. */
function renderAlreadyClosed(res: ParticipantResponse, status: number, trajectory: TrajectoryRecord) {
  const { participant, t } = res.locals;
  res.status(status).render('trajectories/already-closed', {
    title: t('trajectories.alreadyClosed.title'),
    participant,
    trajectory,
  });
}

/** GET /participants/:id/trajectories/new: the form, or where the open trajectory is when there is one. */
export async function showNewTrajectoryForm(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant, fmt, t } = res.locals;
  const open = await services.trajectories.openTrajectoryOf(participant.id);
  if (open) return res.render('trajectories/open-exists', { title: t('trajectories.form.createTitle'), participant, open });
  const values = {
    submissionToken: newSubmissionToken(),
    commissionerId: '',
    kind: 'jobcoaching',
    startDate: fmt.dateInput(viewer.today),
    ...(await valuesAfterHandover(services, req, res)),
  };
  await renderForm(services, res, 200, { values, errors: {} });
}

/**
 * `?after=<trajectory>`: the form opened from a handover ("start the next trajectory") starts on the
 * handover date, with the commissioner when the receiving organisation obviously is one. Anything
 * else in the query (or a handover the viewer cannot see) leaves the form as usual.
 */
async function valuesAfterHandover(services: Services, req: Request, res: ParticipantResponse): Promise<Record<string, string>> {
  const { after } = NextTrajectoryQuery.parse(req.query);
  if (after === undefined) return {};
  const prefill = await services.handovers.nextTrajectoryPrefill(res.locals.viewer, res.locals.participant.id, after);
  if (!prefill) return {};
  return {
    startDate: res.locals.fmt.dateInput(prefill.startDate),
    ...(prefill.commissionerId !== null ? { commissionerId: String(prefill.commissionerId) } : {}),
  };
}

/** POST /participants/:id/trajectories/new: a second submit of the same form lands on the profile. */
export async function createTrajectory(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  await postForm(req, res, {
    parse: (body) => parseTrajectoryForm(TrajectoryCreateForm, body),
    render: (status, state) => renderForm(services, res, status, state),
    save: ({ submissionToken, ...input }) =>
      services.trajectories.createTrajectory(viewer, participant.id, input, submissionToken, now(services)),
    saved: (created) => withNotice(created.path, 'trajectoryCreated'),
  });
}

/** GET /participants/:id/trajectories/:tid/edit */
export async function showEditTrajectoryForm(services: Services, req: Request, res: ParticipantResponse) {
  const { fmt, locale } = res.locals;
  const trajectory = await trajectoryOf(services, req, res);
  if (trajectory.actualEndDate !== null) return renderAlreadyClosed(res, 200, trajectory);
  await renderForm(services, res, 200, { trajectory, values: formValuesOf(trajectory, fmt, locale), errors: {} });
}

/** A stale edit: the stored version beside what the person sent, with names rather than ids. */
async function renderEditConflict(
  { trajectories }: Services,
  res: ParticipantResponse,
  edit: { trajectory: TrajectoryRecord; current: TrajectoryRecord; yours: TrajectoryInput; values: Record<string, string> },
) {
  const choices = await trajectories.commissionerChoices(edit.current);
  const base = profilePath(res);
  renderConflict(res, {
    backHref: base,
    action: `${base}/trajectories/${edit.trajectory.id}/edit`,
    labels: FIELD_LABELS,
    fields: EDIT_FIELDS,
    current: readableValues(inputOf(edit.current), choices, res.locals),
    yours: readableValues(edit.yours, choices, res.locals),
    resubmit: {
      ...Object.fromEntries(EDIT_FIELDS.map((field) => [field, edit.values[field] ?? ''])),
      version: String(edit.current.version),
    },
  });
}

/** POST /participants/:id/trajectories/:tid/edit */
export async function saveTrajectory(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const trajectory = await trajectoryOf(services, req, res);
  await postForm(req, res, {
    parse: (body) => parseTrajectoryForm(TrajectoryEditForm, body),
    render: (status, state) => renderForm(services, res, status, { trajectory, ...state }),
    save: (form) => services.trajectories.updateTrajectory(viewer, participant.id, trajectory.id, form, now(services)),
    saved: (outcome, { values, data }) => {
      if (outcome.kind === 'saved') return withNotice(profilePath(res), 'trajectoryUpdated');
      if (outcome.kind === 'closed') return answeredWith(renderAlreadyClosed(res, 409, outcome.current));
      // The conflict page compares the form as it was read with the stored trajectory.
      return answeredWith(renderEditConflict(services, res, { trajectory, current: outcome.current, yours: data, values }));
    },
  });
}

interface ClosePage extends FormState {
  trajectory: TrajectoryRecord;
}

async function renderClose(services: Services, res: ParticipantResponse, status: number, page: ClosePage) {
  const { participant, t } = res.locals;
  // The handover's fields sit on the same form (views/handovers/_close-fields.ejs), picked from the directory.
  const organisations = await services.directory.organisationOptions();
  res.status(status).render('trajectories/close', {
    title: t('trajectories.close.title'),
    participant,
    trajectory: page.trajectory,
    values: page.values,
    errors: page.errors,
    labels: { ...FIELD_LABELS, ...HANDOVER_FIELD_LABELS },
    outcomes: TRAJECTORY_OUTCOMES,
    organisations,
    organisationKinds: ORGANISATION_KINDS,
  });
}

/** GET /participants/:id/trajectories/:tid/close: ends the trajectory on a date with an outcome. */
export async function showCloseTrajectoryForm(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, fmt } = res.locals;
  const trajectory = await trajectoryOf(services, req, res);
  if (trajectory.actualEndDate !== null) return renderAlreadyClosed(res, 200, trajectory);
  const values = { endDate: fmt.dateInput(viewer.today), outcome: '', version: String(trajectory.version) };
  await renderClose(services, res, 200, { trajectory, values, errors: {} });
}

/**
 * POST /participants/:id/trajectories/:tid/close. When the trajectory changed while the page was
 * open, it is shown as it is now and the person is asked again (409).
 */
export async function closeTrajectory(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const trajectory = await trajectoryOf(services, req, res);
  await postForm(req, res, {
    // With the outcome "handover", the handover is recorded with the close (src/handovers).
    parse: parseCloseForm,
    render: (status, state) => renderClose(services, res, status, { trajectory, ...state }),
    save: (form) => services.handovers.closeTrajectory(viewer, participant.id, trajectory.id, form, now(services)),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(profilePath(res), 'trajectoryClosed');
      if (outcome.kind === 'closed') return answeredWith(renderAlreadyClosed(res, 409, outcome.current));
      const changed = {
        values: { ...values, version: String(outcome.current.version) },
        errors: { _form: 'trajectories.close.changed' },
      };
      return answeredWith(renderClose(services, res, 409, { trajectory: outcome.current, ...changed }));
    },
  });
}
