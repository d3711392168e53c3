import { sql } from 'kysely';
import { compiledOnce } from '../db/compiled-once';
import { PREPARED_STATEMENT_MARK } from '../db/database';
import { participantVisibleTo } from '../db/access';
import {
  UNREACHED_OUTCOMES,
  type ContactChannel,
  type ContactCounterpart,
  type ContactOutcome,
  type ParticipantStatus,
  type RiskLevelName,
} from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

/** How much of the last conversation's summary the day page shows: enough to remember the topic. */
export const SUMMARY_PREVIEW_LENGTH = 160;

/**
 * One open participant of the viewer's caseload with the contact facts the day page sorts on.
 * "latest" is the latest contact moment of any kind, which holds the planned next contact;
 * "attempt" is the latest one with the participant themself; "reached" the latest that reached
 * the participant themself; "unreached" counts the attempts with the participant that failed since
 * that reach. "risk" is the participant's stored risk state (participant_risk_states): null level
 * when not scored (or no row yet), the reasons as scored on `riskScoredOn`.
 */
export interface DayCandidateRow {
  id: number;
  firstName: string;
  lastName: string;
  phone: string | null;
  status: ParticipantStatus;
  /** When the participant was registered: how long a first contact has been waiting. */
  registeredAt: Date;
  coachId: number;
  coachName: string;
  latestId: number | null;
  latestOccurredAt: Date | null;
  latestChannel: ContactChannel | null;
  latestCounterpart: ContactCounterpart | null;
  latestOutcome: ContactOutcome | null;
  nextContactDate: string | null;
  nextContactTime: string | null;
  attemptId: number | null;
  attemptOccurredAt: Date | null;
  /** When the attempt was recorded (created_at): breaks a tie of occurredAt, as the order of contacts does. */
  attemptRecordedAt: Date | null;
  attemptOutcome: ContactOutcome | null;
  reachedId: number | null;
  reachedOccurredAt: Date | null;
  reachedRecordedAt: Date | null;
  reachedSummary: string | null;
  unreachedCount: number | null;
  unreachedSince: Date | null;
  riskLevel: RiskLevelName | null;
  /** The stored reasons (RiskReason[]) of the day `riskScoredOn`: read them through assessmentOn. */
  riskReasons: unknown;
  riskScoredOn: string | null;
  /** An active acknowledgement covers the flag (isAcknowledged, in SQL). */
  riskAcknowledged: boolean;
}

/**
 * The whole caseload in one query, whatever its size: each lateral join reads a few index entries
 * of one participant (contact_moments_participant_time, contact_moments_participant_reached), and
 * the risk comes from the stored state by its key, so the page scores no one per request.
 */
export async function listDayCandidates(db: Executor, viewer: Viewer): Promise<DayCandidateRow[]> {
  const rows = await dayCandidatesStatement.execute(
    db,
    { role: viewer.role },
    { userId: viewer.userId, teamId: viewer.teamId, today: viewer.today },
  );
  // The driver's fresh rows are converted in place: a copy of each ~30-column row cost the page
  // as much as placing it (and allocation that the garbage collector then copies about).
  for (const row of rows) {
    const converted: Record<string, unknown> = row;
    converted.registeredAt = new Date(row.registeredAt!);
    converted.latestOccurredAt = dateOf(row.latestOccurredAt);
    converted.attemptOccurredAt = dateOf(row.attemptOccurredAt);
    converted.attemptRecordedAt = dateOf(row.attemptRecordedAt);
    converted.reachedOccurredAt = dateOf(row.reachedOccurredAt);
    converted.reachedRecordedAt = dateOf(row.reachedRecordedAt);
    converted.unreachedCount = row.unreachedCount === null ? null : Number(row.unreachedCount);
    converted.unreachedSince = dateOf(row.unreachedSince);
    converted.riskAcknowledged = Boolean(row.riskAcknowledged);
  }
  return rows as unknown as DayCandidateRow[];
}

