import { sql, type SqlBool, type Transaction } from 'kysely';
import { assignableCoachFilter } from '../db/access';
import type { Database, StandinCovers } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

export interface StandinRow {
  id: number;
  absentCoachId: number;
  absentCoachName: string;
  absentTeamId: number | null;
  absentTeamName: string | null;
  standinCoachId: number;
  standinCoachName: string;
  standinTeamName: string | null;
  startsOn: string;
  endsOn: string;
  note: string | null;
  createdByName: string;
  createdAt: Date;
  cancelledAt: Date | null;
  covers: StandinCovers;
}

function standinBase(db: Executor) {
  return db
    .selectFrom('coach_standins')
    .innerJoin('users as absent', 'absent.id', 'coach_standins.absent_coach_id')
    .innerJoin('users as standin_coach', 'standin_coach.id', 'coach_standins.standin_coach_id')
    .innerJoin('users as creator', 'creator.id', 'coach_standins.created_by')
    .leftJoin('teams as absent_team', 'absent_team.id', 'absent.team_id')
    .leftJoin('teams as standin_team', 'standin_team.id', 'standin_coach.team_id');
}

/**
 * The stand-ins the viewer may see: an admin all, a manager those involving a coach of their team
 * (as the absent or the standing-in coach), a coach only their own.
 */
function visibleStandins(db: Executor, viewer: Viewer) {
  return standinBase(db).where((eb) => {
    switch (viewer.role) {
      case 'admin':
        return sql<SqlBool>`true`;
      case 'manager':
        return eb.or([eb('absent.team_id', '=', viewer.teamId ?? -1), eb('standin_coach.team_id', '=', viewer.teamId ?? -1)]);
      case 'coach':
        return eb.or([
          eb('coach_standins.absent_coach_id', '=', viewer.userId),
          eb('coach_standins.standin_coach_id', '=', viewer.userId),
        ]);
    }
  });
}

/**
 * The stand-ins the viewer may cancel: an admin any, a manager those of an absent coach in their
 * team (whose caseload the stand-in opens), a coach none.
 */
function manageableStandins(db: Executor, viewer: Viewer) {
  return standinBase(db).where((eb) => {
    switch (viewer.role) {
      case 'admin':
        return sql<SqlBool>`true`;
      case 'manager':
        return eb('absent.team_id', '=', viewer.teamId ?? -1);
      case 'coach':
        return sql<SqlBool>`false`;
    }
  });
}

function selectRow(query: ReturnType<typeof standinBase>) {
  return query.select([
    'coach_standins.id',
    'coach_standins.absent_coach_id as absentCoachId',
    'absent.display_name as absentCoachName',
    'absent.team_id as absentTeamId',
    'absent_team.name as absentTeamName',
    'coach_standins.standin_coach_id as standinCoachId',
    'standin_coach.display_name as standinCoachName',
    'standin_team.name as standinTeamName',
    'coach_standins.starts_on as startsOn',
    'coach_standins.ends_on as endsOn',
    'coach_standins.note',
    'creator.display_name as createdByName',
    'coach_standins.created_at as createdAt',
    'coach_standins.cancelled_at as cancelledAt',
    'coach_standins.covers',
  ]);
}

export interface CoveredParticipant {
  standinId: number;
  participantId: number;
  firstName: string;
  lastName: string;
}

/** The chosen participants of these (split) stand-ins, by name. */
export async function listCoveredParticipants(db: Executor, standinIds: readonly number[]): Promise<CoveredParticipant[]> {
  if (standinIds.length === 0) return [];
  return db
    .selectFrom('coach_standin_participants as covered')
    .innerJoin('participants', 'participants.id', 'covered.participant_id')
    .select([
      'covered.standin_id as standinId',
      'covered.participant_id as participantId',
      'participants.first_name as firstName',
      'participants.last_name as lastName',
    ])
    .where('covered.standin_id', 'in', [...standinIds])
    .orderBy('participants.last_name')
    .orderBy('participants.first_name')
    .orderBy('participants.id')
    .execute();
}

