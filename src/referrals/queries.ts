import { sql } from 'kysely';
import { participantVisibleTo, participantChangeableBy } from '../db/access';
import type { ParticipantStatus, ReferralServiceKind, ReferralStatus } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

export interface ReferralRow {
  id: number;
  participantId: number;
  serviceKind: ReferralServiceKind;
  organisation: string;
  reason: string;
  status: ReferralStatus;
  referredOn: string;
  closedOn: string | null;
  version: number;
}

function referralBase(db: Executor) {
  return db
    .selectFrom('referrals')
    .select([
      'referrals.id',
      'referrals.participant_id as participantId',
      'referrals.service_kind as serviceKind',
      'referrals.organisation',
      'referrals.reason',
      'referrals.status',
      'referrals.referred_on as referredOn',
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
  organisation: string;
  reason: string;
  referred_on: string;
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
