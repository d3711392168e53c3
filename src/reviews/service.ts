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
  findCriterion,
  insertCriterion,
  listAverages,
  listCriteria,
  listScores,
  markFeedbackRead,
  replaceScores,
  updateCriterion,
  type CriterionRow,
  type MyFeedbackRow,
  type ScoreRow,
  type ReviewableCoach,
  type SampleItemRow,
  type SampleRow,
} from './queries';
import type { CriterionCreateForm, CriterionEditForm, ReviewItemForm, SampleCreateForm, SampleListQuery } from './schemas';

export type { CriterionRow, MyFeedbackRow, ReviewableCoach, SampleItemRow, SampleRow, ScoreRow } from './queries';

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

export interface ScoredSampleItem extends SampleItemRow {
  scores: ScoreRow[];
}

export async function sampleItems(db: Kysely<Database>, viewer: Viewer, sampleId: number): Promise<ScoredSampleItem[]> {
  const items = await listSampleItems(db, viewer, sampleId);
  const scores = await listScores(
    db,
    items.map((item) => item.id),
  );
  return items.map((item) => ({ ...item, scores: scores.filter((score) => score.itemId === item.id) }));
}

/** The criteria a reviewer scores now (the active ones, in order). */
export async function activeCriteria(db: Kysely<Database>): Promise<CriterionRow[]> {
  return listCriteria(db, true);
}

export type ReviewOutcome = { kind: 'saved' } | { kind: 'unchanged' } | { kind: 'notFound' };

const sameScores = (
  a: ReadonlyArray<{ criterionId: number; score: number }>,
  b: ReadonlyArray<{ criterionId: number; score: number }>,
) =>
  a.length === b.length &&
  a.every((entry) => b.some((other) => other.criterionId === entry.criterionId && other.score === entry.score));

/**
 * Marks an item reviewed with the reviewer's scores on the rubric and comment, or replaces an earlier
 * review (the coach then sees it as new again). The audit event names the contact's participant and
 * holds the scores (coded values), never the comment itself.
 */
export async function reviewItem(
  db: Kysely<Database>,
  viewer: Viewer,
  target: { sampleId: number; itemId: number },
  review: ReviewItemForm,
  now: Date,
): Promise<ReviewOutcome> {
  if (!isReviewer(viewer)) return { kind: 'notFound' };
  return db.transaction().execute(async (trx) => {
    const item = await lockItemInScope(trx, viewer, target.sampleId, target.itemId);
    if (!item) return { kind: 'notFound' };
    const previous = await listScores(trx, [item.id]);
    if (item.reviewedAt !== null && item.feedback === review.feedback && sameScores(previous, review.scores)) {
      return { kind: 'unchanged' };
    }
    await saveItemFeedback(trx, item.id, { feedback: review.feedback, reviewedBy: viewer.userId, reviewedAt: now });
    await replaceScores(trx, item.id, review.scores);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: item.reviewedAt === null ? 'review' : 'update',
      entityType: 'review_item',
      entityId: item.id,
      participantId: item.participantId,
      details: {
        sampleId: item.sampleId,
        contactMomentId: item.contactMomentId,
        ...(review.scores.length > 0
          ? { scores: Object.fromEntries(review.scores.map((entry) => [String(entry.criterionId), entry.score])) }
          : {}),
      },
    });
    return { kind: 'saved' };
  });
}

export interface ReviewFeedback {
  reviewerName: string;
  reviewedAt: Date;
  feedback: string;
  scores: ScoreRow[];
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
  const rows = await listFeedbackOn(db, contactMomentIds);
  const scores = await listScores(
    db,
    rows.map((row) => row.itemId),
  );
  for (const row of rows) {
    const list = byContact.get(row.contactMomentId) ?? [];
    list.push({
      reviewerName: row.reviewerName,
      reviewedAt: row.reviewedAt,
      feedback: row.feedback,
      scores: scores.filter((score) => score.itemId === row.itemId),
    });
    byContact.set(row.contactMomentId, list);
  }
  return byContact;
}

export interface MyFeedbackItem extends MyFeedbackRow {
  scores: ScoreRow[];
  /** Given since the coach last opened this page. */
  isNew: boolean;
}

/**
 * The feedback on the viewer's conversations. Opening the page reads it: feedback given before now no
 * longer counts as new in the navigation, and the rows given since the previous visit say "new".
 */
export async function myFeedbackPage(
  db: Kysely<Database>,
  viewer: Viewer,
  page: Page,
  now: Date,
): Promise<{ rows: MyFeedbackItem[]; total: number }> {
  const [rows, total] = await Promise.all([listMyFeedback(db, viewer, page), countMyFeedback(db, viewer)]);
  const [scores, previousRead] = await Promise.all([
    listScores(
      db,
      rows.map((row) => row.itemId),
    ),
    markFeedbackRead(db, viewer.userId, now),
  ]);
  return {
    rows: rows.map((row) => ({
      ...row,
      scores: scores.filter((score) => score.itemId === row.itemId),
      isNew: previousRead === null || row.reviewedAt > previousRead,
    })),
    total,
  };
}

