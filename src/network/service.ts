import type { Kysely } from 'kysely';
import type { Database, NetworkRole } from '../db/schema';
import { FormRejection, notFound } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { recordAuditEvent } from '../platform/audit/service';
import type { Executor } from '../platform/executor';
import { lockParticipantForChange } from '../participants/service';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  deleteAttendees,
  findVisibleNetworkPerson,
  insertAttendees,
  insertNetworkPerson,
  listAttendees,
  listNetworkOfParticipant,
  listSupervisorOptions,
  networkPersonIdsOfParticipant,
  updateNetworkPersonIfVersion,
  type AttendeeRow,
  type NetworkPersonColumns,
  type NetworkPersonRow,
  type SupervisorOptionRow,
  type VisibleNetworkPersonRow,
} from './queries';
import type { AttendeeSelection, NetworkPersonEditForm, NetworkPersonEndForm, NetworkPersonInput } from './schemas';

export type { AttendeeRow, NetworkPersonRow, SupervisorOptionRow, VisibleNetworkPersonRow } from './queries';
import { attendeesFrom } from './schemas';
export { attendeesFrom, attendeeValues, type AttendeeSelection } from './schemas';

/** Roles of professionals: without their organisation nobody knows where to reach them. */
const ORGANISATION_REQUIRED: readonly NetworkRole[] = ['fixed_contact', 'other_professional'];

export interface NetworkForProfile {
  /** Still involved: the fixed contact person first, then by name. */
  current: NetworkPersonRow[];
  /** No longer involved (kept as history), last ended first. */
  ended: NetworkPersonRow[];
}

export async function networkForProfile(db: Kysely<Database>, participantId: number): Promise<NetworkForProfile> {
  const rows = await listNetworkOfParticipant(db, participantId);
  return { current: rows.filter((row) => row.endedOn === null), ended: rows.filter((row) => row.endedOn !== null) };
}

/** One network person of a participant the viewer may see; undefined means 404. */
export async function findNetworkPerson(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  personId: number,
): Promise<VisibleNetworkPersonRow | undefined> {
  return findVisibleNetworkPerson(db, viewer, participantId, personId);
}

function columnsOf(input: NetworkPersonInput | NetworkPersonEditForm): NetworkPersonColumns {
  if (ORGANISATION_REQUIRED.includes(input.role) && input.organisation === null) {
    throw new FormRejection({ organisation: 'network.form.organisationRequired' });
  }
  return {
    role: input.role,
    name: input.name,
    organisation: input.organisation,
    phone: input.phone,
    email: input.email,
    note: input.note,
  };
}

/**
 * A participant has one fixed contact person at a time (the OCMW social worker who follows them):
 * a second one is refused until the first is ended. The caller holds the participant's row lock.
 */
async function checkOneFixedContact(trx: Executor, participantId: number, role: NetworkRole, exceptId: number | null) {
  if (role !== 'fixed_contact') return;
  const current = (await listNetworkOfParticipant(trx, participantId)).find(
    (row) => row.role === 'fixed_contact' && row.endedOn === null && row.id !== exceptId,
  );
  if (current) throw new FormRejection({ role: 'network.form.fixedContactTaken' });
}

/** Which fields changed: the audit names fields and the role, never names, numbers or notes. */
function changedFieldsOf(before: NetworkPersonRow, after: NetworkPersonColumns): string[] {
  return (['role', 'name', 'organisation', 'phone', 'email', 'note'] as const).filter((field) => before[field] !== after[field]);
}

/** Adds a person to the participant's network, once per form token. */
export async function createNetworkPerson(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  input: NetworkPersonInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  const columns = columnsOf(input);
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    if (!(await lockParticipantForChange(trx, viewer, participantId))) throw notFound();
    await checkOneFixedContact(trx, participantId, columns.role, null);
    const id = await insertNetworkPerson(trx, { ...columns, participant_id: participantId, created_by: viewer.userId }, now);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'network_person',
      entityId: id,
      participantId,
      details: {
        role: columns.role,
        filledFields: (['organisation', 'phone', 'email', 'note'] as const).filter((field) => columns[field] !== null),
      },
    });
    return { value: id, path: `/participants/${participantId}#network` };
  });
}

