import { sql } from 'kysely';
import { participantVisibleTo } from '../db/access';
import type { ContactChannel, ContactCounterpart, ContactOutcome, GoalStatus } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

/**
 * Locks the participant's row for the rest of the transaction (shared), only if the viewer may see
 * the participant and they are not closed: a contact cannot be stored while the participant is
 * being closed, nor after.
 */
export async function lockVisibleOpenParticipant(trx: Executor, viewer: Viewer, participantId: number): Promise<boolean> {
  const row = await trx
    .selectFrom('participants')
    .where('participants.id', '=', participantId)
    .where('participants.status', '<>', 'closed')
    .where(participantVisibleTo(viewer))
    .select('participants.id')
    .forShare()
    .executeTakeFirst();
  return row !== undefined;
}

export interface ContactColumns {
  occurred_at: Date;
  channel: ContactChannel;
  counterpart: ContactCounterpart;
  employer_id: number | null;
  employer_contact_id: number | null;
  outcome: ContactOutcome;
  duration_minutes: number;
  summary: string | null;
  wellbeing_mood: number | null;
  wellbeing_rhythm: number | null;
  wellbeing_social: number | null;
  wellbeing_activity: number | null;
  next_contact_date: string | null;
  next_contact_time: string | null;
  trajectory_id: number | null;
  trajectory_chosen: boolean;
}