/** Every criterion for the administrator's page, the active ones first. */
export async function criteriaForAdmin(db: Kysely<Database>): Promise<CriterionRow[]> {
  return listCriteria(db, false);
}

export async function criterionForAdmin(db: Kysely<Database>, viewer: Viewer, id: number): Promise<CriterionRow | undefined> {
  return viewer.role === 'admin' ? findCriterion(db, id) : undefined;
}

export async function createCriterion(
  db: Kysely<Database>,
  viewer: Viewer,
  form: CriterionCreateForm,
  now: Date,
): Promise<SubmissionOutcome<number> | { kind: 'notFound' }> {
  if (viewer.role !== 'admin') return { kind: 'notFound' };
  return createOnce(db, form.submissionToken, viewer.userId, now, async (trx) => {
    const id = await insertCriterion(trx, { ...form, createdBy: viewer.userId, now });
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'review_criterion',
      entityId: id,
      details: { position: form.position },
    });
    return { value: id, path: `/admin/review-criteria#criterion-${id}` };
  });
}

export type CriterionSaveOutcome = { kind: 'saved' } | { kind: 'conflict'; current: CriterionRow } | { kind: 'notFound' };

/** Saves a criterion's wording, order and whether it is scored; a stale form is a conflict. */
export async function saveCriterion(
  db: Kysely<Database>,
  viewer: Viewer,
  id: number,
  form: CriterionEditForm,
  now: Date,
): Promise<CriterionSaveOutcome> {
  if (viewer.role !== 'admin') return { kind: 'notFound' };
  return db.transaction().execute(async (trx) => {
    const current = await findCriterion(trx, id);
    if (!current) return { kind: 'notFound' as const };
    if (!(await updateCriterion(trx, id, { ...form, now }))) return { kind: 'conflict' as const, current };
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'review_criterion',
      entityId: id,
      details: {
        fields: ['label', 'description', 'position', 'active'].filter((field) => {
          const key = field as 'label' | 'description' | 'position' | 'active';
          return current[key] !== form[key];
        }),
      },
    });
    return { kind: 'saved' as const };
  });
}

export const AVERAGE_MONTHS = 6;

export interface CoachAverages {
  coachId: number;
  coachName: string;
  /** Per month (the `months` of the overview): the mean of all scores given that month, and how many. */
  byMonth: Record<string, { average: number; scored: number } | undefined>;
  /** Per criterion, over all months shown. */
  byCriterion: Record<number, number | undefined>;
}

export interface AveragesOverview {
  months: string[];
  criteria: CriterionRow[];
  coaches: CoachAverages[];
}

/** Average rubric scores per coach over the last months (in the organisation's zone), for the review list. */
export async function averagesOverview(
  db: Kysely<Database>,
  viewer: Viewer,
  now: DateTime,
  timeZone: string,
): Promise<AveragesOverview> {
  const firstMonth = now
    .setZone(timeZone)
    .startOf('month')
    .minus({ months: AVERAGE_MONTHS - 1 });
  const months = Array.from({ length: AVERAGE_MONTHS }, (_, index) => firstMonth.plus({ months: index }).toISODate()!);
  const [rows, criteria] = await Promise.all([
    listAverages(db, viewer, firstMonth.toJSDate(), timeZone),
    listCriteria(db, false),
  ]);
  const coaches = new Map<
    number,
    CoachAverages & { sums: Record<string, [number, number]>; criterionSums: Record<number, [number, number]> }
  >();
  for (const row of rows) {
    const coach = coaches.get(row.coachId) ?? {
      coachId: row.coachId,
      coachName: row.coachName,
      byMonth: {},
      byCriterion: {},
      sums: {},
      criterionSums: {},
    };
    const month = (coach.sums[row.month] ??= [0, 0]);
    month[0] += row.average * row.scored;
    month[1] += row.scored;
    const criterion = (coach.criterionSums[row.criterionId] ??= [0, 0]);
    criterion[0] += row.average * row.scored;
    criterion[1] += row.scored;
    coaches.set(row.coachId, coach);
  }
  return {
    months,
    criteria: criteria.filter((criterion) => [...coaches.values()].some((coach) => coach.criterionSums[criterion.id])),
    coaches: [...coaches.values()].map(({ sums, criterionSums, ...coach }) => ({
      ...coach,
      byMonth: Object.fromEntries(
        Object.entries(sums).map(([month, [sum, count]]) => [month, { average: sum / count, scored: count }]),
      ),
      byCriterion: Object.fromEntries(Object.entries(criterionSums).map(([id, [sum, count]]) => [Number(id), sum / count])),
    })),
  };
}
