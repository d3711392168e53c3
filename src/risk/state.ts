import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import type { Executor } from '../platform/executor';
import { tryTakeJobLock, type JobRunner } from '../platform/jobs';
import { findRiskSettings, listStateFacts, type RiskSettings } from './queries';
import type { Viewer } from '../lib/viewer';
import type { RiskSettingsForm } from './schemas';
import {
  acknowledgementCovers,
  assessRisk,
  assessmentOn,
  evaluateRisk,
  RISK_SETTING_FIELDS,
  saveRiskSettings,
  validUntil,
  type RiskAssessment,
  type RiskReason,
  type RiskSettingsSaveOutcome,
} from './service';
import {
  deleteRiskStatesExcept,
  findCurrentRiskRecompute,
  finishRiskRecomputes,
  listExpiredRiskStateIds,
  listParticipantIdsAfter,
  listRiskStates,
  listRiskTallyDifferences,
  listStaleRiskStateIds,
  upsertRiskStates,
  type RiskStateRow,
} from './state-queries';

export type { RiskStateRow, RiskTallyDifference } from './state-queries';

// The stored risk state (README.md "Stored risk state"): every write that changes a participant's
// facts calls refreshRiskStates in its own transaction; the upkeep job (jobs.ts: at start, every
// few minutes, and first thing in the daily snapshot) calls keepRiskStatesCurrent: rows nothing
// wrote or of older settings (refreshMissingRiskStates: after the migration, a bulk import, and the
// background recompute of a settings change), then rows whose day has come
// (refreshExpiredRiskStates); `npm run risk:recompute` calls refreshAllRiskStates. All compute
// through computeRiskStates, the engine's own queries and evaluateRisk: there is no second copy
// of the rules.

/** Rows per transaction of the batch recomputes: small enough for the embedded single connection. */
export const RISK_STATE_BATCH_SIZE = 500;

/**
 * The upkeep job's name, and the advisory lock every upkeep batch holds (platform/jobs.ts), so
 * that app processes never do the same rows at once.
 */
export const RISK_STATE_JOB = 'risk_state';

/**
 * Why a batched upkeep ended before its work did: another process holds the upkeep lock (it is
 * doing this work), or this process is stopping (`signal`). Between batches either way, so what
 * is left is found by the next run.
 */
export type CutShort = 'locked' | 'stopped' | null;

export interface UpkeepRun {
  refreshed: number;
  cutShort: CutShort;
}

export interface UpkeepOptions {
  batchSize?: number;
  /** Aborted when the process stops: the upkeep ends after its batch in progress. */
  signal?: AbortSignal;
}

type Instant = Date | DateTime;
const asDateTime = (now: Instant) => (now instanceof Date ? DateTime.fromJSDate(now) : now);

interface SettingsInForce {
  settings: RiskSettings;
  version: number;
}

/** The settings of this transaction's snapshot: never a cached copy, so a row says which version it used. */
async function settingsInForce(db: Executor): Promise<SettingsInForce> {
  const record = await findRiskSettings(db);
  if (!record) throw new Error('risk_settings has no row: run the migrations');
  const settings = Object.fromEntries(RISK_SETTING_FIELDS.map((field) => [field, record[field]])) as unknown as RiskSettings;
  return { settings, version: record.version };
}

/** The rows the ids should have now (open participants only), computed from scratch. Two queries. */
export async function computeRiskStates(
  db: Executor,
  participantIds: number[],
  now: Instant,
  timeZone: string,
  inForce: SettingsInForce,
): Promise<RiskStateRow[]> {
  const ids = [...new Set(participantIds)];
  if (ids.length === 0) return [];
  const { settings, version } = inForce;
  const at = asDateTime(now);
  const today = at.setZone(timeZone).toISODate()!;
  // One query: the placements come with each participant's facts.
  const facts = await listStateFacts(db, ids, today, timeZone, settings.wellbeingDropChecks, settings.hoursLookbackWeeks);
  return facts.map(
    ({
      coachId,
      placements: own,
      lastReachedAt,
      lastContactAt,
      contacts7,
      contacts30,
      nextChangeOn,
      closed,
      latestAcknowledgement,
      ...contact
    }) => {
      const start = contact.trajectoryStartDate;
      const outcome =
        start === null
          ? null
          : evaluateRisk({ contact: { ...contact, trajectoryStartDate: start }, placements: own }, today, settings);
      const acknowledgement = acknowledgementInForce(outcome, latestAcknowledgement, today);
      const byFacts = validUntil({ contact, placements: own, nextChangeOn }, today, settings);
      return {
        participantId: contact.participantId,
        scoredOn: today,
        computedAt: at.toJSDate(),
        settingsVersion: version,
        validUntil: earliestDay(byFacts, acknowledgement.endsOn),
        lastReachedAt,
        lastReachedOn: contact.reachedOn,
        lastContactAt,
        nextContactDate: contact.nextContactDate,
        unreachedCount: contact.unreachedCount,
        hasActivePlacement: own.some((placement) => placement.status === 'active'),
        trajectoryStartDate: start,
        coachId,
        contacts7,
        contacts30,
        // Nearest first (queries.ts orders them): what the warning of end_of_trajectory counts to.
        plannedEndOn: contact.ends[0]?.plannedEnd ?? null,
        level: outcome?.level ?? null,
        reasons: outcome?.reasons ?? null,
        acknowledged: acknowledgement.active,
        closed,
      };
    },
  );
}

