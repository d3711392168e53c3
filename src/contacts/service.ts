import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  type ContactChannel,
  type ContactCounterpart,
  type ContactOutcome,
  type Database,
} from '../db/schema';
import { recordAuditEvent } from '../platform/audit/service';
import { contactBelongsToEmployer, findEmployer, listContactOptions, listEmployerOptions } from '../employers/service';
import { openGoalOptions } from '../goals/service';
import {
  attendeeChoices,
  attendeesOf,
  recordAttendees,
  type AttendeeChoice,
  type AttendeeRow,
  type AttendeeSelection,
} from '../network/service';
import { FormRejection, notFound } from '../lib/errors';
import { pageInfo, type PageInfo } from '../lib/pagination';
import type { Viewer } from '../lib/viewer';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  countTimeline,
  findVisibleContact,
  goalIdsOfParticipant,
  insertAddendum,
  insertContactMoment,
  linkGoals,
  listAddenda,
  listLinkedGoals,
  listTimeline,
  lockVisibleOpenParticipant,
  unlinkGoals,
  updateContactMomentIfEditable,
  type AddendumRow,
  type ContactColumns,
  type ContactRecord,
  type LinkedGoalRow,
  type TimelineFilters,
} from './queries';
import {
  DEFAULT_DURATION_MINUTES,
  isUnreached,
  TIMELINE_PAGE_SIZE,
  TimelineQuery,
  type ContactFormFields,
  type NextShortcut,
} from './schemas';
import { refreshRiskStates } from '../risk/state';
import {
  contactTrajectoryChoices,
  trajectoryForContact,
  type ContactTrajectory,
  type CoveringTrajectoryRow,
} from '../trajectories/service';

export type { AddendumRow, ContactRecord, LinkedGoalRow } from './queries';

/** How long after logging a contact moment its author may still change it. */
export const EDIT_WINDOW_HOURS = 24;

/**
 * A logged contact may be up to this much "in the future": the person types the minute on their
 * own watch, which may run a little ahead of the server's.
 */
const FUTURE_GRACE_MINUTES = 5;

// --- from form to record -----------------------------------------------------------------------

/** A contact moment as the service stores it: every default applied, every rule checked. */
export interface ContactInput {
  occurredAt: DateTime;
  channel: ContactChannel;
  counterpart: ContactCounterpart;
  employerId: number | null;
  employerContactId: number | null;
  outcome: ContactOutcome;
  durationMinutes: number;
  summary: string | null;
  wellbeingMood: number | null;
  wellbeingRhythm: number | null;
  wellbeingSocial: number | null;
  wellbeingActivity: number | null;
  nextContactDate: string | null;
  /** 'HH:MM' in the organisation's zone, or null for "some time that day". */
  nextContactTime: string | null;
  goalIds: number[];
  /** Who took part (src/network); null when the form did not ask (the quick log): nothing is recorded then. */
  attendees?: AttendeeSelection | null;
  /** The trajectory chosen on the form; null: the one open on the contact's day. */
  trajectoryChoice: number | null;
}

function whenOccurred(form: ContactFormFields, now: DateTime, timeZone: string): DateTime {
  // To the minute, as a typed time is: a moment logged "now" (the quick log) and one typed in the
  // same minute then tie, and the one recorded later comes after it (decisions.md, "Coach's day").
  const zonedNow = now.setZone(timeZone).startOf('minute');
  if (form.occurredDate === null && form.occurredTime === null) return zonedNow;
  if (form.occurredTime === null) throw new FormRejection({ occurredTime: 'contacts.form.occurredTimeRequired' });
  const date = form.occurredDate ?? zonedNow.toISODate()!;
  const occurredAt = DateTime.fromISO(`${date}T${form.occurredTime}`, { zone: timeZone });
  if (occurredAt > zonedNow.plus({ minutes: FUTURE_GRACE_MINUTES })) {
    throw new FormRejection({ occurredDate: 'contacts.form.occurredInFuture' });
  }
  return occurredAt;
}

const SHORTCUT_MINUTES = { in10min: 10, in30min: 30, in1hour: 60 } as const;

