import { sql, type SqlBool } from 'kysely';
import { participantVisibleTo } from '../db/access';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

export interface SupportRequestRow {
  id: number;
  coachId: number;
  coachName: string;
  teamId: number;
  participantId: number;
  participantFirstName: string;
  participantLastName: string;
  contactMomentId: number | null;
  contactOccurredAt: Date | null;
  question: string;
  createdAt: Date;
  answer: string | null;
  answeredByName: string | null;
  answeredAt: Date | null;
  answerReadAt: Date | null;
}

function requestBase(db: Executor) {
  return db
    .selectFrom('support_requests')
    .innerJoin('users as coach', 'coach.id', 'support_requests.coach_id')
    .innerJoin('participants', 'participants.id', 'support_requests.participant_id')
    .leftJoin('users as answerer', 'answerer.id', 'support_requests.answered_by')
    .leftJoin('contact_moments', 'contact_moments.id', 'support_requests.contact_moment_id')
    .select([
      'support_requests.id',
      'support_requests.coach_id as coachId',
      'coach.display_name as coachName',
      'support_requests.team_id as teamId',
      'support_requests.participant_id as participantId',
      'participants.first_name as participantFirstName',
      'participants.last_name as participantLastName',
      'support_requests.contact_moment_id as contactMomentId',
      'contact_moments.occurred_at as contactOccurredAt',
      'support_requests.question',
      'support_requests.created_at as createdAt',
      'support_requests.answer',
      'answerer.display_name as answeredByName',
      'support_requests.answered_at as answeredAt',
      'support_requests.answer_read_at as answerReadAt',
    ]);
}

/**
 * The requests the viewer may read: a coach their own, a manager those sent to their team (decisions.md
 * "Managers' tools": any manager of the coach's team answers); an administrator none (not a team leader).
 * Always together with participantVisibleTo: a request names its participant and repeats what was
 * asked and answered about them, so it is readable only while the participant is (a coach whose
 * participant moved to another coach, or whose stand-in ended, no longer reads it).
 */
function visibleTo(viewer: Viewer) {
  return sql<SqlBool>`${
    viewer.role === 'coach'
      ? sql`support_requests.coach_id = ${viewer.userId}`
      : viewer.role === 'manager'
        ? sql`support_requests.team_id = ${viewer.teamId ?? -1}`
        : sql`false`
  }`;
}

export async function insertSupportRequest(
  trx: Executor,
  values: { coachId: number; teamId: number; participantId: number; contactMomentId: number | null; question: string; now: Date },
): Promise<number> {
  const row = await trx
    .insertInto('support_requests')
    .values({
      coach_id: values.coachId,
      team_id: values.teamId,
      participant_id: values.participantId,
      contact_moment_id: values.contactMomentId,
      question: values.question,
      created_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether the contact moment is one of this participant's. */
export async function contactBelongsTo(db: Executor, contactMomentId: number, participantId: number): Promise<boolean> {
  const row = await db
    .selectFrom('contact_moments')
    .select('id')
    .where('id', '=', contactMomentId)
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findVisibleRequest(db: Executor, viewer: Viewer, id: number): Promise<SupportRequestRow | undefined> {
  return requestBase(db)
    .where('support_requests.id', '=', id)
    .where(visibleTo(viewer))
    .where(participantVisibleTo(viewer))
    .executeTakeFirst();
}

/** The viewer's requests about one participant (or one contact moment of theirs), newest first. */
export async function listRequestsAbout(
  db: Executor,
  viewer: Viewer,
  about: { participantId: number; contactMomentId?: number },
): Promise<SupportRequestRow[]> {
  let query = requestBase(db)
    .where('support_requests.participant_id', '=', about.participantId)
    .where(visibleTo(viewer))
    .where(participantVisibleTo(viewer));
  if (about.contactMomentId !== undefined) query = query.where('support_requests.contact_moment_id', '=', about.contactMomentId);
  return query.orderBy('support_requests.created_at', 'desc').orderBy('support_requests.id', 'desc').limit(20).execute();
}

/** The viewer's requests, open ones first, then newest first, one page of them. */
export async function listRequests(
  db: Executor,
  viewer: Viewer,
  page: { limit: number; offset: number },
): Promise<SupportRequestRow[]> {
  return requestBase(db)
    .where(visibleTo(viewer))
    .where(participantVisibleTo(viewer))
    .orderBy(sql`support_requests.answered_at is null`, 'desc')
    .orderBy('support_requests.created_at', 'desc')
    .orderBy('support_requests.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countRequests(db: Executor, viewer: Viewer): Promise<number> {
  const row = await db
    .selectFrom('support_requests')
    .innerJoin('participants', 'participants.id', 'support_requests.participant_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(visibleTo(viewer))
    .where(participantVisibleTo(viewer))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** A team's open requests, oldest first (they have waited longest), at most `limit`, and how many there are. */
export async function listOpenForTeam(db: Executor, teamId: number, limit: number): Promise<SupportRequestRow[]> {
  return requestBase(db)
    .where('support_requests.team_id', '=', teamId)
    .where('support_requests.answered_at', 'is', null)
    .orderBy('support_requests.created_at')
    .orderBy('support_requests.id')
    .limit(limit)
    .execute();
}

export async function countOpenForTeam(db: Executor, teamId: number): Promise<number> {
  const row = await db
    .selectFrom('support_requests')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('support_requests.team_id', '=', teamId)
    .where('support_requests.answered_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The first answer closes the request: true when this one did (no earlier answer). */
export async function storeAnswer(trx: Executor, id: number, answer: { text: string; by: number; at: Date }): Promise<boolean> {
  const result = await trx
    .updateTable('support_requests')
    .set({ answer: answer.text, answered_by: answer.by, answered_at: answer.at })
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks answers the coach has now seen as read (only their own, only answered ones). */
export async function markAnswersRead(db: Executor, coachId: number, ids: readonly number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('support_requests')
    .set({ answer_read_at: at })
    .where('coach_id', '=', coachId)
    .where('id', 'in', [...ids])
    .where('answered_at', 'is not', null)
    .where('answer_read_at', 'is', null)
    .execute();
}

export interface SubjectSupportRequestRow {
  id: number;
  coachId: number;
  coachName: string;
  contactMomentId: number | null;
  question: string;
  createdAt: Date;
  answer: string | null;
  answeredById: number | null;
  answeredByName: string | null;
  answeredAt: Date | null;
}

/** Every support request about the participant, for a subject-access export. */
export async function listSubjectSupportRequests(db: Executor, participantId: number): Promise<SubjectSupportRequestRow[]> {
  return db
    .selectFrom('support_requests')
    .innerJoin('users as coach', 'coach.id', 'support_requests.coach_id')
    .leftJoin('users as answerer', 'answerer.id', 'support_requests.answered_by')
    .select([
      'support_requests.id',
      'support_requests.coach_id as coachId',
      'coach.display_name as coachName',
      'support_requests.contact_moment_id as contactMomentId',
      'support_requests.question',
      'support_requests.created_at as createdAt',
      'support_requests.answer',
      'support_requests.answered_by as answeredById',
      'answerer.display_name as answeredByName',
      'support_requests.answered_at as answeredAt',
    ])
    .where('support_requests.participant_id', '=', participantId)
    .orderBy('support_requests.created_at')
    .orderBy('support_requests.id')
    .execute();
}
