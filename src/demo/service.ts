import type { Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import type { Locale } from '../config';
import type { Database, Role } from '../db/schema';
import { firstClosedTrajectoryOfCoach, insertDemoHandover, setDemoTeamLocale } from './queries';
import type { Logger } from '../lib/logger';
import { allUserEmails, createUser } from '../users/service';
import { seedDemoCaseload } from './caseload';
import { seedDemoLien } from './lien';
import { backfillSnapshots } from '../risk/snapshot';
import { refreshAllRiskStates } from '../risk/state';
import { assignContactTrajectories } from '../trajectories/service';
import { enrolDemoTotp } from '../mfa/service';

export const DEMO_PASSWORD = 'inbeeld-demo';

/**
 * The one authenticator-app key of every demo account whose role requires a second factor
 * (MFA_REQUIRED_ROLES, by default the managers and the administrator). Public, printed in the
 * README and at start: add it to any authenticator app to sign in as them.
 */
export const DEMO_TOTP_SECRET = 'INBEELDDEMOKEYFORTESTINGONLY2345';

export interface DemoOptions {
  /** The roles whose demo accounts get DEMO_TOTP_SECRET (MFA_REQUIRED_ROLES); none by default (tests). */
  totpRoles?: readonly Role[];
}

export interface DemoUser {
  email: string;
  displayName: string;
  role: Role;
  team: string | null;
  /** Their own language choice; null: their team's default (Team Gent: nl-BE). */
  locale: Locale | null;
}

// Two teams, one Dutch and one Flemish, each with a manager and three coaches. Team Gent reads
// Flemish terms (its default language nl-BE); its people have no language of their own.
export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'admin@example.org', displayName: 'Sanne de Vries', role: 'admin', team: null, locale: 'nl' },
  { email: 'manager@example.org', displayName: 'Marloes Jansen', role: 'manager', team: 'Team Utrecht', locale: 'nl' },
  { email: 'manager2@example.org', displayName: 'Pieter Claes', role: 'manager', team: 'Team Gent', locale: null },
  { email: 'coach@example.org', displayName: 'Daan Bakker', role: 'coach', team: 'Team Utrecht', locale: 'nl' },
  { email: 'coach2@example.org', displayName: 'Fatima El Amrani', role: 'coach', team: 'Team Utrecht', locale: 'nl' },
  { email: 'coach3@example.org', displayName: 'Joris Visser', role: 'coach', team: 'Team Utrecht', locale: 'en' },
  { email: 'coach4@example.org', displayName: 'Lotte Maes', role: 'coach', team: 'Team Gent', locale: null },
  { email: 'coach5@example.org', displayName: 'Youssef Benali', role: 'coach', team: 'Team Gent', locale: null },
  { email: 'coach6@example.org', displayName: 'Eline Peeters', role: 'coach', team: 'Team Gent', locale: null },
];

const demoEmails = new Set(DEMO_USERS.map((user) => user.email));

export class NotADemoDatabaseError extends Error {
  constructor(readonly foreignUsers: number) {
    super(
      `this database holds ${foreignUsers} user(s) that are not demo users; the demo seed only runs on an empty or demo database`,
    );
    this.name = 'NotADemoDatabaseError';
  }
}

/**
 * Creates the demo accounts that do not exist yet. Refuses a database with any non-demo user, so
 * it can never add known passwords to a real installation.
 */
export async function seedDemo(
  db: Kysely<Database>,
  today: DateTime,
  options: DemoOptions = {},
): Promise<{ created: string[]; participants: number }> {
  const existing = await allUserEmails(db);
  const foreign = existing.filter((email) => !demoEmails.has(email));
  if (foreign.length > 0) throw new NotADemoDatabaseError(foreign.length);
  const created: string[] = [];
  for (const user of DEMO_USERS) {
    if (existing.includes(user.email)) continue;
    const userId = await createUser(
      db,
      {
        email: user.email,
        displayName: user.displayName,
        role: user.role,
        teamName: user.team,
        password: DEMO_PASSWORD,
        locale: user.locale,
      },
      null,
    );
    // Whose role requires a second factor signs in with the demo's known key, not into an enrolment.
    if (options.totpRoles?.includes(user.role)) await enrolDemoTotp(db, userId, DEMO_TOTP_SECRET, today.toJSDate());
    created.push(user.email);
  }
  await setDemoTeamLocale(db, 'Team Gent', 'nl-BE');
  const caseload = await seedDemoCaseload(db, today);
  // Lien's story (a handover from OCMW to VDAB), scripted beside the caseload.
  const lien = caseload ? await seedDemoLien(db, today) : false;
  // The contacts were inserted in bulk too: each goes in the trajectory its day falls in.
  if (caseload) await assignContactTrajectories(db, 'all', today.zoneName ?? 'Europe/Amsterdam');
  if (caseload) await seedDemoHandover(db);
  // The history was inserted in bulk, past the writes that keep the stored risk state.
  if (caseload) await refreshAllRiskStates(db, today, today.zoneName ?? 'Europe/Amsterdam');
  // Twelve weeks of daily-snapshot history, so the demo's trends have something to show; today's
  // is copied from the stored risk state, like the daily job's.
  if (caseload) await backfillSnapshots(db, today, 12, today.zoneName ?? undefined);
  return { created, participants: (caseload?.participants ?? 0) + (lien ? 1 : 0) };
}

/**
 * A handover to VDAB (issue 17, item 8): the first closed trajectory of Lotte Maes (coach4, Team
 * Gent) ends as a handover to VDAB Gent on its closing day. Deterministic: the caseload is.
 */
async function seedDemoHandover(db: Kysely<Database>): Promise<void> {
  const trajectory = await firstClosedTrajectoryOfCoach(db, 'coach4@example.org');
  if (!trajectory) return;
  await insertDemoHandover(db, trajectory, {
    organisationName: 'VDAB Gent',
    receiverName: 'Jan Peeters',
    receiverEmail: 'jan.peeters@vdab.example',
    note:
      'Wat werkt: vaste dagstructuur, korte opdrachten en wekelijks een kort overleg met de begeleider.\n' +
      'Afspraken: intakegesprek bij VDAB Gent in de eerste week; de maatschappelijk werker van het OCMW blijft aanspreekpunt.\n' +
      'Open doelen: zie de lijst hieronder.',
  });
}

/** Used by `npm start` in embedded mode: a brand-new database gets the demo, nothing else does. */
export async function seedDemoIfEmpty(
  db: Kysely<Database>,
  logger: Logger,
  today: DateTime,
  options: DemoOptions = {},
): Promise<boolean> {
  if ((await allUserEmails(db)).length > 0) return false;
  const { created, participants } = await seedDemo(db, today, options);
  logger.info({ users: created.length, participants }, 'seeded the demo data into the empty embedded database');
  return true;
}
