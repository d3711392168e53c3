import { DateTime } from 'luxon';
import type { Insertable, Transaction } from 'kysely';
import type {
  ContactChannel,
  ContactCounterpart,
  ContactMomentsTable,
  ContactOutcome,
  Database,
  GoalProgressTable,
  GoalStatus,
  GoalsTable,
  LifeDomain,
  ParticipantStatus,
  PlacementKind,
  ReferralServiceKind,
  ReferralStatus,
} from '../db/schema';
import {
  AFTER_CALLBACK,
  AFTER_UNREACHED,
  CALLBACK_REQUESTED,
  CALL_NOT_WORKING,
  CALL_NO_PLACEMENT,
  CALL_WORKING,
  CLOSING,
  GOALS,
  HOME_VISIT,
  INTAKE,
  NOT_REACHED,
  OFFICE,
  PROGRESS_NOTES,
  REFERRALS,
  STAND_IN_PREFIX,
  VISIT_EMPLOYER,
  VISIT_PARTICIPANT,
  VOICEMAIL,
  fillTemplate,
  type Region,
  type TextPool,
} from './history-texts';
import {
  countContactMoments,
  insertContactMoments,
  insertGoalContactLinks,
  insertGoalProgress,
  insertGoals,
  insertReferrals,
} from './queries';
import { seedDemoDirectory, withFollowUps, type PlannedReferral } from './directory';

// Six months of contact history for the demo caseload: weekly calls, monthly workplace visits,
// failed attempts and call-backs, wellbeing checks, goals with progress and referrals. A handful of
// personas are scripted so that every risk signal of product.md ("Drifting into isolation") shows
// up at amber and at red, and so that the demo coach's /today has something in every section.
// Everything is relative to "today" and drawn from a seeded generator, so each demo is the same.

export type RiskSignal =
  'last_reached' | 'unreached_in_a_row' | 'follow_up_overdue' | 'no_active_placement' | 'hours_drop' | 'wellbeing';
export type RiskLevel = 'amber' | 'red';
/** The section of the coach's /today the participant lands in (null: not on /today). */
export type TodaySection = 'overdue' | 'due_today' | 'retry' | 'no_contact_planned';

export interface DemoPersona {
  key: string;
  firstName: string;
  lastName: string;
  coachEmail: string;
  /** The signals the persona shows with the default thresholds (and no others). */
  signals: Partial<Record<RiskSignal, RiskLevel>>;
  today: TodaySection | null;
  /** In plain words, what the persona demonstrates. */
  shows: string;
}

type PersonaPlacement =
  /** The cook's placement, built by caseload.ts: 24 → 40 hours, paused five weeks ago at 0. */
  | { kind: 'story' }
  | { kind: 'none' }
  /** An active placement at an employer of the region whose hours are never cut. */
  | { kind: 'steady' }
  | {
      kind: 'hours';
      employer: string;
      jobTitle: string;
      placementKind: PlacementKind;
      /** weeksAgo null: from the placement's start. */
      hours: Array<{ weeksAgo: number | null; hours: number; note?: string }>;
    };

interface Wellbeing {
  mood: number;
  rhythm: number;
  social: number;
  activity: number;
}

/**
 * One scripted step at the end of a persona's history. Days on a weekend move to the Friday
 * before (or with `later`, to the Monday after), so the figure behind the signal stays within
 * its band whatever weekday today is; steps on the same day follow each other by a few hours.
 */
interface TailStep {
  daysAgo: number;
  later?: boolean;
  channel?: ContactChannel;
  counterpart?: 'participant' | 'employer';
  outcome: ContactOutcome;
  /** Without it, a reached step gets an everyday summary. */
  summary?: string;
  minutes?: number;
  wellbeing?: Wellbeing;
  byColleague?: boolean;
}

interface PersonaGoal {
  domain: LifeDomain;
  title: string;
  description?: string;
  createdDaysAgo: number;
  /** Negative: the target date has passed. */
  targetInDays: number;
  status: GoalStatus;
  progress: Array<{ daysAgo: number; status: GoalStatus; note: string }>;
  /** Days of the contact moments that served the goal. */
  linkedDaysAgo: number[];
}

interface PersonaScript {
  /** Scripted contacts after the everyday rhythm, which stops three days before the first step. */
  tail?: TailStep[];
  /**
   * The next contact planned on the latest contact: in so many days (negative: overdue), with an
   * optional time. null: nothing planned. Absent: an ordinary follow-up within a week.
   */
  next?: { inDays: number; time?: string } | null;
  /** The last three wellbeing checks, oldest first, on the contacts nearest these days. */
  wellbeing?: Array<{ daysAgo: number; scores: Wellbeing }>;
  /** Summaries that tell the persona's story, on the reached contact nearest each day. */
  notes?: Array<{ daysAgo: number; summary: string }>;
  goals?: PersonaGoal[];
  referrals?: Array<{
    kind: ReferralServiceKind;
    organisation: string;
    reason: string;
    status: ReferralStatus;
    referredDaysAgo: number;
  }>;
}

export interface PersonaDefinition extends DemoPersona {
  /** Which of the coach's ten participants: 0–7 (8 is in intake, 9 closed; 7 of a Gent coach is paused). */
  slot: number;
  placement: PersonaPlacement;
  script: PersonaScript;
}

const DAAN = 'coach@example.org';

/** The participant of product.md's story: a restaurant cook whose 40 hours went to 0. */
export const PAUSED_COOK = { firstName: 'Mohamed', lastName: 'Ouali', coachEmail: DAAN };

