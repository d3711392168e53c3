import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { hasCurrentConsentOn } from '../consents/service';
import { participantVisibleTo } from '../db/access';
import type { ContactChannel, ContactOutcome, Database } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { SampleListQuery } from './schemas';
import type { Executor } from '../platform/executor';

/** Outcomes of a contact moment in which someone was actually spoken to: only those are reviewed. */
const CONVERSATION_OUTCOMES: ContactOutcome[] = ['reached', 'callback_requested'];

/**
 * WHERE fragment over `review_samples`: the samples a reviewer may open. A manager reviews the
 * coaches of their team, an admin every coach; a coach reviews no one.
 */
function sampleInScope(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, 'review_samples'>): Expression<SqlBool> => {
    const anyEb = eb as unknown as ExpressionBuilder<Database, keyof Database>;
    switch (viewer.role) {
      case 'admin':
        return sql<SqlBool>`true`;
      case 'manager':
        return eb(
          'review_samples.coach_id',
          'in',
          anyEb
            .selectFrom('users as team_member')
            .select('team_member.id')
            .where('team_member.team_id', '=', viewer.teamId ?? -1),
        );
      case 'coach':
        return sql<SqlBool>`false`;
    }
  };
}

export interface ReviewableCoach {
  id: number;
  displayName: string;
  teamName: string | null;
}

/** Active coaches this viewer may draw a sample of (manager: own team; admin: all; coach: none). */
export async function listReviewableCoaches(db: Executor, viewer: Viewer): Promise<ReviewableCoach[]> {
  if (viewer.role === 'coach') return [];
  let query = db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .where('users.role', '=', 'coach')
    .where('users.active', '=', true);
  if (viewer.role === 'manager') query = query.where('users.team_id', '=', viewer.teamId ?? -1);
  return query
    .select(['users.id', 'users.display_name as displayName', 'teams.name as teamName'])
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
}

