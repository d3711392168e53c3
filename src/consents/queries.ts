import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { participantChangeableBy, participantVisibleTo } from '../db/access';
import type { ConsentPurpose, Database, ParticipantStatus } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

/**
 * WHERE fragment for a query over `participants`: the participant has a current consent for
 * `purpose` on `day` — given on or before it and not withdrawn by then (a consent withdrawn on a
 * day no longer counts on that day).
 */
export function hasCurrentConsentOn(purpose: ConsentPurpose, day: string) {
  return (eb: ExpressionBuilder<Database, 'participants'>): Expression<SqlBool> =>
    eb.exists(
      eb
        .selectFrom('participant_consents')
        .select(sql.lit(1).as('one'))
        .whereRef('participant_consents.participant_id', '=', 'participants.id')
        .where('participant_consents.purpose', '=', purpose)
        .where('participant_consents.given_on', '<=', day)
        .where((inner) =>
          inner.or([
            inner('participant_consents.withdrawn_on', 'is', null),
            inner('participant_consents.withdrawn_on', '>', day),
          ]),
        ),
    );
}

export interface ConsentRow {
  id: number;
  participantId: number;
  purpose: ConsentPurpose;
  givenOn: string;
  recordedById: number;
  recordedByName: string;
  withdrawnOn: string | null;
  withdrawnByName: string | null;
  note: string | null;
  version: number;
}

function consentBase(db: Executor) {
  return db
    .selectFrom('participant_consents')
    .innerJoin('users as recorder', 'recorder.id', 'participant_consents.recorded_by')
    .leftJoin('users as withdrawer', 'withdrawer.id', 'participant_consents.withdrawn_by')
    .select([
      'participant_consents.id',
      'participant_consents.participant_id as participantId',
      'participant_consents.purpose',
      'participant_consents.given_on as givenOn',
      'participant_consents.recorded_by as recordedById',
      'recorder.display_name as recordedByName',
      'participant_consents.withdrawn_on as withdrawnOn',
      'withdrawer.display_name as withdrawnByName',
      'participant_consents.note',
      'participant_consents.version',
    ]);
}

/** Every consent record of a participant, newest given first. */
export async function listConsentsOfParticipant(db: Executor, participantId: number): Promise<ConsentRow[]> {
  return consentBase(db)
    .where('participant_consents.participant_id', '=', participantId)
    .orderBy('participant_consents.given_on', 'desc')
    .orderBy('participant_consents.id', 'desc')
    .execute();
}

export interface VisibleConsentRow extends ConsentRow {
  participantStatus: ParticipantStatus;
}

/** One consent record, only under its own participant and only when the viewer may see that participant. */
export async function findVisibleConsent(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  consentId: number,
): Promise<VisibleConsentRow | undefined> {
  return consentBase(db)
    .innerJoin('participants', 'participants.id', 'participant_consents.participant_id')
    .where('participant_consents.id', '=', consentId)
    .where('participant_consents.participant_id', '=', participantId)
    .where(participantVisibleTo(viewer))
    .select('participants.status as participantStatus')
    .executeTakeFirst();
}

/** The consent for `purpose` that has not been withdrawn, if any. */
export async function findOpenConsent(
  trx: Executor,
  participantId: number,
  purpose: ConsentPurpose,
): Promise<{ id: number } | undefined> {
  return trx
    .selectFrom('participant_consents')
    .where('participant_id', '=', participantId)
    .where('purpose', '=', purpose)
    .where('withdrawn_on', 'is', null)
    .select('id')
    .executeTakeFirst();
}

export async function insertConsent(
  trx: Executor,
  values: { participant_id: number; purpose: ConsentPurpose; given_on: string; recorded_by: number; note: string | null },
  now: Date,
): Promise<number> {
  const row = await trx
    .insertInto('participant_consents')
    .values({ ...values, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Withdraws only a consent not withdrawn yet, still at `expectedVersion`, of a participant the viewer may change. */
export async function withdrawConsentIfVersion(
  trx: Executor,
  viewer: Viewer,
  consentId: number,
  expectedVersion: number,
  values: { withdrawn_on: string; withdrawn_by: number },
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('participant_consents')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('participant_consents.id', '=', consentId)
    .where('participant_consents.version', '=', expectedVersion)
    .where('participant_consents.withdrawn_on', 'is', null)
    .where(participantChangeableBy('participant_consents', viewer))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether the participant has a current consent for `purpose` on `day`. */
export async function consentCurrentOn(
  db: Executor,
  participantId: number,
  purpose: ConsentPurpose,
  day: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('participants')
    .where('participants.id', '=', participantId)
    .where(hasCurrentConsentOn(purpose, day))
    .select('participants.id')
    .executeTakeFirst();
  return row !== undefined;
}
