import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Locale } from '../config';
import type {
  CommissionersTable,
  ContactAttendeesTable,
  ContactMomentsTable,
  Database,
  EmployerContactsTable,
  EmployersTable,
  GoalContactLinksTable,
  GoalProgressTable,
  GoalsTable,
  HandoversTable,
  NetworkPersonsTable,
  ParticipantConsentsTable,
  ParticipantsTable,
  PlacementHoursTable,
  PlacementsTable,
  ReferralsTable,
  OrganisationKind,
  TrajectoriesTable,
} from '../db/schema';

// Bulk inserts for the demo caseload: one statement per table, so seeding stays fast.

export async function countParticipants(trx: Transaction<Database>): Promise<number> {
  const row = await trx
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function demoCoachIdsByEmail(trx: Transaction<Database>): Promise<Map<string, number>> {
  const rows = await trx.selectFrom('users').select(['id', 'email']).where('role', '=', 'coach').execute();
  return new Map(rows.map((row) => [row.email, row.id]));
}

/** Display names of the coaches, for "waarneming voor …" in the demo history. */
export async function demoCoachNames(trx: Transaction<Database>): Promise<Map<number, string>> {
  const rows = await trx.selectFrom('users').select(['id', 'display_name']).where('role', '=', 'coach').execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

export async function insertCommissioners(trx: Transaction<Database>, rows: Insertable<CommissionersTable>[]): Promise<number[]> {
  return (await trx.insertInto('commissioners').values(rows).returning('id').execute()).map((row) => row.id);
}

export async function insertEmployers(trx: Transaction<Database>, rows: Insertable<EmployersTable>[]): Promise<number[]> {
  return (await trx.insertInto('employers').values(rows).returning('id').execute()).map((row) => row.id);
}

export async function insertEmployerContacts(
  trx: Transaction<Database>,
  rows: Insertable<EmployerContactsTable>[],
): Promise<number[]> {
  return (await trx.insertInto('employer_contacts').values(rows).returning('id').execute()).map((row) => row.id);
}

export async function insertParticipants(trx: Transaction<Database>, rows: Insertable<ParticipantsTable>[]): Promise<number[]> {
  return (await trx.insertInto('participants').values(rows).returning('id').execute()).map((row) => row.id);
}

export async function insertTrajectories(trx: Transaction<Database>, rows: Insertable<TrajectoriesTable>[]): Promise<void> {
  if (rows.length) await trx.insertInto('trajectories').values(rows).execute();
}

export async function insertPlacements(trx: Transaction<Database>, rows: Insertable<PlacementsTable>[]): Promise<number[]> {
  if (!rows.length) return [];
  return (await trx.insertInto('placements').values(rows).returning('id').execute()).map((row) => row.id);
}

export async function insertPlacementHours(trx: Transaction<Database>, rows: Insertable<PlacementHoursTable>[]): Promise<void> {
  if (rows.length) await trx.insertInto('placement_hours').values(rows).execute();
}

// The history has a few thousand contact moments: inserted in batches of rows, one statement per
// batch, to stay well below PostgreSQL's limit of 65,535 parameters per statement.
const HISTORY_BATCH = 1000;

function batches<T>(rows: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += HISTORY_BATCH) result.push(rows.slice(start, start + HISTORY_BATCH));
  return result;
}

export async function countContactMoments(trx: Transaction<Database>): Promise<number> {
  const row = await trx
    .selectFrom('contact_moments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Returns the ids in the order of the rows. */
export async function insertContactMoments(
  trx: Transaction<Database>,
  rows: Insertable<ContactMomentsTable>[],
): Promise<number[]> {
  const ids: number[] = [];
  for (const batch of batches(rows)) {
    const inserted = await trx.insertInto('contact_moments').values(batch).returning('id').execute();
    ids.push(...inserted.map((row) => row.id));
  }
  return ids;
}

/** Returns the ids in the order of the rows. */
export async function insertGoals(trx: Transaction<Database>, rows: Insertable<GoalsTable>[]): Promise<number[]> {
  const ids: number[] = [];
  for (const batch of batches(rows)) {
    const inserted = await trx.insertInto('goals').values(batch).returning('id').execute();
    ids.push(...inserted.map((row) => row.id));
  }
  return ids;
}

export async function insertGoalProgress(trx: Transaction<Database>, rows: Insertable<GoalProgressTable>[]): Promise<void> {
  for (const batch of batches(rows)) await trx.insertInto('goal_progress').values(batch).execute();
}

export async function insertGoalContactLinks(
  trx: Transaction<Database>,
  rows: Insertable<GoalContactLinksTable>[],
): Promise<void> {
  for (const batch of batches(rows)) await trx.insertInto('goal_contact_links').values(batch).execute();
}

export async function insertReferrals(trx: Transaction<Database>, rows: Insertable<ReferralsTable>[]): Promise<void> {
  for (const batch of batches(rows)) await trx.insertInto('referrals').values(batch).execute();
}

export interface DemoConsentSubject {
  id: number;
  coachId: number;
  city: string | null;
  status: string;
  /** The first trajectory's start, the day consent was asked for; null without a trajectory. */
  firstStart: string | null;
}

/** Every demo participant with what the consent and network records are made from. */
export async function listConsentSubjects(trx: Transaction<Database>): Promise<DemoConsentSubject[]> {
  return trx
    .selectFrom('participants')
    .select((eb) => [
      'participants.id',
      'participants.coach_id as coachId',
      'participants.city',
      'participants.status',
      eb
        .selectFrom('trajectories')
        .whereRef('trajectories.participant_id', '=', 'participants.id')
        .select((inner) => inner.fn.min<string>('trajectories.start_date').as('first'))
        .as('firstStart'),
    ])
    .orderBy('participants.id')
    .execute();
}

export async function insertConsents(trx: Transaction<Database>, rows: Insertable<ParticipantConsentsTable>[]): Promise<void> {
  for (const batch of batches(rows)) await trx.insertInto('participant_consents').values(batch).execute();
}

export async function insertNetworkPersons(trx: Transaction<Database>, rows: Insertable<NetworkPersonsTable>[]): Promise<void> {
  for (const batch of batches(rows)) await trx.insertInto('network_persons').values(batch).execute();
}

/**
 * Workplace visits the participant had while a placement with a supervisor was running: the
 * supervisor took part too (a three-way talk), so both are recorded as attendees.
 */
export async function recordWorkplaceVisitAttendees(trx: Transaction<Database>): Promise<void> {
  const visits = trx
    .selectFrom('contact_moments')
    .innerJoin('placements', 'placements.participant_id', 'contact_moments.participant_id')
    .where('contact_moments.channel', '=', 'workplace_visit')
    .where('contact_moments.outcome', '=', 'reached')
    .where('placements.supervisor_contact_id', 'is not', null)
    .where(sql<boolean>`placements.start_date <= contact_moments.occurred_at::date`)
    .where(sql<boolean>`(placements.end_date is null or placements.end_date >= contact_moments.occurred_at::date)`);
  await trx
    .insertInto('contact_attendees')
    .columns(['contact_moment_id', 'kind'])
    .expression(visits.select(['contact_moments.id', sql<string>`'participant'`.as('kind')]).distinct())
    .execute();
  await trx
    .insertInto('contact_attendees')
    .columns(['contact_moment_id', 'kind', 'employer_contact_id'])
    .expression(
      visits.select(['contact_moments.id', sql<string>`'supervisor'`.as('kind'), 'placements.supervisor_contact_id']).distinct(),
    )
    .execute();
}

/** The demo directory in one statement; the ids in the order given. */
export async function insertDemoOrganisations(
  trx: Transaction<Database>,
  rows: Array<{ name: string; kind: OrganisationKind; region: string | null; phone: string | null; email: string | null }>,
): Promise<number[]> {
  const inserted = await trx.insertInto('referral_organisations').values(rows).returning('id').execute();
  return inserted.map((row) => row.id);
}

/** A demo team's default language (Team Gent reads the Flemish terms). */
export async function setDemoTeamLocale(db: Kysely<Database>, teamName: string, locale: Locale): Promise<void> {
  await db.updateTable('teams').set({ default_locale: locale }).where('name', '=', teamName).execute();
}

/** The first (lowest id) closed trajectory of a coach's caseload, by the coach's email; for the demo handover. */
export async function firstClosedTrajectoryOfCoach(
  db: Kysely<Database>,
  coachEmail: string,
): Promise<{ id: number; participantId: number; coachId: number; endDate: string } | undefined> {
  return db
    .selectFrom('trajectories')
    .innerJoin('participants', 'participants.id', 'trajectories.participant_id')
    .innerJoin('users', 'users.id', 'participants.coach_id')
    .where('users.email', '=', coachEmail)
    .where('trajectories.actual_end_date', 'is not', null)
    .select([
      'trajectories.id',
      'trajectories.participant_id as participantId',
      'participants.coach_id as coachId',
      'trajectories.actual_end_date as endDate',
    ])
    .orderBy('trajectories.id')
    .$narrowType<{ endDate: string }>()
    .executeTakeFirst();
}

/** Makes a closed demo trajectory a handover to a directory organisation (by name), with its record. */
export async function insertDemoHandover(
  db: Kysely<Database>,
  trajectory: { id: number; participantId: number; coachId: number; endDate: string },
  handover: { organisationName: string; receiverName: string; receiverEmail: string; note: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const organisation = await trx
      .selectFrom('referral_organisations')
      .select('id')
      .where('name', '=', handover.organisationName)
      .executeTakeFirst();
    if (!organisation) return false;
    await trx.updateTable('trajectories').set({ outcome: 'handover' }).where('id', '=', trajectory.id).execute();
    await trx
      .insertInto('handovers')
      .values({
        trajectory_id: trajectory.id,
        participant_id: trajectory.participantId,
        organisation_id: organisation.id,
        receiver_name: handover.receiverName,
        receiver_email: handover.receiverEmail,
        handover_date: trajectory.endDate,
        note: handover.note,
        created_by: trajectory.coachId,
        // Recorded on the day itself, as a coach closing the trajectory would have.
        created_at: `${trajectory.endDate}T16:00:00+01:00`,
      })
      .execute();
    return true;
  });
}

/** What Lien's story (lien.ts) links to: her coach, the commissioners, Kringwinkel Gent and the directory. */
export async function lienStoryLookups(
  trx: Transaction<Database>,
  names: { coachEmail: string; employer: string; commissioners: string[]; organisations: string[] },
): Promise<{
  coachId: number | undefined;
  employer: { id: number; supervisorId: number } | undefined;
  commissionerIds: Map<string, number>;
  organisationIds: Map<string, number>;
}> {
  const coach = await trx.selectFrom('users').select('id').where('email', '=', names.coachEmail).executeTakeFirst();
  const employer = await trx
    .selectFrom('employers')
    .innerJoin('employer_contacts', 'employer_contacts.employer_id', 'employers.id')
    .where('employers.name', '=', names.employer)
    .where('employer_contacts.role', '=', 'supervisor')
    .select(['employers.id', 'employer_contacts.id as supervisorId'])
    .orderBy('employer_contacts.id')
    .executeTakeFirst();
  const commissioners = await trx
    .selectFrom('commissioners')
    .select(['id', 'name'])
    .where('name', 'in', names.commissioners)
    .execute();
  const organisations = await trx
    .selectFrom('referral_organisations')
    .select(['id', 'name'])
    .where('name', 'in', names.organisations)
    .execute();
  return {
    coachId: coach?.id,
    employer,
    commissionerIds: new Map(commissioners.map((row) => [row.name, row.id])),
    organisationIds: new Map(organisations.map((row) => [row.name, row.id])),
  };
}

export async function insertDemoTrajectoriesReturningIds(
  trx: Transaction<Database>,
  rows: Insertable<TrajectoriesTable>[],
): Promise<number[]> {
  const inserted = await trx.insertInto('trajectories').values(rows).returning('id').execute();
  return inserted.map((row) => row.id);
}

export async function insertDemoAttendees(trx: Transaction<Database>, rows: Insertable<ContactAttendeesTable>[]): Promise<void> {
  if (rows.length) await trx.insertInto('contact_attendees').values(rows).execute();
}

export async function insertDemoHandoverRow(trx: Transaction<Database>, row: Insertable<HandoversTable>): Promise<void> {
  await trx.insertInto('handovers').values(row).execute();
}
