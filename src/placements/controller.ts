import type { Request } from 'express';
import type { ZodType, ZodTypeDef } from 'zod';
import { PLACEMENT_KINDS } from '../db/schema';
import { notFound } from '../lib/errors';
import type { Formatters } from '../lib/format';
import type { Viewer } from '../lib/viewer';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { ParticipantResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { postForm, withNotice, type FormState, answeredWith } from '../web/post-form';
import {
  ACTION_APPLIES,
  DONE_NOTICE,
  EDIT_FIELDS,
  endValuesOf,
  FIELD_LABELS,
  formValuesOf,
  groupByEmployer,
  hoursValuesOf,
  pauseValuesOf,
  readableValues,
  resumeValuesOf,
  withHoursMessage,
  type Action,
} from './presentation';
import {
  PlacementCreateForm,
  PlacementEditForm,
  PlacementEndForm,
  PlacementHoursForm,
  PlacementPauseForm,
  PlacementResumeForm,
  placementParams,
} from './schemas';
import type { ChangeOutcome, PlacementDetail, PlacementRef } from './service';

/** The placement of the URL, only under its own participant (loaded by the parent router) and only while `applies` holds. */
async function placementOf(
  { placements }: Services,
  req: Request,
  res: ParticipantResponse,
  applies: (placement: PlacementDetail) => boolean = () => true,
): Promise<PlacementDetail> {
  const { placementId } = paramsOr404(placementParams, req);
  const placement = await placements.findPlacement(res.locals.viewer, res.locals.participant.id, placementId);
  if (!placement || !applies(placement)) throw notFound();
  return placement;
}

function refOf(res: ParticipantResponse, placement: PlacementDetail): PlacementRef {
  return { participantId: res.locals.participant.id, placementId: placement.id };
}

function profilePath(res: ParticipantResponse): string {
  return `/participants/${res.locals.participant.id}`;
}

function now({ clock }: Services): Date {
  return clock.now().toJSDate();
}

// --- create and edit ----------------------------------------------------------------------------

interface FormPage extends FormState {
  placement?: PlacementDetail;
}

async function renderForm(services: Services, res: ParticipantResponse, status: number, page: FormPage) {
  const { participant, t } = res.locals;
  const { placement } = page;
  const [employers, contacts] = await Promise.all([
    placement ? Promise.resolve([]) : services.placements.employerChoices(),
    services.placements.supervisorChoices(placement?.employerId),
  ]);
  res.status(status).render('placements/form', {
    title: t(placement ? 'placements.form.editTitle' : 'placements.form.createTitle'),
    mode: placement ? 'edit' : 'create',
    participant,
    placement: placement ?? null,
    employers,
    supervisorGroups: groupByEmployer(contacts),
    kinds: PLACEMENT_KINDS,
    values: page.values,
    errors: withHoursMessage(page.errors),
    labels: FIELD_LABELS,
  });
}

/** GET /participants/:id/placements/new: the form, starting today. */
export async function showNewPlacementForm(services: Services, _req: Request, res: ParticipantResponse) {
  const { viewer, fmt } = res.locals;
  const values = {
    submissionToken: newSubmissionToken(),
    employerId: '',
    supervisorContactId: '',
    kind: '',
    startDate: fmt.dateInput(viewer.today),
    plannedEndDate: '',
  };
  await renderForm(services, res, 200, { values, errors: {} });
}

/** POST /participants/:id/placements/new: a second submit of the same form lands on the profile. */
export async function createPlacement(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  await postForm(req, res, {
    parse: PlacementCreateForm,
    render: (status, state) => renderForm(services, res, status, state),
    save: ({ submissionToken, ...input }) =>
      services.placements.createPlacement(viewer, participant.id, input, submissionToken, now(services)),
    saved: (created) => withNotice(created.path, 'placementCreated'),
  });
}

/** GET /participants/:id/placements/:placementId/edit: for a placement that has not ended. */
export async function showEditPlacementForm(services: Services, req: Request, res: ParticipantResponse) {
  const placement = await placementOf(services, req, res, ACTION_APPLIES.edit);
  await renderForm(services, res, 200, { placement, values: formValuesOf(placement, res.locals.fmt), errors: {} });
}

/** A stale edit: the stored version beside what the person typed, in words rather than codes. */
async function renderEditConflict(
  { placements }: Services,
  res: ParticipantResponse,
  edit: { placement: PlacementDetail; current: PlacementDetail; yours: Record<string, string> },
) {
  const { participant, fmt, t } = res.locals;
  const supervisors = await placements.supervisorChoices(edit.current.employerId);
  const current = formValuesOf(edit.current, fmt);
  renderConflict(res, {
    backHref: profilePath(res),
    action: `/participants/${participant.id}/placements/${edit.placement.id}/edit`,
    labels: FIELD_LABELS,
    fields: EDIT_FIELDS,
    current: readableValues(current, supervisors, t),
    yours: readableValues(edit.yours, supervisors, t),
    resubmit: { ...edit.yours, version: current.version },
  });
}

/** POST /participants/:id/placements/:placementId/edit: found whatever its status, so a stale form gets the conflict. */
export async function savePlacement(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer } = res.locals;
  const placement = await placementOf(services, req, res);
  await postForm(req, res, {
    parse: PlacementEditForm,
    render: (status, state) => renderForm(services, res, status, { placement, ...state }),
    save: (form) => services.placements.updatePlacement(viewer, refOf(res, placement), form, now(services)),
    saved: async (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(profilePath(res), 'placementUpdated');
      return answeredWith(renderEditConflict(services, res, { placement, current: outcome.current, yours: values }));
    },
  });
}

