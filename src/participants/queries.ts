import { sql } from 'kysely';
import {
  assignableCoachFilter,
  participantOfCoaches,
  participantVisibleTo,
  standInForCoachIds,
  standInForParticipantIds,
} from '../db/access';
import type { ParticipantStatus, PreferredChannel, RiskLevelName } from '../db/schema';
import { phoneSearchOf } from '../lib/phone';
import type { Viewer } from '../lib/viewer';
import type { ParticipantListQuery } from './schemas';
import type { Executor } from '../platform/executor';
import { containing, likeEscaped } from '../db/like';

export interface ParticipantListRow {
  id: number;
  firstName: string;
  lastName: string;
  externalReference: string | null;
  phone: string | null;
  status: ParticipantStatus;
  coachId: number;
  coachName: string;
  teamName: string | null;
  updatedAt: Date;
  /** The stored risk level; null when not scored (no active trajectory) or closed. */
  riskLevel: RiskLevelName | null;
  /** An active acknowledgement covers the flag (the dashboard's rule, in SQL). */
  riskAcknowledged: boolean;
}

/** A coach's caseload for today: whose caseloads (their own, those they stand in for) and which single participants (split stand-ins). */
export interface CoachCaseload {
  coachIds: number[];
  participantIds: number[];
}

export async function caseloadCoachIds(db: Executor, viewer: Viewer): Promise<CoachCaseload> {
  const eb = db as unknown as Parameters<typeof standInForCoachIds>[0];
  const [standIns, split] = await Promise.all([
    standInForCoachIds(eb, viewer).execute(),
    standInForParticipantIds(eb, viewer).execute(),
  ]);
  return {
    coachIds: [viewer.userId, ...standIns.map((row) => row.absent_coach_id)],
    participantIds: split.map((row) => row.participant_id),
  };
}

/**
 * `caseload`: for a coach, the result of caseloadCoachIds. It restricts exactly as
 * participantVisibleTo does, in a form the planner estimates well (see participantOfCoaches).
 * The risk is the stored state's (participant_risk_states, by its key), joined for open
 * participants only: a participant closed today keeps a row until the day ends, and the dashboard
 * no longer counts them either. A count that does not filter on risk does not read the table
 * (PostgreSQL drops a left join to a unique key nothing uses).
 */
function listBase(db: Executor, viewer: Viewer, filters: ParticipantListQuery, caseload?: CoachCaseload) {
  let query = db
    .selectFrom('participants')
    .innerJoin('users as coach', 'coach.id', 'participants.coach_id')
    .leftJoin('teams', 'teams.id', 'coach.team_id')
    .leftJoin('participant_risk_states as state', (join) =>
      join.onRef('state.participant_id', '=', 'participants.id').on('participants.status', '<>', 'closed'),
    )
    .where(
      viewer.role === 'coach' && caseload
        ? participantOfCoaches(caseload.coachIds, caseload.participantIds)
        : participantVisibleTo(viewer),
    );
  if (filters.q) {
    const pattern = containing(filters.q.toLowerCase());
    // A number as typed ("0620000000", "+31 6 2000") is compared by its digits with each stored
    // number's (participants.phone_search, src/lib/phone.ts); a name never holds digits, so
    // then only the reference is also searched.
    const phone = phoneSearchOf(filters.q);
    query = query.where((eb) =>
      eb.or(
        phone !== null
          ? [
              eb('participants.phone_search', 'like', `${phone.fromStart ? '' : '%'}${likeEscaped(phone.key)}%`),
              eb(sql<string>`lower(participants.external_reference)`, 'like', pattern),
            ]
          : [
              eb(sql<string>`lower(participants.first_name || ' ' || participants.last_name)`, 'like', pattern),
              eb(sql<string>`lower(participants.last_name || ', ' || participants.first_name)`, 'like', pattern),
              eb(sql<string>`lower(participants.external_reference)`, 'like', pattern),
              eb(sql<string>`lower(participants.email)`, 'like', pattern),
            ],
      ),
    );
  }
  if (filters.status === 'open') query = query.where('participants.status', '<>', 'closed');
  else if (filters.status !== 'all') query = query.where('participants.status', '=', filters.status);
  if (filters.coach) query = query.where('participants.coach_id', '=', filters.coach);
  if (filters.team) query = query.where('coach.team_id', '=', filters.team);
  switch (filters.risk) {
    case 'red':
    case 'amber':
      query = query.where('state.level', '=', filters.risk);
      break;
    case 'flagged':
      query = query.where('state.level', 'in', ['red', 'amber']);
      break;
    case 'unflagged':
      query = query.where((eb) => eb.or([eb('state.level', 'is', null), eb('state.level', '=', 'none')]));
      break;
    case 'all':
      break;
  }
  return query;
}

