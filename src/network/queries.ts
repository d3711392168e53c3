import { sql } from 'kysely';
import { participantChangeableBy, participantVisibleTo } from '../db/access';
import type { AttendeeKind, NetworkRole, ParticipantStatus } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

export interface NetworkPersonRow {
  id: number;
  participantId: number;
  role: NetworkRole;
  name: string;
  organisation: string | null;
  phone: string | null;
  email: string | null;
  note: string | null;
  endedOn: string | null;
  version: number;
}

function personBase(db: Executor) {
  return db
    .selectFrom('network_persons')
    .select([
      'network_persons.id',
      'network_persons.participant_id as participantId',
      'network_persons.role',
      'network_persons.name',
      'network_persons.organisation',
      'network_persons.phone',
      'network_persons.email',
      'network_persons.note',
      'network_persons.ended_on as endedOn',
      'network_persons.version',
    ]);
}

/**
 * A participant's network: the people still involved first (the fixed contact person on top, then
 * by name), then those whose involvement ended, last ended first.
 */
export async function listNetworkOfParticipant(db: Executor, participantId: number): Promise<NetworkPersonRow[]> {
  return personBase(db)
    .where('network_persons.participant_id', '=', participantId)
    .orderBy(sql`network_persons.ended_on is not null`)
    .orderBy('network_persons.ended_on', 'desc')
    .orderBy(sql`network_persons.role = 'fixed_contact'`, 'desc')
    .orderBy('network_persons.name')
    .orderBy('network_persons.id')
    .execute();
}

export interface VisibleNetworkPersonRow extends NetworkPersonRow {
  participantStatus: ParticipantStatus;
}

/** One network person, only under its own participant and only when the viewer may see that participant. */
export async function findVisibleNetworkPerson(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  personId: number,
): Promise<VisibleNetworkPersonRow | undefined> {
  return personBase(db)
    .innerJoin('participants', 'participants.id', 'network_persons.participant_id')
    .where('network_persons.id', '=', personId)
    .where('network_persons.participant_id', '=', participantId)
    .where(participantVisibleTo(viewer))
    .select('participants.status as participantStatus')
    .executeTakeFirst();
}

export interface NetworkPersonColumns {
  role: NetworkRole;
  name: string;
  organisation: string | null;
  phone: string | null;
  email: string | null;
  note: string | null;
}

export async function insertNetworkPerson(
  trx: Executor,
  values: NetworkPersonColumns & { participant_id: number; created_by: number },
  now: Date,
): Promise<number> {
  const row = await trx
    .insertInto('network_persons')
    .values({ ...values, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Updates only a person not ended yet, still at `expectedVersion`, whose participant the viewer may
 * still change; returns whether it did.
 */
export async function updateNetworkPersonIfVersion(
  trx: Executor,
  viewer: Viewer,
  personId: number,
  expectedVersion: number,
  values: Partial<NetworkPersonColumns> & { ended_on?: string },
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('network_persons')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('network_persons.id', '=', personId)
    .where('network_persons.version', '=', expectedVersion)
    .where('network_persons.ended_on', 'is', null)
    .where(participantChangeableBy('network_persons', viewer))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// --- who took part in a contact moment --------------------------------------------------------------

export interface SupervisorOptionRow {
  employerContactId: number;
  name: string;
  employerName: string;
}

/**
 * The workplace supervisors of the participant's placements that have not ended (a paused
 * placement's supervisor may still join a talk about restarting), each once.
 */
export async function listSupervisorOptions(db: Executor, participantId: number): Promise<SupervisorOptionRow[]> {
  return db
    .selectFrom('placements')
    .innerJoin('employer_contacts', 'employer_contacts.id', 'placements.supervisor_contact_id')
    .innerJoin('employers', 'employers.id', 'placements.employer_id')
    .where('placements.participant_id', '=', participantId)
    .where('placements.status', '<>', 'ended')
    .select(['employer_contacts.id as employerContactId', 'employer_contacts.name', 'employers.name as employerName'])
    .distinct()
    .orderBy('employer_contacts.name')
    .orderBy('employer_contacts.id')
    .execute();
}

export interface AttendeeRow {
  contactMomentId: number;
  kind: AttendeeKind;
  employerContactId: number | null;
  networkPersonId: number | null;
  /** The supervisor's or network person's name; null for the participant. */
  name: string | null;
  /** The supervisor's employer, or the network person's role. */
  employerName: string | null;
  networkRole: NetworkRole | null;
}

/** Who took part in each of these contact moments, in one query: the participant first, then by name. */
export async function listAttendees(db: Executor, contactMomentIds: readonly number[]): Promise<AttendeeRow[]> {
  if (contactMomentIds.length === 0) return [];
  return db
    .selectFrom('contact_attendees')
    .leftJoin('employer_contacts', 'employer_contacts.id', 'contact_attendees.employer_contact_id')
    .leftJoin('employers', 'employers.id', 'employer_contacts.employer_id')
    .leftJoin('network_persons', 'network_persons.id', 'contact_attendees.network_person_id')
    .where('contact_attendees.contact_moment_id', 'in', [...contactMomentIds])
    .select((eb) => [
      'contact_attendees.contact_moment_id as contactMomentId',
      'contact_attendees.kind',
      'contact_attendees.employer_contact_id as employerContactId',
      'contact_attendees.network_person_id as networkPersonId',
      eb.fn.coalesce('employer_contacts.name', 'network_persons.name').as('name'),
      'employers.name as employerName',
      'network_persons.role as networkRole',
    ])
    .orderBy('contact_attendees.contact_moment_id')
    .orderBy(sql`contact_attendees.kind = 'participant'`, 'desc')
    .orderBy(sql`coalesce(employer_contacts.name, network_persons.name)`)
    .orderBy('contact_attendees.id')
    .execute();
}

/** The ids of these network persons that belong to the participant. */
export async function networkPersonIdsOfParticipant(
  db: Executor,
  participantId: number,
  ids: readonly number[],
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('network_persons')
    .where('participant_id', '=', participantId)
    .where('id', 'in', [...ids])
    .select('id')
    .execute();
  return rows.map((row) => row.id);
}

export async function deleteAttendees(trx: Executor, contactMomentId: number): Promise<void> {
  await trx.deleteFrom('contact_attendees').where('contact_moment_id', '=', contactMomentId).execute();
}

export async function insertAttendees(
  trx: Executor,
  rows: ReadonlyArray<{
    contact_moment_id: number;
    kind: AttendeeKind;
    employer_contact_id: number | null;
    network_person_id: number | null;
  }>,
): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('contact_attendees')
    .values([...rows])
    .execute();
}
