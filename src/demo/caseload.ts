import { DateTime } from 'luxon';
import type { Insertable, Kysely } from 'kysely';
import type {
  Database,
  EmployerSector,
  ParticipantStatus,
  PlacementHoursTable,
  PlacementKind,
  PlacementsTable,
  TrajectoriesTable,
  TrajectoryKind,
  TrajectoryOutcome,
} from '../db/schema';
import {
  PAUSED_COOK,
  PERSONA_DEFINITIONS,
  seedDemoHistory,
  type HistoryParticipant,
  type HistoryPlacement,
  type PersonaDefinition,
} from './history';
import { seedDemoNetworkAndConsent } from './network-consent';
import {
  countParticipants,
  demoCoachIdsByEmail,
  demoCoachNames,
  insertCommissioners,
  insertEmployerContacts,
  insertEmployers,
  insertParticipants,
  insertPlacementHours,
  insertPlacements,
  insertTrajectories,
} from './queries';

// The demo caseload: about 60 participants over the six demo coaches, 20 employers of the kinds
// coaches work with, trajectories for UWV, a municipality and an OCMW, placements with hours
// histories, and six months of contact history with goals and referrals (history.ts). Deterministic
// (a seeded generator) and relative to "today", so the demo stays current.

/** mulberry32: a tiny seeded generator, so every demo database is the same. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DUTCH_FIRST = [
  'Sem',
  'Lotte',
  'Bram',
  'Noa',
  'Jesse',
  'Fleur',
  'Thijs',
  'Sanne',
  'Milan',
  'Iris',
  'Ayoub',
  'Esra',
  'Kevin',
  'Demi',
  'Ruben',
  'Yasmina',
  'Stijn',
  'Naomi',
  'Dylan',
  'Chantal',
  'Mehmet',
  'Priscilla',
  'Jordy',
  'Romy',
  'Tim',
  'Samira',
  'Rick',
  'Lisa',
  'Ilias',
];
const DUTCH_LAST = [
  'de Jong',
  'Jansen',
  'de Vries',
  'van den Berg',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'de Boer',
  'Mulder',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'van Dijk',
  'Kok',
  'Yilmaz',
  'El Idrissi',
  'Brouwer',
  'Dekker',
  'Verhoeven',
  'Koster',
  'Prins',
  'Postma',
  'Kaya',
];
const FLEMISH_FIRST = [
  'Lander',
  'Lore',
  'Wout',
  'Fien',
  'Jens',
  'Febe',
  'Arne',
  'Elise',
  'Seppe',
  'Hanne',
  'Rayan',
  'Nour',
  'Kobe',
  'Jolien',
  'Brecht',
  'Amber',
  'Siebe',
  'Lien',
  'Yassine',
  'Marie',
  'Tuur',
  'Ines',
  'Robbe',
  'Zoë',
];
const FLEMISH_LAST = [
  'Peeters',
  'Janssens',
  'Maes',
  'Jacobs',
  'Mertens',
  'Willems',
  'Claes',
  'Goossens',
  'Wouters',
  'De Smet',
  'Dubois',
  'Vermeulen',
  'Van de Velde',
  'De Clercq',
  'Lambrecht',
  'Desmet',
  'Verstraete',
  'Van Damme',
  'El Amrani',
  'Hermans',
  'Cools',
  'Michiels',
];

interface DemoEmployer {
  name: string;
  sector: EmployerSector;
  city: string;
  postalCode: string;
  address: string;
  supervisor: string;
  supervisorTitle: string;
  region: 'nl' | 'be';
  jobs: Array<{ kind: PlacementKind; title: string }>;
}

const EMPLOYERS: DemoEmployer[] = [
  {
    name: 'Restaurant De Gouden Lepel',
    sector: 'hospitality',
    city: 'Utrecht',
    postalCode: '3511 AB',
    address: 'Oudegracht 112',
    supervisor: 'Ronald Verbeek',
    supervisorTitle: 'Chef-kok',
    region: 'nl',
    jobs: [
      { kind: 'paid_job', title: 'Kok' },
      { kind: 'work_experience', title: 'Afwasser' },
    ],
  },
  {
    name: 'Kringloop Noord',
    sector: 'retail',
    city: 'Utrecht',
    postalCode: '3555 CD',
    address: 'Zamenhofdreef 20',
    supervisor: 'Ingrid Hofman',
    supervisorTitle: 'Winkelleider',
    region: 'nl',
    jobs: [
      { kind: 'work_experience', title: 'Medewerker sorteerafdeling' },
      { kind: 'volunteering', title: 'Kassamedewerker' },
    ],
  },
  {
    name: 'Schoonmaakbedrijf Glans & Co',
    sector: 'cleaning',
    city: 'Nieuwegein',
    postalCode: '3439 EF',
    address: 'Edisonbaan 7',
    supervisor: 'Gert-Jan Wolters',
    supervisorTitle: 'Ploegleider',
    region: 'nl',
    jobs: [{ kind: 'paid_job', title: 'Schoonmaker' }],
  },
  {
    name: 'Fietsenmakerij De Ketting',
    sector: 'bicycle_repair',
    city: 'Utrecht',
    postalCode: '3581 GH',
    address: 'Biltstraat 45',
    supervisor: 'Henk Zwart',
    supervisorTitle: 'Eigenaar',
    region: 'nl',
    jobs: [{ kind: 'work_experience', title: 'Fietsenmaker in opleiding' }],
  },
  {
    name: 'Zorgcentrum Het Baken',
    sector: 'care',
    city: 'Zeist',
    postalCode: '3701 JK',
    address: 'Lindenlaan 3',
    supervisor: 'Miriam Sanders',
    supervisorTitle: 'Teamleider facilitair',
    region: 'nl',
    jobs: [
      { kind: 'paid_job', title: 'Medewerker restaurant' },
      { kind: 'volunteering', title: 'Gastvrouw' },
    ],
  },
  {
    name: 'Groenonderhoud Gemeente Utrecht',
    sector: 'green_maintenance',
    city: 'Utrecht',
    postalCode: '3526 KL',
    address: 'Europalaan 200',
    supervisor: 'Patrick de Graaf',
    supervisorTitle: 'Voorman groen',
    region: 'nl',
    jobs: [{ kind: 'work_experience', title: 'Hovenier' }],
  },
  {
    name: 'Brasserie Stationsplein',
    sector: 'hospitality',
    city: 'Amersfoort',
    postalCode: '3818 LE',
    address: 'Stationsplein 9',
    supervisor: 'Sandra Kuipers',
    supervisorTitle: 'Bedrijfsleider',
    region: 'nl',
    jobs: [
      { kind: 'paid_job', title: 'Bediening' },
      { kind: 'paid_job', title: 'Keukenhulp' },
    ],
  },
  {
    name: 'Logistiek Centrum Lage Weide',
    sector: 'logistics',
    city: 'Utrecht',
    postalCode: '3542 MN',
    address: 'Atoomweg 50',
    supervisor: 'Erik van Leeuwen',
    supervisorTitle: 'Shiftleider',
    region: 'nl',
    jobs: [{ kind: 'paid_job', title: 'Orderpicker' }],
  },
  {
    name: 'Bakkerij Van Dam',
    sector: 'manufacturing',
    city: 'Houten',
    postalCode: '3991 OP',
    address: 'Koppeling 4',
    supervisor: 'Wim van Dam',
    supervisorTitle: 'Productieleider',
    region: 'nl',
    jobs: [{ kind: 'paid_job', title: 'Productiemedewerker' }],
  },
  {
    name: 'Dagcentrum De Werkplaats',
    sector: 'care',
    city: 'Utrecht',
    postalCode: '3532 QR',
    address: 'Kanaalweg 18',
    supervisor: 'Tamara Ruiter',
    supervisorTitle: 'Activiteitenbegeleider',
    region: 'nl',
    jobs: [{ kind: 'day_activity', title: 'Houtbewerking' }],
  },
  {
    name: "Restaurant 't Vosken",
    sector: 'hospitality',
    city: 'Gent',
    postalCode: '9000',
    address: 'Sint-Baafsplein 19',
    supervisor: 'Dirk Van Hove',
    supervisorTitle: 'Chef',
    region: 'be',
    jobs: [
      { kind: 'paid_job', title: 'Hulpkok' },
      { kind: 'work_experience', title: 'Afwasser' },
    ],
  },
  {
    name: 'Kringwinkel Gent',
    sector: 'retail',
    city: 'Gent',
    postalCode: '9040',
    address: 'Antwerpsesteenweg 87',
    supervisor: 'Sofie De Wilde',
    supervisorTitle: 'Winkelverantwoordelijke',
    region: 'be',
    jobs: [{ kind: 'work_experience', title: 'Medewerker winkel' }],
  },
  {
    name: 'Poetsdienst Propere Zaak',
    sector: 'cleaning',
    city: 'Gent',
    postalCode: '9050',
    address: 'Brusselsesteenweg 330',
    supervisor: 'Nathalie Baert',
    supervisorTitle: 'Ploegbaas',
    region: 'be',
    jobs: [{ kind: 'paid_job', title: 'Poetshulp' }],
  },
  {
    name: 'Fietsatelier De Velodroom',
    sector: 'bicycle_repair',
    city: 'Gent',
    postalCode: '9000',
    address: 'Overpoortstraat 12',
    supervisor: 'Koen Vandamme',
    supervisorTitle: 'Atelierchef',
    region: 'be',
    jobs: [{ kind: 'work_experience', title: 'Fietshersteller' }],
  },
  {
    name: 'Woonzorgcentrum De Vijvers',
    sector: 'care',
    city: 'Gent',
    postalCode: '9032',
    address: 'Vijverstraat 5',
    supervisor: 'An Verhaeghe',
    supervisorTitle: 'Hoofd logistiek',
    region: 'be',
    jobs: [
      { kind: 'paid_job', title: 'Logistiek medewerker' },
      { kind: 'volunteering', title: 'Animatie' },
    ],
  },
  {
    name: 'Stadsgroen Gent',
    sector: 'green_maintenance',
    city: 'Gent',
    postalCode: '9000',
    address: 'Botermarkt 1',
    supervisor: 'Bart Coppens',
    supervisorTitle: 'Ploegleider groen',
    region: 'be',
    jobs: [{ kind: 'work_experience', title: 'Groenarbeider' }],
  },
  {
    name: 'Sociale Werkplaats Ateljee',
    sector: 'manufacturing',
    city: 'Gent',
    postalCode: '9042',
    address: 'Skaldenstraat 3',
    supervisor: 'Peter Segers',
    supervisorTitle: 'Werkleider',
    region: 'be',
    jobs: [{ kind: 'paid_job', title: 'Productiemedewerker' }],
  },
  {
    name: 'Hotel Gravensteen',
    sector: 'hospitality',
    city: 'Gent',
    postalCode: '9000',
    address: 'Jan Breydelstraat 35',
    supervisor: 'Evelien Martens',
    supervisorTitle: 'Housekeeping manager',
    region: 'be',
    jobs: [{ kind: 'paid_job', title: 'Kamermeisje' }],
  },
  {
    name: 'Dagcentrum Ons Huis',
    sector: 'care',
    city: 'Gent',
    postalCode: '9000',
    address: 'Meersenierstraat 9',
    supervisor: 'Griet De Backer',
    supervisorTitle: 'Begeleider',
    region: 'be',
    jobs: [{ kind: 'day_activity', title: 'Atelier textiel' }],
  },
  {
    name: 'Gemeentelijk Sportbedrijf Gent',
    sector: 'public_sector',
    city: 'Gent',
    postalCode: '9000',
    address: 'Zuiderlaan 13',
    supervisor: 'Tom De Meyer',
    supervisorTitle: 'Zaalverantwoordelijke',
    region: 'be',
    jobs: [{ kind: 'work_experience', title: 'Zaalwachter' }],
  },
];

const TEAM_OF_COACH: Record<string, 'nl' | 'be'> = {
  'coach@example.org': 'nl',
  'coach2@example.org': 'nl',
  'coach3@example.org': 'nl',
  'coach4@example.org': 'be',
  'coach5@example.org': 'be',
  'coach6@example.org': 'be',
};

/** The participant of product.md's story (defined with the other personas in history.ts). */
export { PAUSED_COOK };

