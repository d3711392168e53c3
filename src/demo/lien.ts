import type { Insertable, Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { ContactAttendeesTable, ContactMomentsTable, Database } from '../db/schema';
import {
  insertConsents,
  insertContactMoments,
  insertDemoAttendees,
  insertDemoHandoverRow,
  insertDemoTrajectoriesReturningIds,
  insertGoalProgress,
  insertGoals,
  insertNetworkPersons,
  insertParticipants,
  insertPlacementHours,
  insertPlacements,
  insertReferrals,
  lienStoryLookups,
} from './queries';

// Lien's story (issue 17, item 10): a Flemish participant of Lotte Maes (coach4, Team Gent) whose
// one-year OCMW werkervaringstraject ended a few weeks ago with a handover to VDAB Gent, and who
// goes on in a VDAB jobcoaching trajectory that started that same day. Her placement at
// Kringwinkel Gent runs on; her OCMW social worker stays her fixed contact person; CAW,
// schuldbemiddeling and the Huurdersbond help with what is not work. On the handover day one
// 60-minute conversation took place: by the app's rule (the first-started trajectory on a tie) it
// counts in the OCMW trajectory only. Scripted apart from the random caseload, so adding her
// reshuffles nobody else; every date follows from `today`, so the same day gives the same story.

export const LIEN = { firstName: 'Lien', lastName: 'Van Acker', coachEmail: 'coach4@example.org' } as const;

const EMPLOYER = 'Kringwinkel Gent';
const CAW = 'CAW Oost-Vlaanderen';
const DEBT = 'CAW Oost-Vlaanderen – schuldbemiddeling';
const TENANTS = 'Huurdersbond Oost-Vlaanderen';
const VDAB_GENT = 'VDAB Gent';

const CALLS = [
  'Gebabbeld over de week in de Kringwinkel; ze is fier op hoe ze de kassa nu alleen doet.',
  'Week overlopen: op tijd gestart, één dag moe thuisgebleven en netjes verwittigd.',
  'Planning van de volgende weken overlopen; afspraak bij het CAW staat in haar gsm.',
  'Ze heeft goesting in meer uren; samen overlopen wat dat thuis vraagt.',
  'Kort gebeld: brief van de schuldbemiddeling samen overlopen, ze begrijpt de volgende stap.',
  'Goede week; vraag van de huisbaas over de herstellingen doorgegeven aan de Huurdersbond.',
];
const VISITS = [
  'Driegesprek met Sofie De Wilde in de winkel: sorteren en prijzen gaat vlot, klantencontact mag meer.',
  'Evaluatie op de werkvloer met Sofie: ze neemt zelf initiatief, collega’s zijn tevreden.',
  'Driegesprek over de overstap naar VDAB: de plek in de Kringwinkel blijft, de doelen lopen door.',
];

function weekdayOnOrBefore(date: DateTime): DateTime {
  let day = date;
  while (day.weekday > 5) day = day.minus({ days: 1 });
  return day;
}

/** Seeds Lien's story after the caseload; nothing when a piece it links to is missing. */
export async function seedDemoLien(db: Kysely<Database>, today: DateTime): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const zone = today.zone;
    const iso = (date: DateTime) => date.toISODate()!;
    const at = (date: DateTime, time: string) => DateTime.fromISO(`${iso(date)}T${time}`, { zone }).toJSDate();
    const found = await lienStoryLookups(trx, {
      coachEmail: LIEN.coachEmail,
      employer: EMPLOYER,
      commissioners: ['OCMW Gent', 'VDAB'],
      organisations: [CAW, DEBT, TENANTS, VDAB_GENT],
    });
    const ocmw = found.commissionerIds.get('OCMW Gent');
    const vdab = found.commissionerIds.get('VDAB');
    const vdabGent = found.organisationIds.get(VDAB_GENT);
    const coachId = found.coachId;
    const employer = found.employer;
    if (!coachId || !employer || !ocmw || !vdab || !vdabGent) return false;

    // The handover day: a weekday about three weeks ago; the OCMW year ran up to it.
    const handoverDay = weekdayOnOrBefore(today.startOf('day').minus({ days: 18 }));
    const ocmwStart = handoverDay.minus({ years: 1 });
    const placementStart = ocmwStart.plus({ weeks: 2 });

    const [participantId] = await insertParticipants(trx, [
      {
        first_name: LIEN.firstName,
        last_name: LIEN.lastName,
        date_of_birth: iso(today.minus({ years: 31, days: 143 })),
        phone: '0486 21 47 93',
        email: 'lien.vanacker@example.net',
        address_line: 'Dendermondsesteenweg 212',
        postal_code: '9040',
        city: 'Gent',
        preferred_channel: 'phone',
        language_support: null,
        external_reference: 'OCMW-G-5120',
        coach_id: coachId,
        status: 'active',
        closed_on: null,
      },
    ]);
    const participant = participantId!;

    const [ocmwTrajectory] = await insertDemoTrajectoriesReturningIds(trx, [
      {
        participant_id: participant,
        commissioner_id: ocmw,
        kind: 'work_experience',
        reference: `OCMW-WE-${ocmwStart.toFormat('yyyy')}-0417`,
        start_date: iso(ocmwStart),
        planned_end_date: iso(handoverDay),
        actual_end_date: iso(handoverDay),
        outcome: 'handover',
        granted_hours: 60,
      },
      {
        participant_id: participant,
        commissioner_id: vdab,
        kind: 'jobcoaching',
        reference: `VDAB-JC-${handoverDay.toFormat('yyyyMMdd')}-88`,
        start_date: iso(handoverDay),
        planned_end_date: iso(handoverDay.plus({ months: 6 })),
        actual_end_date: null,
        outcome: null,
        granted_hours: 8,
      },
    ]);

    await insertDemoHandoverRow(trx, {
      trajectory_id: ocmwTrajectory!,
      participant_id: participant,
      organisation_id: vdabGent,
      receiver_name: 'An De Coninck',
      receiver_phone: '09 265 48 10',
      receiver_email: 'an.deconinck@vdab.example',
      handover_date: iso(handoverDay),
      note:
        'Wat werkt: vaste werkdagen in de Kringwinkel, korte duidelijke afspraken, een telefoontje per week.\n' +
        'Afspraken: de werkervaringsplek loopt door tijdens het VDAB-traject; Hilde Verhaeghe (OCMW) blijft aanspreekpunt voor leefloon en budget.\n' +
        'Open doelen: meer klantencontact, richting een betaalde job in de kringloop of de retail.',
      created_by: coachId,
      created_at: at(handoverDay, '16:00'),
    });

    // The werkervaring place runs on in the VDAB trajectory, up to a planned end a few months out.
    const [placementId] = await insertPlacements(trx, [
      {
        participant_id: participant,
        employer_id: employer.id,
        supervisor_contact_id: employer.supervisorId,
        kind: 'work_experience',
        job_title: 'Medewerker winkel',
        start_date: iso(placementStart),
        planned_end_date: iso(today.plus({ months: 4 }).startOf('month')),
        status: 'active',
      },
    ]);
    await insertPlacementHours(trx, [
      { placement_id: placementId!, effective_from: iso(placementStart), hours_per_week: 19, note: 'Start werkervaring' },
      {
        placement_id: placementId!,
        effective_from: iso(placementStart.plus({ months: 3 })),
        hours_per_week: 26,
        note: 'Uitbreiding na evaluatie',
      },
    ]);

    // Six months of contacts: a call a week, a three-way visit at the workplace every four weeks,
    // and on the handover day the one 60-minute conversation, nothing else.
    const firstDay = weekdayOnOrBefore(today.startOf('day').minus({ weeks: 25 }));
    const contacts: Insertable<ContactMomentsTable>[] = [];
    const visitIndexes: number[] = [];
    for (let week = 0; ; week += 1) {
      const call = firstDay.plus({ weeks: week });
      if (call >= today.startOf('day')) break;
      if (+call !== +handoverDay)
        contacts.push({
          participant_id: participant,
          author_id: coachId,
          occurred_at: at(call, '10:00'),
          channel: 'phone',
          counterpart: 'participant',
          outcome: 'reached',
          duration_minutes: 15,
          summary: CALLS[week % CALLS.length]!,
          next_contact_date: iso(call.plus({ weeks: 1 })),
        });
      const visit = weekdayOnOrBefore(call.plus({ days: 2 }));
      if (week % 4 === 1 && visit < today.startOf('day') && +visit !== +handoverDay) {
        visitIndexes.push(contacts.length);
        contacts.push({
          participant_id: participant,
          author_id: coachId,
          occurred_at: at(visit, '14:00'),
          channel: 'workplace_visit',
          counterpart: 'employer',
          employer_id: employer.id,
          employer_contact_id: employer.supervisorId,
          outcome: 'reached',
          duration_minutes: 50,
          summary: VISITS[visitIndexes.length % VISITS.length]!,
          next_contact_date: iso(call.plus({ weeks: 1 })),
        });
      }
    }
    contacts.push({
      participant_id: participant,
      author_id: coachId,
      occurred_at: at(handoverDay, '13:30'),
      channel: 'office',
      counterpart: 'participant',
      outcome: 'reached',
      duration_minutes: 60,
      summary:
        'Afsluitend gesprek werkervaringstraject en overdracht aan VDAB Gent: doelen, afspraken en wat werkt samen overlopen.',
      next_contact_date: iso(handoverDay.plus({ weeks: 1 })),
    });
    contacts.sort((a, b) => +(a.occurred_at as Date) - +(b.occurred_at as Date));
    const ids = await insertContactMoments(trx, contacts);
    const attendees: Insertable<ContactAttendeesTable>[] = [];
    contacts.forEach((contact, index) => {
      if (contact.channel !== 'workplace_visit') return;
      attendees.push({ contact_moment_id: ids[index]!, kind: 'participant' });
      attendees.push({ contact_moment_id: ids[index]!, kind: 'supervisor', employer_contact_id: employer.supervisorId });
    });
    await insertDemoAttendees(trx, attendees);

    // Her goals: one reached in the OCMW year, two open ones the handover passes on to VDAB.
    const goal = (title: string, domain: 'work' | 'daily_structure' | 'finances', target: DateTime, agreedOn: DateTime) => ({
      participant_id: participant,
      title,
      life_domain: domain,
      target_date: iso(target),
      agreed_with_participant: true,
      created_by: coachId,
      created_at: at(agreedOn, '11:00'),
    });
    const achievedOn = iso(weekdayOnOrBefore(ocmwStart.plus({ months: 4 })));
    const [rhythm, customers, budget] = await insertGoals(trx, [
      {
        ...goal(
          'Elke werkdag op tijd in de winkel',
          'daily_structure',
          ocmwStart.plus({ months: 4 }),
          ocmwStart.plus({ days: 3 }),
        ),
        status: 'achieved',
        achieved_on: achievedOn,
      },
      {
        ...goal(
          'Zelfstandig klanten helpen aan de kassa en in de winkel',
          'work',
          today.plus({ months: 3 }),
          ocmwStart.plus({ months: 4 }),
        ),
        status: 'in_progress',
      },
      {
        ...goal('Afbetalingsplan energiefacturen rond', 'finances', today.plus({ months: 2 }), today.minus({ months: 3 })),
        status: 'open',
      },
    ]);
    await insertGoalProgress(trx, [
      {
        goal_id: rhythm!,
        author_id: coachId,
        status: 'in_progress',
        note: 'Eerste maand: twee keer te laat, daarna niet meer.',
        created_at: at(ocmwStart.plus({ months: 1 }), '11:00'),
      },
      {
        goal_id: rhythm!,
        author_id: coachId,
        status: 'achieved',
        note: 'Drie maanden elke dag op tijd; Sofie bevestigt.',
        created_at: at(DateTime.fromISO(achievedOn, { zone }), '11:00'),
      },
      {
        goal_id: customers!,
        author_id: coachId,
        status: 'in_progress',
        note: 'Doet de kassa alleen; klanten aanspreken in de winkel nog samen met een collega.',
        created_at: at(handoverDay, '15:00'),
      },
      {
        goal_id: budget!,
        author_id: coachId,
        status: 'open',
        note: 'Aangemeld bij de schuldbemiddeling van het CAW.',
        created_at: at(today.minus({ months: 3 }), '11:00'),
      },
    ]);

    await insertNetworkPersons(trx, [
      {
        participant_id: participant,
        role: 'fixed_contact',
        name: 'Hilde Verhaeghe',
        organisation: 'OCMW Gent',
        phone: '09 266 31 58',
        email: 'hilde.verhaeghe@ocmw-gent.example',
        note: 'Maatschappelijk werker; volgt leefloon en budgetbegeleiding op, ook na de overdracht aan VDAB.',
        created_by: coachId,
      },
      {
        participant_id: participant,
        role: 'family',
        name: 'Marc (vader)',
        phone: '0472 18 60 34',
        note: 'Brengt haar bij slecht weer naar de winkel.',
        created_by: coachId,
      },
    ]);
    await insertConsents(
      trx,
      (['quality_review', 'report_sharing', 'employer_contact'] as const).map((purpose) => ({
        participant_id: participant,
        purpose,
        given_on: iso(ocmwStart),
        recorded_by: coachId,
        note: purpose === 'report_sharing' ? 'Akkoord dat het eindverslag naar VDAB Gent gaat.' : null,
      })),
    );
    const referral = (organisation: string, kind: 'social_work' | 'debt_counselling' | 'housing') => ({
      participant_id: participant,
      organisation_id: found.organisationIds.get(organisation)!,
      service_kind: kind,
      created_by: coachId,
    });
    await insertReferrals(trx, [
      {
        ...referral(CAW, 'social_work'),
        reason: 'Ondersteuning bij administratie en de aanvraag van een sociaal tarief.',
        status: 'in_progress',
        referred_on: iso(today.minus({ months: 5 })),
        follow_up_on: iso(today.plus({ days: 3 })),
      },
      {
        ...referral(DEBT, 'debt_counselling'),
        reason: 'Achterstallige energiefacturen; afbetalingsplan nodig.',
        status: 'accepted',
        referred_on: iso(today.minus({ months: 3 })),
        follow_up_on: iso(today.plus({ days: 10 })),
      },
      {
        ...referral(TENANTS, 'housing'),
        reason: 'Vochtprobleem in de huurwoning; huisbaas reageert niet op herstelvragen.',
        status: 'sent',
        referred_on: iso(today.minus({ weeks: 4 })),
        follow_up_on: iso(today.plus({ weeks: 5 })),
      },
    ]);
    return true;
  });
}