/**
 * Whether the latest acknowledgement holds for the flag of `today` (isAcknowledged's rule: flagged,
 * the snooze not ended, every reason covered), and the day it stops holding by time alone: the day
 * after its snooze. A new acknowledgement refreshes the row (acknowledgeRisk), and so does any
 * change of the reasons, so time is the only other thing that can end it.
 */
function acknowledgementInForce(
  outcome: Pick<RiskAssessment, 'level' | 'reasons'> | null,
  latest: { snoozeUntil: string | null; flagged: string[] } | null,
  today: string,
): { active: boolean; endsOn: string | null } {
  if (!outcome || outcome.level === 'none' || !latest) return { active: false, endsOn: null };
  if (latest.snoozeUntil !== null && latest.snoozeUntil < today) return { active: false, endsOn: null };
  if (!acknowledgementCovers(latest.flagged, outcome)) return { active: false, endsOn: null };
  const endsOn =
    latest.snoozeUntil === null ? null : DateTime.fromISO(latest.snoozeUntil, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;
  return { active: true, endsOn };
}

/** The earlier of two days, either of which may be null (never). */
function earliestDay(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/**
 * Brings the stored state of the ids up to date inside the caller's transaction: an upsert for
 * each open participant, a delete for the others. Called by every write that changes a fact.
 */
export async function refreshRiskStates(trx: Executor, participantIds: number[], now: Instant, timeZone: string): Promise<void> {
  if (participantIds.length === 0) return;
  await refreshWith(trx, participantIds, now, timeZone, await settingsInForce(trx));
}

async function refreshWith(
  trx: Executor,
  ids: number[],
  now: Instant,
  timeZone: string,
  inForce: SettingsInForce,
): Promise<number> {
  const rows = await computeRiskStates(trx, ids, now, timeZone, inForce);
  await upsertRiskStates(trx, rows);
  await deleteRiskStatesExcept(
    trx,
    ids,
    rows.map((row) => row.participantId),
  );
  return rows.length;
}

/**
 * Recomputes the rows whose valid_until has come, `batchSize` per transaction, until none is left.
 * A recomputed row's valid_until is after today (or null), so it ends. Each batch holds the upkeep
 * lock; when another process holds it, that process is doing this same work, so this one stops.
 */
export async function refreshExpiredRiskStates(
  db: Kysely<Database>,
  now: Instant,
  timeZone: string,
  { batchSize = RISK_STATE_BATCH_SIZE, signal }: UpkeepOptions = {},
): Promise<UpkeepRun> {
  const today = asDateTime(now).setZone(timeZone).toISODate()!;
  let refreshed = 0;
  for (;;) {
    if (signal?.aborted) return { refreshed, cutShort: 'stopped' };
    const done = await db.transaction().execute(async (trx) => {
      if (!(await tryTakeJobLock(trx, RISK_STATE_JOB))) return null;
      const ids = await listExpiredRiskStateIds(trx, today, batchSize);
      if (ids.length > 0) await refreshWith(trx, ids, now, timeZone, await settingsInForce(trx));
      return ids.length;
    });
    if (done === null) return { refreshed, cutShort: 'locked' };
    refreshed += done;
    if (done < batchSize) return { refreshed, cutShort: null };
  }
}

/**
 * Recomputes the rows no write keeps in step: open participants without a row (the table is new,
 * or rows came in by bulk SQL), rows of settings other than those in force (the background
 * recompute of a settings change, or one cut short by a restart) and rows left for closed
 * participants. `batchSize` per transaction under the upkeep lock, walking the ids upwards so it
 * ends whatever it finds.
 */
export async function refreshMissingRiskStates(
  db: Kysely<Database>,
  now: Instant,
  timeZone: string,
  { batchSize = RISK_STATE_BATCH_SIZE, signal }: UpkeepOptions = {},
): Promise<UpkeepRun> {
  const today = asDateTime(now).setZone(timeZone).toISODate()!;
  let afterId = 0;
  let refreshed = 0;
  for (;;) {
    if (signal?.aborted) return { refreshed, cutShort: 'stopped' };
    const ids = await db.transaction().execute(async (trx) => {
      if (!(await tryTakeJobLock(trx, RISK_STATE_JOB))) return null;
      const stale = await listStaleRiskStateIds(trx, today, afterId, batchSize);
      if (stale.length > 0) await refreshWith(trx, stale, now, timeZone, await settingsInForce(trx));
      return stale;
    });
    if (ids === null) return { refreshed, cutShort: 'locked' };
    refreshed += ids.length;
    if (ids.length < batchSize) return { refreshed, cutShort: null };
    afterId = ids[ids.length - 1]!;
  }
}

export interface RiskStateUpkeep {
  /** Rows missing, of older settings or left for closed participants, refreshed. */
  missing: number;
  /** Rows whose valid_until had come, refreshed. */
  expired: number;
  /** Ended before its work: another process holds the upkeep lock, or this one is stopping. */
  cutShort: CutShort;
  /** The settings versions whose background recompute this run found finished. */
  recomputesFinished: number[];
}

/**
 * The upkeep job's work: first the rows nothing wrote or of older settings, then the rows whose day
 * has come (a row just written is valid past today, so none is done twice). A walk through the
 * rows that was not cut short leaves none of older settings, so it marks their recompute finished.
 */
export async function keepRiskStatesCurrent(
  db: Kysely<Database>,
  now: Instant,
  timeZone: string,
  options: UpkeepOptions = {},
): Promise<RiskStateUpkeep> {
  const missing = await refreshMissingRiskStates(db, now, timeZone, options);
  if (missing.cutShort) return { missing: missing.refreshed, expired: 0, cutShort: missing.cutShort, recomputesFinished: [] };
  const recomputesFinished = await finishRiskRecomputes(db, asDateTime(now).toJSDate());
  const expired = await refreshExpiredRiskStates(db, now, timeZone, options);
  return { missing: missing.refreshed, expired: expired.refreshed, cutShort: expired.cutShort, recomputesFinished };
}

/**
 * Recomputes every participant's row, `batchSize` participants per transaction: after a settings
 * change, after bulk inserts (demo seed, bench data) and by hand (`npm run risk:recompute`, which
 * reports each batch through onBatch).
 */
export async function refreshAllRiskStates(
  db: Kysely<Database>,
  now: Instant,
  timeZone: string,
  batchSize = RISK_STATE_BATCH_SIZE,
  options: { onBatch?: (participantsSoFar: number) => void } = {},
): Promise<number> {
  let afterId = 0;
  let count = 0;
  for (;;) {
    const ids = await db.transaction().execute(async (trx) => {
      const batch = await listParticipantIdsAfter(trx, afterId, batchSize);
      if (batch.length > 0) await refreshWith(trx, batch, now, timeZone, await settingsInForce(trx));
      return batch;
    });
    count += ids.length;
    if (ids.length > 0) options.onBatch?.(count);
    if (ids.length < batchSize) return count;
    afterId = ids[ids.length - 1]!;
  }
}

export interface RiskStateDifference {
  participantId: number;
  /** What differs: 'missing' (no row), 'extra' (a row for a closed participant), or the fields. */
  kind: 'missing' | 'extra' | 'different';
  fields: string[];
  stored: RiskStateRow | null;
  fresh: RiskStateRow | null;
}

const COMPARED_FIELDS = [
  'settingsVersion',
  'validUntil',
  'lastReachedAt',
  'lastReachedOn',
  'lastContactAt',
  'nextContactDate',
  'unreachedCount',
  'hasActivePlacement',
  'trajectoryStartDate',
  'coachId',
  'contacts7',
  'contacts30',
  'plannedEndOn',
  'level',
  'acknowledged',
  'closed',
] as const satisfies ReadonlyArray<keyof RiskStateRow>;

const sameValue = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : isDeepStrictEqual(a, b);

/** What the stored row reads as on `today` (day counts moved on) against a fresh row: the differing fields. */
export function differingFields(stored: RiskStateRow, fresh: RiskStateRow): string[] {
  const fields: string[] = COMPARED_FIELDS.filter((field) => !sameValue(stored[field], fresh[field]));
  if (stored.level !== null && fresh.level !== null) {
    const storedNow = assessmentOn(
      { level: stored.level, reasons: stored.reasons as RiskReason[] },
      stored.scoredOn,
      fresh.scoredOn,
    );
    // jsonb does not keep key order; isDeepStrictEqual does not look at it.
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(storedNow.reasons)), fresh.reasons)) fields.push('reasons');
  } else if (!sameValue(stored.reasons, fresh.reasons)) fields.push('reasons');
  return fields;
}