/** The next contact a shortcut means, counted from now in the organisation's zone. */
export function nextContactFromShortcut(
  shortcut: NextShortcut,
  now: DateTime,
  timeZone: string,
): { date: string; time: string | null } {
  const zonedNow = now.setZone(timeZone);
  switch (shortcut) {
    case 'in10min':
    case 'in30min':
    case 'in1hour': {
      // Elapsed time: across midnight or a clock change the date and time follow.
      const at = zonedNow.plus({ minutes: SHORTCUT_MINUTES[shortcut] });
      return { date: at.toISODate()!, time: at.toFormat('HH:mm') };
    }
    case 'tomorrow':
      return { date: zonedNow.plus({ days: 1 }).toISODate()!, time: null };
    case 'in1week':
      return { date: zonedNow.plus({ weeks: 1 }).toISODate()!, time: null };
    case 'in2weeks':
      return { date: zonedNow.plus({ weeks: 2 }).toISODate()!, time: null };
  }
}

function nextContact(
  form: ContactFormFields,
  occurredAt: DateTime,
  now: DateTime,
  timeZone: string,
): { date: string | null; time: string | null } {
  const shortcut = form.nextShortcut ?? null;
  if (shortcut && (form.nextContactDate !== null || form.nextContactTime !== null)) {
    throw new FormRejection({ nextShortcut: 'contacts.form.nextBoth' });
  }
  if (form.nextContactDate === null && form.nextContactTime !== null) {
    throw new FormRejection({ nextContactDate: 'contacts.form.nextTimeNeedsDate' });
  }
  // A shortcut counts from now, and a contact is never logged more than a few minutes ahead of now,
  // so it always lies after the contact (even when a clock change makes its wall time look earlier).
  if (shortcut) return nextContactFromShortcut(shortcut, now, timeZone);
  const next = { date: form.nextContactDate, time: form.nextContactTime };
  if (next.date === null) return next;
  // Without a time the next contact is "some time that day", so the contact's own day is fine.
  const occurredLocal = occurredAt.setZone(timeZone);
  const occurredDate = occurredLocal.toISODate()!;
  const before =
    next.date < occurredDate || (next.date === occurredDate && next.time !== null && next.time < occurredLocal.toFormat('HH:mm'));
  if (before) throw new FormRejection({ nextContactDate: 'contacts.form.nextBeforeContact' });
  return next;
}

/**
 * Coaching time: an attempt that reached nobody counts none; a call-back request none unless the
 * coach says otherwise; a conversation the minutes given, DEFAULT_DURATION_MINUTES when left empty.
 */
function durationOf(form: Pick<ContactFormFields, 'outcome' | 'durationMinutes'>): number {
  if (isUnreached(form.outcome)) return 0;
  return form.durationMinutes ?? (form.outcome === 'callback_requested' ? 0 : DEFAULT_DURATION_MINUTES);
}

/**
 * Applies the defaults and the rules a schema cannot check alone: when it happened (empty means
 * now), the next contact (a shortcut, or a date not before the contact), and that an attempt which
 * reached nobody counts no coaching time.
 */
export function resolveContactInput(form: ContactFormFields, goalIds: number[], now: DateTime, timeZone: string): ContactInput {
  const occurredAt = whenOccurred(form, now, timeZone);
  const next = nextContact(form, occurredAt, now, timeZone);
  const isEmployer = form.counterpart === 'employer';
  if (isEmployer && form.employerId === null) throw new FormRejection({ employerId: 'contacts.form.employerRequired' });
  return {
    occurredAt,
    channel: form.channel,
    counterpart: form.counterpart,
    employerId: isEmployer ? form.employerId : null,
    employerContactId: isEmployer ? form.employerContactId : null,
    outcome: form.outcome,
    durationMinutes: durationOf(form),
    summary: form.summary,
    wellbeingMood: form.wellbeingMood,
    wellbeingRhythm: form.wellbeingRhythm,
    wellbeingSocial: form.wellbeingSocial,
    wellbeingActivity: form.wellbeingActivity,
    nextContactDate: next.date,
    nextContactTime: next.time,
    goalIds,
    trajectoryChoice: form.trajectoryId ?? null,
  };
}