export const PERSONA_DEFINITIONS: readonly PersonaDefinition[] = [
  // The cook: every signal at red. Placement paused five weeks ago (40 → 0 hours); reached once
  // shortly after the pause (wellbeing collapsed), then only unreached calls, voicemails, an app
  // message and a closed door. The employer is still reached, which must not count for him.
  {
    key: 'paused_cook',
    ...PAUSED_COOK,
    slot: 0,
    signals: {
      last_reached: 'red',
      unreached_in_a_row: 'red',
      no_active_placement: 'red',
      hours_drop: 'red',
      wellbeing: 'red',
    },
    today: 'retry',
    shows: 'Kok bij De Gouden Lepel, werk gepauzeerd (40 → 0 uur), neemt sindsdien niet meer op',
    placement: { kind: 'story' },
    script: {
      tail: [
        {
          daysAgo: 35,
          later: true,
          counterpart: 'employer',
          outcome: 'reached',
          minutes: 15,
          summary:
            'Ronald Verbeek belt: de keuken van De Gouden Lepel staat onder water, het restaurant is per direct dicht. Heropening onzeker. Mohamed is vandaag naar huis gestuurd; zijn uren gaan voorlopig naar 0.',
        },
        {
          daysAgo: 32,
          later: true,
          outcome: 'reached',
          minutes: 20,
          wellbeing: { mood: 2, rhythm: 2, social: 2, activity: 1 },
          summary:
            'Mohamed gesproken na de sluiting. Hij is aangeslagen: "ik weet niet wat ik met mijn dagen moet". Slaapt overdag, gamet tot diep in de nacht en ziet bijna niemand. Afgesproken dat hij elke dag een wandeling maakt en dat ik volgende week bel.',
        },
        { daysAgo: 26, outcome: 'not_reached' },
        { daysAgo: 24, outcome: 'voicemail', summary: 'Voicemail ingesproken: gevraagd terug te bellen.' },
        {
          daysAgo: 21,
          counterpart: 'employer',
          outcome: 'reached',
          minutes: 15,
          summary:
            'Gebeld met Ronald Verbeek: heropening op zijn vroegst over twee maanden. Hij wil Mohamed graag terug en kijkt of er tijdelijk werk is in zijn tweede zaak. Ook Ronald krijgt Mohamed niet te pakken.',
        },
        { daysAgo: 18, outcome: 'not_reached' },
        {
          daysAgo: 15,
          channel: 'message',
          outcome: 'not_reached',
          summary: 'WhatsApp-bericht gestuurd: gelezen, geen reactie.',
        },
        { daysAgo: 11, outcome: 'voicemail', byColleague: true, summary: 'Voicemail ingesproken.' },
        {
          daysAgo: 8,
          channel: 'home_visit',
          outcome: 'not_reached',
          summary: 'Huisbezoek: niemand deed open, gordijnen dicht. Briefje met mijn nummer in de brievenbus gedaan.',
        },
        { daysAgo: 4, outcome: 'not_reached' },
        { daysAgo: 1, outcome: 'voicemail' },
      ],
      next: { inDays: 1, time: '09:30' },
      goals: [
        {
          domain: 'work',
          title: 'Vast contract na de proefperiode',
          createdDaysAgo: 175,
          targetInDays: -120,
          status: 'achieved',
          progress: [
            { daysAgo: 160, status: 'in_progress', note: 'Ronald is tevreden; evaluatiegesprek staat gepland.' },
            { daysAgo: 140, status: 'achieved', note: 'Vast contract getekend bij De Gouden Lepel, 40 uur per week.' },
          ],
          linkedDaysAgo: [175, 160, 140],
        },
        {
          domain: 'finances',
          title: 'Spaarbuffer van 500 euro opbouwen',
          description: 'Elke maand een vast bedrag apart zetten op een spaarrekening.',
          createdDaysAgo: 120,
          targetInDays: -10,
          status: 'in_progress',
          progress: [{ daysAgo: 90, status: 'in_progress', note: 'Zet elke maand 100 euro apart; staat nu op 200 euro.' }],
          linkedDaysAgo: [120, 90],
        },
        {
          domain: 'work',
          title: 'Terug aan het werk in een keuken, bij De Gouden Lepel of elders',
          createdDaysAgo: 32,
          targetInDays: 45,
          status: 'in_progress',
          progress: [
            {
              daysAgo: 21,
              status: 'in_progress',
              note: 'Ronald wil Mohamed terug na de heropening en zoekt tijdelijk werk in zijn tweede zaak.',
            },
          ],
          linkedDaysAgo: [32, 21],
        },
        {
          domain: 'daily_structure',
          title: 'Dagritme vasthouden zolang het restaurant dicht is',
          description: 'Vóór negen uur op, elke dag naar buiten, niet gamen na middernacht.',
          createdDaysAgo: 32,
          targetInDays: -18,
          status: 'open',
          progress: [],
          linkedDaysAgo: [32],
        },
      ],
      referrals: [
        {
          kind: 'social_work',
          organisation: 'Buurtteam Utrecht Oost',
          reason:
            'Mohamed is sinds de sluiting van het restaurant onbereikbaar en zit veel binnen. Verzoek om een outreachend huisbezoek.',
          status: 'sent',
          referredDaysAgo: 14,
        },
      ],
    },
  },
  // /today "overdue", risk amber: the call planned three days after the last talk never happened.
  {
    key: 'overdue_amber',
    firstName: 'Kees',
    lastName: 'Willemsen',
    coachEmail: DAAN,
    slot: 1,
    signals: { follow_up_overdue: 'amber' },
    today: 'overdue',
    shows: 'Vervolgcontact 3 à 5 dagen te laat',
    placement: { kind: 'steady' },
    script: {
      tail: [
        {
          daysAgo: 6,
          outcome: 'reached',
          summary:
            'Goed gesprek over de eerste maand in de nieuwe taken. Afgesproken dat ik over drie dagen bel om het rooster door te nemen.',
        },
      ],
      next: { inDays: -3 },
    },
  },
  // /today "overdue", risk red: a follow-up planned more than a week ago was forgotten.
  {
    key: 'overdue_red',
    firstName: 'Anouk',
    lastName: 'Vermeer',
    coachEmail: DAAN,
    slot: 2,
    signals: { follow_up_overdue: 'red' },
    today: 'overdue',
    shows: 'Vervolgcontact 8 à 10 dagen te laat',
    placement: { kind: 'steady' },
    script: {
      tail: [
        {
          daysAgo: 11,
          outcome: 'reached',
          summary:
            'Spannende week: Anouk heeft haar eerste evaluatie bij de werkgever. Afgesproken dat ik over drie dagen bel om te horen hoe die ging.',
        },
      ],
      next: { inDays: -8 },
    },
  },
  // /today "due today" at a set time (morning); healthy otherwise.
  {
    key: 'due_today_morning',
    firstName: 'Gerrit',
    lastName: 'Hoekstra',
    coachEmail: DAAN,
    slot: 3,
    signals: {},
    today: 'due_today',
    shows: 'Vandaag om 10:00 gepland',
    placement: { kind: 'steady' },
    script: { next: { inDays: 0, time: '10:00' } },
  },
  // /today "due today" at a set time (afternoon); healthy otherwise.
  {
    key: 'due_today_afternoon',
    firstName: 'Marieke',
    lastName: 'Schouten',
    coachEmail: DAAN,
    slot: 4,
    signals: {},
    today: 'due_today',
    shows: 'Vandaag om 14:30 gepland',
    placement: { kind: 'steady' },
    script: { next: { inDays: 0, time: '14:30' } },
  },
  // /today "due today" without a time; healthy otherwise.
  {
    key: 'due_today_untimed',
    firstName: 'Joost',
    lastName: 'Timmermans',
    coachEmail: DAAN,
    slot: 5,
    signals: {},
    today: 'due_today',
    shows: 'Vandaag gepland, zonder tijd',
    placement: { kind: 'steady' },
    script: { next: { inDays: 0 } },
  },
  // /today "retry", risk amber: two attempts in a row not reached since the last talk.
  {
    key: 'unreached_amber',
    firstName: 'Soufiane',
    lastName: 'Boukhari',
    coachEmail: DAAN,
    slot: 6,
    signals: { unreached_in_a_row: 'amber' },
    today: 'retry',
    shows: '2 pogingen op rij niet bereikt',
    placement: { kind: 'steady' },
    script: {
      tail: [
        { daysAgo: 8, outcome: 'reached' },
        { daysAgo: 3, outcome: 'voicemail' },
        { daysAgo: 1, outcome: 'not_reached' },
      ],
      next: null,
    },
  },
  // /today "no contact planned": reached this week, but no next contact was agreed.
  {
    key: 'no_contact_planned',
    firstName: 'Wendy',
    lastName: 'Groen',
    coachEmail: DAAN,
    slot: 7,
    signals: {},
    today: 'no_contact_planned',
    shows: 'Deze week gesproken, geen vervolgcontact gepland',
    placement: { kind: 'steady' },
    script: { next: null },
  },
  // Risk amber: last reached 17–19 days ago (on leave, a call is planned after her return).
  {
    key: 'last_reached_amber',
    firstName: 'Ilona',
    lastName: 'Kuijpers',
    coachEmail: 'coach2@example.org',
    slot: 1,
    signals: { last_reached: 'amber' },
    today: null,
    shows: 'Laatst bereikt 17 à 19 dagen geleden (met verlof)',
    placement: { kind: 'steady' },
    script: {
      tail: [
        {
          daysAgo: 17,
          outcome: 'reached',
          summary:
            'Ilona gaat drie weken met verlof naar familie in Suriname; de werkgever is op de hoogte. Afgesproken dat ik bel na haar terugkomst.',
        },
      ],
      next: { inDays: 3 },
    },
  },
  // Risk red: three attempts in a row not reached since the last talk, ten days ago.
  {
    key: 'unreached_red',
    firstName: 'Hamza',
    lastName: 'Tahiri',
    coachEmail: 'coach2@example.org',
    slot: 2,
    signals: { unreached_in_a_row: 'red' },
    today: 'retry',
    shows: '3 pogingen op rij niet bereikt',
    placement: { kind: 'steady' },
    script: {
      tail: [
        { daysAgo: 10, outcome: 'reached' },
        { daysAgo: 7, outcome: 'not_reached' },
        { daysAgo: 4, outcome: 'voicemail' },
        { daysAgo: 1, outcome: 'not_reached' },
      ],
      next: { inDays: 1 },
    },
  },
  // Risk amber: hours per week fell from 32 to 12 three weeks ago (night shift cancelled).
  {
    key: 'hours_halved',
    firstName: 'Roel',
    lastName: 'Veenstra',
    coachEmail: 'coach2@example.org',
    slot: 3,
    signals: { hours_drop: 'amber' },
    today: null,
    shows: 'Uren gedaald van 32 naar 12 per week',
    placement: {
      kind: 'hours',
      employer: 'Logistiek Centrum Lage Weide',
      jobTitle: 'Orderpicker',
      placementKind: 'paid_job',
      hours: [
        { weeksAgo: null, hours: 32 },
        { weeksAgo: 3, hours: 12, note: 'Nachtploeg opgeheven; minder uren ingeroosterd' },
      ],
    },
    script: {
      notes: [
        {
          daysAgo: 20,
          summary:
            'Roel baalt: de nachtploeg is opgeheven en hij heeft nog maar 12 uur per week. Besproken of er bij andere afdelingen uren zijn; hij vraagt het na bij Erik van Leeuwen.',
        },
      ],
    },
  },
  // Risk amber: no placement at all (no daytime activity), but reached every week.
  {
    key: 'no_placement_amber',
    firstName: 'Tanja',
    lastName: 'Hoogland',
    coachEmail: 'coach3@example.org',
    slot: 1,
    signals: { no_active_placement: 'amber' },
    today: null,
    shows: 'Geen werkplek of dagbesteding, wel wekelijks bereikt',
    placement: { kind: 'none' },
    script: {
      notes: [
        {
          daysAgo: 12,
          summary:
            'Tanja zoekt nog steeds een werkervaringsplek; tot die tijd heeft ze weinig om handen. Samen drie vacatures uitgezocht.',
        },
      ],
    },
  },
  // Risk amber: latest wellbeing check has social contacts at 2 (best friend moved away).
  {
    key: 'wellbeing_social_low',
    firstName: 'Nadia',
    lastName: 'Bouzid',
    coachEmail: 'coach3@example.org',
    slot: 2,
    signals: { wellbeing: 'amber' },
    today: null,
    shows: 'Laatste welzijnscheck: sociale contacten 2',
    placement: { kind: 'steady' },
    script: {
      wellbeing: [
        { daysAgo: 62, scores: { mood: 4, rhythm: 4, social: 3, activity: 4 } },
        { daysAgo: 34, scores: { mood: 3, rhythm: 4, social: 3, activity: 4 } },
        { daysAgo: 6, scores: { mood: 3, rhythm: 4, social: 2, activity: 3 } },
      ],
      notes: [
        {
          daysAgo: 34,
          summary: 'Nadia vertelt dat haar beste vriendin naar Rotterdam is verhuisd. Ze zit ’s avonds vaak alleen.',
        },
        {
          daysAgo: 6,
          summary:
            'Sociale contacten blijven mager: buiten het werk ziet Nadia bijna niemand. Voorgesteld om mee te gaan naar het taalcafé in de wijk; ze denkt erover na.',
        },
      ],
    },
  },
  // Risk red: latest wellbeing check has both social contacts and daily rhythm at 2.
  {
    key: 'wellbeing_both_low',
    firstName: 'Bas',
    lastName: 'de Wit',
    coachEmail: 'coach3@example.org',
    slot: 3,
    signals: { wellbeing: 'red' },
    today: null,
    shows: 'Laatste welzijnscheck: sociale contacten en dagritme allebei 2',
    placement: { kind: 'steady' },
    script: {
      wellbeing: [
        { daysAgo: 62, scores: { mood: 3, rhythm: 3, social: 3, activity: 3 } },
        { daysAgo: 34, scores: { mood: 3, rhythm: 3, social: 3, activity: 3 } },
        { daysAgo: 6, scores: { mood: 2, rhythm: 2, social: 2, activity: 3 } },
      ],
      notes: [
        {
          daysAgo: 6,
          summary:
            'Bas slaapt slecht en komt ’s ochtends moeilijk op gang; twee keer te laat op het werk. Ziet weinig mensen sinds hij alleen woont. Afgesproken dat ik vaker bel.',
        },
      ],
    },
  },
  // Risk red: last reached 31–33 days ago (four weeks abroad); a call is planned after his return.
  {
    key: 'last_reached_red',
    firstName: 'Bilal',
    lastName: 'Haddouchi',
    coachEmail: 'coach4@example.org',
    slot: 1,
    signals: { last_reached: 'red' },
    today: null,
    shows: 'Laatst bereikt 31 à 33 dagen geleden (vier weken in het buitenland)',
    placement: { kind: 'steady' },
    script: {
      tail: [
        {
          daysAgo: 31,
          outcome: 'reached',
          summary:
            'Bilal vertrekt vier weken naar Marokko voor een trouwfeest in de familie. Zijn verlof is in orde met de werkgever. Afgesproken dat ik hem bel als hij terug is.',
        },
      ],
      next: { inDays: 2 },
    },
  },
  // Risk red: no placement and not reached for 16–18 days (so "last reached" is amber too).
  {
    key: 'no_placement_red',
    firstName: 'Dries',
    lastName: 'Vanhoutte',
    coachEmail: 'coach5@example.org',
    slot: 1,
    signals: { no_active_placement: 'red', last_reached: 'amber' },
    today: 'retry',
    shows: 'Geen werkplek en 16 à 18 dagen niet bereikt',
    placement: { kind: 'none' },
    script: {
      tail: [
        {
          daysAgo: 16,
          outcome: 'reached',
          summary:
            'Dries zit veel thuis en heeft weinig omhanden. Gesproken over een werkervaringsplek bij de kringwinkel; hij wil er nog over nadenken.',
        },
        { daysAgo: 9, outcome: 'voicemail' },
      ],
      next: { inDays: 2 },
    },
  },
  // Risk red: hours per week to 0 four weeks ago (no shifts in the low season), placement still active.
  {
    key: 'hours_to_zero',
    firstName: 'Jana',
    lastName: 'Callebaut',
    coachEmail: 'coach5@example.org',
    slot: 2,
    signals: { hours_drop: 'red' },
    today: null,
    shows: 'Uren gedaald van 12 naar 0 per week (geen shiften meer), plaatsing loopt door',
    placement: {
      kind: 'hours',
      employer: 'Hotel Gravensteen',
      jobTitle: 'Kamermeisje',
      placementKind: 'paid_job',
      hours: [
        { weeksAgo: null, hours: 12 },
        { weeksAgo: 4, hours: 0, note: 'Laagseizoen: geen shiften meer ingepland' },
      ],
    },
    script: {
      notes: [
        {
          daysAgo: 26,
          summary:
            'Jana heeft sinds deze week geen shiften meer in het hotel: laagseizoen. Het contract loopt wel door. Ze vindt het jammer en zit nu veel thuis.',
        },
      ],
    },
  },
  // Risk amber: latest wellbeing check has daily rhythm at 2.
  {
    key: 'wellbeing_rhythm_low',
    firstName: 'Gilles',
    lastName: 'Verbruggen',
    coachEmail: 'coach6@example.org',
    slot: 1,
    signals: { wellbeing: 'amber' },
    today: null,
    shows: 'Laatste welzijnscheck: dagritme 2',
    placement: { kind: 'steady' },
    script: {
      wellbeing: [
        { daysAgo: 62, scores: { mood: 4, rhythm: 3, social: 4, activity: 4 } },
        { daysAgo: 34, scores: { mood: 4, rhythm: 3, social: 4, activity: 3 } },
        { daysAgo: 6, scores: { mood: 3, rhythm: 2, social: 4, activity: 3 } },
      ],
      notes: [
        {
          daysAgo: 6,
          summary:
            'Gilles zit in een slecht ritme: gaat laat slapen en mist soms de voormiddag. Afgesproken om samen een weekplanning op te maken.',
        },
      ],
    },
  },
  // Risk red: social contacts dropped two points over the last three checks (5 → 4 → 3).
  {
    key: 'wellbeing_drop',
    firstName: 'Sara',
    lastName: 'Bogaert',
    coachEmail: 'coach6@example.org',
    slot: 2,
    signals: { wellbeing: 'red' },
    today: null,
    shows: 'Sociale contacten gezakt van 5 naar 3 over de laatste drie checks',
    placement: { kind: 'steady' },
    script: {
      wellbeing: [
        { daysAgo: 62, scores: { mood: 4, rhythm: 4, social: 5, activity: 4 } },
        { daysAgo: 34, scores: { mood: 4, rhythm: 4, social: 4, activity: 4 } },
        { daysAgo: 6, scores: { mood: 3, rhythm: 4, social: 3, activity: 3 } },
      ],
      notes: [
        {
          daysAgo: 6,
          summary:
            'Sara ziet haar vriendinnen minder sinds ze werkt en voelt zich wat eenzaam. Besproken hoe ze in het weekend terug afspraken kan maken.',
        },
      ],
    },
  },
];