/**
 * Recomputes every participant from scratch and compares with the stored state, `batchSize` at a
 * time: rows missing or left over, and fields that differ. The level and reasons are also checked
 * against assessRisk itself, so the state's query cannot drift from the engine's. Writes nothing.
 */
export async function findRiskStateDifferences(
  db: Kysely<Database>,
  now: Instant,
  timeZone: string,
  batchSize = RISK_STATE_BATCH_SIZE,
): Promise<RiskStateDifference[]> {
  const differences: RiskStateDifference[] = [];
  let afterId = 0;
  for (;;) {
    const ids = await listParticipantIdsAfter(db, afterId, batchSize);
    if (ids.length === 0) return differences;
    afterId = ids[ids.length - 1]!;
    const inForce = await settingsInForce(db);
    const [freshRows, storedRows, assessed] = await Promise.all([
      computeRiskStates(db, ids, now, timeZone, inForce),
      listRiskStates(db, ids),
      assessRisk(db, ids, asDateTime(now), timeZone, inForce.settings),
    ]);
    const fresh = new Map(freshRows.map((row) => [row.participantId, row]));
    const stored = new Map(storedRows.map((row) => [row.participantId, row]));
    for (const id of ids) {
      const freshRow = fresh.get(id) ?? null;
      const storedRow = stored.get(id) ?? null;
      const fields: string[] = [];
      const assessment = assessed.get(id);
      if (
        !sameValue(assessment?.level ?? null, freshRow?.level ?? null) ||
        !sameValue(assessment?.reasons ?? null, freshRow?.reasons ?? null)
      ) {
        fields.push('engine');
      }
      if (freshRow && !storedRow) differences.push({ participantId: id, kind: 'missing', fields, stored: null, fresh: freshRow });
      else if (!freshRow && storedRow)
        differences.push({ participantId: id, kind: 'extra', fields, stored: storedRow, fresh: null });
      else if (freshRow && storedRow) fields.push(...differingFields(storedRow, freshRow));
      if (freshRow && storedRow && fields.length > 0) {
        differences.push({ participantId: id, kind: 'different', fields, stored: storedRow, fresh: freshRow });
      }
    }
  }
}