export async function insertSample(
  trx: Executor,
  values: {
    coachId: number;
    drawnBy: number;
    drawnAt: Date;
    periodDays: number;
    requestedSize: number;
    leftOutWithoutConsent: number;
  },
): Promise<number> {
  const row = await trx
    .insertInto('review_samples')
    .values({
      coach_id: values.coachId,
      drawn_by: values.drawnBy,
      drawn_at: values.drawnAt,
      period_days: values.periodDays,
      requested_size: values.requestedSize,
      left_out_without_consent: values.leftOutWithoutConsent,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface DrawPeriod {
  coachId: number;
  since: Date;
  until: Date;
  /** The day (organisation's zone) on which consent must be current. */
  consentDay: string;
}

/** The conversations the coach logged in [since, until] of participants the reviewer may see. */
function conversationsOf(db: Executor, viewer: Viewer, draw: DrawPeriod) {
  return db
    .selectFrom('contact_moments')
    .innerJoin('participants', 'participants.id', 'contact_moments.participant_id')
    .where(participantVisibleTo(viewer))
    .where('contact_moments.author_id', '=', draw.coachId)
    .where('contact_moments.outcome', 'in', CONVERSATION_OUTCOMES)
    .where('contact_moments.occurred_at', '>=', draw.since)
    .where('contact_moments.occurred_at', '<=', draw.until);
}

/** How many of those conversations are of participants without a current consent for quality review. */
export async function countConversationsWithoutConsent(db: Executor, viewer: Viewer, draw: DrawPeriod): Promise<number> {
  const row = await conversationsOf(db, viewer, draw)
    .where((eb) => eb.not(hasCurrentConsentOn('quality_review', draw.consentDay)(eb)))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Fills a sample with up to `size` conversations the coach logged in [since, until], chosen at
 * random by the database, of participants the reviewer may see and who have a current consent
 * for quality review. Returns how many it took.
 */
export async function insertRandomSampleItems(
  trx: Executor,
  viewer: Viewer,
  draw: DrawPeriod & { sampleId: number; size: number },
): Promise<number> {
  const candidates = conversationsOf(trx, viewer, draw)
    .where(hasCurrentConsentOn('quality_review', draw.consentDay))
    .select([sql<number>`${sql.lit(draw.sampleId)}::integer`.as('sample_id'), 'contact_moments.id as contact_moment_id'])
    .orderBy(sql`random()`)
    .limit(draw.size);
  const rows = await trx
    .insertInto('review_items')
    .columns(['sample_id', 'contact_moment_id'])
    .expression(candidates)
    .returning('id')
    .execute();
  return rows.length;
}

export interface SampleRow {
  id: number;
  coachId: number;
  coachName: string;
  drawnByName: string;
  drawnAt: Date;
  periodDays: number;
  requestedSize: number;
  /** Conversations of the period left out because their participant had no current consent for quality review. */
  leftOutWithoutConsent: number;
  itemCount: number;
  reviewedCount: number;
}

function sampleBase(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('review_samples')
    .innerJoin('users as coach', 'coach.id', 'review_samples.coach_id')
    .innerJoin('users as drawer', 'drawer.id', 'review_samples.drawn_by')
    .where(sampleInScope(viewer));
}

function sampleColumns(query: ReturnType<typeof sampleBase>) {
  return query.select((eb) => [
    'review_samples.id',
    'review_samples.coach_id as coachId',
    'coach.display_name as coachName',
    'drawer.display_name as drawnByName',
    'review_samples.drawn_at as drawnAt',
    'review_samples.period_days as periodDays',
    'review_samples.requested_size as requestedSize',
    'review_samples.left_out_without_consent as leftOutWithoutConsent',
    eb
      .selectFrom('review_items')
      .select((inner) => inner.fn.countAll<string>().as('n'))
      .whereRef('review_items.sample_id', '=', 'review_samples.id')
      .as('itemCount'),
    eb
      .selectFrom('review_items')
      .select((inner) => inner.fn.countAll<string>().as('n'))
      .whereRef('review_items.sample_id', '=', 'review_samples.id')
      .where('review_items.reviewed_at', 'is not', null)
      .as('reviewedCount'),
  ]);
}

type RawSampleRow = Omit<SampleRow, 'itemCount' | 'reviewedCount'> & {
  itemCount: string | number | null;
  reviewedCount: string | number | null;
};

function toSampleRow(row: RawSampleRow): SampleRow {
  return { ...row, itemCount: Number(row.itemCount ?? 0), reviewedCount: Number(row.reviewedCount ?? 0) };
}

export async function listSamples(
  db: Executor,
  viewer: Viewer,
  filters: SampleListQuery,
  page: { limit: number; offset: number },
): Promise<SampleRow[]> {
  let query = sampleBase(db, viewer);
  if (filters.coach) query = query.where('review_samples.coach_id', '=', filters.coach);
  const rows = await sampleColumns(query)
    .orderBy('review_samples.drawn_at', 'desc')
    .orderBy('review_samples.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(toSampleRow);
}

export async function countSamples(db: Executor, viewer: Viewer, filters: SampleListQuery): Promise<number> {
  let query = sampleBase(db, viewer);
  if (filters.coach) query = query.where('review_samples.coach_id', '=', filters.coach);
  const row = await query.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Coaches that have at least one sample the viewer may open, for the list's filter. */
export async function listSampledCoaches(db: Executor, viewer: Viewer): Promise<{ id: number; displayName: string }[]> {
  return sampleBase(db, viewer)
    .select(['coach.id', 'coach.display_name as displayName'])
    .distinct()
    .orderBy('coach.display_name')
    .orderBy('coach.id')
    .execute();
}

export async function findSampleInScope(db: Executor, viewer: Viewer, sampleId: number): Promise<SampleRow | undefined> {
  const row = await sampleColumns(sampleBase(db, viewer).where('review_samples.id', '=', sampleId)).executeTakeFirst();
  return row ? toSampleRow(row) : undefined;
}

export interface SampleItemRow {
  id: number;
  contactMomentId: number;
  participantId: number;
  participantFirstName: string;
  participantLastName: string;
  occurredAt: Date;
  channel: ContactChannel;
  outcome: ContactOutcome;
  durationMinutes: number;
  summary: string | null;
  feedback: string | null;
  reviewedAt: Date | null;
  reviewerName: string | null;
}

/** The items of a sample whose participant the viewer may (still) see, oldest contact first. */
export async function listSampleItems(db: Executor, viewer: Viewer, sampleId: number): Promise<SampleItemRow[]> {
  return db
    .selectFrom('review_items')
    .innerJoin('contact_moments', 'contact_moments.id', 'review_items.contact_moment_id')
    .innerJoin('participants', 'participants.id', 'contact_moments.participant_id')
    .leftJoin('users as reviewer', 'reviewer.id', 'review_items.reviewed_by')
    .where('review_items.sample_id', '=', sampleId)
    .where(participantVisibleTo(viewer))
    .select([
      'review_items.id',
      'review_items.contact_moment_id as contactMomentId',
      'participants.id as participantId',
      'participants.first_name as participantFirstName',
      'participants.last_name as participantLastName',
      'contact_moments.occurred_at as occurredAt',
      'contact_moments.channel',
      'contact_moments.outcome',
      'contact_moments.duration_minutes as durationMinutes',
      'contact_moments.summary',
      'review_items.feedback',
      'review_items.reviewed_at as reviewedAt',
      'reviewer.display_name as reviewerName',
    ])
    .orderBy('contact_moments.occurred_at')
    .orderBy('contact_moments.created_at')
    .orderBy('review_items.id')
    .execute();
}

export interface ReviewItemTarget {
  id: number;
  sampleId: number;
  contactMomentId: number;
  participantId: number;
  feedback: string | null;
  reviewedAt: Date | null;
}

/**
 * One item of a sample in the reviewer's scope whose participant they may see, locked for the rest
 * of the transaction so two reviewers saving at once are audited in the order they were stored.
 */
export async function lockItemInScope(
  trx: Executor,
  viewer: Viewer,
  sampleId: number,
  itemId: number,
): Promise<ReviewItemTarget | undefined> {
  return trx
    .selectFrom('review_items')
    .innerJoin('review_samples', 'review_samples.id', 'review_items.sample_id')
    .innerJoin('contact_moments', 'contact_moments.id', 'review_items.contact_moment_id')
    .innerJoin('participants', 'participants.id', 'contact_moments.participant_id')
    .where('review_items.id', '=', itemId)
    .where('review_items.sample_id', '=', sampleId)
    .where(sampleInScope(viewer))
    .where(participantVisibleTo(viewer))
    .select([
      'review_items.id',
      'review_items.sample_id as sampleId',
      'review_items.contact_moment_id as contactMomentId',
      'participants.id as participantId',
      'review_items.feedback',
      'review_items.reviewed_at as reviewedAt',
    ])
    .forUpdate('review_items')
    .executeTakeFirst();
}

export async function saveItemFeedback(
  trx: Executor,
  itemId: number,
  values: { feedback: string; reviewedBy: number; reviewedAt: Date },
): Promise<void> {
  await trx
    .updateTable('review_items')
    .set({ feedback: values.feedback, reviewed_by: values.reviewedBy, reviewed_at: values.reviewedAt })
    .where('id', '=', itemId)
    .execute();
}

export interface FeedbackRow {
  itemId: number;
  contactMomentId: number;
  reviewerName: string;
  reviewedAt: Date;
  feedback: string;
}

/** Every feedback given on these contact moments, oldest first (callers have checked access). */
export async function listFeedbackOn(db: Executor, contactMomentIds: readonly number[]): Promise<FeedbackRow[]> {
  if (contactMomentIds.length === 0) return [];
  const rows = await db
    .selectFrom('review_items')
    .innerJoin('users as reviewer', 'reviewer.id', 'review_items.reviewed_by')
    .where('review_items.contact_moment_id', 'in', contactMomentIds)
    .where('review_items.reviewed_at', 'is not', null)
    .select([
      'review_items.id as itemId',
      'review_items.contact_moment_id as contactMomentId',
      'reviewer.display_name as reviewerName',
      'review_items.reviewed_at as reviewedAt',
      'review_items.feedback',
    ])
    .orderBy('review_items.reviewed_at')
    .orderBy('review_items.id')
    .execute();
  return rows.map((row) => ({ ...row, reviewedAt: row.reviewedAt!, feedback: row.feedback ?? '' }));
}

export interface MyFeedbackRow extends FeedbackRow {
  participantId: number;
  participantFirstName: string;
  participantLastName: string;
  occurredAt: Date;
  channel: ContactChannel;
  outcome: ContactOutcome;
}

/** Reviewed items on contact moments the viewer wrote, of participants the viewer may see. */
function myFeedbackBase(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('review_items')
    .innerJoin('contact_moments', 'contact_moments.id', 'review_items.contact_moment_id')
    .innerJoin('participants', 'participants.id', 'contact_moments.participant_id')
    .innerJoin('users as reviewer', 'reviewer.id', 'review_items.reviewed_by')
    .where('contact_moments.author_id', '=', viewer.userId)
    .where('review_items.reviewed_at', 'is not', null)
    .where(participantVisibleTo(viewer));
}

export async function listMyFeedback(
  db: Executor,
  viewer: Viewer,
  page: { limit: number; offset: number },
): Promise<MyFeedbackRow[]> {
  const rows = await myFeedbackBase(db, viewer)
    .select([
      'review_items.id as itemId',
      'review_items.contact_moment_id as contactMomentId',
      'reviewer.display_name as reviewerName',
      'review_items.reviewed_at as reviewedAt',
      'review_items.feedback',
      'participants.id as participantId',
      'participants.first_name as participantFirstName',
      'participants.last_name as participantLastName',
      'contact_moments.occurred_at as occurredAt',
      'contact_moments.channel',
      'contact_moments.outcome',
    ])
    .orderBy('review_items.reviewed_at', 'desc')
    .orderBy('review_items.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((row) => ({ ...row, reviewedAt: row.reviewedAt!, feedback: row.feedback ?? '' }));
}

export async function countMyFeedback(db: Executor, viewer: Viewer): Promise<number> {
  const row = await myFeedbackBase(db, viewer)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface CriterionRow {
  id: number;
  label: string;
  description: string | null;
  position: number;
  active: boolean;
  version: number;
}

/** The rubric's criteria in their order; `activeOnly` for scoring (a retired criterion keeps its old scores). */
export async function listCriteria(db: Executor, activeOnly: boolean): Promise<CriterionRow[]> {
  let query = db.selectFrom('review_criteria').select(['id', 'label', 'description', 'position', 'active', 'version']);
  if (activeOnly) query = query.where('active', '=', true);
  return query.orderBy('active', 'desc').orderBy('position').orderBy('id').execute();
}

export async function findCriterion(db: Executor, id: number): Promise<CriterionRow | undefined> {
  return db
    .selectFrom('review_criteria')
    .select(['id', 'label', 'description', 'position', 'active', 'version'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertCriterion(
  trx: Executor,
  values: { label: string; description: string | null; position: number; createdBy: number; now: Date },
): Promise<number> {
  const row = await trx
    .insertInto('review_criteria')
    .values({
      label: values.label,
      description: values.description,
      position: values.position,
      created_by: values.createdBy,
      created_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Saves a criterion when it is still at the version the form was loaded with; false: someone changed it meanwhile. */
export async function updateCriterion(
  trx: Executor,
  id: number,
  values: { label: string; description: string | null; position: number; active: boolean; version: number; now: Date },
): Promise<boolean> {
  const result = await trx
    .updateTable('review_criteria')
    .set({
      label: values.label,
      description: values.description,
      position: values.position,
      active: values.active,
      updated_at: values.now,
      version: values.version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', values.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ScoreRow {
  itemId: number;
  criterionId: number;
  label: string;
  score: number;
}

/** The rubric scores of these review items, in the rubric's order. */
export async function listScores(db: Executor, itemIds: readonly number[]): Promise<ScoreRow[]> {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('review_scores')
    .innerJoin('review_criteria', 'review_criteria.id', 'review_scores.criterion_id')
    .select([
      'review_scores.review_item_id as itemId',
      'review_scores.criterion_id as criterionId',
      'review_criteria.label',
      'review_scores.score',
    ])
    .where('review_scores.review_item_id', 'in', [...itemIds])
    .orderBy('review_criteria.position')
    .orderBy('review_criteria.id')
    .execute();
}

/** Replaces an item's scores with these (the criteria scored on this save). */
export async function replaceScores(
  trx: Executor,
  itemId: number,
  scores: ReadonlyArray<{ criterionId: number; score: number }>,
) {
  await trx.deleteFrom('review_scores').where('review_item_id', '=', itemId).execute();
  if (scores.length === 0) return;
  await trx
    .insertInto('review_scores')
    .values(scores.map((entry) => ({ review_item_id: itemId, criterion_id: entry.criterionId, score: entry.score })))
    .execute();
}

export interface AverageRow {
  coachId: number;
  coachName: string;
  /** First day of the month (organisation zone), ISO date. */
  month: string;
  criterionId: number;
  average: number;
  scored: number;
}

/**
 * Average rubric score per coach, month (of the review, in the organisation's zone) and criterion
 * since `since`, for the coaches in the reviewer's scope. A handful of rows per coach and month.
 */
export async function listAverages(db: Executor, viewer: Viewer, since: Date, timeZone: string): Promise<AverageRow[]> {
  const month = sql<string>`to_char(date_trunc('month', review_items.reviewed_at at time zone ${timeZone}), 'YYYY-MM-DD')`;
  const rows = await db
    .selectFrom('review_scores')
    .innerJoin('review_items', 'review_items.id', 'review_scores.review_item_id')
    .innerJoin('review_samples', 'review_samples.id', 'review_items.sample_id')
    .innerJoin('users as coach', 'coach.id', 'review_samples.coach_id')
    .where(sampleInScope(viewer))
    .where('review_items.reviewed_at', '>=', since)
    .select((eb) => [
      'review_samples.coach_id as coachId',
      'coach.display_name as coachName',
      month.as('month'),
      'review_scores.criterion_id as criterionId',
      sql<string>`avg(review_scores.score)`.as('average'),
      eb.fn.countAll<string>().as('scored'),
    ])
    // By the output column: the zone is a bound parameter, so the expression written again would not match.
    .groupBy(['review_samples.coach_id', 'coach.display_name', sql`3`, 'review_scores.criterion_id'])
    .orderBy('coach.display_name')
    .orderBy('review_samples.coach_id')
    .execute();
  return rows.map((row) => ({ ...row, average: Number(row.average), scored: Number(row.scored) }));
}

/** Remembers when the coach last opened their feedback: what was given before it no longer counts as new. */
export async function markFeedbackRead(db: Executor, userId: number, at: Date): Promise<Date | null> {
  const before = await db.selectFrom('users').select('feedback_read_at').where('id', '=', userId).executeTakeFirst();
  await db.updateTable('users').set({ feedback_read_at: at }).where('id', '=', userId).execute();
  return before?.feedback_read_at ?? null;
}