export async function listParticipants(
  db: Executor,
  viewer: Viewer,
  filters: ParticipantListQuery,
  page: { limit: number; offset: number },
  caseload?: CoachCaseload,
): Promise<ParticipantListRow[]> {
  const direction = filters.dir;
  let query = listBase(db, viewer, filters, caseload).select([
    'participants.id',
    'participants.first_name as firstName',
    'participants.last_name as lastName',
    'participants.external_reference as externalReference',
    'participants.phone',
    'participants.status',
    'participants.coach_id as coachId',
    'coach.display_name as coachName',
    'teams.name as teamName',
    'participants.updated_at as updatedAt',
    'state.level as riskLevel',
    // In the select list, so it runs for the page's rows only, after the sort and limit.
    sql<boolean>`coalesce(state.acknowledged, false)`.as('riskAcknowledged'),
  ]);
  switch (filters.sort) {
    case 'status':
      query = query.orderBy('participants.status', direction);
      break;
    case 'coach':
      query = query.orderBy('coach.display_name', direction);
      break;
    case 'updated':
      query = query.orderBy('participants.updated_at', direction);
      break;
    case 'name':
      break;
  }
  const rows = await query
    .orderBy(sql`lower(participants.last_name)`, direction)
    .orderBy(sql`lower(participants.first_name)`, direction)
    .orderBy('participants.id', direction)
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((row) => ({ ...row, riskAcknowledged: Boolean(row.riskAcknowledged) }));
}