/** The employer and the contact person must exist, and the person must work there. */
async function checkEmployer(db: Kysely<Database>, input: ContactInput): Promise<void> {
  if (input.employerId === null) return;
  if (!(await findEmployer(db, input.employerId))) throw new FormRejection({ employerId: 'validation.choice' });
  if (input.employerContactId !== null && !(await contactBelongsToEmployer(db, input.employerContactId, input.employerId))) {
    throw new FormRejection({ employerContactId: 'contacts.form.contactNotOfEmployer' });
  }
}

function columnsOf(input: ContactInput, trajectory: ContactTrajectory): ContactColumns {
  return {
    trajectory_id: trajectory.trajectoryId,
    trajectory_chosen: trajectory.chosen,
    occurred_at: input.occurredAt.toJSDate(),
    channel: input.channel,
    counterpart: input.counterpart,
    employer_id: input.employerId,
    employer_contact_id: input.employerContactId,
    outcome: input.outcome,
    duration_minutes: input.durationMinutes,
    summary: input.summary,
    wellbeing_mood: input.wellbeingMood,
    wellbeing_rhythm: input.wellbeingRhythm,
    wellbeing_social: input.wellbeingSocial,
    wellbeing_activity: input.wellbeingActivity,
    next_contact_date: input.nextContactDate,
    next_contact_time: input.nextContactTime,
  };
}

/** The contact's day in the organisation's zone, which decides its trajectory. */
function dayOf(input: ContactInput, timeZone: string): string {
  return input.occurredAt.setZone(timeZone).toISODate()!;
}

function hasWellbeingCheck(input: ContactInput): boolean {
  return [input.wellbeingMood, input.wellbeingRhythm, input.wellbeingSocial, input.wellbeingActivity].some((v) => v !== null);
}

export function contactPath(participantId: number, contactId: number): string {
  return `/participants/${participantId}/contacts/${contactId}`;
}

// --- form choices ------------------------------------------------------------------------------

export interface GoalChoice {
  id: number;
  title: string;
}

export interface ContactFormChoices {
  employers: Array<{ id: number; name: string; city: string | null }>;
  employerContacts: Array<{ employerId: number; employerName: string; contacts: Array<{ id: number; name: string }> }>;
  goals: GoalChoice[];
  attendeeChoices: AttendeeChoice[];
  /** Trajectories to choose between (those that overlap); empty: the form asks nothing. */
  trajectories: CoveringTrajectoryRow[];
}

/**
 * What the form offers: every employer and its contact persons, and the goals a contact can
 * serve — the open ones, plus (when editing) those it is already linked to.
 */
export async function contactFormChoices(
  db: Kysely<Database>,
  participantId: number,
  linked: LinkedGoalRow[] = [],
  attendees: readonly AttendeeRow[] = [],
  chosenTrajectoryId: number | null = null,
): Promise<ContactFormChoices> {
  const [employers, contacts, openGoals, attendeeOptions, trajectories] = await Promise.all([
    listEmployerOptions(db),
    listContactOptions(db),
    openGoalOptions(db, participantId),
    attendeeChoices(db, participantId, attendees),
    contactTrajectoryChoices(db, participantId, chosenTrajectoryId),
  ]);
  const employerContacts: ContactFormChoices['employerContacts'] = [];
  for (const contact of contacts) {
    let group = employerContacts.at(-1);
    if (!group || group.employerId !== contact.employerId) {
      group = { employerId: contact.employerId, employerName: contact.employerName, contacts: [] };
      employerContacts.push(group);
    }
    group.contacts.push({ id: contact.id, name: contact.name });
  }
  const goals: GoalChoice[] = openGoals.map(({ id, title }) => ({ id, title }));
  for (const link of linked)
    if (!goals.some((goal) => goal.id === link.goalId)) goals.push({ id: link.goalId, title: link.title });
  return { employers, employerContacts, goals, attendeeChoices: attendeeOptions, trajectories };
}

// --- create --------------------------------------------------------------------------------------

/**
 * Logs a contact moment once per form token. Goal ids that are not open goals of this participant
 * are left out: a goal achieved meanwhile, or a crafted id, links nothing.
 */
