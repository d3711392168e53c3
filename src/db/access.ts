import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Viewer } from '../lib/viewer';
import type { Database } from './schema';

// The access rules of product.md as query fragments, so every feature enforces them in SQL:
// - a coach reaches participants assigned to them, and those of a coach they stand in for
//   on the days of the stand-in: the whole caseload, or the participants chosen for a split
//   stand-in (while they are still that coach's);
// - a manager reaches participants of the coaches in their team;
// - an admin reaches everything.

/**
 * A coach as the coach rule needs them: the viewer, or (for a count folded into another query, such
 * as the navigation's in src/users/queries.ts) a reference to a coach's id column; on one day
 * (today, or a date column: a row's own day), or over the days [from, until) (a calendar's period).
 */
export type CoachOnDays = { userId: number | Expression<number> } & (
  { today: string | Expression<string> } | { from: string; until: string }
);

/** A stand-in counts when its days overlap the coach's: it starts by the last day and ends on or after the first. */
function overlapOf(coach: CoachOnDays) {
  return 'today' in coach
    ? { startsOp: '<=' as const, startsBy: coach.today, endsFrom: coach.today }
    : { startsOp: '<' as const, startsBy: coach.until, endsFrom: coach.from };
}

/** Coaches whose whole caseload this coach covers as a stand-in on the day (or one of the days). */
export function standInForCoachIds(eb: ExpressionBuilder<Database, keyof Database>, coach: CoachOnDays) {
  const days = overlapOf(coach);
  return eb
    .selectFrom('coach_standins as standin')
    .select('standin.absent_coach_id')
    .where('standin.standin_coach_id', '=', coach.userId)
    .where('standin.starts_on', days.startsOp, days.startsBy)
    .where('standin.ends_on', '>=', days.endsFrom)
    .where('standin.cancelled_at', 'is', null)
    .where('standin.covers', '=', 'caseload');
}

/**
 * Participants this coach covers through a split stand-in (chosen participants of the absent
 * coach's caseload) on the day (or one of the days). A participant moved to another coach since is
 * no longer covered by it.
 */
export function standInForParticipantIds(eb: ExpressionBuilder<Database, keyof Database>, coach: CoachOnDays) {
  const days = overlapOf(coach);
  return eb
    .selectFrom('coach_standins as split_standin')
    .innerJoin('coach_standin_participants as covered', 'covered.standin_id', 'split_standin.id')
    .innerJoin('participants as covered_participant', (join) =>
      join
        .onRef('covered_participant.id', '=', 'covered.participant_id')
        .onRef('covered_participant.coach_id', '=', 'split_standin.absent_coach_id'),
    )
    .select('covered.participant_id')
    .where('split_standin.standin_coach_id', '=', coach.userId)
    .where('split_standin.starts_on', days.startsOp, days.startsBy)
    .where('split_standin.ends_on', '>=', days.endsFrom)
    .where('split_standin.cancelled_at', 'is', null)
    .where('split_standin.covers', '=', 'participants');
}

/** The coaches of a team: a manager's caseloads. Any query's builder: the subquery names its own table. */
export function teamCoachIds<DB, TB extends keyof DB>(from: ExpressionBuilder<DB, TB>, teamId: number | null) {
  const eb = from as unknown as ExpressionBuilder<Database, keyof Database>;
  return eb.selectFrom('users as team_member').select('team_member.id').where('team_member.team_id', '=', teamId);
}

/** What the access rules read of a viewer. */
export type ViewerInSql = Pick<Viewer, 'userId' | 'role' | 'teamId' | 'today'>;

/** WHERE fragment for a query over `participants`: true exactly for the rows the viewer may see. */
export function participantVisibleTo(viewer: ViewerInSql) {
  return (eb: ExpressionBuilder<Database, 'participants'>): Expression<SqlBool> => {
    const anyEb = eb as unknown as ExpressionBuilder<Database, keyof Database>;
    switch (viewer.role) {
      case 'admin':
        return sql<SqlBool>`true`;
      case 'manager':
        return eb('participants.coach_id', 'in', teamCoachIds(anyEb, viewer.teamId));
      case 'coach':
        return participantVisibleToCoach(viewer)(eb);
    }
  };
}

/**
 * The coach rule of participantVisibleTo on its own: the coach's caseload and what they stand in
 * for on the day (or days). Also for a coach named by a column (a count about "their" participants
 * inside a query over users) and for a row's own day (a planned contact's), so those follow exactly
 * the rule the pages list by.
 */
export function participantVisibleToCoach(coach: CoachOnDays) {
  return (eb: ExpressionBuilder<Database, 'participants'>): Expression<SqlBool> => {
    const anyEb = eb as unknown as ExpressionBuilder<Database, keyof Database>;
    // One `= any(array)` instead of "own OR stand-in subquery": PostgreSQL estimates the OR
    // badly (thousands of rows instead of ~100) and scans the table; this form uses the
    // coach index (measured on the bench dataset, see bench/README.md).
    // The chosen participants of a split stand-in are a second `= any(array)` on the primary
    // key: both sides stay index scans (a BitmapOr), the array is usually empty.
    return sql<SqlBool>`(participants.coach_id = any(array[${coach.userId}::int] || array(${standInForCoachIds(anyEb, coach)})) or participants.id = any(array(${standInForParticipantIds(anyEb, coach)})))`;
  };
}

/**
 * The coach rule with the caseload's coaches already known (the coach and whom they stand in for
 * today, see participantVisibleTo). Sent as a bound array, the planner sees exactly which coaches
 * and estimates one caseload (~100 rows) instead of guessing ~850 for the array expression above:
 * with that guess the sorted participant list walked the name index through the whole table (26 ms
 * at 100 000 participants against 1 ms).
 */
export function participantOfCoaches(coachIds: readonly number[], participantIds: readonly number[] = []) {
  return (): Expression<SqlBool> =>
    participantIds.length === 0
      ? sql<SqlBool>`participants.coach_id = any(${[...coachIds]}::int[])`
      : sql<SqlBool>`(participants.coach_id = any(${[...coachIds]}::int[]) or participants.id = any(${[...participantIds]}::int[]))`;
}

/** Coaches a participant may be assigned to by this viewer (manager: own team; admin: all). */
export function assignableCoachFilter(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, 'users'>): Expression<SqlBool> => {
    const isActiveCoach = eb.and([eb('users.role', '=', 'coach'), eb('users.active', '=', true)]);
    if (viewer.role === 'admin') return isActiveCoach;
    if (viewer.role === 'manager') return eb.and([isActiveCoach, eb('users.team_id', '=', viewer.teamId ?? -1)]);
    return eb.and([isActiveCoach, eb('users.id', '=', viewer.userId)]);
  };
}

/**
 * WHERE fragment for rows of a table with a `participant_id` column: true when the viewer may
 * change that participant's records (visible to them, and not closed).
 */
export function participantChangeableBy<
  T extends 'goals' | 'placements' | 'referrals' | 'network_persons' | 'participant_consents',
>(table: T, viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, T>): Expression<SqlBool> => {
    const anyEb = eb as unknown as ExpressionBuilder<Database, 'goals'>;
    return anyEb(
      sql.ref(`${table}.participant_id`),
      'in',
      anyEb
        .selectFrom('participants')
        .select('participants.id')
        .where(participantVisibleTo(viewer))
        .where('participants.status', '<>', 'closed'),
    );
  };
}