/** The personas of the demo, for tests and later features: who shows which signal. */
export const DEMO_PERSONAS: readonly DemoPersona[] = PERSONA_DEFINITIONS.map(
  ({ key, firstName, lastName, coachEmail, signals, today, shows }) => ({
    key,
    firstName,
    lastName,
    coachEmail,
    signals,
    today,
    shows,
  }),
);

export function demoPersona(key: string): DemoPersona {
  const persona = DEMO_PERSONAS.find((candidate) => candidate.key === key);
  if (!persona) throw new Error(`no demo persona ${key}`);
  return persona;
}

// ---------------------------------------------------------------------------------------------
// What caseload.ts hands over.

export interface HistoryPlacement {
  employerId: number;
  employerName: string;
  supervisorContactId: number;
  supervisorName: string;
  jobTitle: string;
  startDate: string;
  pausedSince: string | null;
  hours: Array<{ from: string; hours: number }>;
}

export interface HistoryParticipant {
  participantId: number;
  firstName: string;
  region: Region;
  status: ParticipantStatus;
  coachId: number;
  /** The other coaches of the same team, who sometimes call in the coach's place. */
  colleagueIds: number[];
  trajectory: { startDate: string; endDate: string | null } | null;
  placement: HistoryPlacement | null;
  persona: PersonaDefinition | null;
}

