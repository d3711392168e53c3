import { Router, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import type { AppDeps } from '../app-deps';
import { reviewFeedbackFor } from '../reviews/service';
import { CONTACT_CHANNELS, CONTACT_COUNTERPARTS, CONTACT_OUTCOMES } from '../db/schema';
import { renderConflict } from '../web/conflict';
import { FormRejection, notFound } from '../lib/errors';
import type { Formatters } from '../lib/format';
import { idParam } from '../lib/form-fields';
import { parseForm } from '../lib/forms';
import { paramsOr404 } from '../web/params';
import { safeLocalPath } from '../lib/safe-redirect';
import { viewerFor, type Viewer } from '../lib/viewer';
import { findOpenParticipant, findParticipant, type ParticipantRecord } from '../participants/service';
import { newSubmissionToken } from '../platform/submissions/service';
import {
  addAddendum,
  contactFormChoices,
  createContact,
  editableUntil,
  editRefusalOf,
  findContact,
  linkedGoalsOf,
  resolveContactInput,
  updateContact,
  viewContact,
  type ContactRecord,
  type EditRefusal,
  type LinkedGoalRow,
} from './service';
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

const FIELD_LABELS: Record<string, string> = {
  occurredDate: 'contacts.fields.occurredDate',
  occurredTime: 'contacts.fields.occurredTime',
  channel: 'contacts.fields.channel',
  counterpart: 'contacts.fields.counterpart',
  employerId: 'contacts.fields.employer',
  employerContactId: 'contacts.fields.employerContact',
  outcome: 'contacts.fields.outcome',
  durationMinutes: 'contacts.fields.durationMinutes',
  summary: 'contacts.fields.summary',
  wellbeingMood: 'contacts.wellbeing.mood.label',
  wellbeingRhythm: 'contacts.wellbeing.rhythm.label',
  wellbeingSocial: 'contacts.wellbeing.social.label',
  wellbeingActivity: 'contacts.wellbeing.activity.label',
  nextShortcut: 'contacts.fields.nextShortcut',
  nextContactDate: 'contacts.fields.nextContactDate',
  nextContactTime: 'contacts.fields.nextContactTime',
  goalIds: 'contacts.fields.goals',
  body: 'contacts.addenda.body',
};

/** The edit form's fields in the order the conflict page compares them. */
const EDIT_FIELDS = [
  'occurredDate',
  'occurredTime',
  'channel',
  'counterpart',
  'outcome',
  'durationMinutes',
  'summary',
  'wellbeingMood',
  'wellbeingRhythm',
  'wellbeingSocial',
  'wellbeingActivity',
  'nextContactDate',
  'nextContactTime',
] as const;

const EDIT_REFUSAL_NOTICES: Record<EditRefusal, string> = {
  notAuthor: 'contacts.detail.editNotAuthor',
  windowClosed: 'contacts.detail.editWindowClosed',
  participantClosed: 'contacts.detail.participantClosed',
};

const DETAIL_NOTICES: Record<string, string> = {
  updated: 'contacts.notices.updated',
  addendumAdded: 'contacts.notices.addendumAdded',
};

/** A stored contact moment as the edit form shows it. */
function formValuesOf(contact: ContactRecord, goals: LinkedGoalRow[], fmt: Formatters, timeZone: string): Record<string, string> {
  const occurred = DateTime.fromJSDate(contact.occurredAt).setZone(timeZone);
  const text = (value: number | null) => (value === null ? '' : String(value));
  return {
    occurredDate: fmt.dateInput(occurred.toISODate()),
    occurredTime: occurred.toFormat('HH:mm'),
    channel: contact.channel,
    counterpart: contact.counterpart,
    employerId: text(contact.employerId),
    employerContactId: text(contact.employerContactId),
    outcome: contact.outcome,
    durationMinutes: String(contact.durationMinutes),
    summary: contact.summary ?? '',
    wellbeingMood: text(contact.wellbeingMood),
    wellbeingRhythm: text(contact.wellbeingRhythm),
    wellbeingSocial: text(contact.wellbeingSocial),
    wellbeingActivity: text(contact.wellbeingActivity),
    nextContactDate: fmt.dateInput(contact.nextContactDate),
    nextContactTime: contact.nextContactTime?.slice(0, 5) ?? '',
    goalIds: goals.map((goal) => goal.goalId).join(','),
    version: String(contact.version),
  };
}

/** Form values shown as words on the conflict page (a channel's name rather than its code). */
function readableValues(values: Record<string, string>, t: (key: string) => string): Record<string, string> {
  const readable = { ...values };
  for (const [field, prefix] of [
    ['channel', 'contacts.channels.'],
    ['counterpart', 'contacts.counterparts.'],
    ['outcome', 'contacts.outcomes.'],
  ] as const) {
    if (readable[field]) readable[field] = t(prefix + readable[field]);
  }
  return readable;
}

export function contactRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;
  const timeZone = config.timeZone;
  const viewerOf = (req: Request): Viewer => viewerFor(req.user!, clock, timeZone);

  /** The participant of the URL, when the viewer may see them and they are not closed. */
  async function openParticipantOr404(req: Request): Promise<{ viewer: Viewer; participant: ParticipantRecord }> {
    const params = paramsOr404(idParam, req);
    const viewer = viewerOf(req);
    const participant = await findOpenParticipant(db, viewer, params.id);
    if (!participant) throw notFound();
    return { viewer, participant };
  }

  /** The contact moment of the URL, only under its own participant the viewer may see. */
  async function contactOr404(req: Request): Promise<{ viewer: Viewer; participant: ParticipantRecord; contact: ContactRecord }> {
    const params = paramsOr404(contactParams, req);
    const viewer = viewerOf(req);
    const participant = await findParticipant(db, viewer, params.id);
    if (!participant) throw notFound();
    const contact = await findContact(db, viewer, participant.id, params.contactId);
    if (!contact) throw notFound();
    return { viewer, participant, contact };
  }

  const profileTimeline = (participant: ParticipantRecord) => `/participants/${participant.id}#timeline`;

  /** Today's date and the current time in the organisation's zone, as the form shows them. */
  function nowAsFormValues(fmt: Formatters): { occurredDate: string; occurredTime: string } {
    const now = clock.now().setZone(timeZone);
    return { occurredDate: fmt.dateInput(now.toISODate()), occurredTime: now.toFormat('HH:mm') };
  }

  // --- log form ----------------------------------------------------------------------------------

  async function renderForm(
    res: Response,
    status: number,
    data: {
      mode: 'create' | 'edit';
      participant: ParticipantRecord;
      contact?: ContactRecord;
      linked?: LinkedGoalRow[];
      values: Record<string, string>;
      errors?: Record<string, string>;
    },
  ) {
    const { participant } = data;
    const choices = await contactFormChoices(db, participant.id, data.linked ?? []);
    const returnTo = data.values.returnTo ? safeLocalPath(data.values.returnTo, '') : '';
    const name = `${participant.firstName} ${participant.lastName}`;
    res.status(status).render('contacts/form', {
      title: res.locals.t(data.mode === 'create' ? 'contacts.form.createTitle' : 'contacts.form.editTitle', { name }),
      mode: data.mode,
      participant,
      contact: data.contact ?? null,
      editableUntil: data.contact ? editableUntil(data.contact) : null,
      values: { ...data.values, returnTo },
      errors: data.errors ?? {},
      labels: FIELD_LABELS,
      checkedGoalIds: (data.values.goalIds ?? '').split(',').filter(Boolean),
      cancelHref:
        returnTo || (data.contact ? `/participants/${participant.id}/contacts/${data.contact.id}` : profileTimeline(participant)),
      channels: CONTACT_CHANNELS,
      counterparts: CONTACT_COUNTERPARTS,
      outcomes: CONTACT_OUTCOMES,
      shortcuts: NEXT_SHORTCUTS,
      wellbeingAspects: WELLBEING_ASPECTS.map((aspect) => ({ aspect, field: WELLBEING_FIELDS[aspect] })),
      wellbeingLevels: WELLBEING_LEVELS,
      ...choices,
    });
  }

  router.get('/participants/:id/contacts/new', async (req, res) => {
    const { participant } = await openParticipantOr404(req);
    await renderForm(res, 200, {
      mode: 'create',
      participant,
      values: {
        submissionToken: newSubmissionToken(),
        returnTo: typeof req.query.returnTo === 'string' ? req.query.returnTo : '',
        ...nowAsFormValues(res.locals.fmt),
        channel: 'phone',
        counterpart: 'participant',
        outcome: 'reached',
        durationMinutes: '10',
        nextShortcut: '',
      },
    });
  });

  router.post('/participants/:id/contacts/new', async (req, res) => {
    const { viewer, participant } = await openParticipantOr404(req);
    const goalIds = goalIdsFrom(req.body);
    const form = parseContactForm(ContactCreateForm, req.body);
    const values: Record<string, string> = { ...form.values, goalIds: goalIds.join(',') };
    // A quick-log that failed leaves the moment empty ("now"): show when it was, so it stays true.
    if (!values.occurredDate && !values.occurredTime) Object.assign(values, nowAsFormValues(res.locals.fmt));
    if (!form.ok) {
      const errors = { ...form.errors };
      if (errors.submissionToken) {
        delete errors.submissionToken;
        values.submissionToken = newSubmissionToken();
        errors._form = 'validation.expiredForm';
      }
      return renderForm(res, 422, { mode: 'create', participant, values, errors: inFieldOrder(errors) });
    }
    try {
      const { submissionToken, returnTo, ...fields } = form.data;
      const input = resolveContactInput(fields, goalIds, clock.now(), timeZone);
      const outcome = await createContact(db, viewer, participant.id, input, submissionToken, clock.now().toJSDate());
      const target = returnTo ? safeLocalPath(returnTo, '') : '';
      if (outcome.kind === 'duplicate') {
        if (!outcome.path) {
          return renderForm(res, 422, {
            mode: 'create',
            participant,
            values: { ...values, submissionToken: newSubmissionToken() },
            errors: { _form: 'validation.expiredForm' },
          });
        }
        return res.redirect(303, target || outcome.path);
      }
      res.redirect(303, target || `/participants/${participant.id}?done=contactLogged#timeline`);
    } catch (error) {
      if (error instanceof FormRejection) {
        return renderForm(res, 422, { mode: 'create', participant, values, errors: inFieldOrder(error.errors) });
      }
      throw error;
    }
  });

  // --- detail and addenda ------------------------------------------------------------------------

  async function renderDetail(
    req: Request,
    res: Response,
    status: number,
    data: {
      viewer: Viewer;
      participant: ParticipantRecord;
      contact: ContactRecord;
      refusal?: EditRefusal | null;
      addendumValues?: Record<string, string>;
      addendumErrors?: Record<string, string>;
    },
  ) {
    const { viewer, participant, contact } = data;
    const detail = await viewContact(db, viewer, contact);
    const reviewFeedback = (await reviewFeedbackFor(db, [contact.id])).get(contact.id) ?? [];
    const refusal = editRefusalOf(contact, viewer, participant.status, clock.now());
    const notice = typeof req.query.done === 'string' ? (DETAIL_NOTICES[req.query.done] ?? null) : null;
    res.status(status).render('contacts/detail', {
      title: res.locals.t('contacts.detail.title', { date: res.locals.fmt.date(contact.occurredAt) }),
      participant,
      ...detail,
      feedback: reviewFeedback,
      canEdit: refusal === null,
      editableUntil: editableUntil(contact),
      canAddAddendum: participant.status !== 'closed',
      refusalNotice: data.refusal ? EDIT_REFUSAL_NOTICES[data.refusal] : null,
      notice,
      values: data.addendumValues ?? { body: '', submissionToken: newSubmissionToken() },
      errors: data.addendumErrors ?? {},
      labels: FIELD_LABELS,
    });
  }

  router.get('/participants/:id/contacts/:contactId', async (req, res) => {
    const { viewer, participant, contact } = await contactOr404(req);
    await renderDetail(req, res, 200, { viewer, participant, contact });
  });

  router.post('/participants/:id/contacts/:contactId/addenda', async (req, res) => {
    const { viewer, participant, contact } = await contactOr404(req);
    if (participant.status === 'closed') throw notFound();
    const form = parseForm(AddendumForm, req.body);
    if (!form.ok) {
      const values = { ...form.values };
      const errors = { ...form.errors };
      if (errors.submissionToken) {
        delete errors.submissionToken;
        values.submissionToken = newSubmissionToken();
        errors._form = 'validation.expiredForm';
      }
      return renderDetail(req, res, 422, { viewer, participant, contact, addendumValues: values, addendumErrors: errors });
    }
    const outcome = await addAddendum(
      db,
      viewer,
      participant.id,
      contact.id,
      form.data.body,
      form.data.submissionToken,
      clock.now().toJSDate(),
    );
    if (outcome.kind === 'duplicate') {
      if (!outcome.path) {
        return renderDetail(req, res, 422, {
          viewer,
          participant,
          contact,
          addendumValues: { ...form.values, submissionToken: newSubmissionToken() },
          addendumErrors: { _form: 'validation.expiredForm' },
        });
      }
      return res.redirect(303, `${outcome.path}#addenda`);
    }
    res.redirect(303, `${outcome.path}?done=addendumAdded#addendum-${outcome.value}`);
  });

  // --- edit --------------------------------------------------------------------------------------

  router.get('/participants/:id/contacts/:contactId/edit', async (req, res) => {
    const { viewer, participant, contact } = await contactOr404(req);
    if (participant.status === 'closed') throw notFound();
    const refusal = editRefusalOf(contact, viewer, participant.status, clock.now());
    // Someone who may see the contact but not change it gets the contact itself, with the reason
    // and the addendum form: the one thing they can still do.
    if (refusal) return renderDetail(req, res, 409, { viewer, participant, contact, refusal });
    const linked = await linkedGoalsOf(db, contact.id);
    await renderForm(res, 200, {
      mode: 'edit',
      participant,
      contact,
      linked,
      values: formValuesOf(contact, linked, res.locals.fmt, timeZone),
    });
  });

  router.post('/participants/:id/contacts/:contactId/edit', async (req, res) => {
    const { viewer, participant, contact } = await contactOr404(req);
    if (participant.status === 'closed') throw notFound();
    const refusedWith = async (refusal: EditRefusal, current: ContactRecord) => {
      // What they typed is not lost: a changed summary waits in the addendum form.
      const typed = typeof req.body?.summary === 'string' ? req.body.summary.trim() : '';
      const body = typed && typed !== (current.summary ?? '') ? typed.slice(0, 4000) : '';
      return renderDetail(req, res, 409, {
        viewer,
        participant,
        contact: current,
        refusal,
        addendumValues: { body, submissionToken: newSubmissionToken() },
      });
    };
    const initialRefusal = editRefusalOf(contact, viewer, participant.status, clock.now());
    if (initialRefusal) return refusedWith(initialRefusal, contact);
    const linked = await linkedGoalsOf(db, contact.id);
    const goalIds = goalIdsFrom(req.body);
    const form = parseContactForm(ContactEditForm, req.body);
    const values: Record<string, string> = { ...form.values, goalIds: goalIds.join(',') };
    const rerender = (errors: Record<string, string>) =>
      renderForm(res, 422, { mode: 'edit', participant, contact, linked, values, errors: inFieldOrder(errors) });
    if (!form.ok) return rerender(form.errors);
    try {
      const { version, ...fields } = form.data;
      const input = resolveContactInput({ ...fields, nextShortcut: null }, goalIds, clock.now(), timeZone);
      const outcome = await updateContact(db, viewer, participant.id, contact.id, version, input, clock.now());
      if (outcome.kind === 'notFound') throw notFound();
      if (outcome.kind === 'refused') {
        if (outcome.reason === 'participantClosed') throw notFound();
        return refusedWith(outcome.reason, outcome.current);
      }
      if (outcome.kind === 'conflict') {
        const t = res.locals.t as (key: string) => string;
        const current = formValuesOf(outcome.current, outcome.goals, res.locals.fmt, timeZone);
        return renderConflict(res, {
          backHref: `/participants/${participant.id}/contacts/${contact.id}`,
          action: `/participants/${participant.id}/contacts/${contact.id}/edit`,
          labels: FIELD_LABELS,
          fields: EDIT_FIELDS,
          current: readableValues(current, t),
          yours: readableValues(values, t),
          resubmit: { ...values, version: current.version },
        });
      }
      res.redirect(303, `/participants/${participant.id}/contacts/${contact.id}?done=updated`);
    } catch (error) {
      if (error instanceof FormRejection) return rerender(error.errors);
      throw error;
    }
  });

  return router;
}