export async function createContact(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  input: ContactInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  await checkEmployer(db, input);
  const openGoals = new Set((await openGoalOptions(db, participantId)).map((goal) => goal.id));
  const goalIds = input.goalIds.filter((id) => openGoals.has(id));
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    if (!(await lockVisibleOpenParticipant(trx, viewer, participantId))) throw notFound();
    // Inside the transaction, under the participant's lock: no trajectory change can come between.
    const trajectory = await trajectoryForContact(trx, participantId, dayOf(input, viewer.timeZone), input.trajectoryChoice);
    const id = await insertContactMoment(trx, participantId, viewer.userId, columnsOf(input, trajectory), now);
    await linkGoals(trx, id, goalIds);
    const attendees = input.attendees ? await recordAttendees(trx, id, participantId, input.attendees) : null;
    // Never the summary: it may hold sensitive details and the audit log is read more widely.
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'contact_moment',
      entityId: id,
      participantId,
      details: {
        channel: input.channel,
        counterpart: input.counterpart,
        outcome: input.outcome,
        durationMinutes: input.durationMinutes,
        occurredAt: input.occurredAt.toUTC().toISO(),
        wellbeingCheck: hasWellbeingCheck(input),
        goalIds,
        ...(attendees ? { attendees } : {}),
        trajectoryId: trajectory.trajectoryId,
        trajectoryChosen: trajectory.chosen,
      },
    });
    await refreshRiskStates(trx, [participantId], now, viewer.timeZone);
    return { value: id, path: contactPath(participantId, id) };
  });
}

// --- read ----------------------------------------------------------------------------------------

export type EditRefusal = 'notAuthor' | 'windowClosed' | 'participantClosed';

/** Why the viewer may not change this contact moment any more, or null when they may. */
export function editRefusalOf(
  contact: ContactRecord,
  viewer: Viewer,
  participantStatus: string,
  now: DateTime,
): EditRefusal | null {
  if (participantStatus === 'closed') return 'participantClosed';
  if (contact.authorId !== viewer.userId) return 'notAuthor';
  if (DateTime.fromJSDate(contact.createdAt) <= now.minus({ hours: EDIT_WINDOW_HOURS })) return 'windowClosed';
  return null;
}

export function editableUntil(contact: ContactRecord): Date {
  return DateTime.fromJSDate(contact.createdAt).plus({ hours: EDIT_WINDOW_HOURS }).toJSDate();
}

export async function findContact(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  contactId: number,
): Promise<ContactRecord | undefined> {
  return findVisibleContact(db, viewer, participantId, contactId);
}

export interface ContactDetail {
  contact: ContactRecord;
  addenda: AddendumRow[];
  goals: LinkedGoalRow[];
  attendees: AttendeeRow[];
}

/** A contact moment with its addenda and linked goals; records that the viewer read it. */
export async function viewContact(db: Kysely<Database>, viewer: Viewer, contact: ContactRecord): Promise<ContactDetail> {
  const [addenda, goals, attendees] = await Promise.all([
    listAddenda(db, contact.id),
    listLinkedGoals(db, [contact.id]),
    attendeesOf(db, [contact.id]),
  ]);
  await recordAuditEvent(db, {
    actorUserId: viewer.userId,
    action: 'view',
    entityType: 'contact_moment',
    entityId: contact.id,
    participantId: contact.participantId,
  });
  return { contact, addenda, goals, attendees: attendees.get(contact.id) ?? [] };
}

export async function linkedGoalsOf(db: Kysely<Database>, contactId: number): Promise<LinkedGoalRow[]> {
  return listLinkedGoals(db, [contactId]);
}

/** Who took part in a contact moment, for its edit form. */
export async function attendeesOfContact(db: Kysely<Database>, contactId: number): Promise<AttendeeRow[]> {
  return (await attendeesOf(db, [contactId])).get(contactId) ?? [];
}

/** Whether what the form says about who took part differs from what is recorded. */
function attendeesDiffer(before: readonly AttendeeRow[], after: AttendeeSelection): boolean {
  const key = (kind: string, id: number | null) => `${kind}:${id ?? ''}`;
  const was = new Set(before.map((row) => key(row.kind, row.employerContactId ?? row.networkPersonId)));
  const now = new Set([
    ...(after.participant ? [key('participant', null)] : []),
    ...after.supervisorIds.map((id) => key('supervisor', id)),
    ...after.networkPersonIds.map((id) => key('network_person', id)),
  ]);
  return was.size !== now.size || [...now].some((item) => !was.has(item));
}

