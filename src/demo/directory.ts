import type { Insertable, Transaction } from 'kysely';
import type { Database, OrganisationKind, ReferralsTable } from '../db/schema';
import { insertDemoOrganisations } from './queries';

// The demo's referral directory (issue 17): the Flemish services Team Gent refers to and the Dutch
// ones of Team Utrecht, with the names the demo history's referrals use, so every referral links
// to an entry. A name the history uses that is missing here is added as kind "other".

interface DemoOrganisation {
  name: string;
  kind: OrganisationKind;
  region: string;
  phone: string | null;
  email: string | null;
}

export const DEMO_DIRECTORY: readonly DemoOrganisation[] = [
  // Team Gent
  { name: 'CAW Oost-Vlaanderen', kind: 'caw', region: 'Gent', phone: '09 265 04 20', email: 'onthaal@cawoostvlaanderen.example' },
  { name: 'CAW Oost-Vlaanderen – schuldbemiddeling', kind: 'debt_mediation', region: 'Gent', phone: '09 265 04 30', email: null },
  {
    name: 'OCMW Gent – sociale dienst',
    kind: 'ocmw_social_work',
    region: 'Gent',
    phone: '09 266 99 00',
    email: 'sociale.dienst@ocmw-gent.example',
  },
  { name: 'Huurdersbond Oost-Vlaanderen', kind: 'tenants_union', region: 'Gent', phone: '09 233 23 22', email: null },
  { name: 'VDAB Gent', kind: 'vdab', region: 'Gent', phone: '0800 30 700', email: 'gent@vdab.example' },
  { name: 'Sociaal Verhuurkantoor Gent', kind: 'housing', region: 'Gent', phone: '09 235 26 50', email: null },
  { name: 'Huis van het Nederlands Gent', kind: 'language_coaching', region: 'Gent', phone: '09 265 78 20', email: null },
  { name: 'Wijkgezondheidscentrum De Sleep', kind: 'health_care', region: 'Gent', phone: '09 251 20 02', email: null },
  { name: 'De Sleutel Gent', kind: 'addiction_care', region: 'Gent', phone: '09 210 99 00', email: null },
  { name: 'Eerstelijnsrechtshulp Gent', kind: 'legal_aid', region: 'Gent', phone: null, email: null },
  // Team Utrecht
  {
    name: 'Schuldhulpverlening Gemeente Utrecht',
    kind: 'debt_counselling',
    region: 'Utrecht',
    phone: '030 286 00 00',
    email: null,
  },
  {
    name: 'Buurtteam Utrecht',
    kind: 'neighbourhood_team',
    region: 'Utrecht',
    phone: '030 740 00 00',
    email: 'info@buurtteamutrecht.example',
  },
  { name: 'Buurtteam Utrecht Oost', kind: 'neighbourhood_team', region: 'Utrecht', phone: '030 740 00 10', email: null },
  { name: 'UWV Utrecht', kind: 'uwv', region: 'Utrecht', phone: '088 898 92 95', email: null },
  { name: 'Woningcorporatie Mitros – woonbegeleiding', kind: 'housing', region: 'Utrecht', phone: '030 280 65 00', email: null },
  { name: 'Taalhuis Utrecht', kind: 'language_coaching', region: 'Utrecht', phone: null, email: 'taalhuis@utrecht.example' },
  { name: 'Gezondheidscentrum Overvecht', kind: 'health_care', region: 'Utrecht', phone: '030 263 00 00', email: null },
  { name: 'Centrum voor verslavingszorg Utrecht', kind: 'addiction_care', region: 'Utrecht', phone: null, email: null },
  { name: 'Het Juridisch Loket', kind: 'legal_aid', region: 'Utrecht', phone: '0900 8020', email: null },
];

/** A planned referral still naming its organisation; the directory gives it its id. */
export type PlannedReferral = Omit<Insertable<ReferralsTable>, 'organisation_id'> & { organisation: string };

/**
 * Inserts the directory (and any organisation the referrals name that it lacks), then the
 * referrals linked to it. Follow-ups: of each coach's open referrals the first (in planned order)
 * is due today, so every demo coach with one — coach@ and coach4@ among them — sees it on /today;
 * every third of the rest gets a date in the next weeks, so the profiles show planned follow-ups.
 */
export function withFollowUps(referrals: PlannedReferral[], today: string, inDays: (days: number) => string): PlannedReferral[] {
  const dueToday = new Set<number>();
  let counter = 0;
  return referrals.map((referral) => {
    if (referral.closed_on !== null && referral.closed_on !== undefined) return referral;
    if (!dueToday.has(referral.created_by)) {
      dueToday.add(referral.created_by);
      return { ...referral, follow_up_on: today };
    }
    counter += 1;
    return counter % 3 === 0 ? { ...referral, follow_up_on: inDays(7 + (counter % 14)) } : referral;
  });
}

export async function seedDemoDirectory(
  trx: Transaction<Database>,
  referrals: PlannedReferral[],
): Promise<Insertable<ReferralsTable>[]> {
  const entries = [...DEMO_DIRECTORY];
  const known = new Set(entries.map((entry) => entry.name));
  for (const referral of referrals) {
    if (!known.has(referral.organisation)) {
      known.add(referral.organisation);
      entries.push({ name: referral.organisation, kind: 'other', region: '', phone: null, email: null });
    }
  }
  const ids = await insertDemoOrganisations(
    trx,
    entries.map((entry) => ({ ...entry, region: entry.region || null })),
  );
  const idOf = new Map(entries.map((entry, index) => [entry.name, ids[index]!]));
  return referrals.map(({ organisation, ...referral }) => ({ ...referral, organisation_id: idOf.get(organisation)! }));
}