export interface HistoryInput {
  participants: HistoryParticipant[];
  coachFirstNames: Map<number, string>;
  random: () => number;
}

// ---------------------------------------------------------------------------------------------
// Planning, in memory.

interface PlannedContact {
  participantId: number;
  at: DateTime;
  authorId: number;
  channel: ContactChannel;
  counterpart: ContactCounterpart;
  employerId: number | null;
  employerContactId: number | null;
  outcome: ContactOutcome;
  minutes: number;
  summary: string | null;
  wellbeing: Wellbeing | null;
  /** A call-back at the time agreed in the contact before it: that contact planned this time. */
  atAgreedTime: boolean;
  next: { date: string; time: string | null } | null;
}

interface PlannedGoal {
  participantId: number;
  createdBy: number;
  domain: LifeDomain;
  title: string;
  description: string | null;
  agreed: boolean;
  createdAt: DateTime;
  targetDate: string | null;
  status: GoalStatus;
  achievedOn: string | null;
  progress: Array<{ at: DateTime; status: GoalStatus; note: string }>;
  /** Indexes into the list of all planned contacts. */
  contactIndexes: number[];
}

interface RoutineState {
  lastVisit: DateTime;
  lastCheck: DateTime;
  /** The participant's usual wellbeing scores; each check varies around them. */
  base: Wellbeing;
}

const UNREACHED: readonly ContactOutcome[] = ['not_reached', 'voicemail'];
const isoDate = (date: DateTime) => date.toISODate()!;
const isWeekend = (date: DateTime) => date.weekday >= 6;

function weekdayOnOrBefore(date: DateTime): DateTime {
  let day = date;
  while (isWeekend(day)) day = day.minus({ days: 1 });
  return day;
}

function weekdayOnOrAfter(date: DateTime): DateTime {
  let day = date;
  while (isWeekend(day)) day = day.plus({ days: 1 });
  return day;
}

function hoursOn(placement: HistoryPlacement, date: string): number {
  let hours = 0;
  for (const row of placement.hours) if (row.from <= date) hours = row.hours;
  return hours;
}

function isWorking(placement: HistoryPlacement | null, date: string): boolean {
  if (!placement || date < placement.startDate) return false;
  if (placement.pausedSince && date >= placement.pausedSince) return false;
  return hoursOn(placement, date) > 0;
}

