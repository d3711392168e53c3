import { sql } from 'kysely';
import { participantVisibleTo, participantChangeableBy } from '../db/access';
import { compiledOnce } from '../db/compiled-once';
import type { OrganisationKind, ParticipantStatus, ReferralServiceKind, ReferralStatus } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

export interface ReferralRow {
  id: number;
  participantId: number;
  serviceKind: ReferralServiceKind;
  organisationId: number;
  /** The directory entry's name and kind (src/directory). */
  organisationName: string;
  organisationKind: OrganisationKind;
  reason: string;
  status: ReferralStatus;
  referredOn: string;
  followUpOn: string | null;
  closedOn: string | null;
  version: number;
}

function referralBase(db: Executor) {
  return db
    .selectFrom('referrals')
    .innerJoin('referral_organisations as organisation', 'organisation.id', 'referrals.organisation_id')
    .select([
      'referrals.id',
      'referrals.participant_id as participantId',
      'referrals.service_kind as serviceKind',
      'referrals.organisation_id as organisationId',
      'organisation.name as organisationName',
      'organisation.kind as organisationKind',
      'referrals.reason',
      'referrals.status',
      'referrals.referred_on as referredOn',
      'referrals.follow_up_on as followUpOn',
      'referrals.closed_on as closedOn',
      'referrals.version',
    ]);
}

/** A participant's referrals: open ones first (newest referral first), then closed ones (last closed first). */
export async function listReferralsOfParticipant(db: Executor, participantId: number): Promise<ReferralRow[]> {
  return referralBase(db)
    .where('referrals.participant_id', '=', participantId)
    .orderBy(sql`referrals.closed_on is not null`)
    .orderBy('referrals.closed_on', 'desc')
    .orderBy('referrals.referred_on', 'desc')
    .orderBy('referrals.id', 'desc')
    .execute();
}

export interface VisibleReferralRow extends ReferralRow {
  participantStatus: ParticipantStatus;
}

/** One referral, only under its own participant and only when the viewer may see that participant. */
export async function findVisibleReferral(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  referralId: number,
): Promise<VisibleReferralRow | undefined> {
  return referralBase(db)
    .innerJoin('participants', 'participants.id', 'referrals.participant_id')
    .where('referrals.id', '=', referralId)
    .where('referrals.participant_id', '=', participantId)
    .where(participantVisibleTo(viewer))
    .select('participants.status as participantStatus')
    .executeTakeFirst();
}

export interface ReferralColumns {
  service_kind: ReferralServiceKind;
  organisation_id: number;
  reason: string;
  referred_on: string;
  follow_up_on: string | null;
  status: ReferralStatus;
  closed_on: string | null;
}

export async function insertReferral(
  trx: Executor,
  values: ReferralColumns & { participant_id: number; created_by: number },
  now: Date,
): Promise<number> {
  const row = await trx
    .insertInto('referrals')
    .values({ ...values, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Updates only when the referral still has `expectedVersion` and its participant may still be
 * changed by the viewer; returns whether it did.
 */
export async function updateReferralIfVersion(
  trx: Executor,
  viewer: Viewer,
  referralId: number,
  expectedVersion: number,
  values: ReferralColumns,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('referrals')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('referrals.id', '=', referralId)
    .where('referrals.version', '=', expectedVersion)
    .where(participantChangeableBy('referrals', viewer))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether the directory holds this organisation (a referral form may send a stale or made-up id). */
export async function organisationExists(db: Executor, organisationId: number): Promise<boolean> {
  const row = await db.selectFrom('referral_organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
  return row !== undefined;
}

/**
 * Marks a referral's follow-up as done by clearing its date, only while it still holds the date
 * the page showed (a date moved meanwhile stays) and the viewer may still change its participant.
 */
export async function clearFollowUpIfOn(
  trx: Executor,
  viewer: Viewer,
  referralId: number,
  followUpOn: string,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('referrals')
    .set((eb) => ({ follow_up_on: null, updated_at: now, version: eb('version', '+', 1) }))
    .where('referrals.id', '=', referralId)
    .where('referrals.follow_up_on', '=', followUpOn)
    .where(participantChangeableBy('referrals', viewer))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface DueFollowUpRow {
  referralId: number;
  participantId: number;
  firstName: string;
  lastName: string;
  serviceKind: ReferralServiceKind;
  organisationName: string;
  followUpOn: string;
  /** Every due follow-up the viewer sees, of which these rows are the first `limit`. */
  total: number;
}

/**
 * The open referrals whose follow-up date has come (on or before the viewer's today), of open participants
 * the viewer sees (their own caseload and those they stand in for), the longest waiting first: one
 * query for the page, with the full count alongside (a window count), at most `limit` rows. Served
 * by the partial index referrals_follow_up_due.
 */
export async function listDueFollowUps(db: Executor, viewer: Viewer, limit: number): Promise<DueFollowUpRow[]> {
  const rows = await dueFollowUpsStatement.execute(
    db,
    { role: viewer.role },
    { userId: viewer.userId, teamId: viewer.teamId, today: viewer.today, limit },
  );
  return rows.map((row) => ({ ...row, followUpOn: row.followUpOn as string, total: Number(row.total) }));
}

/** The statement of listDueFollowUps: every page load of /today sends it, so it is compiled once per role. */
export const dueFollowUpsStatement = compiledOnce(
  (db, shape: Pick<Viewer, 'role'>, values: Pick<Viewer, 'userId' | 'teamId' | 'today'> & { limit: number }) =>
    db
      .selectFrom('referrals')
      .innerJoin('participants', 'participants.id', 'referrals.participant_id')
      .innerJoin('referral_organisations as organisation', 'organisation.id', 'referrals.organisation_id')
      .where('referrals.follow_up_on', 'is not', null)
      .where('referrals.closed_on', 'is', null)
      .where('referrals.follow_up_on', '<=', values.today)
      .where('participants.status', '<>', 'closed')
      .where(participantVisibleTo({ ...shape, ...values }))
      .select([
        'referrals.id as referralId',
        'participants.id as participantId',
        'participants.first_name as firstName',
        'participants.last_name as lastName',
        'referrals.service_kind as serviceKind',
        'organisation.name as organisationName',
        'referrals.follow_up_on as followUpOn',
        sql<string>`count(*) over ()`.as('total'),
      ])
      .orderBy('referrals.follow_up_on')
      .orderBy(sql`lower(participants.last_name)`)
      .orderBy('referrals.id')
      .limit(values.limit),
);
