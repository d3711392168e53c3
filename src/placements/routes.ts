import { Router, type Request, type Response } from 'express';
import type { z, ZodTypeAny } from 'zod';
import type { AppDeps } from '../app-deps';
import { PLACEMENT_KINDS } from '../db/schema';
import { FormRejection, notFound } from '../lib/errors';
import type { Formatters } from '../lib/format';
import { idParam } from '../lib/form-fields';
import { parseForm } from '../lib/forms';
import { viewerFor, type Viewer } from '../lib/viewer';
import { renderConflict } from '../web/conflict';
import { paramsOr404 } from '../web/params';
import { findOpenParticipant, type ParticipantRecord } from '../participants/service';
import { newSubmissionToken } from '../platform/submissions/service';
import {
  changeHours,
  createPlacement,
  employerChoices,
  endPlacement,
  findPlacement,
  hoursOn,
  pausePlacement,
  resumePlacement,
  supervisorChoices,
  updatePlacement,
  type ChangeOutcome,
  type ContactOption,
  type PlacementDetail,
  type PlacementRef,
} from './service';
import {
  PlacementCreateForm,
  PlacementEditForm,
  PlacementEndForm,
  PlacementHoursForm,
  PlacementPauseForm,
  PlacementResumeForm,
  placementParams,
} from './schemas';

const FIELD_LABELS: Record<string, string> = {
  employerId: 'placements.form.employer',
  supervisorContactId: 'placements.form.supervisor',
  kind: 'placements.form.kind',
  jobTitle: 'placements.form.jobTitle',
  startDate: 'placements.form.startDate',
  hoursPerWeek: 'placements.form.hoursPerWeek',
  pauseReason: 'placements.pause.reason',
  pausedSince: 'placements.pause.pausedSince',
  resumedOn: 'placements.resume.resumedOn',
  endDate: 'placements.end.endDate',
  effectiveFrom: 'placements.hours.effectiveFrom',
  note: 'placements.hours.note',
};

/** The edit form's fields in the order the conflict page lists them. */
const EDIT_FIELDS = ['kind', 'jobTitle', 'supervisorContactId', 'startDate'] as const;

/** The generic number message does not say which range applies; for hours it does. */
function withHoursMessage(errors: Record<string, string>): Record<string, string> {
  return errors.hoursPerWeek === 'validation.number' ? { ...errors, hoursPerWeek: 'placements.form.hoursRange' } : errors;
}

/** Hours as a form shows them again: 24 or 12,5 (12.5 in English). */
function hoursInput(fmt: Formatters, hours: number | null): string {
  return hours === null ? '' : fmt.number(hours, hours % 1 ? 1 : 0);
}

interface SupervisorGroup {
  employerId: number;
  employerName: string;
  contacts: Array<{ id: number; name: string; role: ContactOption['role'] }>;
}

function groupByEmployer(contacts: ContactOption[]): SupervisorGroup[] {
  const groups: SupervisorGroup[] = [];
  for (const contact of contacts) {
    let group = groups.at(-1);
    if (!group || group.employerId !== contact.employerId) {
      group = { employerId: contact.employerId, employerName: contact.employerName, contacts: [] };
      groups.push(group);
    }
    group.contacts.push({ id: contact.id, name: contact.name, role: contact.role });
  }
  return groups;
}

type Action = 'pause' | 'resume' | 'end' | 'hours';

/** Which placements an action applies to: the profile shows its link only then. */
const ACTION_APPLIES: Record<Action | 'edit', (placement: PlacementDetail) => boolean> = {
  edit: (placement) => placement.status !== 'ended',
  pause: (placement) => placement.status === 'active',
  resume: (placement) => placement.status === 'paused',
  end: (placement) => placement.status !== 'ended',
  hours: (placement) => placement.status === 'active',
};

