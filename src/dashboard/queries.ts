import { sql, type ExpressionBuilder } from 'kysely';
import { participantVisibleTo } from '../db/access';
import type { ContactChannel, ContactOutcome, Database } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

export interface DashboardCandidateRow {
  id: number;
  firstName: string;
  lastName: string;
  coachId: number;
  coachName: string;
  /** The latest contact that reached the participant themself; null: never reached. */
  lastReachedAt: Date | null;
  /** Start of the current trajectory: where "out of view" counts from for someone never reached. */
  trajectoryStartDate: string;
}

/**
 * Every participant the viewer sees who is scored by the risk engine (not closed, an open
 * trajectory that has started by today), narrowed by the team and coach filters, in one query.
 * The latest reach comes along because the dashboard sorts on it before it paginates.
 */
export async function listDashboardCandidates(
  db: Executor,
  viewer: Viewer,
  filters: { teamId?: number; coachId?: number },
): Promise<DashboardCandidateRow[]> {
  let query = db
    .selectFrom('participants')
    .innerJoin('users as coach', 'coach.id', 'participants.coach_id')
    .where(participantVisibleTo(viewer))
    .where('participants.status', '<>', 'closed')
    .select((eb) => [
      'participants.id',
      'participants.first_name as firstName',
      'participants.last_name as lastName',
      'participants.coach_id as coachId',
      'coach.display_name as coachName',
      eb
        .selectFrom('contact_moments')
        .select((inner) => inner.fn.max('contact_moments.occurred_at').as('at'))
        .whereRef('contact_moments.participant_id', '=', 'participants.id')
        .where('contact_moments.outcome', '=', 'reached')
        .where('contact_moments.counterpart', '=', 'participant')
        .as('lastReachedAt'),
      currentTrajectoryStart(eb, viewer.today).as('trajectoryStartDate'),
    ])
    // Scored as the risk engine scores: an open trajectory that has started by today.
    .where((eb) => eb(currentTrajectoryStart(eb, viewer.today), 'is not', null));
  if (filters.teamId !== undefined) query = query.where('coach.team_id', '=', filters.teamId);
  if (filters.coachId !== undefined) query = query.where('participants.coach_id', '=', filters.coachId);
  const rows = await query.execute();
  return rows.map((row) => ({
    ...row,
    trajectoryStartDate: String(row.trajectoryStartDate),
    lastReachedAt:
      row.lastReachedAt === null || row.lastReachedAt === undefined ? null : new Date(row.lastReachedAt as unknown as string),
  }));
}

/** The latest start of an open trajectory that has started by today (null: not in a trajectory). */
function currentTrajectoryStart(eb: ExpressionBuilder<Database, 'participants'>, today: string) {
  return eb
    .selectFrom('trajectories')
    .select((inner) => inner.fn.max('trajectories.start_date').as('start'))
    .whereRef('trajectories.participant_id', '=', 'participants.id')
    .where('trajectories.actual_end_date', 'is', null)
    .where('trajectories.start_date', '<=', today);
}

export interface LastContactRow {
  participantId: number;
  occurredAt: Date;
  channel: ContactChannel;
  outcome: ContactOutcome;
}

/** The latest contact moment of each of these participants (the viewer may see), in one query. */
export async function listLastContacts(db: Executor, viewer: Viewer, participantIds: number[]): Promise<LastContactRow[]> {
  if (participantIds.length === 0) return [];
  return db
    .selectFrom('contact_moments')
    .innerJoin('participants', 'participants.id', 'contact_moments.participant_id')
    .distinctOn('contact_moments.participant_id')
    .select([
      'contact_moments.participant_id as participantId',
      'contact_moments.occurred_at as occurredAt',
      'contact_moments.channel',
      'contact_moments.outcome',
    ])
    .where('contact_moments.participant_id', 'in', participantIds)
    .where(participantVisibleTo(viewer))
    .orderBy('contact_moments.participant_id')
    .orderBy('contact_moments.occurred_at', 'desc')
    .orderBy('contact_moments.id', 'desc')
    .execute();
}

export interface TeamOption {
  id: number;
  name: string;
}
export interface CoachOption {
  id: number;
  displayName: string;
}

/** Teams the viewer may filter on: an admin every team, a manager their own, a coach none. */
export async function listTeamOptions(db: Executor, viewer: Viewer): Promise<TeamOption[]> {
  if (viewer.role === 'coach') return [];
  let query = db.selectFrom('teams').select(['id', 'name']).orderBy('name').orderBy('id');
  if (viewer.role === 'manager') query = query.where('id', '=', viewer.teamId ?? -1);
  return query.execute();
}

/** Coaches whose caseload the viewer sees (a coach: their own and those they stand in for today). */
export async function listCoachOptions(db: Executor, viewer: Viewer): Promise<CoachOption[]> {
  return db
    .selectFrom('users')
    .where('users.role', '=', 'coach')
    .where((eb) =>
      viewer.role === 'admin'
        ? sql<boolean>`true`
        : viewer.role === 'manager'
          ? eb('users.team_id', '=', viewer.teamId ?? -1)
          : eb.or([
              eb('users.id', '=', viewer.userId),
              eb(
                'users.id',
                'in',
                eb.selectFrom('participants').select('participants.coach_id').where(participantVisibleTo(viewer)),
              ),
            ]),
    )
    .select(['users.id', 'users.display_name as displayName'])
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
}
