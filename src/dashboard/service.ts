import type { Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import type { ContactChannel, ContactOutcome, Database } from '../db/schema';
import type { Page } from '../lib/pagination';
import type { Viewer } from '../lib/viewer';
import {
  isAcknowledged,
  loadRiskSettings,
  riskForParticipants,
  type FlagLevel,
  type ParticipantRisk,
  type RiskAcknowledgement,
  type RiskReason,
} from '../risk/service';
import {
  listCoachOptions,
  listDashboardCandidates,
  listLastContacts,
  listTeamOptions,
  type CoachOption,
  type DashboardCandidateRow,
  type TeamOption,
} from './queries';
import type { DashboardQuery } from './schemas';

/** How many participants go to the risk engine at once: keeps each `in (…)` list a sane size. */
export const RISK_BATCH_SIZE = 1000;

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

const LEVEL_ORDER: Record<FlagLevel, number> = { red: 0, amber: 1 };

type Flagged = { candidate: DashboardCandidateRow; risk: ParticipantRisk; level: FlagLevel };

/**
 * Red first, then amber; within a level the longest out of view first: never reached before anyone
 * (among them the earliest trajectory start), then the earliest last reach.
 */
function compareFlagged(a: Flagged, b: Flagged): number {
  const byLevel = LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level];
  if (byLevel !== 0) return byLevel;
  const aReached = a.candidate.lastReachedAt;
  const bReached = b.candidate.lastReachedAt;
  if ((aReached === null) !== (bReached === null)) return aReached === null ? -1 : 1;
  if (aReached === null || bReached === null) {
    const byStart = a.candidate.trajectoryStartDate.localeCompare(b.candidate.trajectoryStartDate);
    if (byStart !== 0) return byStart;
  } else if (aReached.getTime() !== bReached.getTime()) {
    return aReached.getTime() - bReached.getTime();
  }
  return (
    a.candidate.lastName.localeCompare(b.candidate.lastName, 'nl', { sensitivity: 'base' }) ||
    a.candidate.firstName.localeCompare(b.candidate.firstName, 'nl', { sensitivity: 'base' }) ||
    a.candidate.id - b.candidate.id
  );
}

/**
 * One page of the risk dashboard: the flagged participants (amber or red) the viewer sees.
 *
 * The number of queries is bounded whatever the caseload size:
 * 1. the filter options (teams, coaches): two queries;
 * 2. one query for the ids of every visible, scored participant, with the team and coach filters
 *    applied in SQL (participantVisibleTo keeps access in the database);
 * 3. the risk settings once, then riskForParticipants per batch of RISK_BATCH_SIZE ids: three
 *    queries per batch (contact facts, placement facts, latest acknowledgements), so a caseload
 *    under a thousand costs three, ten thousand costs thirty;
 * 4. the level, signal and acknowledged filters, the counts, the sort and the page in memory,
 *    since a risk level is computed, not stored;
 * 5. one query for the last contact of the participants on the page.
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

  const candidates = await listDashboardCandidates(db, viewer, { teamId: filters.team, coachId: filters.coach });
  const settings = candidates.length > 0 ? await loadRiskSettings(db) : undefined;
  const flagged: Flagged[] = [];
  for (let start = 0; start < candidates.length; start += RISK_BATCH_SIZE) {
    const batch = candidates.slice(start, start + RISK_BATCH_SIZE);
    const risks = await riskForParticipants(
      db,
      batch.map((candidate) => candidate.id),
      context.now,
      context.timeZone,
      settings,
    );
    for (const candidate of batch) {
      const risk = risks.get(candidate.id);
      if (!risk || risk.assessment.level === 'none') continue;
      flagged.push({ candidate, risk, level: risk.assessment.level });
    }
  }

  const matching = flagged.filter((entry) => {
    if (filters.signal && !entry.risk.assessment.reasons.some((reason) => reason.signal === filters.signal)) return false;
    if (filters.acknowledged === 'acknowledged' && !isAcknowledged(entry.risk)) return false;
    if (filters.acknowledged === 'open' && isAcknowledged(entry.risk)) return false;
    return true;
  });
  const counts: Record<FlagLevel, number> = { red: 0, amber: 0 };
  for (const entry of matching) counts[entry.level] += 1;
  const listed = matching.filter((entry) => filters.level === 'flagged' || entry.level === filters.level).sort(compareFlagged);
  const onPage = listed.slice(page.offset, page.offset + page.limit);

  const lastContacts = await listLastContacts(
    db,
    viewer,
    onPage.map((entry) => entry.candidate.id),
  );
  const lastContactOf = new Map(lastContacts.map((row) => [row.participantId, row]));
  const rows = onPage.map(({ candidate, risk, level }): DashboardRow => {
    const last = lastContactOf.get(candidate.id);
    return {
      id: candidate.id,
      firstName: candidate.firstName,
      lastName: candidate.lastName,
      coachId: candidate.coachId,
      coachName: candidate.coachName,
      level,
      reasons: risk.assessment.reasons,
      acknowledgement: isAcknowledged(risk) ? risk.acknowledgement : null,
      lastReachedAt: candidate.lastReachedAt,
      lastContact: last ? { occurredAt: last.occurredAt, channel: last.channel, outcome: last.outcome } : null,
    };
  });
  return { rows, total: listed.length, counts, filters, options: { teams, coaches } };
}