export function placementRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;
  const viewerOf = (req: Request): Viewer => viewerFor(req.user!, clock, config.timeZone);
  const now = () => clock.now().toJSDate();

  /** The participant of the URL, when the viewer may see them and they are not closed. */
  async function openParticipantOr404(req: Request): Promise<{ viewer: Viewer; participant: ParticipantRecord }> {
    const params = paramsOr404(idParam, req);
    const viewer = viewerOf(req);
    const participant = await findOpenParticipant(db, viewer, params.id);
    if (!participant) throw notFound();
    return { viewer, participant };
  }

  /** The placement of the URL, only under its own participant and only while `applies` holds. */
  async function placementOr404(
    req: Request,
    applies: (placement: PlacementDetail) => boolean,
  ): Promise<{ viewer: Viewer; participant: ParticipantRecord; placement: PlacementDetail }> {
    const params = paramsOr404(placementParams, req);
    const { viewer, participant } = await openParticipantOr404(req);
    const placement = await findPlacement(db, viewer, participant.id, params.placementId);
    if (!placement || !applies(placement)) throw notFound();
    return { viewer, participant, placement };
  }

  const profilePath = (participant: ParticipantRecord) => `/participants/${participant.id}`;

  // --- create and edit --------------------------------------------------------------------------

  async function renderForm(
    res: Response,
    status: number,
    data: {
      participant: ParticipantRecord;
      placement?: PlacementDetail;
      values: Record<string, string>;
      errors?: Record<string, string>;
    },
  ) {
    const { participant, placement } = data;
    const [employers, contacts] = await Promise.all([
      placement ? Promise.resolve([]) : employerChoices(db),
      supervisorChoices(db, placement?.employerId),
    ]);
    const t = res.locals.t;
    res.status(status).render('placements/form', {
      title: t(placement ? 'placements.form.editTitle' : 'placements.form.createTitle'),
      mode: placement ? 'edit' : 'create',
      participant,
      placement: placement ?? null,
      employers,
      supervisorGroups: groupByEmployer(contacts),
      kinds: PLACEMENT_KINDS,
      values: data.values,
      errors: withHoursMessage(data.errors ?? {}),
      labels: FIELD_LABELS,
    });
  }

  router.get('/participants/:id/placements/new', async (req, res) => {
    const { viewer, participant } = await openParticipantOr404(req);
    await renderForm(res, 200, {
      participant,
      values: {
        submissionToken: newSubmissionToken(),
        employerId: '',
        supervisorContactId: '',
        kind: '',
        startDate: res.locals.fmt.dateInput(viewer.today),
      },
    });
  });

  router.post('/participants/:id/placements/new', async (req, res) => {
    const { viewer, participant } = await openParticipantOr404(req);
    const form = parseForm(PlacementCreateForm, req.body);
    if (!form.ok) return renderForm(res, 422, { participant, values: form.values, errors: form.errors });
    try {
      const { submissionToken, ...input } = form.data;
      const outcome = await createPlacement(db, viewer, participant.id, input, submissionToken, now());
      if (outcome.kind === 'duplicate' && !outcome.path) {
        return renderForm(res, 422, {
          participant,
          values: { ...form.values, submissionToken: newSubmissionToken() },
          errors: { _form: 'validation.expiredForm' },
        });
      }
      res.redirect(303, outcome.kind === 'created' ? `${outcome.path}?done=placementCreated` : outcome.path);
    } catch (error) {
      if (error instanceof FormRejection) return renderForm(res, 422, { participant, values: form.values, errors: error.errors });
      throw error;
    }
  });

  function editValuesOf(placement: PlacementDetail, fmt: Formatters): Record<string, string> {
    return {
      kind: placement.kind,
      jobTitle: placement.jobTitle,
      supervisorContactId: placement.supervisorContactId === null ? '' : String(placement.supervisorContactId),
      startDate: fmt.dateInput(placement.startDate),
      version: String(placement.version),
    };
  }

  router.get('/participants/:id/placements/:placementId/edit', async (req, res) => {
    const { participant, placement } = await placementOr404(req, ACTION_APPLIES.edit);
    await renderForm(res, 200, { participant, placement, values: editValuesOf(placement, res.locals.fmt) });
  });

  router.post('/participants/:id/placements/:placementId/edit', async (req, res) => {
    const { viewer, participant, placement } = await placementOr404(req, () => true);
    const form = parseForm(PlacementEditForm, req.body);
    if (!form.ok) return renderForm(res, 422, { participant, placement, values: form.values, errors: form.errors });
    let outcome: ChangeOutcome;
    try {
      outcome = await updatePlacement(db, viewer, { participantId: participant.id, placementId: placement.id }, form.data, now());
    } catch (error) {
      if (error instanceof FormRejection) {
        return renderForm(res, 422, { participant, placement, values: form.values, errors: error.errors });
      }
      throw error;
    }
    if (outcome.kind === 'notFound') throw notFound();
    if (outcome.kind === 'conflict') {
      const { t, fmt } = res.locals;
      const contacts = await supervisorChoices(db, outcome.current.employerId);
      const supervisorName = (id: string | undefined) => contacts.find((contact) => String(contact.id) === id)?.name ?? '';
      const kindLabel = (kind: string | undefined) =>
        (PLACEMENT_KINDS as readonly string[]).includes(kind ?? '') ? t(`placements.kinds.${kind}`) : (kind ?? '');
      const current = editValuesOf(outcome.current, fmt);
      const readable = (values: Record<string, string>) => ({
        ...values,
        kind: kindLabel(values.kind),
        supervisorContactId: supervisorName(values.supervisorContactId),
      });
      return renderConflict(res, {
        backHref: profilePath(participant),
        action: `/participants/${participant.id}/placements/${placement.id}/edit`,
        labels: FIELD_LABELS,
        fields: EDIT_FIELDS,
        current: readable(current),
        yours: readable(form.values),
        resubmit: { ...form.values, version: current.version },
      });
    }
    res.redirect(303, `${profilePath(participant)}?done=placementUpdated`);
  });

  // --- state changes: pause, resume, end ---------------------------------------------------------

  async function renderAction(
    res: Response,
    status: number,
    action: Action,
    data: {
      participant: ParticipantRecord;
      placement: PlacementDetail;
      values: Record<string, string>;
      errors?: Record<string, string>;
    },
  ) {
    res.status(status).render(`placements/${action}`, {
      title: res.locals.t(`placements.${action}.title`),
      participant: data.participant,
      placement: data.placement,
      // After a conflict the action may no longer fit the placement: then the page says so instead.
      canAct: ACTION_APPLIES[action](data.placement),
      values: data.values,
      errors: withHoursMessage(data.errors ?? {}),
      labels: FIELD_LABELS,
    });
  }

  /** Hours before the pause (the last non-zero figure), offered again when resuming. */
  function hoursBeforePause(placement: PlacementDetail): number | null {
    const pausedSince = placement.pausedSince ?? placement.startDate;
    return placement.hoursHistory.find((row) => row.effectiveFrom < pausedSince && row.hoursPerWeek > 0)?.hoursPerWeek ?? null;
  }

  const defaultValues: Record<
    Exclude<Action, 'hours'>,
    (placement: PlacementDetail, viewer: Viewer, fmt: Formatters) => Record<string, string>
  > = {
    pause: (placement, viewer, fmt) => ({
      pauseReason: '',
      pausedSince: fmt.dateInput(viewer.today),
      version: String(placement.version),
    }),
    resume: (placement, viewer, fmt) => ({
      resumedOn: fmt.dateInput(viewer.today),
      hoursPerWeek: hoursInput(fmt, hoursBeforePause(placement)),
      version: String(placement.version),
    }),
    end: (placement, viewer, fmt) => ({ endDate: fmt.dateInput(viewer.today), version: String(placement.version) }),
  };

  // The profile names what just happened rather than a generic "changed".
  const DONE_NOTICE: Record<Exclude<Action, 'hours'>, string> = {
    pause: 'placementPaused',
    resume: 'placementResumed',
    end: 'placementEnded',
  };

  /** GET shows the confirmation form, POST saves the versioned change (or shows the conflict). */
  function versionedAction<S extends ZodTypeAny>(
    action: Exclude<Action, 'hours'>,
    schema: S,
    run: (db: AppDeps['db'], viewer: Viewer, ref: PlacementRef, form: z.output<S>, now: Date) => Promise<ChangeOutcome>,
  ) {
    router.get(`/participants/:id/placements/:placementId/${action}`, async (req, res) => {
      const { viewer, participant, placement } = await placementOr404(req, ACTION_APPLIES[action]);
      await renderAction(res, 200, action, {
        participant,
        placement,
        values: defaultValues[action](placement, viewer, res.locals.fmt),
      });
    });

    router.post(`/participants/:id/placements/:placementId/${action}`, async (req, res) => {
      // Found regardless of status: a stale form whose placement moved on gets the conflict page.
      const { viewer, participant, placement } = await placementOr404(req, () => true);
      const form = parseForm(schema, req.body);
      if (!form.ok) return renderAction(res, 422, action, { participant, placement, values: form.values, errors: form.errors });
      let outcome: ChangeOutcome;
      try {
        outcome = await run(db, viewer, { participantId: participant.id, placementId: placement.id }, form.data, now());
      } catch (error) {
        if (error instanceof FormRejection) {
          return renderAction(res, 422, action, { participant, placement, values: form.values, errors: error.errors });
        }
        throw error;
      }
      if (outcome.kind === 'notFound') throw notFound();
      if (outcome.kind === 'conflict') {
        return renderAction(res, 409, action, {
          participant,
          placement: outcome.current,
          values: { ...form.values, version: String(outcome.current.version) },
          errors: { _form: 'placements.conflict.changed' },
        });
      }
      res.redirect(303, `${profilePath(participant)}?done=${DONE_NOTICE[action]}`);
    });
  }

  versionedAction('pause', PlacementPauseForm, pausePlacement);
  versionedAction('resume', PlacementResumeForm, resumePlacement);
  versionedAction('end', PlacementEndForm, endPlacement);

  // --- hours ----------------------------------------------------------------------------------

  router.get('/participants/:id/placements/:placementId/hours', async (req, res) => {
    const { viewer, participant, placement } = await placementOr404(req, ACTION_APPLIES.hours);
    const fmt = res.locals.fmt;
    await renderAction(res, 200, 'hours', {
      participant,
      placement,
      values: {
        effectiveFrom: fmt.dateInput(viewer.today),
        hoursPerWeek: hoursInput(fmt, hoursOn(placement.hoursHistory, viewer.today)),
        note: '',
      },
    });
  });

  router.post('/participants/:id/placements/:placementId/hours', async (req, res) => {
    const { viewer, participant, placement } = await placementOr404(req, () => true);
    const form = parseForm(PlacementHoursForm, req.body);
    if (!form.ok) return renderAction(res, 422, 'hours', { participant, placement, values: form.values, errors: form.errors });
    try {
      const outcome = await changeHours(
        db,
        viewer,
        { participantId: participant.id, placementId: placement.id },
        form.data,
        now(),
      );
      if (outcome.kind === 'notFound') throw notFound();
    } catch (error) {
      if (error instanceof FormRejection) {
        return renderAction(res, 422, 'hours', { participant, placement, values: form.values, errors: error.errors });
      }
      throw error;
    }
    res.redirect(303, `${profilePath(participant)}?done=placementHoursChanged`);
  });

  return router;
}