export async function countParticipants(
  db: Executor,
  viewer: Viewer,
  filters: ParticipantListQuery,
  caseload?: CoachCaseload,
): Promise<number> {
  const row = await listBase(db, viewer, filters, caseload)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface ParticipantRecord {
  id: number;
  firstName: string;
  lastName: string;
  dateOfBirth: string | null;
  phone: string | null;
  email: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  preferredChannel: PreferredChannel;
  languageSupport: string | null;
  externalReference: string | null;
  status: ParticipantStatus;
  closedOn: string | null;
  /** When the file was erased (src/retention); null while it is not. */
  erasedAt: Date | null;
  coachId: number;
  coachName: string;
  coachEmail: string;
  teamName: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One participant, only if the viewer may see them. */
export async function findVisibleParticipant(db: Executor, viewer: Viewer, id: number): Promise<ParticipantRecord | undefined> {
  return db
    .selectFrom('participants')
    .innerJoin('users as coach', 'coach.id', 'participants.coach_id')
    .leftJoin('teams', 'teams.id', 'coach.team_id')
    .where('participants.id', '=', id)
    .where(participantVisibleTo(viewer))
    .select([
      'participants.id',
      'participants.first_name as firstName',
      'participants.last_name as lastName',
      'participants.date_of_birth as dateOfBirth',
      'participants.phone',
      'participants.email',
      'participants.address_line as addressLine',
      'participants.postal_code as postalCode',
      'participants.city',
      'participants.preferred_channel as preferredChannel',
      'participants.language_support as languageSupport',
      'participants.external_reference as externalReference',
      'participants.status',
      'participants.closed_on as closedOn',
      'participants.erased_at as erasedAt',
      'participants.coach_id as coachId',
      'coach.display_name as coachName',
      'coach.email as coachEmail',
      'teams.name as teamName',
      'participants.version',
      'participants.created_at as createdAt',
      'participants.updated_at as updatedAt',
    ])
    .executeTakeFirst();
}

export interface ParticipantColumns {
  first_name: string;
  last_name: string;
  date_of_birth: string | null;
  phone: string | null;
  email: string | null;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  preferred_channel: PreferredChannel;
  language_support: string | null;
  external_reference: string | null;
  status: ParticipantStatus;
  coach_id: number;
}

export async function insertParticipant(trx: Executor, values: ParticipantColumns, now: Date): Promise<number> {
  const row = await trx
    .insertInto('participants')
    .values({ ...values, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Updates only when the row still has `expectedVersion`; returns whether it did. */
export async function updateParticipantIfVersion(
  trx: Executor,
  id: number,
  expectedVersion: number,
  values: Partial<ParticipantColumns> & { closed_on?: string | null },
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('participants')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface CoachOption {
  id: number;
  displayName: string;
  teamName: string | null;
}

export async function listAssignableCoaches(db: Executor, viewer: Viewer): Promise<CoachOption[]> {
  return db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .where(assignableCoachFilter(viewer))
    .select(['users.id', 'users.display_name as displayName', 'teams.name as teamName'])
    .orderBy('teams.name')
    .orderBy('users.display_name')
    .execute();
}

export interface TeamOption {
  id: number;
  name: string;
}

/** Teams the viewer can filter on: a manager their own, an admin all, a coach none. */
export async function listFilterTeams(db: Executor, viewer: Viewer): Promise<TeamOption[]> {
  if (viewer.role === 'coach') return [];
  let query = db.selectFrom('teams').select(['id', 'name']).orderBy('name');
  if (viewer.role === 'manager') query = query.where('id', '=', viewer.teamId ?? -1);
  return query.execute();
}

/** Coaches whose caseload the viewer sees, for the coach filter. */
export async function listFilterCoaches(db: Executor, viewer: Viewer): Promise<CoachOption[]> {
  return db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .where('users.role', '=', 'coach')
    .where((eb) =>
      viewer.role === 'admin'
        ? eb.val(true)
        : viewer.role === 'manager'
          ? eb('users.team_id', '=', viewer.teamId ?? -1)
          : eb(
              'users.id',
              'in',
              eb.selectFrom('participants').select('participants.coach_id').where(participantVisibleTo(viewer)),
            ),
    )
    .select(['users.id', 'users.display_name as displayName', 'teams.name as teamName'])
    .orderBy('users.display_name')
    .execute();
}

/** The open (not closed) participants of a coach, oldest first. */
export async function listOpenParticipantIdsOfCoach(db: Executor, coachId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('participants')
    .select('id')
    .where('coach_id', '=', coachId)
    .where('status', '<>', 'closed')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Moves participants to another coach; each changes version, as an edit would. */
export async function updateCoachOf(db: Executor, participantIds: readonly number[], coachId: number, now: Date): Promise<void> {
  if (participantIds.length === 0) return;
  await db
    .updateTable('participants')
    .set((eb) => ({ coach_id: coachId, version: eb('version', '+', 1), updated_at: now }))
    .where('id', 'in', participantIds)
    .execute();
}

/**
 * Locks the participant's row for the rest of the transaction when the viewer may change their
 * records (visible, not closed): a check over the participant's records and the write after it
 * (one fixed contact person, one open consent per purpose) cannot interleave with another's.
 */
export async function lockChangeableParticipant(trx: Executor, viewer: Viewer, participantId: number): Promise<boolean> {
  const row = await trx
    .selectFrom('participants')
    .where('participants.id', '=', participantId)
    .where('participants.status', '<>', 'closed')
    .where(participantVisibleTo(viewer))
    .select('participants.id')
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}