export interface CaseloadParticipantOption {
  id: number;
  firstName: string;
  lastName: string;
}

/** The open participants of a coach, for choosing which a split stand-in covers (a caseload: ~100). */
export async function listOpenParticipantsOfCoach(db: Executor, coachId: number): Promise<CaseloadParticipantOption[]> {
  return db
    .selectFrom('participants')
    .select(['participants.id', 'participants.first_name as firstName', 'participants.last_name as lastName'])
    .where('participants.coach_id', '=', coachId)
    .where('participants.status', '<>', 'closed')
    .orderBy('participants.last_name')
    .orderBy('participants.first_name')
    .orderBy('participants.id')
    .execute();
}

/** Stand-ins running today (not cancelled), the soonest to end first. */
export async function listCurrentStandins(db: Executor, viewer: Viewer): Promise<StandinRow[]> {
  return selectRow(visibleStandins(db, viewer))
    .where('coach_standins.cancelled_at', 'is', null)
    .where('coach_standins.starts_on', '<=', viewer.today)
    .where('coach_standins.ends_on', '>=', viewer.today)
    .orderBy('coach_standins.ends_on')
    .orderBy('absent.display_name')
    .orderBy('coach_standins.id')
    .execute();
}

/** Stand-ins that start after today (not cancelled), the soonest first. */
export async function listUpcomingStandins(db: Executor, viewer: Viewer): Promise<StandinRow[]> {
  return selectRow(visibleStandins(db, viewer))
    .where('coach_standins.cancelled_at', 'is', null)
    .where('coach_standins.starts_on', '>', viewer.today)
    .orderBy('coach_standins.starts_on')
    .orderBy('absent.display_name')
    .orderBy('coach_standins.id')
    .execute();
}

function pastBase(db: Executor, viewer: Viewer) {
  return visibleStandins(db, viewer).where((eb) =>
    eb.or([eb('coach_standins.cancelled_at', 'is not', null), eb('coach_standins.ends_on', '<', viewer.today)]),
  );
}

