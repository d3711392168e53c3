import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAuditEvent } from '../platform/audit/service';
import { TRAJECTORY_OUTCOMES, type Database, type TrajectoryKind, type TrajectoryOutcome } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import { coachingHoursOf } from '../trajectories/service';
import { instantsOf, type DayRange } from './periods';
import {
  countTrajectoriesActiveIn,
  findCommissionerById,
  listExportCommissioners,
  listTrajectoriesActiveIn,
  streamPeriodExportRows,
  type ActiveTrajectoryRow,
  type CommissionerChoiceRow,
  type PeriodExportQueryRow,
} from './queries';
import type { PeriodExportRequest } from './schemas';

export type { ActiveTrajectoryRow, CommissionerChoiceRow } from './queries';

/** Period exports are for managers (their team's participants) and admins (everyone). */
export function canExportPeriods(viewer: Viewer): boolean {
  return viewer.role === 'manager' || viewer.role === 'admin';
}

export async function trajectoriesActiveInPage(
  db: Kysely<Database>,
  viewer: Viewer,
  period: DayRange,
  page: { limit: number; offset: number },
): Promise<{ rows: ActiveTrajectoryRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    listTrajectoriesActiveIn(db, viewer, period, page),
    countTrajectoriesActiveIn(db, viewer, period),
  ]);
  return { rows, total };
}

export async function exportCommissionerChoices(db: Kysely<Database>): Promise<CommissionerChoiceRow[]> {
  return listExportCommissioners(db);
}

/**
 * A participant's pseudonym in exports: a keyed hash (HMAC-SHA256 with the configured secret) of
 * a stable key, so the same participant gets the same pseudonym in every export while nobody
 * without the secret can tell who it is. 16 hex digits (64 bits) keep collisions out of reach for
 * any realistic number of participants.
 */
export function pseudonymOf(secret: string, participantId: number): string {
  const digest = createHmac('sha256', secret).update(`participant:${participantId}`).digest('hex');
  return `P-${digest.slice(0, 16).toUpperCase()}`;
}

/**
 * A trajectory's pseudonym in exports, made the same way as a participant's (another prefix in
 * the hashed key, so the two never coincide): the commissioner can tell a participant's
 * trajectories apart without learning the trajectory's own reference.
 */
export function trajectoryPseudonymOf(secret: string, trajectoryId: number): string {
  const digest = createHmac('sha256', secret).update(`trajectory:${trajectoryId}`).digest('hex');
  return `T-${digest.slice(0, 16).toUpperCase()}`;
}

/** One line of a period export. Hours are whole hundredths, so sums stay exact. */
export interface PeriodExportRow {
  /** The trajectory's own reference (the commissioner bills by it); null when pseudonymised. */
  reference: string | null;
  /** "First Last"; null when pseudonymised. */
  participantName: string | null;
  /** Set only when pseudonymised. */
  pseudonym: string | null;
  /** The trajectory's pseudonym; set only when pseudonymised. */
  trajectoryPseudonym: string | null;
  /** Null when pseudonymised (the column is left out). */
  dateOfBirth: string | null;
  /** Null when pseudonymised: the team is given instead. */
  coachName: string | null;
  /** The coach's team; the only trace of who coached in a pseudonymised export. */
  teamName: string | null;
  kind: TrajectoryKind;
  startDate: string;
  plannedEndDate: string | null;
  /** The end date when the trajectory had ended by the period's last day. */
  endDate: string | null;
  statusAtPeriodEnd: 'open' | 'closed';
  /** The outcome when the trajectory had ended by the period's last day. */
  outcome: TrajectoryOutcome | null;
  hoursInPeriodHundredths: number;
  hoursUpToPeriodEndHundredths: number;
  grantedHoursHundredths: number;
  /**
   * What the commissioner pays for this period: the period's hours that fall within the granted
   * hours. Summed over consecutive periods this never exceeds the grant, so no hour is paid twice.
   */
  billableHoursHundredths: number;
  contactsInPeriod: number;
  reachedInPeriod: number;
  goalsAchieved: number;
  goalsTotal: number;
  hoursPerWeekHundredths: number;
}

