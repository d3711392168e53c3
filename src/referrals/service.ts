import type { Kysely } from 'kysely';
import { recordAuditEvent } from '../platform/audit/service';
import { CLOSED_REFERRAL_STATUSES, type Database, type ReferralStatus } from '../db/schema';
import { findOrAddOrganisation, type OrganisationInput } from '../directory/service';
import { FormRejection } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  clearFollowUpIfOn,
  findVisibleReferral,
  insertReferral,
  listDueFollowUps,
  listReferralsOfParticipant,
  organisationExists,
  updateReferralIfVersion,
  type DueFollowUpRow,
  type ReferralColumns,
  type ReferralRow,
  type VisibleReferralRow,
} from './queries';
import { NEW_ORGANISATION, type ReferralEditForm, type ReferralInput } from './schemas';

export type { DueFollowUpRow, ReferralRow, VisibleReferralRow } from './queries';

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

/** The organisation a form names: one of the directory, or a new one to add in place. */
type OrganisationChoice = { kind: 'existing'; id: number } | { kind: 'new'; input: OrganisationInput };

type FormFields = Pick<
  ReferralEditForm,
  | 'serviceKind'
  | 'organisationId'
  | 'newOrganisationName'
  | 'newOrganisationKind'
  | 'newOrganisationRegion'
  | 'newOrganisationPhone'
  | 'newOrganisationEmail'
  | 'reason'
  | 'referredOn'
  | 'followUpOn'
  | 'status'
  | 'closedOn'
>;

/**
 * Which organisation the form names, with its problems in `errors`: a chosen entry of the list,
 * or a new one from the fields below it (the list set to "new", or left empty while a new name
 * is typed). A choice from the list and a typed new name at once is ambiguous and refused.
 */
function organisationChoiceOf(input: FormFields, errors: Record<string, string>): OrganisationChoice | null {
  const picked = input.organisationId;
  const typedNew = input.newOrganisationName !== null;
  if (picked !== '' && picked !== NEW_ORGANISATION) {
    if (typedNew) errors.organisationId = 'referrals.form.organisationBoth';
    return { kind: 'existing', id: Number(picked) };
  }
  if (!typedNew) {
    errors[picked === NEW_ORGANISATION ? 'newOrganisationName' : 'organisationId'] =
      picked === NEW_ORGANISATION ? 'referrals.form.newOrganisationNameRequired' : 'referrals.form.organisationRequired';
    return null;
  }
  if (input.newOrganisationKind === null) {
    errors.newOrganisationKind = 'referrals.form.newOrganisationKindRequired';
    return null;
  }
  return {
    kind: 'new',
    input: {
      name: input.newOrganisationName!,
      kind: input.newOrganisationKind,
      region: input.newOrganisationRegion,
      phone: input.newOrganisationPhone,
      email: input.newOrganisationEmail,
    },
  };
}

interface CheckedReferral {
  columns: Omit<ReferralColumns, 'organisation_id'>;
  organisation: OrganisationChoice;
}

/**
 * The rules, all reported at once: the organisation (above); a referral is not made in the
 * future; a follow-up is not before the referral; a closing status needs the closing day, not
 * before the referral and not in the future; an open status has none (reopening clears it). A
 * closed referral needs no follow-up, so closing clears its date.
 */
function checked(input: FormFields, today: string): CheckedReferral {
  const errors: Record<string, string> = {};
  const organisation = organisationChoiceOf(input, errors);
  if (input.referredOn > today) errors.referredOn = 'referrals.form.referredInFuture';
  if (input.followUpOn !== null && input.followUpOn < input.referredOn) {
    errors.followUpOn = 'referrals.form.followUpBeforeReferred';
  }
  const closing = isClosedReferralStatus(input.status);
  if (closing) {
    if (input.closedOn === null) errors.closedOn = 'referrals.form.closedOnRequired';
    else if (input.closedOn > today) errors.closedOn = 'referrals.form.closedInFuture';
    else if (input.closedOn < input.referredOn) errors.closedOn = 'referrals.form.closedBeforeReferred';
  }
  if (Object.keys(errors).length > 0 || organisation === null) throw new FormRejection(errors);
  return {
    organisation,
    columns: {
      service_kind: input.serviceKind,
      reason: input.reason,
      referred_on: input.referredOn,
      follow_up_on: closing ? null : input.followUpOn,
      status: input.status,
      closed_on: closing ? input.closedOn : null,
    },
  };
}