/**
 * The per-coach tallies of the dashboard's counts against a count of the stored rows: the keys
 * that differ (none, unless the triggers that keep them were bypassed). Writes nothing.
 */
export async function findRiskTallyDifferences(db: Kysely<Database>) {
  return listRiskTallyDifferences(db);
}

/**
 * Saves the thresholds and starts the recompute of every row with them in the background: the
 * upkeep job (requested now, or right after its run in progress) finds every row of the older
 * settings and does them RISK_STATE_BATCH_SIZE per transaction, so the admin's answer does not
 * wait and the embedded database serves requests in between. The save records the recompute
 * (saveRiskSettings), so any process shows its progress, and a restart resumes it: the rows left
 * are those of an older settings_version. Lists show those rows' earlier levels meanwhile.
 */
export async function saveRiskSettingsAndRecompute(
  db: Kysely<Database>,
  viewer: Pick<Viewer, 'userId'>,
  form: RiskSettingsForm,
  now: Date,
  jobs: Pick<JobRunner, 'requestRun'>,
): Promise<RiskSettingsSaveOutcome> {
  const outcome = await saveRiskSettings(db, viewer, form, now);
  if (outcome.kind === 'saved') jobs.requestRun(RISK_STATE_JOB);
  return outcome;
}

export interface RiskRecomputeProgress {
  settingsVersion: number;
  startedAt: Date;
  /** Rows to do when it started. */
  participants: number;
  /** Rows done so far (all of them once finished). */
  done: number;
  finishedAt: Date | null;
}

/** How far the recompute of the settings in force has come; null when no save started one. */
export async function findRiskRecomputeProgress(db: Kysely<Database>): Promise<RiskRecomputeProgress | null> {
  const recompute = await findCurrentRiskRecompute(db);
  if (!recompute) return null;
  const { remaining, ...rest } = recompute;
  // Participants added meanwhile are written with the new settings and were not counted at the start.
  const done = rest.finishedAt ? rest.participants : Math.max(0, rest.participants - remaining);
  return { ...rest, done };
}