/** The statement of listDayCandidates: every page load of /today sends it, so it is compiled once per role. */
export const dayCandidatesStatement = compiledOnce(
  (db, shape: Pick<Viewer, 'role'>, values: Pick<Viewer, 'userId' | 'teamId' | 'today'>) =>
    db
      .selectFrom('participants')
      // Planned once per connection: the laterals cost more to plan than to run for ~100 participants.
      .modifyFront(sql.raw(PREPARED_STATEMENT_MARK))
      .innerJoin('users as coach', 'coach.id', 'participants.coach_id')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('contact_moments as latest')
            .select([
              'latest.id',
              'latest.occurred_at',
              'latest.channel',
              'latest.counterpart',
              'latest.outcome',
              'latest.next_contact_date',
              'latest.next_contact_time',
            ])
            .whereRef('latest.participant_id', '=', 'participants.id')
            .orderBy('latest.occurred_at', 'desc')
            .orderBy('latest.created_at', 'desc')
            .orderBy('latest.id', 'desc')
            .limit(1)
            .as('latest'),
        (join) => join.onTrue(),
      )
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('contact_moments as attempt')
            .select(['attempt.id', 'attempt.occurred_at', 'attempt.created_at', 'attempt.outcome'])
            .whereRef('attempt.participant_id', '=', 'participants.id')
            .where('attempt.counterpart', '=', 'participant')
            .orderBy('attempt.occurred_at', 'desc')
            .orderBy('attempt.created_at', 'desc')
            .orderBy('attempt.id', 'desc')
            .limit(1)
            .as('attempt'),
        (join) => join.onTrue(),
      )
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('contact_moments as reached')
            .select((inner) => [
              'reached.id',
              'reached.occurred_at',
              'reached.created_at',
              inner
                .fn<string | null>('substr', ['reached.summary', inner.lit(1), inner.lit(SUMMARY_PREVIEW_LENGTH + 1)])
                .as('summary'),
            ])
            .whereRef('reached.participant_id', '=', 'participants.id')
            .where('reached.outcome', '=', 'reached')
            .where('reached.counterpart', '=', 'participant')
            .orderBy('reached.occurred_at', 'desc')
            .orderBy('reached.created_at', 'desc')
            .orderBy('reached.id', 'desc')
            .limit(1)
            .as('reached'),
        (join) => join.onTrue(),
      )
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('contact_moments as failed')
            .select((inner) => [inner.fn.countAll<number>().as('count'), inner.fn.min('failed.occurred_at').as('since')])
            .whereRef('failed.participant_id', '=', 'participants.id')
            .where('failed.counterpart', '=', 'participant')
            .where('failed.outcome', 'in', UNREACHED_OUTCOMES)
            // A range on the index (participant, occurred_at) so only the contacts since the last reach
            // are read; the exact "after" (ties broken by the time recorded, then id) follows.
            .where((inner) =>
              inner(
                'failed.occurred_at',
                '>=',
                inner.fn.coalesce('reached.occurred_at', inner.cast<Date>(inner.val('-infinity'), 'timestamptz')),
              ),
            )
            .where((inner) =>
              inner.or([
                inner('reached.id', 'is', null),
                sql<boolean>`(failed.occurred_at, failed.created_at, failed.id) > (reached.occurred_at, reached.created_at, reached.id)`,
              ]),
            )
            .as('failed'),
        (join) => join.onTrue(),
      )
      // Each participant's stored state by its key, fenced (offset 0) so it stays a lookup per row.
      // As a plain join, with the caseload rule's array guessed at ~850 participants, the planner
      // merged every participant with every stored row instead: at 10 000 participants the
      // statement took 8.3 ms that way and 1.9 ms this way (bench/README.md).
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('participant_risk_states as stored')
            .select(['stored.level', 'stored.reasons', 'stored.scored_on', 'stored.acknowledged'])
            .whereRef('stored.participant_id', '=', 'participants.id')
            .offset(0)
            .as('state'),
        (join) => join.onTrue(),
      )
      .where(participantVisibleTo({ ...shape, ...values }))
      .where('participants.status', '<>', 'closed')
      .select([
        'participants.id',
        'participants.first_name as firstName',
        'participants.last_name as lastName',
        'participants.phone',
        'participants.status',
        epochMs('participants.created_at').as('registeredAt'),
        'participants.coach_id as coachId',
        'coach.display_name as coachName',
        'latest.id as latestId',
        epochMs('latest.occurred_at').as('latestOccurredAt'),
        'latest.channel as latestChannel',
        'latest.counterpart as latestCounterpart',
        'latest.outcome as latestOutcome',
        'latest.next_contact_date as nextContactDate',
        'latest.next_contact_time as nextContactTime',
        'attempt.id as attemptId',
        epochMs('attempt.occurred_at').as('attemptOccurredAt'),
        epochMs('attempt.created_at').as('attemptRecordedAt'),
        'attempt.outcome as attemptOutcome',
        'reached.id as reachedId',
        epochMs('reached.occurred_at').as('reachedOccurredAt'),
        epochMs('reached.created_at').as('reachedRecordedAt'),
        'reached.summary as reachedSummary',
        'failed.count as unreachedCount',
        epochMs('failed.since').as('unreachedSince'),
        'state.level as riskLevel',
        'state.reasons as riskReasons',
        'state.scored_on as riskScoredOn',
        sql<boolean>`coalesce(state.acknowledged, false)`.as('riskAcknowledged'),
      ]),
);

/**
 * An instant as milliseconds since the epoch (a float8, which pg reads with parseFloat): the day
 * page reads eight instants per participant, and pg's parser of timestamptz text (a regex and a
 * Date from its parts, ~1.5 µs each) was a millisecond of every request. floor() gives the same
 * millisecond as that parser, which drops the microseconds.
 */
function epochMs(column: string) {
  return sql<number | null>`floor(extract(epoch from ${sql.ref(column)}) * 1000)::float8`;
}

function dateOf(milliseconds: number | null): Date | null {
  return milliseconds === null ? null : new Date(milliseconds);
}

export interface LoggedContactRow {
  participantId: number;
  firstName: string;
  lastName: string;
  outcome: ContactOutcome;
  durationMinutes: number;
  nextContactDate: string | null;
  nextContactTime: string | null;
}

/** A contact moment just logged from /today, for the status message, if the viewer may see its participant. */
export async function findLoggedContact(db: Executor, viewer: Viewer, contactId: number): Promise<LoggedContactRow | undefined> {
  return db
    .selectFrom('contact_moments')
    .innerJoin('participants', 'participants.id', 'contact_moments.participant_id')
    .where('contact_moments.id', '=', contactId)
    .where(participantVisibleTo(viewer))
    .select([
      'participants.id as participantId',
      'participants.first_name as firstName',
      'participants.last_name as lastName',
      'contact_moments.outcome',
      'contact_moments.duration_minutes as durationMinutes',
      'contact_moments.next_contact_date as nextContactDate',
      'contact_moments.next_contact_time as nextContactTime',
    ])
    .executeTakeFirst();
}
