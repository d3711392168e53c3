import type { Insertable, Kysely } from 'kysely';
import type TestAgent from 'supertest/lib/agent';
import type { Database } from '../../src/db/schema';
import { assignContactTrajectories } from '../../src/trajectories/service';
import { csrfToken, csrfTokenFrom } from './app';

/** The organisation's zone of the test app (APP_TIMEZONE's default). */
const FIXTURE_TIME_ZONE = 'Europe/Amsterdam';

// Rows stored directly with Kysely, for tests whose subject is not how these rows are created.
// Each builder takes the columns as the table names them, so a test states exactly what it relies on.

type Db = Kysely<Database>;
type Row<Table extends keyof Database> = Insertable<Database[Table]>;

export async function insertCommissioner(db: Db, values: Row<'commissioners'>): Promise<number> {
  const row = await db.insertInto('commissioners').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertParticipant(db: Db, values: Row<'participants'>): Promise<number> {
  const row = await db.insertInto('participants').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A trajectory; the participant's contact moments then count in it where their day falls in it, as the app does. */
export async function insertTrajectory(db: Db, values: Row<'trajectories'>): Promise<number> {
  const row = await db.insertInto('trajectories').values(values).returning('id').executeTakeFirstOrThrow();
  await assignContactTrajectories(db, [values.participant_id], FIXTURE_TIME_ZONE);
  return row.id;
}

export async function insertEmployer(db: Db, values: Row<'employers'>): Promise<number> {
  const row = await db.insertInto('employers').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertContact(db: Db, values: Row<'employer_contacts'>): Promise<number> {
  const row = await db.insertInto('employer_contacts').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A placement, and, when hours are given, its first hours row from the start date on — the way
 * the app stores a new placement (a placement without hours rows has no current hours).
 */
export async function insertPlacement(
  db: Db,
  values: Row<'placements'>,
  firstHours?: { hoursPerWeek: number; note?: string },
): Promise<number> {
  const placement = await db.insertInto('placements').values(values).returning('id').executeTakeFirstOrThrow();
  if (firstHours) {
    await db
      .insertInto('placement_hours')
      .values({
        placement_id: placement.id,
        effective_from: values.start_date,
        hours_per_week: firstHours.hoursPerWeek,
        ...(firstHours.note === undefined ? {} : { note: firstHours.note }),
      })
      .execute();
  }
  return placement.id;
}

export async function insertStandin(db: Db, values: Row<'coach_standins'>): Promise<number> {
  const row = await db.insertInto('coach_standins').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The audit trail of one entity, oldest first, in the columns the tests assert on. */
export async function auditEventsOf(db: Db, entityType: string, entityId: number) {
  return db
    .selectFrom('audit_events')
    .select(['action', 'actor_user_id', 'participant_id', 'details'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute();
}

/** The one-time submission token a form page carries (see the double-submit convention). */
export function submissionTokenFrom(html: string): string {
  const match = /name="submissionToken" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no submission token in the page');
  return match[1];
}

export function versionFrom(html: string): string {
  const match = /name="version" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no version in the page');
  return match[1];
}

/** The hidden fields a one-time form's submit needs, taken from the form page. */
export function formTokensFrom(html: string): { _csrf: string; submissionToken: string } {
  return { _csrf: csrfTokenFrom(html), submissionToken: submissionTokenFrom(html) };
}

/** Opens a form page (it must answer 200) and returns the hidden fields a submit needs. */
export async function openForm(agent: TestAgent, page: string): Promise<{ _csrf: string; submissionToken: string }> {
  const response = await agent.get(page);
  expect(response.status).toBe(200);
  return formTokensFrom(response.text);
}

/** Posts a form with a fresh CSRF token, taken from csrfPage (by default the form's own page). */
export async function postForm(agent: TestAgent, url: string, body: Record<string, string>, csrfPage = url) {
  const csrf = await csrfToken(agent, csrfPage);
  return agent
    .post(url)
    .type('form')
    .send({ _csrf: csrf, ...body });
}

/** A contact moment stored directly (author, time, channel and outcome are the caller's to state). */
export async function insertContactMoment(db: Db, values: Row<'contact_moments'>): Promise<number> {
  const row = await db.insertInto('contact_moments').values(values).returning('id').executeTakeFirstOrThrow();
  // In the trajectory its day falls in (unless the test states one), as the app stores it.
  if (values.trajectory_id === undefined) await assignContactTrajectories(db, [values.participant_id], FIXTURE_TIME_ZONE);
  return row.id;
}

/** A goal stored directly (status open unless stated; an achieved goal needs achieved_on). */
export async function insertGoal(db: Db, values: Row<'goals'>): Promise<number> {
  const row = await db.insertInto('goals').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Links a goal to a contact moment that served it, as the contact log does. */
export async function linkGoalToContact(db: Db, goalId: number, contactMomentId: number): Promise<void> {
  await db.insertInto('goal_contact_links').values({ goal_id: goalId, contact_moment_id: contactMomentId }).execute();
}

/** A directory organisation by name: the existing one of that exact name, or a new one (kind "other"). */
export async function referralOrganisation(
  db: Db,
  name: string,
  kind: Row<'referral_organisations'>['kind'] = 'other',
): Promise<number> {
  const existing = await db.selectFrom('referral_organisations').select('id').where('name', '=', name).executeTakeFirst();
  if (existing) return existing.id;
  const row = await db.insertInto('referral_organisations').values({ name, kind }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The close form's handover fields, required with the outcome "handover": to VDAB Gent, from the directory. */
export async function handoverFormFields(db: Db): Promise<Record<string, string>> {
  return {
    handoverOrganisationId: String(await referralOrganisation(db, 'VDAB Gent', 'vdab')),
    receiverName: 'An De Vos',
    handoverNote: 'Werkt graag met vaste afspraken; open doel: rijbewijs.',
  };
}

/** A referral, its organisation given by directory id or by name (found or added, see referralOrganisation). */
export type ReferralFixture = Omit<Row<'referrals'>, 'organisation_id'> &
  ({ organisation_id: number } | { organisation: string });

export async function insertReferral(db: Db, values: ReferralFixture): Promise<number> {
  const { organisation, ...rest } = { organisation: undefined, ...values } as ReferralFixture & { organisation?: string };
  const organisationId =
    'organisation_id' in rest && rest.organisation_id !== undefined
      ? rest.organisation_id
      : await referralOrganisation(db, organisation!);
  const row = await db
    .insertInto('referrals')
    .values({ ...rest, organisation_id: organisationId } as Row<'referrals'>)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertNetworkPerson(db: Db, values: Row<'network_persons'>): Promise<number> {
  const row = await db.insertInto('network_persons').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertConsent(db: Db, values: Row<'participant_consents'>): Promise<number> {
  const row = await db.insertInto('participant_consents').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
