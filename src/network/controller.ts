import type { Request } from 'express';
import { NETWORK_ROLES } from '../db/schema';
import { notFound } from '../lib/errors';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { ParticipantResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { answeredWith, postForm, withNotice, type FormState } from '../web/post-form';
import { EDIT_FIELDS, endDefaults, FIELD_LABELS, formValuesOf, profileNetwork, readableValues } from './presentation';
import { NetworkPersonCreateForm, NetworkPersonEditForm, NetworkPersonEndForm, NetworkPersonParams } from './schemas';
import type { NetworkChangeOutcome, VisibleNetworkPersonRow } from './service';

/** The network person of the URL, still involved, under its own participant (already loaded by the parent router). */
async function personOf({ network }: Services, req: Request, res: ParticipantResponse): Promise<VisibleNetworkPersonRow> {
  const { personId } = paramsOr404(NetworkPersonParams, req);
  const person = await network.findNetworkPerson(res.locals.viewer, res.locals.participant.id, personId);
  // An ended person is history: it is shown on the profile, not changed.
  if (!person || person.endedOn !== null) throw notFound();
  return person;
}

const personPath = (person: VisibleNetworkPersonRow) => `/participants/${person.participantId}/network/${person.id}`;

function renderForm(res: ParticipantResponse, status: number, page: FormState & { person?: VisibleNetworkPersonRow }) {
  const { participant, t } = res.locals;
  res.status(status).render('network/form', {
    title: t(page.person ? 'network.form.editTitle' : 'network.form.createTitle'),
    mode: page.person ? 'edit' : 'create',
    participant,
    person: page.person ?? null,
    roles: NETWORK_ROLES,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
  });
}

/** GET /participants/:id/network/new */
export function showNewNetworkPersonForm(_services: Services, req: Request, res: ParticipantResponse) {
  // ?role=fixed_contact from the profile's "add the fixed contact person" link.
  const role =
    typeof req.query.role === 'string' && (NETWORK_ROLES as readonly string[]).includes(req.query.role) ? req.query.role : '';
  renderForm(res, 200, { values: { submissionToken: newSubmissionToken(), role }, errors: {} });
}

/** POST /participants/:id/network/new: back to the profile's network, also when the same form is sent twice. */
export async function createNetworkPerson(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  await postForm(req, res, {
    parse: NetworkPersonCreateForm,
    render: (status, state) => renderForm(res, status, state),
    save: ({ submissionToken, ...input }) =>
      services.network.createNetworkPerson(viewer, participant.id, input, submissionToken, services.clock.now().toJSDate()),
    saved: () => withNotice(profileNetwork(participant.id), 'networkCreated'),
    duplicate: () => profileNetwork(participant.id),
  });
}

/** GET /participants/:id/network/:personId/edit */
export async function showEditNetworkPersonForm(services: Services, req: Request, res: ParticipantResponse) {
  const person = await personOf(services, req, res);
  renderForm(res, 200, { person, values: formValuesOf(person), errors: {} });
}

/** A stale form: the stored person beside what was typed. */
function conflictPage(
  res: ParticipantResponse,
  person: VisibleNetworkPersonRow,
  outcome: NetworkChangeOutcome,
  values: Record<string, string>,
) {
  if (outcome.kind !== 'conflict') throw notFound();
  const { t } = res.locals;
  const current = formValuesOf(outcome.current);
  return answeredWith(
    renderConflict(res, {
      backHref: profileNetwork(person.participantId),
      action: `${personPath(person)}/edit`,
      labels: FIELD_LABELS,
      fields: EDIT_FIELDS,
      current: readableValues(current, t),
      yours: readableValues(values, t),
      resubmit: { ...values, version: current.version },
    }),
  );
}

/** POST /participants/:id/network/:personId/edit: a stale form gets the conflict page. */
export async function saveNetworkPerson(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const person = await personOf(services, req, res);
  await postForm(req, res, {
    parse: NetworkPersonEditForm,
    render: (status, state) => renderForm(res, status, { person, ...state }),
    save: (form) =>
      services.network.updateNetworkPerson(
        viewer,
        { participantId: participant.id, personId: person.id },
        form,
        services.clock.now().toJSDate(),
      ),
    saved: (outcome, { values }) =>
      outcome.kind === 'saved'
        ? withNotice(profileNetwork(participant.id), 'networkUpdated')
        : conflictPage(res, person, outcome, values),
  });
}

function renderEnd(res: ParticipantResponse, status: number, page: FormState & { person: VisibleNetworkPersonRow }) {
  const { participant, t } = res.locals;
  res.status(status).render('network/end', {
    title: t('network.end.title', { name: page.person.name }),
    participant,
    person: page.person,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
  });
}

/** GET /participants/:id/network/:personId/end: asks to confirm, with the day it ended. */
export async function showEndNetworkPersonForm(services: Services, req: Request, res: ParticipantResponse) {
  const person = await personOf(services, req, res);
  renderEnd(res, 200, { person, values: endDefaults(person, res.locals.viewer.today, res.locals.fmt), errors: {} });
}

/** POST /participants/:id/network/:personId/end: someone else changed the person meanwhile → the form again, with why. */
export async function endNetworkPerson(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant, fmt } = res.locals;
  const person = await personOf(services, req, res);
  await postForm(req, res, {
    parse: NetworkPersonEndForm,
    render: (status, state) => renderEnd(res, status, { person, ...state }),
    save: (form) =>
      services.network.endNetworkPerson(
        viewer,
        { participantId: participant.id, personId: person.id },
        form,
        services.clock.now().toJSDate(),
      ),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(profileNetwork(participant.id), 'networkEnded');
      if (outcome.kind !== 'conflict') throw notFound();
      const state = {
        values: { ...values, version: endDefaults(outcome.current, viewer.today, fmt).version! },
        errors: { _form: 'network.end.changed' },
      };
      return answeredWith(renderEnd(res, 409, { person: outcome.current, ...state }));
    },
  });
}