function hundredthsOf(decimal: string | number | null): number {
  return decimal === null ? 0 : Math.round(Number(decimal) * 100);
}

/**
 * A database row as the export shows it. The export describes the trajectory as it stood at the
 * end of the period: an end date or outcome recorded after that day is not part of it, so exporting
 * a past quarter again later gives the same figures.
 */
function exportRowOf(row: PeriodExportQueryRow, period: DayRange, pseudonymSecret: string | null): PeriodExportRow {
  const closed = row.actualEndDate !== null && row.actualEndDate <= period.to;
  const minutesUpToEnd = Number(row.minutesUpToPeriodEnd ?? 0);
  const minutesInPeriod = Number(row.minutesInPeriod ?? 0);
  const upToPeriodEnd = coachingHoursOf(minutesUpToEnd, row.grantedHours);
  const inPeriod = coachingHoursOf(minutesInPeriod, row.grantedHours);
  const usedHundredths = hundredthsOf(upToPeriodEnd.hoursUsed);
  const grantedHundredths = hundredthsOf(row.grantedHours);
  // In whole minutes, so that the cap is exact: what was left of the grant when the period began,
  // at most the period's own minutes.
  const grantedMinutes = Math.round(Number(row.grantedHours ?? 0) * 60);
  const minutesBefore = minutesUpToEnd - minutesInPeriod;
  const billableMinutes = Math.max(0, Math.min(minutesUpToEnd, grantedMinutes) - Math.min(minutesBefore, grantedMinutes));
  return {
    reference: pseudonymSecret === null ? (row.reference ?? null) : null,
    participantName: pseudonymSecret === null ? `${row.firstName ?? ''} ${row.lastName ?? ''}`.trim() : null,
    pseudonym: pseudonymSecret === null ? null : pseudonymOf(pseudonymSecret, row.participantId),
    trajectoryPseudonym: pseudonymSecret === null ? null : trajectoryPseudonymOf(pseudonymSecret, row.id),
    dateOfBirth: pseudonymSecret === null ? (row.dateOfBirth ?? null) : null,
    coachName: pseudonymSecret === null ? (row.coachName ?? null) : null,
    teamName: row.teamName,
    kind: row.kind,
    startDate: row.startDate,
    plannedEndDate: row.plannedEndDate,
    endDate: closed ? row.actualEndDate : null,
    statusAtPeriodEnd: closed ? 'closed' : 'open',
    outcome: closed ? row.outcome : null,
    hoursInPeriodHundredths: hundredthsOf(inPeriod.hoursUsed),
    hoursUpToPeriodEndHundredths: usedHundredths,
    grantedHoursHundredths: grantedHundredths,
    billableHoursHundredths: hundredthsOf(coachingHoursOf(billableMinutes, 0).hoursUsed),
    contactsInPeriod: Number(row.contactsInPeriod ?? 0),
    reachedInPeriod: Number(row.reachedInPeriod ?? 0),
    goalsAchieved: Number(row.goalsAchieved ?? 0),
    goalsTotal: Number(row.goalsTotal ?? 0),
    hoursPerWeekHundredths: hundredthsOf(row.hoursPerWeek),
  };
}

/** Sums of a period export, gathered row by row while it streams. */
export class PeriodExportTotals {
  trajectories = 0;
  hoursInPeriodHundredths = 0;
  hoursUpToPeriodEndHundredths = 0;
  grantedHoursHundredths = 0;
  billableHoursHundredths = 0;
  contactsInPeriod = 0;
  reachedInPeriod = 0;
  goalsAchieved = 0;
  goalsTotal = 0;
  readonly perStatus: Record<PeriodExportRow['statusAtPeriodEnd'], number> = { open: 0, closed: 0 };
  readonly perOutcome: Record<TrajectoryOutcome, number> = Object.fromEntries(
    TRAJECTORY_OUTCOMES.map((outcome) => [outcome, 0]),
  ) as Record<TrajectoryOutcome, number>;

