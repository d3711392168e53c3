import type { Request } from 'express';
import { CONTACT_CHANNELS, CONTACT_COUNTERPARTS, CONTACT_OUTCOMES } from '../db/schema';
import { notFound } from '../lib/errors';
import { submittedValues } from '../lib/forms';
import { safeLocalPath } from '../lib/safe-redirect';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { attendeesOnForm, attendeeValues, selectionOf, type AttendeeRow } from '../network/service';
import { renderToday } from '../today/controller';
import { withCallBackChoice } from '../today/presentation';
import { renderConflict } from '../web/conflict';
import type { ParticipantResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, postForm, withNotice, type FormState, answeredWith } from '../web/post-form';
import {
  DETAIL_NOTICES,
  EDIT_FIELDS,
  EDIT_REFUSAL_NOTICES,
  FIELD_LABELS,
  formValuesOf,
  nowAsFormValues,
  readableValues,
  trajectoryNameOf,
  trajectoryOptionsOf,
} from './presentation';
import {
  AddendumForm,
  ContactCreateForm,
  ContactEditForm,
  contactParams,
  goalIdsFrom,
  inFieldOrder,
  NEXT_SHORTCUTS,
  parseContactForm,
  WELLBEING_ASPECTS,
  WELLBEING_FIELDS,
  WELLBEING_LEVELS,
} from './schemas';
import {
  editableUntil,
  editRefusalOf,
  resolveContactInput,
  type ContactRecord,
  type EditRefusal,
  type LinkedGoalRow,
} from './service';
import { afterSeeing } from '../web/navigation';

/**
 * Who took part, as the edit form ticks it: what is recorded, or — for a moment logged before
 * anyone was recorded — the participant when the contact was with them.
 */
function recordedValues(contact: ContactRecord, recorded: AttendeeRow[]): string {
  if (recorded.length > 0) return attendeeValues(selectionOf(recorded));
  return contact.counterpart === 'participant' ? 'participant' : '';
}

/** The contact moment of the URL, only under its own participant (already loaded by the parent router). */
async function contactOf({ contacts }: Services, req: Request, res: ParticipantResponse): Promise<ContactRecord> {
  const { contactId } = paramsOr404(contactParams, req);
  const contact = await contacts.findContact(res.locals.viewer, res.locals.participant.id, contactId);
  if (!contact) throw notFound();
  return contact;
}

interface FormPage extends FormState {
  contact?: ContactRecord;
  linked?: LinkedGoalRow[];
  /** Who is recorded as having taken part (edit form), so they stay offered. */
  recorded?: AttendeeRow[];
}

async function renderForm(services: Services, res: ParticipantResponse, status: number, page: FormPage) {
  const { participant, t } = res.locals;
  const { contact } = page;
  // A contact whose trajectory was chosen keeps that one on offer, even where nothing overlaps any more.
  const chosen = contact?.trajectoryChosen ? contact.trajectoryId : null;
  const choices = await services.contacts.contactFormChoices(participant.id, page.linked ?? [], page.recorded ?? [], chosen);
  const returnTo = page.values.returnTo ? safeLocalPath(page.values.returnTo, '') : '';
  const name = `${participant.firstName} ${participant.lastName}`;
  res.status(status).render('contacts/form', {
    title: t(contact ? 'contacts.form.editTitle' : 'contacts.form.createTitle', { name }),
    mode: contact ? 'edit' : 'create',
    participant,
    contact: contact ?? null,
    editableUntil: contact ? editableUntil(contact) : null,
    values: { ...page.values, returnTo },
    errors: inFieldOrder(page.errors),
    labels: FIELD_LABELS,
    checkedGoalIds: (page.values.goalIds ?? '').split(',').filter(Boolean),
    checkedAttendees: (page.values.attendees ?? '').split(',').filter(Boolean),
    cancelHref:
      returnTo ||
      (contact ? `/participants/${participant.id}/contacts/${contact.id}` : `/participants/${participant.id}#timeline`),
    channels: CONTACT_CHANNELS,
    counterparts: CONTACT_COUNTERPARTS,
    outcomes: CONTACT_OUTCOMES,
    shortcuts: NEXT_SHORTCUTS,
    wellbeingAspects: WELLBEING_ASPECTS.map((aspect) => ({ aspect, field: WELLBEING_FIELDS[aspect] })),
    wellbeingLevels: WELLBEING_LEVELS,
    trajectoryOptions: trajectoryOptionsOf(choices.trajectories, res.locals),
    ...choices,
  });
}

