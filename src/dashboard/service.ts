import type { Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import type { ContactChannel, ContactOutcome, Database } from '../db/schema';
import type { Page } from '../lib/pagination';
import type { Viewer } from '../lib/viewer';
import { assessmentOn, type FlagLevel, type RiskAcknowledgement, type RiskReason } from '../risk/service';
import {
  countFlagged,
  listCoachOptions,
  listFlaggedPage,
  listLastContacts,
  listTeamOptions,
  type CoachOption,
  type TeamOption,
} from './queries';
import type { DashboardQuery } from './schemas';

export interface DashboardRow {
  id: number;
  firstName: string;
  lastName: string;
  coachId: number;
  coachName: string;
  level: FlagLevel;
  reasons: RiskReason[];
  /** The active acknowledgement, or null when the flag is not (or no longer) acknowledged. */
  acknowledgement: RiskAcknowledgement | null;
  lastReachedAt: Date | null;
  lastContact: { occurredAt: Date; channel: ContactChannel; outcome: ContactOutcome } | null;
}

export interface DashboardFilterOptions {
  teams: TeamOption[];
  coaches: CoachOption[];
}

export interface DashboardPage {
  rows: DashboardRow[];
  /** Flagged participants after every filter: what the pagination counts. */
  total: number;
  /** Per level, for the current filters except the level filter. */
  counts: Record<FlagLevel, number>;
  /** The filters as applied: a team or coach outside the viewer's options is dropped. */
  filters: DashboardQuery;
  options: DashboardFilterOptions;
}

/**
 * One page of the risk dashboard: the flagged participants (amber or red) the viewer sees, read
 * from the stored risk state (risk/README.md "Stored state"), so its cost follows the page, not the
 * organisation. Five queries whatever the number of participants:
 * 1. the filter options (teams, coaches): two queries;
 * 2. the counts per level under every filter but the level (count … filter), from which the total
 *    follows; the acknowledged filter is evaluated in SQL too, so both stay exact;
 * 3. the page's rows in the dashboard's order (listFlaggedPage), with their active acknowledgement;
 * 4. the last contact of the participants on the page.
 * The stored reasons are of the day they were scored: assessmentOn moves their day counts to today.
 * A row past its valid_until is brought up to date by the risk state upkeep job within minutes.
 */
export async function dashboardPage(
  db: Kysely<Database>,
  viewer: Viewer,
  query: DashboardQuery,
  page: Page,
  context: { now: DateTime; timeZone: string },
): Promise<DashboardPage> {
  const [teams, coaches] = await Promise.all([listTeamOptions(db, viewer), listCoachOptions(db, viewer)]);
  const filters: DashboardQuery = {
    ...query,
    team: teams.some((team) => team.id === query.team) ? query.team : undefined,
    coach: coaches.some((coach) => coach.id === query.coach) ? query.coach : undefined,
  };
  const today = context.now.setZone(context.timeZone).toISODate()!;
  const flaggedFilters = {
    teamId: filters.team,
    coachId: filters.coach,
    signal: filters.signal,
    acknowledged: filters.acknowledged,
    today,
  };
  const level = filters.level === 'flagged' ? undefined : filters.level;
  const [counts, onPage] = await Promise.all([
    countFlagged(db, viewer, flaggedFilters),
    listFlaggedPage(db, viewer, { ...flaggedFilters, level }, page),
  ]);
  const total = level === undefined ? counts.red + counts.amber : counts[level];

  const lastContacts = await listLastContacts(
    db,
    viewer,
    onPage.map((row) => row.id),
  );
  const lastContactOf = new Map(lastContacts.map((row) => [row.participantId, row]));
  const rows = onPage.map((row): DashboardRow => {
    const last = lastContactOf.get(row.id);
    const assessment = assessmentOn({ level: row.level, reasons: row.reasons as RiskReason[] }, row.scoredOn, today);
    return {
      id: row.id,
      firstName: row.firstName,
      lastName: row.lastName,
      coachId: row.coachId,
      coachName: row.coachName,
      level: row.level,
      reasons: assessment.reasons,
      acknowledgement: row.acknowledgement ? { ...row.acknowledgement, active: true } : null,
      lastReachedAt: row.lastReachedAt,
      lastContact: last ? { occurredAt: last.occurredAt, channel: last.channel, outcome: last.outcome } : null,
    };
  });
  return { rows, total, counts, filters, options: { teams, coaches } };
}
