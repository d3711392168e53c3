import type { Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import { recordAuditEvent } from '../platform/audit/service';
import type { Database } from '../db/schema';
import { FormRejection } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  countMyFeedback,
  countSamples,
  findSampleInScope,
  insertRandomSampleItems,
  countConversationsWithoutConsent,
  insertSample,
  listFeedbackOn,
  listMyFeedback,
  listReviewableCoaches,
  listSampledCoaches,
  listSampleItems,
  listSamples,
  lockItemInScope,
  saveItemFeedback,
  type MyFeedbackRow,
  type ReviewableCoach,
  type SampleItemRow,
  type SampleRow,
} from './queries';
import type { SampleCreateForm, SampleListQuery } from './schemas';

export type { MyFeedbackRow, ReviewableCoach, SampleItemRow, SampleRow } from './queries';

type Page = { limit: number; offset: number };

/** Whether this role reviews coaches at all; everyone else gets 404 on the review pages. */
export function isReviewer(viewer: Viewer): boolean {
  return viewer.role === 'manager' || viewer.role === 'admin';
}

export async function samplesPage(
  db: Kysely<Database>,
  viewer: Viewer,
  filters: SampleListQuery,
  page: Page,
): Promise<{ rows: SampleRow[]; total: number; coaches: { id: number; displayName: string }[] }> {
  const [rows, total, coaches] = await Promise.all([
    listSamples(db, viewer, filters, page),
    countSamples(db, viewer, filters),
    listSampledCoaches(db, viewer),
  ]);
  return { rows, total, coaches };
}

export async function reviewableCoaches(db: Kysely<Database>, viewer: Viewer): Promise<ReviewableCoach[]> {
  return listReviewableCoaches(db, viewer);
}

export type DrawOutcome = SubmissionOutcome<number> | { kind: 'notFound' };

/**
 * Draws a sample: up to N conversations (reached, or a callback requested) the coach logged in
 * the last `periodDays` days, chosen at random, stored with the sample in one transaction. Only
 * participants with a current consent for quality review (today, in the organisation's zone) are
 * drawn; the sample keeps how many conversations that left out. A coach outside the reviewer's
 * scope is not found; a period without any conversation to draw stores nothing.
 */
export async function drawSample(
  db: Kysely<Database>,
  viewer: Viewer,
  form: SampleCreateForm,
  now: DateTime,
  timeZone: string,
): Promise<DrawOutcome> {
  const coaches = await listReviewableCoaches(db, viewer);
  if (!coaches.some((coach) => coach.id === form.coachId)) return { kind: 'notFound' };
  // Counted back in the organisation's zone so a clock change does not shift the period by an hour.
  const until = now.toJSDate();
  const since = now.setZone(timeZone).minus({ days: form.periodDays }).toJSDate();
  const period = { coachId: form.coachId, since, until, consentDay: now.setZone(timeZone).toISODate()! };
  return createOnce(db, form.submissionToken, viewer.userId, until, async (trx) => {
    const leftOutWithoutConsent = await countConversationsWithoutConsent(trx, viewer, period);
    const sampleId = await insertSample(trx, {
      coachId: form.coachId,
      drawnBy: viewer.userId,
      drawnAt: until,
      periodDays: form.periodDays,
      requestedSize: form.size,
      leftOutWithoutConsent,
    });
    const drawn = await insertRandomSampleItems(trx, viewer, { ...period, sampleId, size: form.size });
    // Rolls the sample back with the token, so the same form can be sent again with another period.
    if (drawn === 0) {
      const reason = leftOutWithoutConsent > 0 ? 'reviews.form.noneWithConsent' : 'reviews.form.noneAvailable';
      throw new FormRejection({ periodDays: reason });
    }
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'review_sample',
      entityId: sampleId,
      details: { coachId: form.coachId, size: form.size, periodDays: form.periodDays, drawn, leftOutWithoutConsent },
    });
    return { value: sampleId, path: `/reviews/${sampleId}` };
  });
}

export async function findSample(db: Kysely<Database>, viewer: Viewer, sampleId: number): Promise<SampleRow | undefined> {
  if (!isReviewer(viewer)) return undefined;
  return findSampleInScope(db, viewer, sampleId);
}

export async function sampleItems(db: Kysely<Database>, viewer: Viewer, sampleId: number): Promise<SampleItemRow[]> {
  return listSampleItems(db, viewer, sampleId);
}

export type ReviewOutcome = { kind: 'saved' } | { kind: 'unchanged' } | { kind: 'notFound' };

/**
 * Marks an item reviewed with the reviewer's feedback, or replaces earlier feedback. The audit
 * event names the contact's participant but never holds the feedback text itself.
 */
export async function reviewItem(
  db: Kysely<Database>,
  viewer: Viewer,
  target: { sampleId: number; itemId: number },
  feedback: string,
  now: Date,
): Promise<ReviewOutcome> {
  if (!isReviewer(viewer)) return { kind: 'notFound' };
  return db.transaction().execute(async (trx) => {
    const item = await lockItemInScope(trx, viewer, target.sampleId, target.itemId);
    if (!item) return { kind: 'notFound' };
    if (item.reviewedAt !== null && item.feedback === feedback) return { kind: 'unchanged' };
    await saveItemFeedback(trx, item.id, { feedback, reviewedBy: viewer.userId, reviewedAt: now });
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: item.reviewedAt === null ? 'review' : 'update',
      entityType: 'review_item',
      entityId: item.id,
      participantId: item.participantId,
      details: { sampleId: item.sampleId, contactMomentId: item.contactMomentId },
    });
    return { kind: 'saved' };
  });
}

export interface ReviewFeedback {
  reviewerName: string;
  reviewedAt: Date;
  feedback: string;
}

/**
 * The review feedback on each of these contact moments (one query), keyed by contact moment id;
 * a contact without feedback has no entry. The caller has already checked the viewer may see them.
 * For views/reviews/_feedback.ejs: `feedback: feedbackByContact.get(contact.id) ?? []`.
 */
export async function reviewFeedbackFor(
  db: Kysely<Database>,
  contactMomentIds: readonly number[],
): Promise<Map<number, ReviewFeedback[]>> {
  const byContact = new Map<number, ReviewFeedback[]>();
  for (const row of await listFeedbackOn(db, contactMomentIds)) {
    const list = byContact.get(row.contactMomentId) ?? [];
    list.push({ reviewerName: row.reviewerName, reviewedAt: row.reviewedAt, feedback: row.feedback });
    byContact.set(row.contactMomentId, list);
  }
  return byContact;
}

export async function myFeedbackPage(
  db: Kysely<Database>,
  viewer: Viewer,
  page: Page,
): Promise<{ rows: MyFeedbackRow[]; total: number }> {
  const [rows, total] = await Promise.all([listMyFeedback(db, viewer, page), countMyFeedback(db, viewer)]);
  return { rows, total };
}