/** GET /participants/:id/contacts/new: the log form, set to a 10-minute phone call reached now. */
export async function showNewContactForm(services: Services, req: Request, res: ParticipantResponse) {
  const values = {
    submissionToken: newSubmissionToken(),
    returnTo: typeof req.query.returnTo === 'string' ? req.query.returnTo : '',
    ...nowAsFormValues(services.clock.now(), res.locals.fmt, services.config.timeZone),
    channel: 'phone',
    counterpart: 'participant',
    outcome: 'reached',
    // Empty: 10 minutes when reached, 0 for a call-back request (the hint says so).
    durationMinutes: '',
    nextShortcut: '',
    attendees: 'participant',
  };
  await renderForm(services, res, 200, { values, errors: {} });
}

/**
 * POST /participants/:id/contacts/new, from the form or a quick log on /today or the profile: it
 * goes back where it came from (returnTo), also when the same form is sent twice.
 */
export async function logContact(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant, fmt } = res.locals;
  const { clock, config } = services;
  const goalIds = goalIdsFrom(req.body);
  const attendees = attendeesOnForm(req.body);
  const returnTo = (values: Record<string, string>) => (values.returnTo ? safeLocalPath(values.returnTo, '') : '');
  // A quick log on /today names the row after it, where the focus goes once it is saved; after the
  // last row, the message that says what was saved.
  const body = (req.body ?? {}) as Record<string, unknown>;
  const isQuickLog = body.quickLog === '1';
  const nextRow = typeof body.nextRow === 'string' ? body.nextRow : '';
  const afterToday = (contactId: number) =>
    `/today?logged=${contactId}#${/^\d{1,9}$/.test(nextRow) ? `participant-${nextRow}` : 'today-status'}`;
  await postForm(req, res, {
    parse: (body) => parseContactForm(ContactCreateForm, isQuickLog ? withCallBackChoice(body) : body),
    render: (status, { values, errors }) => {
      // A refused quick log stays on /today, its messages beside its row with what was typed (the
      // full form opened from /today also returns there, but shows its own messages itself).
      if (isQuickLog) {
        return renderToday(services, res, status, { failed: { participantId: participant.id, values, errors } });
      }
      // A quick log that failed leaves the moment empty ("now"): show when it was, so it stays true.
      const when = !values.occurredDate && !values.occurredTime ? nowAsFormValues(clock.now(), fmt, config.timeZone) : {};
      const lists = { goalIds: goalIds.join(','), ...(attendees ? { attendees: attendeeValues(attendees) } : {}) };
      const withLists = { ...values, ...when, ...lists };
      return renderForm(services, res, status, { values: withLists, errors });
    },
    save: ({ submissionToken, returnTo: _returnTo, ...fields }) => {
      const input = { ...resolveContactInput(fields, goalIds, clock.now(), config.timeZone), attendees };
      return services.contacts.createContact(viewer, participant.id, input, submissionToken, clock.now().toJSDate());
    },
    saved: (created, { values }) =>
      returnTo(values) === '/today'
        ? afterToday(created.value)
        : returnTo(values) || `/participants/${participant.id}?done=contactLogged#timeline`,
    duplicate: (storedAt, { values }) => returnTo(values) || storedAt,
  });
}

interface DetailPage {
  contact: ContactRecord;
  refusal?: EditRefusal | null;
  addendum?: FormState;
}

async function renderDetail(services: Services, req: Request, res: ParticipantResponse, status: number, page: DetailPage) {
  const { viewer, participant, fmt, t } = res.locals;
  const { contact } = page;
  const [detail, feedback, supportRequests] = await Promise.all([
    services.contacts.viewContact(viewer, contact),
    services.reviews.reviewFeedbackFor([contact.id]),
    services.support.requestsAbout(
      viewer,
      { participantId: participant.id, contactMomentId: contact.id },
      services.clock.now().toJSDate(),
    ),
  ]);
  const refusal = editRefusalOf(contact, viewer, participant.status, services.clock.now());
  res.locals.navigation = afterSeeing(
    res.locals.navigation,
    '/support',
    supportRequests.filter((request) => request.newAnswer).length,
  );
  res.status(status).render('contacts/detail', {
    title: t('contacts.detail.title', { date: fmt.date(contact.occurredAt) }),
    participant,
    ...detail,
    feedback: feedback.get(contact.id) ?? [],
    supportRequests,
    canEdit: refusal === null,
    editableUntil: editableUntil(contact),
    canAddAddendum: participant.status !== 'closed',
    refusalNotice: page.refusal ? EDIT_REFUSAL_NOTICES[page.refusal] : null,
    trajectoryName: trajectoryNameOf(contact, res.locals),
    notice: noticeFrom(req, DETAIL_NOTICES),
    values: page.addendum?.values ?? { body: '', submissionToken: newSubmissionToken() },
    errors: page.addendum?.errors ?? {},
    labels: FIELD_LABELS,
  });
}

