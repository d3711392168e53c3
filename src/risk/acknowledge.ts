import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import { FormRejection } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { recordAuditEvent } from '../platform/audit/service';
import { insertAcknowledgement } from './queries';
import type { RiskAcknowledgeForm } from './schemas';
import { assessRisk, flaggedPairs, MAX_SNOOZE_DAYS } from './service';
import { refreshRiskStates } from './state';

// Acknowledging a flag: beside the engine (service.ts) and the stored state (state.ts) because it
// writes one and refreshes the other, which keeps whether the flag is acknowledged.

export type AcknowledgeOutcome =
  | { kind: 'acknowledged'; acknowledgementId: number }
  /** The participant has no flag (any more): there is nothing to acknowledge. */
  | { kind: 'notFlagged' };

/**
 * Stores an acknowledgement of the participant's current flag, with the level and the
 * "signal:level" pairs of a fresh assessment, audited and the participant's stored risk state
 * refreshed (its `acknowledged`) in the same transaction. The caller has
 * checked that the viewer may see the participant. A snooze date before today or more than
 * MAX_SNOOZE_DAYS ahead is a FormRejection.
 */
export async function acknowledgeRisk(
  db: Kysely<Database>,
  viewer: Pick<Viewer, 'userId'>,
  participantId: number,
  form: RiskAcknowledgeForm,
  now: DateTime,
  timeZone: string,
): Promise<AcknowledgeOutcome> {
  const today = now.setZone(timeZone).toISODate()!;
  const latestSnooze = DateTime.fromISO(today, { zone: 'utc' }).plus({ days: MAX_SNOOZE_DAYS }).toISODate()!;
  if (form.snoozeUntil !== null && form.snoozeUntil < today) {
    throw new FormRejection({ snoozeUntil: 'risk.acknowledge.snoozeInPast' });
  }
  if (form.snoozeUntil !== null && form.snoozeUntil > latestSnooze) {
    throw new FormRejection({ snoozeUntil: 'risk.acknowledge.snoozeTooFar' });
  }
  const assessment = (await assessRisk(db, [participantId], now, timeZone)).get(participantId);
  if (!assessment || assessment.level === 'none') return { kind: 'notFlagged' };
  const level = assessment.level;
  const flagged = flaggedPairs(assessment);
  return db.transaction().execute(async (trx) => {
    const acknowledgementId = await insertAcknowledgement(trx, {
      participantId,
      actorUserId: viewer.userId,
      at: now.toJSDate(),
      note: form.note,
      snoozeUntil: form.snoozeUntil,
      level,
      flagged,
    });
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'risk_acknowledgement',
      entityId: acknowledgementId,
      participantId,
      details: { level, flagged, snoozeUntil: form.snoozeUntil },
    });
    await refreshRiskStates(trx, [participantId], now, timeZone);
    return { kind: 'acknowledged' as const, acknowledgementId };
  });
}