export type NetworkChangeOutcome =
  { kind: 'saved' } | { kind: 'conflict'; current: VisibleNetworkPersonRow } | { kind: 'notFound' };

export interface NetworkPersonRef {
  participantId: number;
  personId: number;
}

/** After an update changed nothing: a newer version (conflict), or a person ended or no longer changeable (404). */
async function afterMissedUpdate(db: Kysely<Database>, viewer: Viewer, ref: NetworkPersonRef): Promise<NetworkChangeOutcome> {
  const current = await findVisibleNetworkPerson(db, viewer, ref.participantId, ref.personId);
  return current && current.participantStatus !== 'closed' && current.endedOn === null
    ? { kind: 'conflict', current }
    : { kind: 'notFound' };
}

export async function updateNetworkPerson(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: NetworkPersonRef,
  form: NetworkPersonEditForm,
  now: Date,
): Promise<NetworkChangeOutcome> {
  const columns = columnsOf(form);
  const outcome = await db.transaction().execute(async (trx): Promise<NetworkChangeOutcome | null> => {
    if (!(await lockParticipantForChange(trx, viewer, ref.participantId))) return { kind: 'notFound' };
    const before = await findVisibleNetworkPerson(trx, viewer, ref.participantId, ref.personId);
    if (!before || before.endedOn !== null) return { kind: 'notFound' };
    await checkOneFixedContact(trx, ref.participantId, columns.role, before.id);
    if (!(await updateNetworkPersonIfVersion(trx, viewer, before.id, form.version, columns, now))) return null;
    const changedFields = changedFieldsOf(before, columns);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'network_person',
      entityId: before.id,
      participantId: before.participantId,
      details: { changedFields, ...(before.role !== columns.role ? { role: { from: before.role, to: columns.role } } : {}) },
    });
    return { kind: 'saved' };
  });
  return outcome ?? afterMissedUpdate(db, viewer, ref);
}

/**
 * Ends a person's involvement on a day (not in the future): the row stays, with its contact
 * moments, as history; they are no longer offered on the contact form.
 */
export async function endNetworkPerson(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: NetworkPersonRef,
  form: NetworkPersonEndForm,
  now: Date,
): Promise<NetworkChangeOutcome> {
  if (form.endedOn > viewer.today) throw new FormRejection({ endedOn: 'network.end.inFuture' });
  const outcome = await db.transaction().execute(async (trx): Promise<NetworkChangeOutcome | null> => {
    const before = await findVisibleNetworkPerson(trx, viewer, ref.participantId, ref.personId);
    if (!before || before.participantStatus === 'closed' || before.endedOn !== null) return { kind: 'notFound' };
    if (!(await updateNetworkPersonIfVersion(trx, viewer, before.id, form.version, { ended_on: form.endedOn }, now))) return null;
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'end',
      entityType: 'network_person',
      entityId: before.id,
      participantId: before.participantId,
      details: { role: before.role, endedOn: form.endedOn },
    });
    return { kind: 'saved' };
  });
  return outcome ?? afterMissedUpdate(db, viewer, ref);
}

// --- who took part in a contact moment --------------------------------------------------------------

export interface AttendeeChoice {
  /** The checkbox value: participant, supervisor-<id> or network-<id>. */
  value: string;
  kind: 'participant' | 'supervisor' | 'network_person';
  name: string | null;
  /** The supervisor's employer. */
  employerName: string | null;
  networkRole: NetworkRole | null;
  organisation: string | null;
}

/**
 * What the contact form offers under "who took part": the participant, the supervisors of their
 * placements that have not ended, and the network persons still involved — plus, when editing,
 * whoever is already recorded (an ended placement's supervisor, a person ended since).
 */