// --- edit ----------------------------------------------------------------------------------------

export type ContactChangeOutcome =
  | { kind: 'saved' }
  | { kind: 'conflict'; current: ContactRecord; goals: LinkedGoalRow[] }
  | { kind: 'refused'; reason: EditRefusal; current: ContactRecord }
  | { kind: 'notFound' };

function changedFields(existing: ContactRecord, columns: ContactColumns, goalsChanged: boolean): string[] {
  const before: Record<keyof ContactColumns, unknown> = {
    occurred_at: existing.occurredAt.getTime(),
    channel: existing.channel,
    counterpart: existing.counterpart,
    employer_id: existing.employerId,
    employer_contact_id: existing.employerContactId,
    outcome: existing.outcome,
    duration_minutes: existing.durationMinutes,
    summary: existing.summary,
    wellbeing_mood: existing.wellbeingMood,
    wellbeing_rhythm: existing.wellbeingRhythm,
    wellbeing_social: existing.wellbeingSocial,
    wellbeing_activity: existing.wellbeingActivity,
    next_contact_date: existing.nextContactDate,
    next_contact_time: existing.nextContactTime?.slice(0, 5) ?? null,
    trajectory_id: existing.trajectoryId,
    trajectory_chosen: existing.trajectoryChosen,
  };
  const after: Record<keyof ContactColumns, unknown> = { ...columns, occurred_at: columns.occurred_at.getTime() };
  const changed = (Object.keys(before) as Array<keyof ContactColumns>).filter((key) => before[key] !== after[key]);
  return goalsChanged ? [...changed, 'goals'] : changed;
}

/**
 * Changes a contact moment from a form loaded at `version`: only its author, only within
 * EDIT_WINDOW_HOURS of logging it, and only while the participant is open. Goal links are set to
 * what was ticked among the goals offered (open ones and those already linked).
 */
export async function updateContact(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  contactId: number,
  version: number,
  input: ContactInput,
  now: DateTime,
): Promise<ContactChangeOutcome> {
  await checkEmployer(db, input);
  const openGoals = (await openGoalOptions(db, participantId)).map((goal) => goal.id);
  return db.transaction().execute(async (trx) => {
    const existing = await findVisibleContact(trx, viewer, participantId, contactId);
    if (!existing) return { kind: 'notFound' };
    if (!(await lockVisibleOpenParticipant(trx, viewer, participantId))) {
      return { kind: 'refused', reason: 'participantClosed', current: existing };
    }
    const refusal = editRefusalOf(existing, viewer, 'open', now);
    if (refusal) return { kind: 'refused', reason: refusal, current: existing };
    const linked = await listLinkedGoals(trx, [contactId]);
    if (existing.version !== version) return { kind: 'conflict', current: existing, goals: linked };
    const previous = { trajectoryId: existing.trajectoryId, chosen: existing.trajectoryChosen };
    const trajectory = await trajectoryForContact(
      trx,
      participantId,
      dayOf(input, viewer.timeZone),
      input.trajectoryChoice,
      previous,
    );
    const columns = columnsOf(input, trajectory);
    const saved = await updateContactMomentIfEditable(
      trx,
      {
        id: contactId,
        participantId,
        authorId: viewer.userId,
        expectedVersion: version,
        editableSince: now.minus({ hours: EDIT_WINDOW_HOURS }).toJSDate(),
      },
      columns,
      now.toJSDate(),
    );
    if (!saved) return { kind: 'conflict', current: existing, goals: linked };
    const linkedIds = linked.map((link) => link.goalId);
    const offered = new Set(await goalIdsOfParticipant(trx, participantId, [...new Set([...openGoals, ...linkedIds])]));
    const wanted = input.goalIds.filter((id) => offered.has(id));
    const toUnlink = linkedIds.filter((id) => !wanted.includes(id));
    const toLink = wanted.filter((id) => !linkedIds.includes(id));
    await unlinkGoals(trx, contactId, toUnlink);
    await linkGoals(trx, contactId, toLink);
    const attendeesBefore = (await attendeesOf(trx, [contactId])).get(contactId) ?? [];
    const attendees = input.attendees ? await recordAttendees(trx, contactId, participantId, input.attendees) : null;
    const changed = changedFields(existing, columns, toLink.length + toUnlink.length > 0);
    if (attendees && attendeesDiffer(attendeesBefore, attendees)) changed.push('attendees');
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'contact_moment',
      entityId: contactId,
      participantId,
      details: { changed, ...(attendees ? { attendees } : {}) },
    });
    await refreshRiskStates(trx, [participantId], now, viewer.timeZone);
    return { kind: 'saved' };
  });
}