/** GET /participants/:id/contacts/:contactId: the contact moment with its addenda; the view is audited. */
export async function showContact(services: Services, req: Request, res: ParticipantResponse) {
  await renderDetail(services, req, res, 200, { contact: await contactOf(services, req, res) });
}

/** POST /participants/:id/contacts/:contactId/addenda: anyone who may see the open participant may add one. */
export async function addAddendum(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const contact = await contactOf(services, req, res);
  await postForm(req, res, {
    parse: AddendumForm,
    render: (status, addendum) => renderDetail(services, req, res, status, { contact, addendum }),
    save: ({ body, submissionToken }) =>
      services.contacts.addAddendum(viewer, participant.id, contact.id, body, submissionToken, services.clock.now().toJSDate()),
    saved: (added) => withNotice(`${added.path}#addendum-${added.value}`, 'addendumAdded'),
    duplicate: (storedAt) => `${storedAt}#addenda`,
  });
}

/**
 * GET /participants/:id/contacts/:contactId/edit: only its author, within 24 hours. Someone who may
 * see the contact but not change it gets the contact itself (409) with the reason and the addendum
 * form: the one thing they can still do.
 */
export async function showEditContactForm(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant, fmt } = res.locals;
  const contact = await contactOf(services, req, res);
  const refusal = editRefusalOf(contact, viewer, participant.status, services.clock.now());
  if (refusal) return renderDetail(services, req, res, 409, { contact, refusal });
  const linked = await services.contacts.linkedGoalsOf(contact.id);
  const recorded = await services.contacts.attendeesOfContact(contact.id);
  const values = {
    ...formValuesOf(contact, linked, fmt, services.config.timeZone),
    attendees: recordedValues(contact, recorded),
  };
  await renderForm(services, res, 200, { contact, linked, recorded, values, errors: {} });
}

/** The contact page for an edit that is not (or no longer) allowed; a changed summary waits in the addendum form. */
function renderRefusal(services: Services, req: Request, res: ParticipantResponse, refusal: EditRefusal, current: ContactRecord) {
  const typed = (submittedValues(req.body).summary ?? '').trim();
  const body = typed && typed !== (current.summary ?? '') ? typed.slice(0, 4000) : '';
  const addendum = { values: { body, submissionToken: newSubmissionToken() }, errors: {} };
  return renderDetail(services, req, res, 409, { contact: current, refusal, addendum });
}

/** A stale edit: the stored version beside what the person typed, in words rather than codes. */
function renderEditConflict(
  { config }: Services,
  res: ParticipantResponse,
  edit: { base: string; current: ContactRecord; goals: LinkedGoalRow[]; yours: Record<string, string> },
) {
  const { fmt, t } = res.locals;
  const current = formValuesOf(edit.current, edit.goals, fmt, config.timeZone);
  renderConflict(res, {
    backHref: edit.base,
    action: `${edit.base}/edit`,
    labels: FIELD_LABELS,
    fields: EDIT_FIELDS,
    current: readableValues(current, t),
    yours: readableValues(edit.yours, t),
    resubmit: { ...edit.yours, version: current.version },
  });
}

/** POST /participants/:id/contacts/:contactId/edit */
export async function saveContact(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const { clock, config } = services;
  const contact = await contactOf(services, req, res);
  const refusal = editRefusalOf(contact, viewer, participant.status, clock.now());
  if (refusal) return renderRefusal(services, req, res, refusal, contact);
  const [linked, goalIds] = [await services.contacts.linkedGoalsOf(contact.id), goalIdsFrom(req.body)];
  const [recorded, attendees] = [await services.contacts.attendeesOfContact(contact.id), attendeesOnForm(req.body)];
  const withGoals = (values: Record<string, string>) => ({
    ...values,
    goalIds: goalIds.join(','),
    ...(attendees ? { attendees: attendeeValues(attendees) } : {}),
  });
  const base = `/participants/${participant.id}/contacts/${contact.id}`;
  await postForm(req, res, {
    parse: (body) => parseContactForm(ContactEditForm, body),
    render: (status, { values, errors }) =>
      renderForm(services, res, status, { contact, linked, recorded, values: withGoals(values), errors }),
    save: ({ version, ...fields }) => {
      const input = {
        ...resolveContactInput({ ...fields, nextShortcut: null }, goalIds, clock.now(), config.timeZone),
        attendees,
      };
      return services.contacts.updateContact(viewer, participant.id, contact.id, version, input, clock.now());
    },
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return `${base}?done=updated`;
      if (outcome.kind === 'refused') {
        if (outcome.reason === 'participantClosed') throw notFound();
        return answeredWith(renderRefusal(services, req, res, outcome.reason, outcome.current));
      }
      return answeredWith(
        renderEditConflict(services, res, { base, current: outcome.current, goals: outcome.goals, yours: withGoals(values) }),
      );
    },
  });
}