/**
 * A persona shows exactly the signals it was written for (history.ts): its trajectory, which runs
 * for as long as its story, is planned to end well after today, so end_of_trajectory stays away
 * from it, also on the twelve weeks of backfilled snapshots.
 */
function personaPlannedEnd(plannedEnd: DateTime, persona: PersonaDefinition | null, today: DateTime): DateTime {
  const clearOfTheWarning = today.plus({ months: 3 });
  return persona && plannedEnd < clearOfTheWarning ? clearOfTheWarning : plannedEnd;
}

const personaAt = (coachEmail: string, slot: number): PersonaDefinition | null =>
  PERSONA_DEFINITIONS.find((persona) => persona.coachEmail === coachEmail && persona.slot === slot) ?? null;

export async function seedDemoCaseload(db: Kysely<Database>, today: DateTime): Promise<{ participants: number } | null> {
  return db.transaction().execute(async (trx) => {
    if ((await countParticipants(trx)) > 0) return null;
    const random = seededRandom(20261123);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const iso = (date: DateTime) => date.toISODate()!;
    const coaches = await demoCoachIdsByEmail(trx);
    const historyParticipant = (
      person: (typeof people)[number],
      participantId: number,
      trajectory: HistoryParticipant['trajectory'],
    ): HistoryParticipant => ({
      participantId,
      firstName: person.first,
      region: person.region,
      status: person.status,
      coachId: coaches.get(person.coachEmail)!,
      colleagueIds: Object.keys(TEAM_OF_COACH)
        .filter((email) => email !== person.coachEmail && TEAM_OF_COACH[email] === person.region && coaches.has(email))
        .map((email) => coaches.get(email)!),
      trajectory,
      placement: null,
      persona: person.persona,
    });

    const [uwv, municipality, ocmw, vdab] = await insertCommissioners(trx, [
      { name: 'UWV', kind: 'uwv' },
      { name: 'Gemeente Utrecht', kind: 'municipality' },
      { name: 'OCMW Gent', kind: 'ocmw' },
      { name: 'VDAB', kind: 'vdab' },
    ]);

    const employerIds = await insertEmployers(
      trx,
      EMPLOYERS.map((e) => ({
        name: e.name,
        sector: e.sector,
        city: e.city,
        postal_code: e.postalCode,
        address_line: e.address,
        phone:
          e.region === 'nl'
            ? `030 ${200 + Math.floor(random() * 700)} ${1000 + Math.floor(random() * 8999)}`
            : `09 ${200 + Math.floor(random() * 700)} ${10 + Math.floor(random() * 89)} ${10 + Math.floor(random() * 89)}`,
      })),
    );
    const supervisorIds = await insertEmployerContacts(
      trx,
      EMPLOYERS.map((e, index) => ({
        employer_id: employerIds[index]!,
        name: e.supervisor,
        role: 'supervisor' as const,
        job_title: e.supervisorTitle,
        phone:
          e.region === 'nl'
            ? `06 ${10000000 + Math.floor(random() * 89999999)}`
            : `0470 ${100000 + Math.floor(random() * 899999)}`,
        email: `${e.supervisor.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`,
      })),
    );
    await insertEmployerContacts(trx, [
      {
        employer_id: employerIds[0]!,
        name: 'Esther Blom',
        role: 'hr',
        job_title: 'HR-adviseur',
        email: 'hr@goudenlepel.example',
      },
      {
        employer_id: employerIds[10]!,
        name: 'Katrien Pauwels',
        role: 'hr',
        job_title: 'Personeelsdienst',
        email: 'personeel@vosken.example',
      },
    ]);

    // Ten participants per coach; the personas of history.ts take their slots (the first participant
    // of coach@example.org is the paused cook).
    const people: Array<{
      coachEmail: string;
      region: 'nl' | 'be';
      status: ParticipantStatus;
      first: string;
      last: string;
      closedOn: string | null;
      persona: PersonaDefinition | null;
    }> = [];
    const usedNames = new Set<string>();
    for (const [coachEmail, region] of Object.entries(TEAM_OF_COACH)) {
      for (let i = 0; i < 10; i += 1) {
        let first: string;
        let last: string;
        do {
          first = pick(region === 'nl' ? DUTCH_FIRST : FLEMISH_FIRST);
          last = pick(region === 'nl' ? DUTCH_LAST : FLEMISH_LAST);
        } while (usedNames.has(`${first} ${last}`));
        const persona = personaAt(coachEmail, i);
        if (persona) {
          first = persona.firstName;
          last = persona.lastName;
        }
        usedNames.add(`${first} ${last}`);
        const status: ParticipantStatus =
          i === 9 ? 'closed' : i === 8 ? 'intake' : i === 7 && region === 'be' ? 'paused' : 'active';
        const closedOn = status === 'closed' ? iso(today.minus({ days: 20 + Math.floor(random() * 40) })) : null;
        people.push({ coachEmail, region, status, first, last, closedOn, persona });
      }
    }

    const participantIds = await insertParticipants(
      trx,
      people.map((person, index) => {
        const born = today.minus({ years: 19 + Math.floor(random() * 40), days: Math.floor(random() * 365) });
        return {
          first_name: person.first,
          last_name: person.last,
          date_of_birth: iso(born),
          phone:
            person.region === 'nl'
              ? `06 ${String(20000000 + index * 7919).slice(0, 8)}`
              : `0478 ${String(100000 + index * 3571).slice(0, 6)}`,
          email:
            index % 3 === 0
              ? null
              : `${person.first.toLowerCase()}.${person.last.toLowerCase().replace(/[^a-z]+/g, '')}@example.net`,
          address_line: person.region === 'nl' ? `Kanaalstraat ${10 + index}` : `Sleepstraat ${10 + index}`,
          postal_code: person.region === 'nl' ? `35${10 + (index % 80)} XB` : '9000',
          city: person.region === 'nl' ? 'Utrecht' : 'Gent',
          preferred_channel: index % 5 === 0 ? ('message' as const) : ('phone' as const),
          language_support:
            index % 11 === 3
              ? 'Tolk Arabisch bij lastige gesprekken'
              : index % 13 === 5
                ? 'Eenvoudige taal, liever niet schriftelijk'
                : null,
          external_reference:
            person.region === 'nl'
              ? `${index % 2 ? 'UWV' : 'GU'}-${2025 + (index % 2)}-${String(1000 + index * 37).slice(0, 4)}`
              : `OCMW-G-${String(4000 + index * 53)}`,
          coach_id: coaches.get(person.coachEmail)!,
          status: person.status,
          closed_on: person.closedOn,
        };
      }),
    );

    const trajectories: Insertable<TrajectoriesTable>[] = [];
    const placements: Insertable<PlacementsTable>[] = [];
    const placementPlans: Array<{ hours: Array<{ from: string; hours: number; note?: string }> }> = [];
    const outcomes: TrajectoryOutcome[] = ['regular_job', 'subsidised_job', 'education', 'handover', 'dropout'];
    const history: HistoryParticipant[] = [];
    // Planned ends (issue 17): one placement of the Flemish OCMW coach ends within three weeks, so
    // end_of_trajectory shows at amber in the demo; the others of coach4 follow the werkervaring year.
    let nearEndShown = false;
    const historyPlacements = new Map<number, HistoryPlacement>();
    /** Adds a placement with its hours history, and tells the history what it needs of it. */
    const addPlacement = (
      employerIndex: number,
      row: Insertable<PlacementsTable>,
      hours: Array<{ from: string; hours: number; note?: string }>,
    ) => {
      placements.push(row);
      placementPlans.push({ hours });
      historyPlacements.set(row.participant_id, {
        employerId: employerIds[employerIndex]!,
        employerName: EMPLOYERS[employerIndex]!.name,
        supervisorContactId: supervisorIds[employerIndex]!,
        supervisorName: EMPLOYERS[employerIndex]!.supervisor,
        jobTitle: row.job_title,
        startDate: row.start_date,
        pausedSince: row.paused_since ?? null,
        hours,
      });
    };

    people.forEach((person, index) => {
      const participantId = participantIds[index]!;
      if (person.status === 'intake') {
        history.push(historyParticipant(person, participantId, null));
        return;
      }
      const persona = person.persona;
      // Closed participants' trajectories started long enough ago to have ended before closing;
      // personas' trajectories run for more than six months, so their whole story fits in them.
      let monthsAgo = person.status === 'closed' ? 10 + Math.floor(random() * 4) : 3 + Math.floor(random() * 12);
      if (persona) monthsAgo = Math.max(monthsAgo, 7);
      const start = today.minus({ months: monthsAgo, days: Math.floor(random() * 28) });
      history.push(historyParticipant(person, participantId, { startDate: iso(start), endDate: person.closedOn }));
      const isCook = person.first === PAUSED_COOK.firstName && person.last === PAUSED_COOK.lastName;
      const commissionerId = person.region === 'be' ? (index % 4 === 0 ? vdab! : ocmw!) : index % 2 ? uwv! : municipality!;
      const kind: TrajectoryKind = person.region === 'be' ? 'work_experience' : index % 2 ? 'jobcoaching' : 'reintegration';
      trajectories.push({
        participant_id: participantId,
        commissioner_id: isCook ? uwv! : commissionerId,
        kind: isCook ? 'jobcoaching' : kind,
        reference: person.region === 'nl' ? `TR-${String(7000 + index * 13)}` : `WET-${String(300 + index * 7)}`,
        start_date: iso(start),
        planned_end_date: iso(personaPlannedEnd(start.plus({ months: person.region === 'be' ? 12 : 9 }), persona, today)),
        actual_end_date: person.closedOn,
        outcome: person.closedOn ? pick(outcomes) : null,
        granted_hours: person.region === 'be' ? 60 : 24 + (index % 4) * 6,
      });

      if (isCook) {
        // 40 hours a week as a cook for over a year, then the restaurant closed: paused, 0 hours.
        const placementStart = today.minus({ months: 14 });
        const pausedSince = today.minus({ weeks: 5 });
        addPlacement(
          0,
          {
            participant_id: participantId,
            employer_id: employerIds[0]!,
            supervisor_contact_id: supervisorIds[0]!,
            kind: 'paid_job',
            job_title: 'Kok',
            start_date: iso(placementStart),
            status: 'paused',
            pause_reason: 'Restaurant gesloten na waterschade; heropening onzeker',
            paused_since: iso(pausedSince),
          },
          [
            { from: iso(placementStart), hours: 24, note: 'Start met inwerkperiode' },
            { from: iso(placementStart.plus({ months: 2 })), hours: 40, note: 'Volledige werkweek' },
            { from: iso(pausedSince), hours: 0, note: 'Restaurant gesloten' },
          ],
        );
        return;
      }

      if (person.status === 'closed') return;
      const withoutPlacement = random() < 0.25;
      if (persona ? persona.placement.kind === 'none' : withoutPlacement) return;
      if (persona?.placement.kind === 'hours') {
        // A persona whose hours fell: the employer, job and hours history its story needs.
        const plan = persona.placement;
        const employerIndex = EMPLOYERS.findIndex((e) => e.name === plan.employer);
        const placementStart = start.plus({ weeks: 2 });
        addPlacement(
          employerIndex,
          {
            participant_id: participantId,
            employer_id: employerIds[employerIndex]!,
            supervisor_contact_id: supervisorIds[employerIndex]!,
            kind: plan.placementKind,
            job_title: plan.jobTitle,
            start_date: iso(placementStart),
            status: 'active',
          },
          plan.hours.map((row) => ({
            from: iso(row.weeksAgo === null ? placementStart : today.minus({ weeks: row.weeksAgo })),
            hours: row.hours,
            note: row.note,
          })),
        );
        return;
      }
      const employerIndexes = EMPLOYERS.map((e, i) => (e.region === person.region ? i : -1)).filter((i) => i >= 0);
      const employerIndex = pick(employerIndexes);
      const employer = EMPLOYERS[employerIndex]!;
      const job = pick(employer.jobs);
      const placementStart = start.plus({ weeks: 2 + Math.floor(random() * 6) });
      if (placementStart > today) return;
      const paused = person.status === 'paused';
      // Personas keep their hours: only the signals they are meant to show.
      const cutHours = !paused && index % 7 === 2 && !persona;
      const pausedSince = today.minus({ weeks: 3 });
      const nearEnd = !nearEndShown && !paused && !persona && person.coachEmail === 'coach4@example.org';
      if (nearEnd) nearEndShown = true;
      // A werkervaring placement in Flanders runs a year; ones that started longer ago run past it
      // (not the personas': they show only the signals of their story).
      const plannedEnd = nearEnd
        ? today.plus({ weeks: 3 })
        : person.region === 'be' && job.kind === 'work_experience' && !persona
          ? placementStart.plus({ years: 1 })
          : null;
      const firstHours = job.kind === 'day_activity' || job.kind === 'volunteering' ? 8 : 16;
      const hours: Array<{ from: string; hours: number; note?: string }> = [{ from: iso(placementStart), hours: firstHours }];
      const grown = placementStart.plus({ weeks: 8 });
      if (grown < today.minus({ weeks: 9 }))
        hours.push({ from: iso(grown), hours: firstHours + 8, note: 'Uitbreiding na evaluatie' });
      if (cutHours)
        hours.push({
          from: iso(today.minus({ weeks: 2 })),
          hours: Math.max(4, Math.round((firstHours + 8) / 3)),
          note: 'Minder uren: drukte thuis',
        });
      if (paused)
        hours.push({
          from: iso(pausedSince > placementStart ? pausedSince : placementStart.plus({ days: 1 })),
          hours: 0,
          note: 'Gepauzeerd',
        });
      addPlacement(
        employerIndex,
        {
          participant_id: participantId,
          employer_id: employerIds[employerIndex]!,
          supervisor_contact_id: supervisorIds[employerIndex]!,
          kind: job.kind,
          job_title: job.title,
          start_date: iso(placementStart),
          planned_end_date: plannedEnd ? iso(plannedEnd) : null,
          status: paused ? 'paused' : 'active',
          pause_reason: paused ? 'Ziekmelding; werkgever houdt de plek vrij' : null,
          paused_since: paused ? iso(pausedSince > placementStart ? pausedSince : placementStart) : null,
        },
        hours,
      );
    });

    await insertTrajectories(trx, trajectories);
    const placementIds = await insertPlacements(trx, placements);
    const hoursRows: Insertable<PlacementHoursTable>[] = [];
    placementIds.forEach((placementId, index) => {
      for (const row of placementPlans[index]!.hours) {
        hoursRows.push({
          placement_id: placementId,
          effective_from: row.from,
          hours_per_week: row.hours,
          note: row.note ?? null,
        });
      }
    });
    await insertPlacementHours(trx, hoursRows);

    const coachNames = await demoCoachNames(trx);
    for (const participant of history) participant.placement = historyPlacements.get(participant.participantId) ?? null;
    await seedDemoHistory(trx, today, {
      participants: history,
      coachFirstNames: new Map([...coachNames].map(([id, name]) => [id, name.split(' ')[0]!])),
      // A generator of its own, so the history can change without reshuffling the caseload.
      random: seededRandom(20260601),
    });
    await seedDemoNetworkAndConsent(trx, today);
    return { participants: participantIds.length };
  });
}