// --- addenda -------------------------------------------------------------------------------------

/** Adds an addendum (anyone who may see the open participant may), once per form token. */
export async function addAddendum(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  contactId: number,
  body: string,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    if (!(await lockVisibleOpenParticipant(trx, viewer, participantId))) throw notFound();
    if (!(await findVisibleContact(trx, viewer, participantId, contactId))) throw notFound();
    const id = await insertAddendum(trx, contactId, viewer.userId, body, now);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'addendum',
      entityType: 'contact_moment',
      entityId: contactId,
      participantId,
      details: { addendumId: id },
    });
    return { value: id, path: contactPath(participantId, contactId) };
  });
}

// --- the profile's timeline ----------------------------------------------------------------------

export interface TimelineRow extends ContactRecord {
  addendaCount: number;
  goals: Array<{ id: number; title: string }>;
  /** Who took part (none recorded for older or quick-logged moments). */
  attendees: AttendeeRow[];
  /** The contact's day and time in the organisation's zone (ISO date, HH:mm). */
  occurredOn: string;
  occurredTime: string;
}

export interface ContactTimeline {
  rows: TimelineRow[];
  filters: TimelineFilters;
  isFiltered: boolean;
  /** Contact moments of the participant whatever the filters: the empty state differs. */
  totalAll: number;
  pagination: PageInfo;
  /** The filters as a query string (without tlPage), for the pagination links. */
  baseQuery: string;
  channelOptions: readonly ContactChannel[];
  outcomeOptions: readonly ContactOutcome[];
}

/**
 * The participant's contact moments for the profile, newest first, 20 a page, filtered by
 * channel and outcome (tlChannel, tlOutcome, tlPage in the profile's query string). Access is
 * enforced in the query itself.
 */
export async function timelineForProfile(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  query: unknown,
  timeZone: string,
): Promise<ContactTimeline> {
  const parsed = TimelineQuery.parse(query ?? {});
  const filters: TimelineFilters = { channel: parsed.tlChannel ?? null, outcome: parsed.tlOutcome ?? null };
  const counts = await countTimeline(db, viewer, participantId, filters);
  const totalPages = Math.max(1, Math.ceil(counts.matching / TIMELINE_PAGE_SIZE));
  // A page past the end (the list shrank, or a hand-edited URL) shows the last page instead of nothing.
  const pageNumber = Math.min(parsed.tlPage, totalPages);
  const page = { number: pageNumber, limit: TIMELINE_PAGE_SIZE, offset: (pageNumber - 1) * TIMELINE_PAGE_SIZE };
  const rows = counts.matching === 0 ? [] : await listTimeline(db, viewer, participantId, filters, page);
  const links = await listLinkedGoals(
    db,
    rows.map((row) => row.id),
  );
  const attendees = await attendeesOf(
    db,
    rows.map((row) => row.id),
  );
  const baseQuery = new URLSearchParams();
  if (filters.channel) baseQuery.set('tlChannel', filters.channel);
  if (filters.outcome) baseQuery.set('tlOutcome', filters.outcome);
  return {
    rows: rows.map((row) => {
      const local = DateTime.fromJSDate(row.occurredAt).setZone(timeZone);
      return {
        ...row,
        goals: links.filter((link) => link.contactMomentId === row.id).map((link) => ({ id: link.goalId, title: link.title })),
        attendees: attendees.get(row.id) ?? [],
        occurredOn: local.toISODate()!,
        occurredTime: local.toFormat('HH:mm'),
      };
    }),
    filters,
    isFiltered: filters.channel !== null || filters.outcome !== null,
    totalAll: counts.all,
    pagination: pageInfo(page, counts.matching, rows.length),
    baseQuery: baseQuery.toString(),
    channelOptions: CONTACT_CHANNELS,
    outcomeOptions: CONTACT_OUTCOMES,
  };
}
