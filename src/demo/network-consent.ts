import type { Insertable, Transaction } from 'kysely';
import type { DateTime } from 'luxon';
import type { Database, NetworkPersonsTable, ParticipantConsentsTable } from '../db/schema';
import {
  insertConsents,
  insertNetworkPersons,
  listConsentSubjects,
  recordWorkplaceVisitAttendees,
  type DemoConsentSubject,
} from './queries';

// Consent records and the people around the demo participants. Most consented to quality review
// (so the review page has conversations to draw) and a few did not or withdrew, so the page can
// say how many it left out; some have not consented to sharing reports, so a trajectory report
// shows its warning. Every participant in Gent has the OCMW social worker as fixed contact person.

const OCMW_WORKERS = ['Els Van Damme', 'Koen Martens', 'Sarah De Smet', 'Pieter Claeys'];
const FAMILY = [
  { name: 'Fatima (moeder)', note: 'Helpt met de post en afspraken.' },
  { name: 'Jeroen (broer)', note: null },
  { name: 'Anouk (partner)', note: 'Graag bellen na 17 uur.' },
];
const MENTORS = ['Wim Hendriks', 'Greet Peeters'];

function consentsOf(subject: DemoConsentSubject, index: number, today: DateTime): Insertable<ParticipantConsentsTable>[] {
  const fallback = today.minus({ months: 2 }).toISODate()!;
  const givenOn = subject.firstStart !== null && subject.firstStart <= today.toISODate()! ? subject.firstStart : fallback;
  const record = (purpose: ParticipantConsentsTable['purpose']): Insertable<ParticipantConsentsTable> => ({
    participant_id: subject.id,
    purpose,
    given_on: givenOn,
    recorded_by: subject.coachId,
    note: purpose === 'quality_review' && index % 4 === 0 ? 'Getekend toestemmingsformulier in het dossier.' : null,
  });
  const rows: Insertable<ParticipantConsentsTable>[] = [];
  // One in six never consented to quality review; of those, every other one gave it and withdrew it.
  if (index % 6 !== 5) rows.push(record('quality_review'));
  else if (index % 12 === 11) {
    const withdrawnOn = today.minus({ weeks: 2 }).toISODate()!;
    rows.push({
      ...record('quality_review'),
      withdrawn_on: withdrawnOn < givenOn ? givenOn : withdrawnOn,
      withdrawn_by: subject.coachId,
    });
  }
  if (index % 5 !== 4) rows.push(record('report_sharing'));
  if (index % 4 !== 3) rows.push(record('employer_contact'));
  return rows;
}

function networkOf(subject: DemoConsentSubject, index: number, today: DateTime): Insertable<NetworkPersonsTable>[] {
  const base = {
    participant_id: subject.id,
    created_by: subject.coachId,
    organisation: null,
    phone: null,
    email: null,
    note: null,
  };
  const rows: Insertable<NetworkPersonsTable>[] = [];
  if (subject.city === 'Gent') {
    const name = OCMW_WORKERS[index % OCMW_WORKERS.length]!;
    rows.push({
      ...base,
      role: 'fixed_contact',
      name,
      organisation: 'OCMW Gent, sociale dienst',
      phone: `09 266 ${String(10 + (index % 80)).padStart(2, '0')} ${String(20 + (index % 70)).padStart(2, '0')}`,
      email: `${name.toLowerCase().replace(/ /g, '.')}@ocmw-gent.example`,
      note: 'Vaste contactpersoon; volgt leefloon en budgetbegeleiding op.',
    });
  }
  if (index % 3 === 0) {
    const family = FAMILY[index % FAMILY.length]!;
    rows.push({ ...base, role: 'family', name: family.name, note: family.note, phone: `06 ${String(12345678 + index)}` });
  }
  if (index % 5 === 2) {
    rows.push({ ...base, role: 'mentor', name: MENTORS[index % MENTORS.length]!, organisation: 'Humanitas Maatjesproject' });
  }
  // An earlier professional, no longer involved: history that stays on the profile.
  if (index % 7 === 1) {
    rows.push({
      ...base,
      role: 'other_professional',
      name: 'Ilse Bakker',
      organisation: 'Wijkteam',
      ended_on: today.minus({ months: 1 }).toISODate()!,
    });
  }
  return rows;
}

/** Adds consent, network and three-way visit records to the freshly seeded demo caseload. */
export async function seedDemoNetworkAndConsent(trx: Transaction<Database>, today: DateTime): Promise<void> {
  const subjects = await listConsentSubjects(trx);
  await insertConsents(
    trx,
    subjects.flatMap((subject, index) => consentsOf(subject, index, today)),
  );
  await insertNetworkPersons(
    trx,
    subjects.flatMap((subject, index) => networkOf(subject, index, today)),
  );
  await recordWorkplaceVisitAttendees(trx);
}