/** The directory entry of the referral, inside its transaction: checked, or added in place. */
async function organisationIdOf(trx: Executor, viewer: Viewer, choice: OrganisationChoice, now: Date): Promise<number> {
  if (choice.kind === 'new') return findOrAddOrganisation(trx, viewer, choice.input, now);
  if (!(await organisationExists(trx, choice.id)))
    throw new FormRejection({ organisationId: 'referrals.form.organisationUnknown' });
  return choice.id;
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
  const { columns, organisation } = checked({ ...input, closedOn: null }, viewer.today);
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    const organisationId = await organisationIdOf(trx, viewer, organisation, now);
    const id = await insertReferral(
      trx,
      { ...columns, organisation_id: organisationId, participant_id: participantId, created_by: viewer.userId },
      now,
    );
    // The reason may be personal: the audit names the structured facts only.
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'referral',
      entityId: id,
      participantId,
      details: {
        serviceKind: columns.service_kind,
        organisationId,
        status: columns.status,
        referredOn: columns.referred_on,
        followUpOn: columns.follow_up_on,
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
  const { columns: checkedColumns, organisation } = checked(form, viewer.today);
  const outcome = await db.transaction().execute(async (trx): Promise<ReferralChangeOutcome | null> => {
    const before = await findVisibleReferral(trx, viewer, ref.participantId, ref.referralId);
    if (!before || before.participantStatus === 'closed') return { kind: 'notFound' };
    const columns = { ...checkedColumns, organisation_id: await organisationIdOf(trx, viewer, organisation, now) };
    if (!(await updateReferralIfVersion(trx, viewer, before.id, form.version, columns, now))) return null;
    const after: Record<string, unknown> = {
      serviceKind: columns.service_kind,
      organisationId: columns.organisation_id,
      reason: columns.reason,
      referredOn: columns.referred_on,
      followUpOn: columns.follow_up_on,
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

/** How many due follow-ups /today lists; the rest are counted ("and N more"). */
export const TODAY_FOLLOW_UP_LIMIT = 20;

export interface DueFollowUps {
  rows: DueFollowUpRow[];
  /** All due follow-ups the viewer sees (rows holds the first TODAY_FOLLOW_UP_LIMIT). */
  total: number;
}

/** The referrals whose follow-up date has come, for the viewer's /today (one query). */
export async function dueFollowUps(db: Kysely<Database>, viewer: Viewer, limit = TODAY_FOLLOW_UP_LIMIT): Promise<DueFollowUps> {
  const rows = await listDueFollowUps(db, viewer, limit);
  return { rows, total: rows[0]?.total ?? 0 };
}

/**
 * "Followed up": the referral leaves /today by clearing its follow-up date, only while it still
 * holds the date the page showed (one moved or done meanwhile stays as it is, and the answer is
 * the same). Audited with the date, never the reason.
 */
export async function recordFollowUpDone(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: ReferralRef,
  followUpOn: string,
  now: Date,
): Promise<{ kind: 'saved' } | { kind: 'notFound' }> {
  return db.transaction().execute(async (trx) => {
    const referral = await findVisibleReferral(trx, viewer, ref.participantId, ref.referralId);
    if (!referral || referral.participantStatus === 'closed') return { kind: 'notFound' } as const;
    if (await clearFollowUpIfOn(trx, viewer, referral.id, followUpOn, now)) {
      await recordAuditEvent(trx, {
        actorUserId: viewer.userId,
        action: 'update',
        entityType: 'referral',
        entityId: referral.id,
        participantId: referral.participantId,
        details: { changedFields: ['followUpOn'], changes: { followUpOn: { from: followUpOn, to: null } }, followUpDone: true },
      });
    }
    return { kind: 'saved' } as const;
  });
}