export async function insertContactMoment(
  trx: Executor,
  participantId: number,
  authorId: number,
  values: ContactColumns,
  now: Date,
): Promise<number> {
  const row = await trx
    .insertInto('contact_moments')
    .values({ ...values, participant_id: participantId, author_id: authorId, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Updates a contact moment only while it is still the author's to edit (created after
 * `editableSince`) and still at `expectedVersion`; returns whether it did.
 */
export async function updateContactMomentIfEditable(
  trx: Executor,
  where: { id: number; participantId: number; authorId: number; expectedVersion: number; editableSince: Date },
  values: ContactColumns,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('contact_moments')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', where.id)
    .where('participant_id', '=', where.participantId)
    .where('author_id', '=', where.authorId)
    .where('version', '=', where.expectedVersion)
    .where('created_at', '>', where.editableSince)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ContactRecord {
  id: number;
  participantId: number;
  authorId: number;
  authorName: string;
  occurredAt: Date;
  channel: ContactChannel;
  counterpart: ContactCounterpart;
  employerId: number | null;
  employerName: string | null;
  employerContactId: number | null;
  employerContactName: string | null;
  outcome: ContactOutcome;
  durationMinutes: number;
  summary: string | null;
  wellbeingMood: number | null;
  wellbeingRhythm: number | null;
  wellbeingSocial: number | null;
  wellbeingActivity: number | null;
  nextContactDate: string | null;
  /** 'HH:MM:SS' as the time column is read, or null. */
  nextContactTime: string | null;
  /** The trajectory the contact counts in (null: none, as in intake), and whether the coach chose it. */
  trajectoryId: number | null;
  trajectoryChosen: boolean;
  trajectoryCommissionerName: string | null;
  trajectoryStartDate: string | null;
  trajectoryEndDate: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

function contactBase(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('contact_moments')
    .innerJoin('participants', 'participants.id', 'contact_moments.participant_id')
    .innerJoin('users as author', 'author.id', 'contact_moments.author_id')
    .leftJoin('employers', 'employers.id', 'contact_moments.employer_id')
    .leftJoin('employer_contacts', 'employer_contacts.id', 'contact_moments.employer_contact_id')
    .leftJoin('trajectories', 'trajectories.id', 'contact_moments.trajectory_id')
    .leftJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
    .where(participantVisibleTo(viewer))
    .select([
      'contact_moments.id',
      'contact_moments.participant_id as participantId',
      'contact_moments.author_id as authorId',
      'author.display_name as authorName',
      'contact_moments.occurred_at as occurredAt',
      'contact_moments.channel',
      'contact_moments.counterpart',
      'contact_moments.employer_id as employerId',
      'employers.name as employerName',
      'contact_moments.employer_contact_id as employerContactId',
      'employer_contacts.name as employerContactName',
      'contact_moments.outcome',
      'contact_moments.duration_minutes as durationMinutes',
      'contact_moments.summary',
      'contact_moments.wellbeing_mood as wellbeingMood',
      'contact_moments.wellbeing_rhythm as wellbeingRhythm',
      'contact_moments.wellbeing_social as wellbeingSocial',
      'contact_moments.wellbeing_activity as wellbeingActivity',
      'contact_moments.next_contact_date as nextContactDate',
      'contact_moments.next_contact_time as nextContactTime',
      'contact_moments.trajectory_id as trajectoryId',
      'contact_moments.trajectory_chosen as trajectoryChosen',
      'commissioners.name as trajectoryCommissionerName',
      'trajectories.start_date as trajectoryStartDate',
      'trajectories.actual_end_date as trajectoryEndDate',
      'contact_moments.version',
      'contact_moments.created_at as createdAt',
      'contact_moments.updated_at as updatedAt',
    ]);
}

/** One contact moment of one participant, only if the viewer may see that participant. */
export async function findVisibleContact(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  contactId: number,
): Promise<ContactRecord | undefined> {
  return contactBase(db, viewer)
    .where('contact_moments.id', '=', contactId)
    .where('contact_moments.participant_id', '=', participantId)
    .executeTakeFirst();
}

export interface TimelineFilters {
  channel: ContactChannel | null;
  outcome: ContactOutcome | null;
}

export interface TimelineRowBase extends ContactRecord {
  addendaCount: number;
}

export async function listTimeline(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  filters: TimelineFilters,
  page: { limit: number; offset: number },
): Promise<TimelineRowBase[]> {
  let query = contactBase(db, viewer)
    .select((eb) =>
      eb
        .selectFrom('contact_addenda')
        .whereRef('contact_addenda.contact_moment_id', '=', 'contact_moments.id')
        .select(sql<number>`count(*)::int`.as('count'))
        .as('addendaCount'),
    )
    .where('contact_moments.participant_id', '=', participantId);
  if (filters.channel) query = query.where('contact_moments.channel', '=', filters.channel);
  if (filters.outcome) query = query.where('contact_moments.outcome', '=', filters.outcome);
  const rows = await query
    .orderBy('contact_moments.occurred_at', 'desc')
    .orderBy('contact_moments.created_at', 'desc')
    .orderBy('contact_moments.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((row) => ({ ...row, addendaCount: Number(row.addendaCount ?? 0) }));
}

/** Contact moments of the participant matching the filters, and all of them (for the empty state). */
export async function countTimeline(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  filters: TimelineFilters,
): Promise<{ matching: number; all: number }> {
  const row = await db
    .selectFrom('contact_moments')
    .innerJoin('participants', 'participants.id', 'contact_moments.participant_id')
    .where('contact_moments.participant_id', '=', participantId)
    .where(participantVisibleTo(viewer))
    .select((eb) => [
      eb.fn.countAll<number>().as('all'),
      eb.fn
        .countAll<number>()
        .filterWhere((inner) =>
          inner.and([
            filters.channel ? inner('contact_moments.channel', '=', filters.channel) : inner.val(true),
            filters.outcome ? inner('contact_moments.outcome', '=', filters.outcome) : inner.val(true),
          ]),
        )
        .as('matching'),
    ])
    .executeTakeFirstOrThrow();
  return { matching: Number(row.matching), all: Number(row.all) };
}

export interface LinkedGoalRow {
  contactMomentId: number;
  goalId: number;
  title: string;
  status: GoalStatus;
}

/** The goals linked to any of these contact moments (one query for a whole page). */
export async function listLinkedGoals(db: Executor, contactIds: readonly number[]): Promise<LinkedGoalRow[]> {
  if (contactIds.length === 0) return [];
  return db
    .selectFrom('goal_contact_links')
    .innerJoin('goals', 'goals.id', 'goal_contact_links.goal_id')
    .where('goal_contact_links.contact_moment_id', 'in', contactIds)
    .select(['goal_contact_links.contact_moment_id as contactMomentId', 'goals.id as goalId', 'goals.title', 'goals.status'])
    .orderBy('goals.title')
    .orderBy('goals.id')
    .execute();
}

/** Of these goal ids, the ones that are this participant's goals. */
export async function goalIdsOfParticipant(db: Executor, participantId: number, goalIds: readonly number[]): Promise<number[]> {
  if (goalIds.length === 0) return [];
  const rows = await db
    .selectFrom('goals')
    .where('participant_id', '=', participantId)
    .where('id', 'in', goalIds)
    .select('id')
    .execute();
  return rows.map((row) => row.id);
}

export async function linkGoals(trx: Executor, contactId: number, goalIds: readonly number[]): Promise<void> {
  if (goalIds.length === 0) return;
  await trx
    .insertInto('goal_contact_links')
    .values(goalIds.map((goalId) => ({ goal_id: goalId, contact_moment_id: contactId })))
    .onConflict((oc) => oc.columns(['goal_id', 'contact_moment_id']).doNothing())
    .execute();
}

export async function unlinkGoals(trx: Executor, contactId: number, goalIds: readonly number[]): Promise<void> {
  if (goalIds.length === 0) return;
  await trx.deleteFrom('goal_contact_links').where('contact_moment_id', '=', contactId).where('goal_id', 'in', goalIds).execute();
}

export interface AddendumRow {
  id: number;
  authorName: string;
  body: string;
  createdAt: Date;
}

export async function listAddenda(db: Executor, contactId: number): Promise<AddendumRow[]> {
  return db
    .selectFrom('contact_addenda')
    .innerJoin('users', 'users.id', 'contact_addenda.author_id')
    .where('contact_addenda.contact_moment_id', '=', contactId)
    .select([
      'contact_addenda.id',
      'users.display_name as authorName',
      'contact_addenda.body',
      'contact_addenda.created_at as createdAt',
    ])
    .orderBy('contact_addenda.created_at')
    .orderBy('contact_addenda.id')
    .execute();
}

export async function insertAddendum(
  trx: Executor,
  contactId: number,
  authorId: number,
  body: string,
  now: Date,
): Promise<number> {
  const row = await trx
    .insertInto('contact_addenda')
    .values({ contact_moment_id: contactId, author_id: authorId, body, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
