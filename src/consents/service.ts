import type { Kysely } from 'kysely';
import { CONSENT_PURPOSES, type ConsentPurpose, type Database } from '../db/schema';
import { FormRejection, notFound } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { recordAuditEvent } from '../platform/audit/service';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import { lockParticipantForChange } from '../participants/service';
import {
  consentCurrentOn,
  findOpenConsent,
  findVisibleConsent,
  insertConsent,
  listConsentsOfParticipant,
  withdrawConsentIfVersion,
  type ConsentRow,
  type VisibleConsentRow,
} from './queries';
import type { ConsentInput, ConsentWithdrawForm } from './schemas';

export type { ConsentRow, VisibleConsentRow } from './queries';
// The rule as SQL, for the features that select by consent (the quality-review sample).
export { hasCurrentConsentOn } from './queries';

/** Whether a consent record counts on `day`: given on or before it, and not withdrawn by then. */
export function isCurrentOn(consent: Pick<ConsentRow, 'givenOn' | 'withdrawnOn'>, day: string): boolean {
  return consent.givenOn <= day && (consent.withdrawnOn === null || consent.withdrawnOn > day);
}

export interface PurposeConsent {
  purpose: ConsentPurpose;
  /** The record that counts today, if any. */
  current: ConsentRow | null;
  /** Every other record of this purpose (withdrawn ones), newest first. */
  history: ConsentRow[];
}

/** One entry per purpose, always in the same order, for the profile. */
export async function consentsForProfile(db: Kysely<Database>, participantId: number, today: string): Promise<PurposeConsent[]> {
  const rows = await listConsentsOfParticipant(db, participantId);
  return CONSENT_PURPOSES.map((purpose) => {
    const ofPurpose = rows.filter((row) => row.purpose === purpose);
    const current = ofPurpose.find((row) => isCurrentOn(row, today)) ?? null;
    return { purpose, current, history: ofPurpose.filter((row) => row !== current) };
  });
}

/** Whether the participant has a current consent for `purpose` today (the trajectory report warns without one). */
export async function hasCurrentConsent(
  db: Kysely<Database>,
  participantId: number,
  purpose: ConsentPurpose,
  today: string,
): Promise<boolean> {
  return consentCurrentOn(db, participantId, purpose, today);
}

export async function findConsent(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  consentId: number,
): Promise<VisibleConsentRow | undefined> {
  return findVisibleConsent(db, viewer, participantId, consentId);
}

/**
 * Records a consent once per form token: given on a day not in the future, and only while no
 * consent for that purpose is open (withdraw it first; a withdrawn one stays as history). The
 * audit holds the purpose and the day, never the note.
 */
export async function recordConsent(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  input: ConsentInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  if (input.givenOn > viewer.today) throw new FormRejection({ givenOn: 'consents.form.givenInFuture' });
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    if (!(await lockParticipantForChange(trx, viewer, participantId))) throw notFound();
    if (await findOpenConsent(trx, participantId, input.purpose))
      throw new FormRejection({ purpose: 'consents.form.alreadyGiven' });
    const id = await insertConsent(
      trx,
      {
        participant_id: participantId,
        purpose: input.purpose,
        given_on: input.givenOn,
        recorded_by: viewer.userId,
        note: input.note,
      },
      now,
    );
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'consent',
      entityId: id,
      participantId,
      details: { purpose: input.purpose, givenOn: input.givenOn, withNote: input.note !== null },
    });
    return { value: id, path: `/participants/${participantId}#consents` };
  });
}

export type WithdrawOutcome = { kind: 'withdrawn' } | { kind: 'conflict'; current: VisibleConsentRow } | { kind: 'notFound' };

/** Withdraws a consent on a day not in the future and not before it was given. */
export async function withdrawConsent(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: { participantId: number; consentId: number },
  form: ConsentWithdrawForm,
  now: Date,
): Promise<WithdrawOutcome> {
  if (form.withdrawnOn > viewer.today) throw new FormRejection({ withdrawnOn: 'consents.withdraw.inFuture' });
  const outcome = await db.transaction().execute(async (trx): Promise<WithdrawOutcome | null> => {
    const before = await findVisibleConsent(trx, viewer, ref.participantId, ref.consentId);
    if (!before || before.participantStatus === 'closed' || before.withdrawnOn !== null) return { kind: 'notFound' };
    if (form.withdrawnOn < before.givenOn) throw new FormRejection({ withdrawnOn: 'consents.withdraw.beforeGiven' });
    const values = { withdrawn_on: form.withdrawnOn, withdrawn_by: viewer.userId };
    if (!(await withdrawConsentIfVersion(trx, viewer, before.id, form.version, values, now))) return null;
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'withdraw',
      entityType: 'consent',
      entityId: before.id,
      participantId: before.participantId,
      details: { purpose: before.purpose, givenOn: before.givenOn, withdrawnOn: form.withdrawnOn },
    });
    return { kind: 'withdrawn' };
  });
  if (outcome) return outcome;
  const current = await findVisibleConsent(db, viewer, ref.participantId, ref.consentId);
  return current && current.participantStatus !== 'closed' && current.withdrawnOn === null
    ? { kind: 'conflict', current }
    : { kind: 'notFound' };
}