  add(row: PeriodExportRow): void {
    this.trajectories += 1;
    this.hoursInPeriodHundredths += row.hoursInPeriodHundredths;
    this.hoursUpToPeriodEndHundredths += row.hoursUpToPeriodEndHundredths;
    this.grantedHoursHundredths += row.grantedHoursHundredths;
    this.billableHoursHundredths += row.billableHoursHundredths;
    this.contactsInPeriod += row.contactsInPeriod;
    this.reachedInPeriod += row.reachedInPeriod;
    this.goalsAchieved += row.goalsAchieved;
    this.goalsTotal += row.goalsTotal;
    this.perStatus[row.statusAtPeriodEnd] += 1;
    if (row.outcome) this.perOutcome[row.outcome] += 1;
  }
}

/** How many rows the cursor fetches at a time: large enough to be quick, small enough to stay flat. */
const EXPORT_BATCH_SIZE = 500;

export interface PeriodExport {
  commissioner: CommissionerChoiceRow;
  request: PeriodExportRequest;
  /**
   * The rows, read from the database while they are consumed; the query has already run (its first
   * row is read). The caller must finish or end the iteration (return()): that closes the cursor
   * and gives the connection back, so an aborted download frees it.
   */
  rows: AsyncGenerator<PeriodExportRow, void, undefined>;
  /** Ends the rows early if they were not read to the end; call it when the download is over. */
  close(): Promise<void>;
}

async function* exportRows(
  source: AsyncIterableIterator<PeriodExportQueryRow>,
  period: DayRange,
  pseudonymSecret: string | null,
): AsyncGenerator<PeriodExportRow, void, undefined> {
  for await (const row of source) yield exportRowOf(row, period, pseudonymSecret);
}

/**
 * Reads the first row before anything is sent, so a query that fails at once (the database is
 * down) still gets a proper error page instead of a broken download. The rows then continue from
 * there. close() ends the underlying rows (and so the cursor) whether or not they were iterated.
 */
async function afterFirstRead<T>(
  rows: AsyncGenerator<T, void, undefined>,
): Promise<{ rows: AsyncGenerator<T, void, undefined>; close: () => Promise<void> }> {
  const first = await rows.next();
  async function* continued(): AsyncGenerator<T, void, undefined> {
    if (first.done) return;
    yield first.value;
    yield* rows;
  }
  return {
    rows: continued(),
    close: async () => {
      await rows.return(undefined);
    },
  };
}

/** A started export, or the form's errors when it cannot start (an unknown commissioner). */
export type PeriodExportStart = ({ kind: 'started' } & PeriodExport) | { kind: 'rejected'; errors: Record<string, string> };

/**
 * Starts a period export for a manager or admin (the caller answers 404 for anyone else). The
 * audit event is written first, on its own: the rows are read through a cursor that holds a
 * connection until the download ends, and with the embedded database that is the only connection.
 * An unknown commissioner is a form error.
 */
export async function startPeriodExport(
  db: Kysely<Database>,
  viewer: Viewer,
  request: PeriodExportRequest,
  options: { timeZone: string; pseudonymSecret: string },
): Promise<PeriodExportStart> {
  if (!canExportPeriods(viewer)) throw new Error('period exports are for managers and admins');
  const commissioner = await findCommissionerById(db, request.commissionerId);
  if (!commissioner) return { kind: 'rejected', errors: { commissionerId: 'reports.export.errors.unknownCommissioner' } };
  await recordAuditEvent(db, {
    actorUserId: viewer.userId,
    action: 'export',
    entityType: 'period_export',
    entityId: commissioner.id,
    details: {
      commissionerId: commissioner.id,
      from: request.period.from,
      to: request.period.to,
      format: request.format,
      separator: request.separator,
      pseudonymised: request.pseudonymise,
    },
  });
  const { start, endExclusive } = instantsOf(request.period, options.timeZone);
  const source = streamPeriodExportRows(
    db,
    viewer,
    {
      commissionerId: commissioner.id,
      period: request.period,
      periodStart: start,
      periodEndExclusive: endExclusive,
      timeZone: options.timeZone,
      pseudonymise: request.pseudonymise,
    },
    EXPORT_BATCH_SIZE,
  );
  const { rows, close } = await afterFirstRead(
    exportRows(source, request.period, request.pseudonymise ? options.pseudonymSecret : null),
  );
  return { kind: 'started', commissioner, request, rows, close };
}
