import type { Kysely } from 'kysely';
import { recordAuditEvent } from '../platform/audit/service';
import { CLOSED_REFERRAL_STATUSES, type Database, type ReferralStatus } from '../db/schema';
import { FormRejection } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  findVisibleReferral,
  insertReferral,
  listReferralsOfParticipant,
  updateReferralIfVersion,
  type ReferralColumns,
  type ReferralRow,
  type VisibleReferralRow,
} from './queries';
import type { ReferralEditForm, ReferralInput } from './schemas';

export type { ReferralRow, VisibleReferralRow } from './queries';

export function isClosedReferralStatus(status: ReferralStatus): boolean {
  return CLOSED_REFERRAL_STATUSES.includes(status);
}

export interface ReferralsForProfile {
  /** Still running (proposed, sent, accepted, in progress), newest referral first. */
  open: ReferralRow[];
  /** Completed, declined or cancelled, last closed first. */
  closed: ReferralRow[];
}

export async function referralsForProfile(db: Kysely<Database>, participantId: number): Promise<ReferralsForProfile> {
  const rows = await listReferralsOfParticipant(db, participantId);
  return {
    open: rows.filter((row) => !isClosedReferralStatus(row.status)),
    closed: rows.filter((row) => isClosedReferralStatus(row.status)),
  };
}

/** One referral of a participant the viewer may see; undefined means 404. */
export async function findReferral(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  referralId: number,
): Promise<VisibleReferralRow | undefined> {
  return findVisibleReferral(db, viewer, participantId, referralId);
}

/**
 * The dates' rules, all reported at once: a referral is not made in the future; a closing status
 * needs the closing day, not before the referral and not in the future; an open status has none
 * (reopening clears it).
 */
function checkedColumns(
  input: Pick<ReferralEditForm, 'serviceKind' | 'organisation' | 'reason' | 'referredOn' | 'status' | 'closedOn'>,
  today: string,
): ReferralColumns {
  const errors: Record<string, string> = {};
  if (input.referredOn > today) errors.referredOn = 'referrals.form.referredInFuture';
  const closing = isClosedReferralStatus(input.status);
  if (closing) {
    if (input.closedOn === null) errors.closedOn = 'referrals.form.closedOnRequired';
    else if (input.closedOn > today) errors.closedOn = 'referrals.form.closedInFuture';
    else if (input.closedOn < input.referredOn) errors.closedOn = 'referrals.form.closedBeforeReferred';
  }
  if (Object.keys(errors).length > 0) throw new FormRejection(errors);
  return {
    service_kind: input.serviceKind,
    organisation: input.organisation,
    reason: input.reason,
    referred_on: input.referredOn,
    status: input.status,
    closed_on: closing ? input.closedOn : null,
  };
}

/** The caller has checked that the participant is visible to the viewer and not closed. */
export async function createReferral(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  input: ReferralInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  const columns = checkedColumns({ ...input, closedOn: null }, viewer.today);
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    const id = await insertReferral(trx, { ...columns, participant_id: participantId, created_by: viewer.userId }, now);
    // The reason may be personal: the audit names the structured facts only.
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'referral',
      entityId: id,
      participantId,
      details: {
        serviceKind: columns.service_kind,
        organisation: columns.organisation,
        status: columns.status,
        referredOn: columns.referred_on,
      },
    });
    return { value: id, path: `/participants/${participantId}` };
  });
}

export type ReferralChangeOutcome = { kind: 'saved' } | { kind: 'conflict'; current: VisibleReferralRow } | { kind: 'notFound' };

export interface ReferralRef {
  participantId: number;
  referralId: number;
}

export async function updateReferral(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: ReferralRef,
  form: ReferralEditForm,
  now: Date,
): Promise<ReferralChangeOutcome> {
  const columns = checkedColumns(form, viewer.today);
  const outcome = await db.transaction().execute(async (trx): Promise<ReferralChangeOutcome | null> => {
    const before = await findVisibleReferral(trx, viewer, ref.participantId, ref.referralId);
    if (!before || before.participantStatus === 'closed') return { kind: 'notFound' };
    if (!(await updateReferralIfVersion(trx, viewer, before.id, form.version, columns, now))) return null;
    const after: Record<string, unknown> = {
      serviceKind: columns.service_kind,
      organisation: columns.organisation,
      reason: columns.reason,
      referredOn: columns.referred_on,
      status: columns.status,
      closedOn: columns.closed_on,
    };
    const changedFields = Object.keys(after).filter((field) => before[field as keyof ReferralRow] !== after[field]);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of changedFields) {
      if (field !== 'reason') changes[field] = { from: before[field as keyof ReferralRow], to: after[field] };
    }
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'referral',
      entityId: before.id,
      participantId: before.participantId,
      details: { changedFields, changes },
    });
    return { kind: 'saved' };
  });
  if (outcome) return outcome;
  const current = await findVisibleReferral(db, viewer, ref.participantId, ref.referralId);
  return current && current.participantStatus !== 'closed' ? { kind: 'conflict', current } : { kind: 'notFound' };
}