/** Stand-ins that ended or were cancelled, the most recent period first. */
export async function listPastStandins(
  db: Executor,
  viewer: Viewer,
  page: { limit: number; offset: number },
): Promise<StandinRow[]> {
  return selectRow(pastBase(db, viewer))
    .orderBy('coach_standins.ends_on', 'desc')
    .orderBy('coach_standins.starts_on', 'desc')
    .orderBy('coach_standins.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countPastStandins(db: Executor, viewer: Viewer): Promise<number> {
  const row = await pastBase(db, viewer)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** One stand-in the viewer may cancel, or undefined. */
export async function findManageableStandin(db: Executor, viewer: Viewer, id: number): Promise<StandinRow | undefined> {
  return selectRow(manageableStandins(db, viewer)).where('coach_standins.id', '=', id).executeTakeFirst();
}

export interface CoachOption {
  id: number;
  displayName: string;
  teamName: string | null;
}

/** Coaches the viewer may arrange a stand-in for or with: a manager their team's active coaches, an admin all. */
export async function listStandinCoachOptions(db: Executor, viewer: Viewer): Promise<CoachOption[]> {
  if (viewer.role === 'coach') return [];
  return db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .where(assignableCoachFilter(viewer))
    .select(['users.id', 'users.display_name as displayName', 'teams.name as teamName'])
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
}

/**
 * The given coaches as far as the viewer manages them (a manager: coaches of their team, active or
 * not; an admin: every coach), so a service can tell "not yours" from "no longer active".
 */
export async function findCoachesInScope(
  db: Executor,
  viewer: Viewer,
  ids: number[],
): Promise<{ id: number; displayName: string; active: boolean }[]> {
  if (viewer.role === 'coach' || ids.length === 0) return [];
  let query = db
    .selectFrom('users')
    .where('users.role', '=', 'coach')
    .where('users.id', 'in', ids)
    .select(['users.id', 'users.display_name as displayName', 'users.active']);
  if (viewer.role === 'manager') query = query.where('users.team_id', '=', viewer.teamId ?? -1);
  return query.execute();
}

/**
 * Locks both coaches' rows until the transaction ends, in id order (no deadlock between two forms
 * naming the same two people), so two stand-ins for the same coach created at the same moment are
 * checked for overlap one after the other. NO KEY UPDATE does not block rows that merely reference
 * the coach (new participants, sessions).
 */
export async function lockCoaches(trx: Transaction<Database>, coachIds: readonly number[]): Promise<void> {
  await trx
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [...coachIds])
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

export interface OverlappingStandin {
  id: number;
  startsOn: string;
  endsOn: string;
  standinCoachName: string;
}

/**
 * A running or planned stand-in of this absent coach that shares at least one day with the period
 * and covers the same people: any, when either covers the whole caseload; for two split stand-ins,
 * one that shares a chosen participant (two colleagues may each cover a part).
 */
export async function findOverlappingStandin(
  db: Executor,
  absentCoachId: number,
  period: { startsOn: string; endsOn: string },
  covering: { covers: StandinCovers; participantIds: readonly number[] },
): Promise<OverlappingStandin | undefined> {
  let query = db
    .selectFrom('coach_standins')
    .innerJoin('users as standin_coach', 'standin_coach.id', 'coach_standins.standin_coach_id')
    .where('coach_standins.absent_coach_id', '=', absentCoachId)
    .where('coach_standins.cancelled_at', 'is', null)
    .where('coach_standins.starts_on', '<=', period.endsOn)
    .where('coach_standins.ends_on', '>=', period.startsOn);
  if (covering.covers === 'participants') {
    const chosen = covering.participantIds.length > 0 ? [...covering.participantIds] : [-1];
    query = query.where((eb) =>
      eb.or([
        eb('coach_standins.covers', '=', 'caseload'),
        eb.exists(
          eb
            .selectFrom('coach_standin_participants as shared')
            .select(eb.lit(1).as('shared'))
            .whereRef('shared.standin_id', '=', 'coach_standins.id')
            .where('shared.participant_id', 'in', chosen),
        ),
      ]),
    );
  }
  return query
    .select([
      'coach_standins.id',
      'coach_standins.starts_on as startsOn',
      'coach_standins.ends_on as endsOn',
      'standin_coach.display_name as standinCoachName',
    ])
    .orderBy('coach_standins.starts_on')
    .executeTakeFirst();
}

/** A running or planned stand-in for this coach (they are away) that shares a day with the period. */
export async function findAwayPeriod(
  db: Executor,
  coachId: number,
  period: { startsOn: string; endsOn: string },
): Promise<{ startsOn: string; endsOn: string } | undefined> {
  return db
    .selectFrom('coach_standins')
    .select(['coach_standins.starts_on as startsOn', 'coach_standins.ends_on as endsOn'])
    .where('coach_standins.absent_coach_id', '=', coachId)
    .where('coach_standins.cancelled_at', 'is', null)
    .where('coach_standins.starts_on', '<=', period.endsOn)
    .where('coach_standins.ends_on', '>=', period.startsOn)
    .orderBy('coach_standins.starts_on')
    .executeTakeFirst();
}

export interface StandinColumns {
  absent_coach_id: number;
  standin_coach_id: number;
  starts_on: string;
  ends_on: string;
  note: string | null;
  created_by: number;
  covers: StandinCovers;
}

export async function insertCoveredParticipants(
  trx: Executor,
  standinId: number,
  participantIds: readonly number[],
): Promise<void> {
  if (participantIds.length === 0) return;
  await trx
    .insertInto('coach_standin_participants')
    .values(participantIds.map((participantId) => ({ standin_id: standinId, participant_id: participantId })))
    .execute();
}

export async function insertStandin(trx: Executor, values: StandinColumns, now: Date): Promise<number> {
  const row = await trx
    .insertInto('coach_standins')
    .values({ ...values, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Cancels a stand-in that is not cancelled yet; returns whether it did. */
export async function markStandinCancelled(trx: Executor, id: number, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('coach_standins')
    .set({ cancelled_at: now })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