// --- state changes (pause, resume, end) and hours -----------------------------------------------

interface ActionPage extends FormState {
  placement: PlacementDetail;
}

function renderAction(res: ParticipantResponse, status: number, action: Action, page: ActionPage) {
  const { participant, t } = res.locals;
  res.status(status).render(`placements/${action}`, {
    title: t(`placements.${action}.title`),
    participant,
    placement: page.placement,
    // After a conflict the action may no longer fit the placement: then the page says so instead.
    canAct: ACTION_APPLIES[action](page.placement),
    values: page.values,
    errors: withHoursMessage(page.errors),
    labels: FIELD_LABELS,
  });
}

/** An action's form as it opens, for a placement the action applies to (404 otherwise). */
async function showActionForm(
  services: Services,
  req: Request,
  res: ParticipantResponse,
  action: Action,
  valuesOf: (placement: PlacementDetail, viewer: Viewer, fmt: Formatters) => Record<string, string>,
) {
  const { viewer, fmt } = res.locals;
  const placement = await placementOf(services, req, res, ACTION_APPLIES[action]);
  renderAction(res, 200, action, { placement, values: valuesOf(placement, viewer, fmt), errors: {} });
}

type VersionedChange<Form> = (viewer: Viewer, ref: PlacementRef, form: Form, now: Date) => Promise<ChangeOutcome>;

/**
 * Saves a pause, resume or end made at the form's version. The placement is found whatever its
 * status: a stale form whose placement moved on gets the form again (409), showing it as it is now.
 */
async function saveVersionedChange<Form>(
  services: Services,
  req: Request,
  res: ParticipantResponse,
  change: { action: Exclude<Action, 'hours'>; parse: ZodType<Form, ZodTypeDef, unknown>; run: VersionedChange<Form> },
) {
  const { action } = change;
  const placement = await placementOf(services, req, res);
  await postForm(req, res, {
    parse: change.parse,
    render: (status, state) => renderAction(res, status, action, { placement, ...state }),
    save: (form) => change.run(res.locals.viewer, refOf(res, placement), form, now(services)),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(profilePath(res), DONE_NOTICE[action]);
      const current = outcome.current;
      const conflict = {
        values: { ...values, version: String(current.version) },
        errors: { _form: 'placements.conflict.changed' },
      };
      return answeredWith(renderAction(res, 409, action, { placement: current, ...conflict }));
    },
  });
}

/** GET /participants/:id/placements/:placementId/pause: for an active placement. */
export async function showPauseForm(services: Services, req: Request, res: ParticipantResponse) {
  await showActionForm(services, req, res, 'pause', pauseValuesOf);
}

/** POST /participants/:id/placements/:placementId/pause */
export async function pausePlacement(services: Services, req: Request, res: ParticipantResponse) {
  await saveVersionedChange(services, req, res, {
    action: 'pause',
    parse: PlacementPauseForm,
    run: services.placements.pausePlacement,
  });
}

/** GET /participants/:id/placements/:placementId/resume: for a paused placement. */
export async function showResumeForm(services: Services, req: Request, res: ParticipantResponse) {
  await showActionForm(services, req, res, 'resume', resumeValuesOf);
}

/** POST /participants/:id/placements/:placementId/resume */
export async function resumePlacement(services: Services, req: Request, res: ParticipantResponse) {
  await saveVersionedChange(services, req, res, {
    action: 'resume',
    parse: PlacementResumeForm,
    run: services.placements.resumePlacement,
  });
}

/** GET /participants/:id/placements/:placementId/end: for a placement that has not ended. */
export async function showEndForm(services: Services, req: Request, res: ParticipantResponse) {
  await showActionForm(services, req, res, 'end', endValuesOf);
}

/** POST /participants/:id/placements/:placementId/end */
export async function endPlacement(services: Services, req: Request, res: ParticipantResponse) {
  await saveVersionedChange(services, req, res, {
    action: 'end',
    parse: PlacementEndForm,
    run: services.placements.endPlacement,
  });
}

/** GET /participants/:id/placements/:placementId/hours: for an active placement. */
export async function showHoursForm(services: Services, req: Request, res: ParticipantResponse) {
  await showActionForm(services, req, res, 'hours', hoursValuesOf);
}

/** POST /participants/:id/placements/:placementId/hours: the service refuses a placement no longer active at the form. */
export async function changeHours(services: Services, req: Request, res: ParticipantResponse) {
  const placement = await placementOf(services, req, res);
  await postForm(req, res, {
    parse: PlacementHoursForm,
    render: (status, state) => renderAction(res, status, 'hours', { placement, ...state }),
    save: (form) => services.placements.changeHours(res.locals.viewer, refOf(res, placement), form, now(services)),
    saved: () => withNotice(profilePath(res), DONE_NOTICE.hours),
  });
}