function clampScore(value: number, min: number): number {
  return Math.min(5, Math.max(min, value));
}

class HistoryPlanner {
  readonly contacts: PlannedContact[] = [];
  readonly goals: PlannedGoal[] = [];
  readonly referrals: PlannedReferral[] = [];
  private readonly day0: DateTime;

  constructor(
    private readonly today: DateTime,
    private readonly random: () => number,
    private readonly coachFirstNames: Map<number, string>,
  ) {
    this.day0 = today.startOf('day');
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private chance(probability: number): boolean {
    return this.random() < probability;
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  /** Summaries used lately for this participant: a coach rarely writes the same note twice in a row. */
  private recent: string[] = [];

  private text(pool: TextPool, p: HistoryParticipant, extra: Record<string, string> = {}): string {
    const fresh = pool[p.region].filter((template) => !this.recent.includes(template));
    const template = this.pick(fresh.length ? fresh : pool[p.region]);
    this.recent = [...this.recent.slice(-5), template];
    return fillTemplate(template, {
      name: p.firstName,
      employer: p.placement?.employerName ?? '',
      supervisor: p.placement?.supervisorName ?? '',
      job: p.placement?.jobTitle.toLowerCase() ?? '',
      coach: this.coachFirstNames.get(p.coachId) ?? '',
      ...extra,
    });
  }

  private daysAgo(days: number): DateTime {
    return this.day0.minus({ days });
  }

  /** A time of day on the quarter hour between the given hours. */
  private at(day: DateTime, fromHour: number, toHour: number): DateTime {
    const quarter = this.int(fromHour * 4, toHour * 4);
    return day.set({ hour: Math.floor(quarter / 4), minute: (quarter % 4) * 15, second: 0, millisecond: 0 });
  }

  private wellbeingFor(base: Wellbeing): Wellbeing {
    const jitter = () => this.int(-1, 1);
    return {
      mood: clampScore(base.mood + jitter(), 2),
      rhythm: clampScore(base.rhythm + jitter(), 3),
      social: clampScore(base.social + jitter(), 3),
      activity: clampScore(base.activity + jitter(), 2),
    };
  }

  plan(p: HistoryParticipant): void {
    if (!p.trajectory || p.status === 'intake') return;
    this.recent = [];
    const script = p.persona?.script ?? {};
    const own = this.contactsOf(p, p.trajectory, script);
    const offset = this.contacts.length;
    this.contacts.push(...own);
    if (script.goals) this.scriptGoals(p, own, offset, script.goals);
    else this.goalsFor(p, own, offset);
    if (script.referrals) this.scriptReferrals(p, script.referrals);
    else this.referralsFor(p, own);
  }

  /** The participant's contacts within the trajectory and the last six months, oldest first. */
  private contactsOf(
    p: HistoryParticipant,
    trajectory: NonNullable<HistoryParticipant['trajectory']>,
    script: PersonaScript,
  ): PlannedContact[] {
    const sixMonthsAgo = this.day0.minus({ months: 6 });
    const trajectoryFrom = this.fromIso(trajectory.startDate);
    const end = trajectory.endDate ? this.fromIso(trajectory.endDate) : null;
    const own: PlannedContact[] = [];

    let from = trajectoryFrom < sixMonthsAgo ? sixMonthsAgo : trajectoryFrom;
    if (trajectoryFrom >= sixMonthsAgo) {
      // The trajectory began within the six months: it starts with getting to know each other.
      const day = weekdayOnOrAfter(trajectoryFrom);
      own.push(this.contact(p, this.at(day, 10, 11), { channel: 'office', minutes: 60, summary: this.text(INTAKE, p) }));
      from = day.plus({ days: 3 });
    }
    const state: RoutineState = {
      lastVisit: from.minus({ days: this.int(5, 20) }),
      lastCheck: from.minus({ days: this.int(10, 30) }),
      base: { mood: this.int(3, 4), rhythm: this.int(3, 5), social: this.int(3, 4), activity: this.int(3, 4) },
    };

    const tail = script.tail ?? [];
    let until = this.daysAgo(1);
    let closingDay: DateTime | null = null;
    if (end && end <= until) {
      closingDay = weekdayOnOrBefore(end);
      until = closingDay.minus({ days: 1 });
    }
    if (tail.length) until = this.daysAgo(tail[0]!.daysAgo + 3);
    this.routine(p, from, until, own, state);

    for (const step of tail) {
      const previous = own[own.length - 1];
      const day = step.later ? weekdayOnOrAfter(this.daysAgo(step.daysAgo)) : weekdayOnOrBefore(this.daysAgo(step.daysAgo));
      let at = this.at(day, 9, 15);
      if (previous && at <= previous.at) at = previous.at.plus({ minutes: 150 });
      own.push(this.tailContact(p, at, step));
    }
    if (closingDay) {
      own.push(this.contact(p, this.at(closingDay, 10, 14), { channel: 'office', minutes: 45, summary: this.text(CLOSING, p) }));
    }

    own.sort((a, b) => a.at.toMillis() - b.at.toMillis());
    if (script.wellbeing) this.scriptWellbeing(own, script.wellbeing);
    else if (!tail.some((step) => step.wellbeing)) this.smoothLatestWellbeing(own);
    for (const note of script.notes ?? []) {
      const contact = this.nearestReached(own, note.daysAgo);
      if (contact) contact.summary = note.summary;
    }
    this.planNextContacts(own, closingDay !== null, script);
    return own;
  }

  private fromIso(date: string): DateTime {
    return DateTime.fromISO(date, { zone: this.day0.zone });
  }

  private contact(
    p: HistoryParticipant,
    at: DateTime,
    fields: Partial<Omit<PlannedContact, 'participantId' | 'at'>>,
  ): PlannedContact {
    return {
      participantId: p.participantId,
      at,
      authorId: p.coachId,
      channel: 'phone',
      counterpart: 'participant',
      employerId: null,
      employerContactId: null,
      outcome: 'reached',
      minutes: this.int(2, 4) * 5,
      summary: null,
      wellbeing: null,
      atAgreedTime: false,
      next: null,
      ...fields,
    };
  }

  /** The everyday rhythm: a call every week, a visit every month, and the usual mishaps. */
  private routine(p: HistoryParticipant, from: DateTime, until: DateTime, out: PlannedContact[], state: RoutineState): void {
    let week = from.startOf('week');
    while (week <= until) {
      const nextWeek = week.plus({ weeks: 1 });
      const finalWeek = nextWeek > until;
      const callOffset = this.int(0, 4);
      const skipWeek = !finalWeek && this.chance(0.06);
      let day = week.plus({ days: callOffset });
      if (day > until) day = weekdayOnOrBefore(until);
      if (skipWeek || day < from) {
        week = nextWeek;
        continue;
      }
      const date = isoDate(day);
      const working = isWorking(p.placement, date);
      const hasStarted = p.placement !== null && date >= p.placement.startDate;

      if (!finalWeek && day.diff(state.lastVisit, 'days').days >= 25 && (working || !hasStarted)) {
        const visitDay = week.plus({ days: (callOffset + 1 + this.int(0, 3)) % 5 });
        if (visitDay >= from && visitDay <= until) {
          out.push(working ? this.workplaceVisit(p, visitDay, state) : this.officeVisit(p, visitDay, state));
          state.lastVisit = visitDay;
        }
      }
      this.call(p, day, until, finalWeek, out, state);
      week = nextWeek;
    }
  }

  private everydaySummary(p: HistoryParticipant, date: string): string {
    if (isWorking(p.placement, date)) return this.text(CALL_WORKING, p);
    if (p.placement && date >= p.placement.startDate) return this.text(CALL_NOT_WORKING, p);
    return this.text(CALL_NO_PLACEMENT, p);
  }

  private maybeCheck(contact: PlannedContact, state: RoutineState): void {
    const days = contact.at.diff(state.lastCheck, 'days').days;
    if ((days >= 28 && this.chance(0.5)) || days >= 45) {
      contact.wellbeing = this.wellbeingFor(state.base);
      state.lastCheck = contact.at;
    }
  }

  /**
   * Who is away and who stands in, per ISO week (the demo's stand-ins are made per absent coach,
   * colleague and week, see managers-tools.ts): a coach away that week stands in for nobody, and a
   * coach standing in that week is not away, so no stand-in is a coach who is away themselves, which
   * the app refuses (issue 20 item 3).
   */
  private readonly weeks = new Map<string, { away: Set<number>; standingIn: Set<number> }>();

  /**
   * The contact is made by a colleague of the coach who is not away that week, in the coach's place.
   * When the coach stands in for someone else that week, or every colleague is away, the coach makes
   * it after all.
   */
  private byColleague(p: HistoryParticipant, contact: PlannedContact, summary: string | null): void {
    const key = `${contact.at.weekYear}-W${contact.at.weekNumber}`;
    const week = this.weeks.get(key) ?? { away: new Set<number>(), standingIn: new Set<number>() };
    this.weeks.set(key, week);
    const candidates = p.colleagueIds.filter((id) => !week.away.has(id));
    if (week.standingIn.has(p.coachId) || candidates.length === 0) return;
    const authorId = this.pick(candidates);
    week.away.add(p.coachId);
    week.standingIn.add(authorId);
    contact.authorId = authorId;
    contact.summary = summary ? this.text(STAND_IN_PREFIX, p) + summary : null;
  }

  private call(
    p: HistoryParticipant,
    day: DateTime,
    until: DateTime,
    finalWeek: boolean,
    out: PlannedContact[],
    state: RoutineState,
  ): void {
    const channel: ContactChannel = this.chance(0.05) ? 'video' : 'phone';
    const at = this.at(day, 9, 15);
    const roll = finalWeek ? 1 : this.random();
    const date = isoDate(day);
    const author = () => (p.colleagueIds.length && this.chance(0.07) ? 'colleague' : 'coach');

    if (roll < 0.15) {
      // Not reached or voicemail; the retry that reaches them is later that day or the next weekday.
      const outcome: ContactOutcome = roll < 0.09 ? 'not_reached' : 'voicemail';
      const sameDay = at.hour < 14 && this.chance(0.5);
      const retryDay = sameDay ? day : weekdayOnOrAfter(day.plus({ days: 1 }));
      // A retry after the routine's last day would not be in the history: this call reaches them.
      if (retryDay <= until) {
        const note = this.chance(0.35) ? this.text(outcome === 'voicemail' ? VOICEMAIL : NOT_REACHED, p) : null;
        const attempt = this.contact(p, at, { channel, outcome, minutes: 0, summary: note });
        if (author() === 'colleague') this.byColleague(p, attempt, note);
        out.push(attempt);
        const retryAt = sameDay ? at.plus({ minutes: this.int(6, 12) * 15 }) : this.at(retryDay, 9, 12);
        const prefix = fillTemplate(AFTER_UNREACHED[p.region][outcome === 'voicemail' ? 1 : 0]!, { name: p.firstName });
        const reached = this.contact(p, retryAt, { summary: prefix + this.everydaySummary(p, isoDate(retryDay)) });
        this.maybeCheck(reached, state);
        out.push(reached);
        return;
      }
    } else if (roll < 0.21 && at.hour < 15) {
      // Asked to call back: done at the agreed time, the same day.
      const request = this.contact(p, at, {
        channel,
        outcome: 'callback_requested',
        minutes: 2,
        summary: this.text(CALLBACK_REQUESTED, p),
      });
      out.push(request);
      const followUp = this.contact(p, at.plus({ minutes: this.int(4, 8) * 15 }), {
        channel,
        atAgreedTime: true,
        summary: AFTER_CALLBACK[p.region] + this.everydaySummary(p, date),
      });
      this.maybeCheck(followUp, state);
      out.push(followUp);
      return;
    }
    const summary = this.everydaySummary(p, date);
    const contact = this.contact(p, at, { channel, summary });
    if (author() === 'colleague') this.byColleague(p, contact, summary);
    this.maybeCheck(contact, state);
    out.push(contact);
  }

  private workplaceVisit(p: HistoryParticipant, day: DateTime, state: RoutineState): PlannedContact {
    const placement = p.placement!;
    const at = this.at(day, 10, 14);
    const minutes = this.int(9, 12) * 5;
    if (this.chance(0.7)) {
      return this.contact(p, at, {
        channel: 'workplace_visit',
        counterpart: 'employer',
        employerId: placement.employerId,
        employerContactId: placement.supervisorContactId,
        minutes,
        summary: this.text(VISIT_EMPLOYER, p),
      });
    }
    const visit = this.contact(p, at, { channel: 'workplace_visit', minutes, summary: this.text(VISIT_PARTICIPANT, p) });
    this.maybeCheck(visit, state);
    return visit;
  }

  private officeVisit(p: HistoryParticipant, day: DateTime, state: RoutineState): PlannedContact {
    const atHome = this.chance(0.25);
    const visit = this.contact(p, this.at(day, 10, 15), {
      channel: atHome ? 'home_visit' : 'office',
      minutes: this.int(9, 12) * 5,
      summary: this.text(atHome ? HOME_VISIT : OFFICE, p),
    });
    this.maybeCheck(visit, state);
    return visit;
  }

  private tailContact(p: HistoryParticipant, at: DateTime, step: TailStep): PlannedContact {
    const placement = p.placement;
    const withEmployer = step.counterpart === 'employer' && placement !== null;
    const unreached = UNREACHED.includes(step.outcome);
    let summary: string | null = step.summary ?? null;
    if (!summary && step.outcome === 'reached') summary = this.everydaySummary(p, isoDate(at));
    const contact = this.contact(p, at, {
      channel: step.channel ?? 'phone',
      counterpart: withEmployer ? 'employer' : 'participant',
      employerId: withEmployer ? placement.employerId : null,
      employerContactId: withEmployer ? placement.supervisorContactId : null,
      outcome: step.outcome,
      minutes: unreached ? 0 : (step.minutes ?? this.int(2, 4) * 5),
      summary,
      wellbeing: step.wellbeing ?? null,
    });
    if (step.byColleague && p.colleagueIds.length) this.byColleague(p, contact, summary);
    return contact;
  }

  private isCheckable(contact: PlannedContact): boolean {
    return contact.outcome === 'reached' && contact.counterpart === 'participant' && contact.channel !== 'message';
  }

  private nearestReached(contacts: PlannedContact[], daysAgo: number, exclude: Set<PlannedContact> = new Set()) {
    const target = this.daysAgo(daysAgo).set({ hour: 12 }).toMillis();
    let best: PlannedContact | null = null;
    for (const contact of contacts) {
      if (!this.isCheckable(contact) || exclude.has(contact)) continue;
      if (!best || Math.abs(contact.at.toMillis() - target) < Math.abs(best.at.toMillis() - target)) best = contact;
    }
    return best;
  }

  /** The persona's last three checks replace whatever the routine did from the first of them on. */
  private scriptWellbeing(contacts: PlannedContact[], checks: Array<{ daysAgo: number; scores: Wellbeing }>): void {
    const used = new Set<PlannedContact>();
    const chosen = checks.map((check) => {
      const contact = this.nearestReached(contacts, check.daysAgo, used);
      if (contact) used.add(contact);
      return contact;
    });
    const first = chosen[0];
    if (!first) return;
    for (const contact of contacts) if (contact.at >= first.at.minus({ days: 7 })) contact.wellbeing = null;
    chosen.forEach((contact, index) => {
      if (contact) contact.wellbeing = { ...checks[index]!.scores };
    });
  }

  /**
   * Keeps ordinary participants clear of the wellbeing signal: the latest check is at most one
   * point below the best of the last three for social contacts and daily rhythm.
   */
  private smoothLatestWellbeing(contacts: PlannedContact[]): void {
    const checks = contacts.filter((contact) => contact.wellbeing).map((contact) => contact.wellbeing!);
    const latest = checks[checks.length - 1];
    if (!latest) return;
    const lastThree = checks.slice(-3);
    latest.social = Math.max(latest.social, ...lastThree.map((check) => check.social - 1));
    latest.rhythm = Math.max(latest.rhythm, ...lastThree.map((check) => check.rhythm - 1));
  }

  /** Every contact planned the one after it; the latest plans what the persona needs. */
  private planNextContacts(contacts: PlannedContact[], closed: boolean, script: PersonaScript): void {
    contacts.forEach((contact, index) => {
      const following = contacts[index + 1];
      if (following) {
        // A call-back or a retry the same day is planned with its time; others now and then.
        const withTime = following.atAgreedTime || following.at.hasSame(contact.at, 'day') || this.chance(0.25);
        contact.next = { date: isoDate(following.at), time: withTime ? following.at.toFormat('HH:mm') : null };
      }
    });
    const latest = contacts[contacts.length - 1];
    if (!latest || closed) return;
    if (script.next === null) return;
    if (script.next) {
      const { inDays, time } = script.next;
      const raw = this.day0.plus({ days: inDays });
      const date = inDays < 0 ? weekdayOnOrBefore(raw) : inDays > 0 ? weekdayOnOrAfter(raw) : raw;
      latest.next = { date: isoDate(date), time: time ?? null };
      return;
    }
    const date = weekdayOnOrAfter(this.day0.plus({ days: this.int(1, 7) }));
    latest.next = { date: isoDate(date), time: this.chance(0.35) ? this.at(date, 9, 15).toFormat('HH:mm') : null };
  }

  private goalsFor(p: HistoryParticipant, contacts: PlannedContact[], offset: number): void {
    const reached = contacts.map((contact, index) => ({ contact, index })).filter(({ contact }) => this.isCheckable(contact));
    if (reached.length < 4) return;
    const domains: Array<Exclude<LifeDomain, 'other'>> = [
      'daily_structure',
      'social',
      'health',
      'finances',
      'language',
      'housing',
    ];
    const chosen: Array<Exclude<LifeDomain, 'other'>> = ['work'];
    const count = this.int(1, 3);
    while (chosen.length <= count) {
      const domain = this.pick(domains);
      if (!chosen.includes(domain)) chosen.push(domain);
    }
    for (const domain of chosen) {
      const template = this.pick(GOALS[domain][p.region]);
      const createdIndex = this.int(0, Math.min(reached.length - 3, Math.floor(reached.length / 2)));
      const created = reached[createdIndex]!;
      const later = reached.slice(createdIndex + 1);
      const roll = this.random();
      let status: GoalStatus = roll < 0.25 ? 'achieved' : roll < 0.65 ? 'in_progress' : roll < 0.9 ? 'open' : 'dropped';
      if (status === 'achieved' && later.length < 3) status = 'in_progress';
      const progress: PlannedGoal['progress'] = [];
      const links = [offset + created.index];
      const update = (entry: (typeof reached)[number], newStatus: GoalStatus) => {
        progress.push({
          at: entry.contact.at.plus({ minutes: entry.contact.minutes + 5 }),
          status: newStatus,
          note: this.text(PROGRESS_NOTES[newStatus as 'in_progress' | 'achieved' | 'dropped'], p),
        });
        if (!links.includes(offset + entry.index)) links.push(offset + entry.index);
      };
      let achievedOn: string | null = null;
      if (status !== 'open' && later.length) {
        const first = later[this.int(0, Math.min(2, later.length - 1))]!;
        update(first, 'in_progress');
        const rest = later.filter((entry) => entry.index > first.index);
        if (status === 'achieved' || status === 'dropped') {
          const final = rest.length ? rest[this.int(0, rest.length - 1)]! : first;
          if (final !== first) update(final, status);
          else status = 'in_progress';
          if (status === 'achieved') achievedOn = isoDate(final.contact.at);
        } else if (rest.length > 2 && this.chance(0.5)) {
          update(rest[this.int(0, rest.length - 1)]!, 'in_progress');
        }
      }
      const target = created.contact.at.plus({ weeks: this.int(8, 20) });
      this.goals.push({
        participantId: p.participantId,
        createdBy: p.coachId,
        domain,
        title: template.title,
        description: template.description ?? null,
        agreed: this.chance(0.85),
        createdAt: created.contact.at.plus({ minutes: created.contact.minutes + 2 }),
        targetDate: this.chance(0.9) ? isoDate(target) : null,
        status,
        achievedOn,
        progress,
        contactIndexes: links,
      });
    }
  }

  private scriptGoals(p: HistoryParticipant, contacts: PlannedContact[], offset: number, goals: PersonaGoal[]): void {
    for (const goal of goals) {
      const linked = goal.linkedDaysAgo
        .map((days) => this.nearestReachedAnyone(contacts, days))
        .filter((index): index is number => index !== null);
      const achieved = goal.progress.find((entry) => entry.status === 'achieved');
      this.goals.push({
        participantId: p.participantId,
        createdBy: p.coachId,
        domain: goal.domain,
        title: goal.title,
        description: goal.description ?? null,
        agreed: true,
        createdAt: this.daysAgo(goal.createdDaysAgo).set({ hour: 16 }),
        targetDate: isoDate(this.day0.plus({ days: goal.targetInDays })),
        status: goal.status,
        achievedOn: achieved ? isoDate(this.daysAgo(achieved.daysAgo)) : null,
        progress: goal.progress.map((entry) => ({
          at: this.daysAgo(entry.daysAgo).set({ hour: 16, minute: 30 }),
          status: entry.status,
          note: entry.note,
        })),
        contactIndexes: [...new Set(linked.map((index) => offset + index))],
      });
    }
  }

  /** The reached contact (with anyone) nearest a day: an employer talk can serve a goal too. */
  private nearestReachedAnyone(contacts: PlannedContact[], daysAgo: number): number | null {
    const target = this.daysAgo(daysAgo).set({ hour: 12 }).toMillis();
    let best: number | null = null;
    contacts.forEach((contact, index) => {
      if (contact.outcome !== 'reached') return;
      const distance = Math.abs(contact.at.toMillis() - target);
      if (best === null || distance < Math.abs(contacts[best]!.at.toMillis() - target)) best = index;
    });
    return best;
  }

  private scriptReferrals(p: HistoryParticipant, referrals: NonNullable<PersonaScript['referrals']>): void {
    for (const referral of referrals) {
      const referredOn = this.daysAgo(referral.referredDaysAgo);
      this.referrals.push({
        participant_id: p.participantId,
        service_kind: referral.kind,
        organisation: referral.organisation,
        reason: referral.reason,
        status: referral.status,
        referred_on: isoDate(referredOn),
        closed_on: null,
        created_by: p.coachId,
        created_at: referredOn.set({ hour: 11 }).toJSDate(),
        updated_at: referredOn.set({ hour: 11 }).toJSDate(),
      });
    }
  }

  private referralsFor(p: HistoryParticipant, contacts: PlannedContact[]): void {
    if (!this.chance(0.4) || contacts.length < 4) return;
    // Debts, social work, housing and language come up far more often than the rest.
    const kinds: Array<keyof typeof REFERRALS> = [
      'debt_counselling',
      'debt_counselling',
      'social_work',
      'social_work',
      'housing',
      'housing',
      'language_coaching',
      'language_coaching',
      'health_care',
      'legal_aid',
      'addiction_care',
    ];
    const count = this.chance(0.25) ? 2 : 1;
    const used = new Set<string>();
    const lastContact = contacts[contacts.length - 1]!.at.startOf('day');
    for (let n = 0; n < count; n += 1) {
      const kind = this.pick(kinds);
      if (used.has(kind)) continue;
      used.add(kind);
      const from = contacts[this.int(0, contacts.length - 3)]!.at.startOf('day');
      const referredOn = weekdayOnOrAfter(from.plus({ days: this.int(0, 10) }));
      if (referredOn > lastContact) continue;
      const closedParticipant = p.status === 'closed';
      const statuses: ReferralStatus[] = closedParticipant
        ? ['completed', 'completed', 'declined', 'cancelled']
        : [
            'proposed',
            'sent',
            'sent',
            'accepted',
            'in_progress',
            'in_progress',
            'completed',
            'completed',
            'declined',
            'cancelled',
          ];
      let status = this.pick(statuses);
      // A referral does not stay proposed or unanswered for months.
      if ((status === 'proposed' || status === 'sent') && referredOn < this.daysAgo(42)) {
        status = this.chance(0.5) ? 'accepted' : 'in_progress';
      }
      let closedOn: string | null = null;
      if (status === 'completed' || status === 'declined' || status === 'cancelled') {
        const closed = weekdayOnOrAfter(referredOn.plus({ days: this.int(7, 60) }));
        if (closed <= lastContact) closedOn = isoDate(closed);
        else if (closedParticipant) closedOn = isoDate(lastContact);
        else status = 'in_progress';
      }
      const template = REFERRALS[kind];
      const createdAt = referredOn.set({ hour: 11 }).toJSDate();
      this.referrals.push({
        participant_id: p.participantId,
        service_kind: kind,
        organisation: template.organisation[p.region],
        reason: fillTemplate(template.reason[p.region], { name: p.firstName }),
        status,
        referred_on: isoDate(referredOn),
        closed_on: closedOn,
        created_by: p.coachId,
        created_at: createdAt,
        updated_at: closedOn ? this.fromIso(closedOn).set({ hour: 15 }).toJSDate() : createdAt,
      });
    }
  }
}

/**
 * Plans and inserts the history of the demo caseload just seeded (in the same transaction).
 * Does nothing when there are contact moments already.
 */
export async function seedDemoHistory(trx: Transaction<Database>, today: DateTime, input: HistoryInput): Promise<void> {
  if ((await countContactMoments(trx)) > 0) return;
  const planner = new HistoryPlanner(today, input.random, input.coachFirstNames);
  for (const participant of input.participants) planner.plan(participant);

  const contactIds = await insertContactMoments(
    trx,
    planner.contacts.map((contact): Insertable<ContactMomentsTable> => {
      const recorded = contact.at.plus({ minutes: contact.minutes + 3 }).toJSDate();
      return {
        participant_id: contact.participantId,
        author_id: contact.authorId,
        occurred_at: contact.at.toJSDate(),
        channel: contact.channel,
        counterpart: contact.counterpart,
        employer_id: contact.employerId,
        employer_contact_id: contact.employerContactId,
        outcome: contact.outcome,
        duration_minutes: contact.minutes,
        summary: contact.summary,
        wellbeing_mood: contact.wellbeing?.mood ?? null,
        wellbeing_rhythm: contact.wellbeing?.rhythm ?? null,
        wellbeing_social: contact.wellbeing?.social ?? null,
        wellbeing_activity: contact.wellbeing?.activity ?? null,
        next_contact_date: contact.next?.date ?? null,
        next_contact_time: contact.next?.time ?? null,
        created_at: recorded,
        updated_at: recorded,
      };
    }),
  );

  const goalIds = await insertGoals(
    trx,
    planner.goals.map((goal): Insertable<GoalsTable> => {
      const lastChange = goal.progress[goal.progress.length - 1]?.at ?? goal.createdAt;
      return {
        participant_id: goal.participantId,
        title: goal.title,
        description: goal.description,
        life_domain: goal.domain,
        target_date: goal.targetDate,
        agreed_with_participant: goal.agreed,
        status: goal.status,
        achieved_on: goal.achievedOn,
        created_by: goal.createdBy,
        version: 1 + goal.progress.length,
        created_at: goal.createdAt.toJSDate(),
        updated_at: lastChange.toJSDate(),
      };
    }),
  );
  const progressRows: Insertable<GoalProgressTable>[] = [];
  const links: Array<{ goal_id: number; contact_moment_id: number }> = [];
  planner.goals.forEach((goal, index) => {
    const goalId = goalIds[index]!;
    for (const entry of goal.progress) {
      progressRows.push({
        goal_id: goalId,
        author_id: goal.createdBy,
        status: entry.status,
        note: entry.note,
        created_at: entry.at.toJSDate(),
      });
    }
    for (const contactIndex of goal.contactIndexes) links.push({ goal_id: goalId, contact_moment_id: contactIds[contactIndex]! });
  });
  await insertGoalProgress(trx, progressRows);
  await insertGoalContactLinks(trx, links);
  const referrals = withFollowUps(planner.referrals, isoDate(today), (days) => isoDate(today.plus({ days })));
  await insertReferrals(trx, await seedDemoDirectory(trx, referrals));
}
