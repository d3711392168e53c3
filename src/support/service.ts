import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { FormRejection } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { recordAuditEvent } from '../platform/audit/service';
import type { Executor } from '../platform/executor';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  contactBelongsTo,
  countOpenForTeam,
  countRequests,
  findVisibleRequest,
  insertSupportRequest,
  listOpenForTeam,
  listRequests,
  listRequestsAbout,
  listSubjectSupportRequests,
  markAnswersRead,
  storeAnswer,
  type SubjectSupportRequestRow,
  type SupportRequestRow,
} from './queries';

export type { SubjectSupportRequestRow, SupportRequestRow } from './queries';

// A coach asks their team's managers for support with a question about a participant (decisions.md
// "Managers' tools"): any manager of the coach's team answers, the first answer closes the request,
// and the coach sees the answer with the participant or contact and as a count in the navigation
// until they have seen it. The audit records ids only, never the question or the answer.

/** A request as a page shows it: `newAnswer` while the asking coach has not seen its answer before. */
export interface SupportRequestItem extends SupportRequestRow {
  newAnswer: boolean;
}

/** Only coaches ask; a coach without a team has nobody to ask (the form says so). */
export function mayAskForSupport(viewer: Viewer): boolean {
  return viewer.role === 'coach';
}

export function mayAnswer(viewer: Viewer, request: SupportRequestRow): boolean {
  return viewer.role === 'manager' && viewer.teamId !== null && viewer.teamId === request.teamId && request.answeredAt === null;
}

export async function askForSupport(
  db: Kysely<Database>,
  viewer: Viewer,
  about: { participantId: number; contactMomentId: number | null },
  input: { question: string; submissionToken: string },
  now: Date,
): Promise<SubmissionOutcome<number> | { kind: 'notFound' }> {
  if (!mayAskForSupport(viewer)) return { kind: 'notFound' };
  if (about.contactMomentId !== null && !(await contactBelongsTo(db, about.contactMomentId, about.participantId))) {
    return { kind: 'notFound' };
  }
  const teamId = viewer.teamId;
  if (teamId === null) throw new FormRejection({ question: 'support.form.noTeam' });
  return createOnce(db, input.submissionToken, viewer.userId, now, async (trx) => {
    const id = await insertSupportRequest(trx, { coachId: viewer.userId, teamId, ...about, question: input.question, now });
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'support_request',
      entityId: id,
      participantId: about.participantId,
      details: { teamId, ...(about.contactMomentId !== null ? { contactMomentId: about.contactMomentId } : {}) },
    });
    return { value: id, path: `/support/${id}` };
  });
}

export type AnswerOutcome = { kind: 'answered' } | { kind: 'alreadyAnswered' } | { kind: 'notFound' };

/** The first answer closes the request; a later one (another manager was quicker) changes nothing. */
export async function answerRequest(
  db: Kysely<Database>,
  viewer: Viewer,
  requestId: number,
  answer: string,
  now: Date,
): Promise<AnswerOutcome> {
  if (viewer.role !== 'manager') return { kind: 'notFound' };
  return db.transaction().execute(async (trx) => {
    const request = await findVisibleRequest(trx, viewer, requestId);
    if (!request) return { kind: 'notFound' };
    if (!(await storeAnswer(trx, requestId, { text: answer, by: viewer.userId, at: now }))) return { kind: 'alreadyAnswered' };
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'answer',
      entityType: 'support_request',
      entityId: requestId,
      participantId: request.participantId,
      details: { teamId: request.teamId, coachId: request.coachId },
    });
    return { kind: 'answered' };
  });
}

/**
 * What the asking coach sees for the first time is marked read, so the navigation count drops;
 * the items still say which answers are new on this showing.
 */
async function shownTo(
  db: Kysely<Database>,
  viewer: Viewer,
  rows: SupportRequestRow[],
  now: Date,
): Promise<SupportRequestItem[]> {
  const items = rows.map((row) => ({
    ...row,
    newAnswer: row.coachId === viewer.userId && row.answeredAt !== null && row.answerReadAt === null,
  }));
  const unread = items.filter((item) => item.newAnswer).map((item) => item.id);
  await markAnswersRead(db, viewer.userId, unread, now);
  return items;
}

/**
 * One request the viewer may read, without recording a view or marking its answer read: for
 * handling a form posted about it (the answer is audited as such), not for showing it.
 */
export async function findRequest(
  db: Kysely<Database>,
  viewer: Viewer,
  requestId: number,
): Promise<SupportRequestItem | undefined> {
  const request = await findVisibleRequest(db, viewer, requestId);
  return request && { ...request, newAnswer: false };
}

/** One request the viewer may read (its view is audited: it names a participant), or undefined. */
export async function openRequest(
  db: Kysely<Database>,
  viewer: Viewer,
  requestId: number,
  now: Date,
): Promise<SupportRequestItem | undefined> {
  const request = await findVisibleRequest(db, viewer, requestId);
  if (!request) return undefined;
  await recordAuditEvent(db, {
    actorUserId: viewer.userId,
    action: 'view',
    entityType: 'support_request',
    entityId: request.id,
    participantId: request.participantId,
  });
  const [item] = await shownTo(db, viewer, [request], now);
  return item;
}

/** The viewer's requests about a participant (or one of their contact moments), for that page. */
export async function requestsAbout(
  db: Kysely<Database>,
  viewer: Viewer,
  about: { participantId: number; contactMomentId?: number },
  now: Date,
): Promise<SupportRequestItem[]> {
  if (viewer.role === 'admin') return [];
  return shownTo(db, viewer, await listRequestsAbout(db, viewer, about), now);
}

export async function requestsPage(
  db: Kysely<Database>,
  viewer: Viewer,
  page: { limit: number; offset: number },
): Promise<{ rows: SupportRequestRow[]; total: number }> {
  const [rows, total] = await Promise.all([listRequests(db, viewer, page), countRequests(db, viewer)]);
  return { rows, total };
}

export const DASHBOARD_OPEN_LIMIT = 5;

/** A manager's team's open requests for /dashboard (none for anyone else). */
export async function openRequestsForDashboard(
  db: Kysely<Database>,
  viewer: Viewer,
): Promise<{ rows: SupportRequestRow[]; total: number } | null> {
  if (viewer.role !== 'manager' || viewer.teamId === null) return null;
  const [rows, total] = await Promise.all([
    listOpenForTeam(db, viewer.teamId, DASHBOARD_OPEN_LIMIT),
    countOpenForTeam(db, viewer.teamId),
  ]);
  return { rows, total };
}

export async function supportRequestsForSubjectAccess(db: Executor, participantId: number): Promise<SubjectSupportRequestRow[]> {
  return listSubjectSupportRequests(db, participantId);
}