export async function attendeeChoices(
  db: Kysely<Database>,
  participantId: number,
  recorded: readonly AttendeeRow[] = [],
): Promise<AttendeeChoice[]> {
  const [supervisors, network] = await Promise.all([
    listSupervisorOptions(db, participantId),
    listNetworkOfParticipant(db, participantId),
  ]);
  const choices: AttendeeChoice[] = [
    { value: 'participant', kind: 'participant', name: null, employerName: null, networkRole: null, organisation: null },
  ];
  const supervisorOf = (row: SupervisorOptionRow): AttendeeChoice => ({
    value: `supervisor-${row.employerContactId}`,
    kind: 'supervisor',
    name: row.name,
    employerName: row.employerName,
    networkRole: null,
    organisation: null,
  });
  choices.push(...supervisors.map(supervisorOf));
  for (const row of recorded) {
    if (row.kind === 'supervisor' && !choices.some((choice) => choice.value === `supervisor-${row.employerContactId}`)) {
      choices.push(
        supervisorOf({ employerContactId: row.employerContactId!, name: row.name ?? '', employerName: row.employerName ?? '' }),
      );
    }
  }
  const recordedPeople = new Set(recorded.map((row) => row.networkPersonId));
  for (const person of network) {
    if (person.endedOn !== null && !recordedPeople.has(person.id)) continue;
    choices.push({
      value: `network-${person.id}`,
      kind: 'network_person',
      name: person.name,
      employerName: null,
      networkRole: person.role,
      organisation: person.organisation,
    });
  }
  return choices;
}

/** Who took part in these contact moments (one query), keyed by contact moment id. */
export async function attendeesOf(db: Executor, contactMomentIds: readonly number[]): Promise<Map<number, AttendeeRow[]>> {
  const byContact = new Map<number, AttendeeRow[]>();
  for (const row of await listAttendees(db, contactMomentIds)) {
    const list = byContact.get(row.contactMomentId) ?? [];
    list.push(row);
    byContact.set(row.contactMomentId, list);
  }
  return byContact;
}

/**
 * The people ticked on a contact form, or null when the form had no such question (the quick log
 * of /today): then nothing is recorded or changed. The form's fieldset sends attendeesOffered=1.
 */
export function attendeesOnForm(body: unknown): AttendeeSelection | null {
  const offered = body && typeof body === 'object' ? (body as Record<string, unknown>).attendeesOffered : undefined;
  return offered === '1' ? attendeesFrom(body) : null;
}

/** The ticked checkbox values of what is recorded, for the edit form. */
export function selectionOf(rows: readonly AttendeeRow[]): AttendeeSelection {
  return {
    participant: rows.some((row) => row.kind === 'participant'),
    supervisorIds: rows.filter((row) => row.kind === 'supervisor').map((row) => row.employerContactId!),
    networkPersonIds: rows.filter((row) => row.kind === 'network_person').map((row) => row.networkPersonId!),
  };
}

/**
 * Records who took part in a contact moment, in the caller's transaction, replacing what was
 * recorded. Only what the form could offer counts: a supervisor of the participant's own
 * placements or one already recorded, a network person of this participant. A crafted id records
 * nothing. Returns what was stored, for the audit (ids and kinds only).
 */
export async function recordAttendees(
  trx: Executor,
  contactMomentId: number,
  participantId: number,
  selection: AttendeeSelection,
): Promise<AttendeeSelection> {
  const before = await listAttendees(trx, [contactMomentId]);
  const supervisors = new Set([
    ...(await listSupervisorOptions(trx, participantId)).map((row) => row.employerContactId),
    ...before.filter((row) => row.kind === 'supervisor').map((row) => row.employerContactId!),
  ]);
  const ownPeople = new Set(await networkPersonIdsOfParticipant(trx, participantId, selection.networkPersonIds));
  const stored: AttendeeSelection = {
    participant: selection.participant,
    supervisorIds: selection.supervisorIds.filter((id) => supervisors.has(id)),
    networkPersonIds: selection.networkPersonIds.filter((id) => ownPeople.has(id)),
  };
  await deleteAttendees(trx, contactMomentId);
  await insertAttendees(trx, [
    ...(stored.participant
      ? [{ contact_moment_id: contactMomentId, kind: 'participant' as const, employer_contact_id: null, network_person_id: null }]
      : []),
    ...stored.supervisorIds.map((id) => ({
      contact_moment_id: contactMomentId,
      kind: 'supervisor' as const,
      employer_contact_id: id,
      network_person_id: null,
    })),
    ...stored.networkPersonIds.map((id) => ({
      contact_moment_id: contactMomentId,
      kind: 'network_person' as const,
      employer_contact_id: null,
      network_person_id: id,
    })),
  ]);
  return stored;
}
