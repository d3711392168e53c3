import type { Request } from 'express';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { pageTranslator } from '../platform/i18n';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { ParticipantResponse, SignedInResponse } from '../web/context';
import { postForm, withNotice, type FormState, answeredWith, noticeFrom } from '../web/post-form';
import { conflictFields, FIELD_LABELS, formValuesOf, isListFiltered, listQueryString, PROFILE_NOTICES } from './presentation';
import {
  OPEN_STATUSES,
  PARTICIPANT_CLOSE_OUTCOMES,
  ParticipantCloseForm,
  ParticipantCreateForm,
  ParticipantEditForm,
  ParticipantListQuery,
  RISK_FILTERS,
} from './schemas';
import type { ParticipantRecord } from './service';
import { afterSeeing } from '../web/navigation';

/**
 * GET /participants: search, filter (status, coach, team, stored risk level), sort and paginate
 * the participants the viewer may see.
 */
export async function listParticipants({ participants }: Services, req: Request, res: SignedInResponse) {
  const { viewer } = res.locals;
  const filters = ParticipantListQuery.parse(req.query);
  const page = pageFromQuery(req.query);
  const [{ rows, total }, options] = await Promise.all([
    participants.listPage(viewer, filters, page),
    participants.filterOptions(viewer),
  ]);
  res.render('participants/list', {
    title: res.locals.t('participants.list.title'),
    rows,
    filters,
    options,
    pagination: pageInfo(page, total, rows.length),
    riskFilters: RISK_FILTERS,
    baseQuery: listQueryString(filters),
    isFiltered: isListFiltered(filters),
  });
}

type FormMode = { mode: 'create' } | { mode: 'edit'; participant: ParticipantRecord };

async function renderForm({ participants }: Services, res: SignedInResponse, status: number, form: FormMode & FormState) {
  const { viewer, t } = res.locals;
  const canChooseCoach = viewer.role !== 'coach';
  res.status(status).render('participants/form', {
    title: t(form.mode === 'create' ? 'participants.form.createTitle' : 'participants.form.editTitle'),
    mode: form.mode,
    values: form.values,
    errors: form.errors,
    labels: FIELD_LABELS,
    participant: form.mode === 'edit' ? form.participant : null,
    coaches: canChooseCoach ? await participants.assignableCoaches(viewer) : [],
    canChooseCoach,
    openStatuses: OPEN_STATUSES,
  });
}

/** GET /participants/new */
export async function showNewParticipantForm(services: Services, _req: Request, res: SignedInResponse) {
  const values = { submissionToken: newSubmissionToken(), status: 'intake', preferredChannel: 'phone', coachId: '' };
  await renderForm(services, res, 200, { mode: 'create', values, errors: {} });
}

/** POST /participants: registers a participant; a second submit of the same form lands on the first. */
export async function createParticipant(services: Services, req: Request, res: SignedInResponse) {
  await postForm(req, res, {
    parse: ParticipantCreateForm,
    render: (status, state) => renderForm(services, res, status, { mode: 'create', ...state }),
    save: ({ submissionToken, ...input }) =>
      services.participants.createParticipant(res.locals.viewer, input, submissionToken, services.clock.now().toJSDate()),
    saved: (outcome) => withNotice(outcome.path, 'created'),
  });
}

/** GET /participants/:id: the profile, with everything about the participant; the view is audited. */
export async function showParticipant(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const { config, clock } = services;
  const [, trajectories, placements, timeline, goals, referrals, risk, network, consents, handovers, supportRequests] =
    await Promise.all([
      services.participants.recordProfileView(viewer, participant.id),
      services.trajectories.trajectoriesForProfile(participant.id, config.timeZone),
      services.placements.placementsForProfile(participant.id, viewer.today),
      services.contacts.timelineForProfile(viewer, participant.id, req.query, config.timeZone),
      services.goals.goalsForProfile(participant.id, viewer.today),
      services.referrals.referralsForProfile(participant.id),
      services.risk.riskPanelFor(viewer, participant.id, clock.now(), config.timeZone),
      services.network.networkForProfile(participant.id),
      services.consents.consentsForProfile(participant.id, viewer.today),
      services.handovers.handoversForProfile(participant.id),
      services.support.requestsAbout(viewer, { participantId: participant.id }, clock.now().toJSDate()),
    ]);
  res.locals.navigation = afterSeeing(
    res.locals.navigation,
    '/support',
    supportRequests.filter((request) => request.newAnswer).length,
  );
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
    network,
    consents,
    handovers,
    supportRequests,
    notice: noticeFrom(req, PROFILE_NOTICES),
  });
}

/** GET /participants/:id/edit */
export async function showEditParticipantForm(services: Services, _req: Request, res: ParticipantResponse) {
  const { participant, fmt } = res.locals;
  await renderForm(services, res, 200, { mode: 'edit', participant, values: formValuesOf(participant, fmt), errors: {} });
}

/** POST /participants/:id/edit: saves the person's details; a stale form gets the conflict page. */
export async function saveParticipant(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant, fmt } = res.locals;
  await postForm(req, res, {
    parse: ParticipantEditForm,
    render: (status, state) => renderForm(services, res, status, { mode: 'edit', participant, ...state }),
    save: (form) => services.participants.updateParticipant(viewer, participant.id, form, services.clock.now().toJSDate()),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return `/participants/${participant.id}?done=updated`;
      const current = formValuesOf(outcome.current, fmt);
      return answeredWith(
        renderConflict(res, {
          backHref: `/participants/${participant.id}`,
          action: `/participants/${participant.id}/edit`,
          labels: FIELD_LABELS,
          fields: conflictFields(current),
          current,
          yours: values,
          resubmit: { ...values, version: current.version },
        }),
      );
    },
  });
}

async function renderCloseForm({ participants }: Services, res: ParticipantResponse, status: number, state: FormState) {
  const participant = res.locals.participant;
  res.status(status).render('participants/close', {
    title: res.locals.t('participants.close.title'),
    participant,
    values: state.values,
    errors: state.errors,
    labels: FIELD_LABELS,
    needsOutcome: await participants.closeNeedsOutcome(participant.id),
    outcomes: PARTICIPANT_CLOSE_OUTCOMES,
  });
}

/** GET /participants/:id/close: closing ends the open trajectory and placements, so it is confirmed first. */
export async function showCloseParticipantForm(services: Services, _req: Request, res: ParticipantResponse) {
  const { viewer, participant, fmt } = res.locals;
  const values = { closedOn: fmt.dateInput(viewer.today), outcome: '', version: String(participant.version) };
  await renderCloseForm(services, res, 200, { values, errors: {} });
}

/** POST /participants/:id/close */
export async function closeParticipant(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  await postForm(req, res, {
    parse: ParticipantCloseForm,
    render: (status, state) => renderCloseForm(services, res, status, state),
    save: (form) => services.participants.closeParticipant(viewer, participant.id, form, services.clock.now().toJSDate()),
    saved: async (outcome, { values }) => {
      if (outcome.kind === 'saved') return `/participants/${participant.id}?done=closed`;
      // Changed meanwhile: show it as it is now and ask again.
      res.locals.participant = outcome.current;
      const state = {
        values: { ...values, version: String(outcome.current.version) },
        errors: { _form: 'conflict.closeChanged' },
      };
      return answeredWith(renderCloseForm(services, res, 409, state));
    },
  });
}
