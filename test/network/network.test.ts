import { FixedClock } from '../../src/lib/clock';
import { createFormatters } from '../../src/lib/format';
import { translatorFor } from '../../src/messages';
import { DateTime } from 'luxon';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import {
  auditEventsOf,
  formTokensFrom,
  insertContact,
  insertContactMoment,
  insertEmployer,
  insertNetworkPerson,
  insertParticipant,
  insertPlacement,
  versionFrom,
} from '../helpers/fixtures';

// The clock stands on Monday 23-11-2026, 09:00 in Europe/Amsterdam.
const clock = new FixedClock('2026-11-23T09:00:00+01:00');

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let manager: UserFixture;
let admin: UserFixture;

type Agent = Awaited<ReturnType<typeof signedInAgent>>;

const TRICKY = `<b>Els</b> "De Wilde" & co`;
const TRICKY_ESCAPED = '&lt;b&gt;Els&lt;/b&gt; &#34;De Wilde&#34; &amp; co';

function addParticipant(lastName: string, coachId = coach.id) {
  return insertParticipant(t.database.db, { first_name: 'Lien', last_name: lastName, coach_id: coachId, status: 'active' });
}

const networkPath = (participantId: number) => `/participants/${participantId}/network`;

function personRows(participantId: number) {
  return t.database.db
    .selectFrom('network_persons')
    .selectAll()
    .where('participant_id', '=', participantId)
    .orderBy('id')
    .execute();
}

async function createPerson(agent: Agent, participantId: number, fields: Record<string, string>) {
  const form = await agent.get(`${networkPath(participantId)}/new`);
  expect(form.status).toBe(200);
  return agent
    .post(`${networkPath(participantId)}/new`)
    .type('form')
    .send({ ...formTokensFrom(form.text), ...fields });
}

const SOCIAL_WORKER = {
  role: 'fixed_contact',
  name: 'Els Van Damme',
  organisation: 'OCMW Gent',
  phone: '09 266 12 34',
  email: 'els.vandamme@ocmw-gent.example',
  note: 'Volgt het leefloon op.',
};

beforeAll(async () => {
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent', displayName: 'Bart Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Gent' });
  admin = await createTestUser(t.database, { role: 'admin' });
});
afterAll(() => t.close());

describe('the network on the profile', () => {
  test('adding the OCMW social worker stores them, audits ids and codes only, and shows them on the profile', async () => {
    const participantId = await addParticipant('Nieuw');
    const agent = await signedInAgent(t.app, coach);
    const response = await createPerson(agent, participantId, { ...SOCIAL_WORKER, name: TRICKY });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/participants/${participantId}?done=networkCreated#network`);
    const [stored, ...others] = await personRows(participantId);
    expect(others).toEqual([]);
    expect(stored).toMatchObject({
      role: 'fixed_contact',
      name: TRICKY,
      organisation: 'OCMW Gent',
      phone: '09 266 12 34',
      email: 'els.vandamme@ocmw-gent.example',
      note: 'Volgt het leefloon op.',
      ended_on: null,
      created_by: coach.id,
    });
    expect(await auditEventsOf(t.database.db, 'network_person', stored!.id)).toEqual([
      {
        action: 'create',
        actor_user_id: coach.id,
        participant_id: participantId,
        details: { role: 'fixed_contact', filledFields: ['organisation', 'phone', 'email', 'note'] },
      },
    ]);
    const profile = await agent.get(response.headers.location!);
    expect(profile.text).toContain('De persoon is toegevoegd aan het netwerk.');
    expect(profile.text).toContain(TRICKY_ESCAPED);
    expect(profile.text).not.toContain(TRICKY);
    expect(profile.text).toContain('Vaste contactpersoon (bv. maatschappelijk werker OCMW)');
    expect(profile.text).toContain('href="tel:092661234"');
  });

  test('bad input gets clear messages with what was typed kept, and nothing is stored', async () => {
    const participantId = await addParticipant('Fout');
    const agent = await signedInAgent(t.app, coach);
    const response = await createPerson(agent, participantId, {
      role: 'mentor',
      name: '',
      phone: 'bel maar',
      email: 'geen-adres',
      note: 'x'.repeat(2001),
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Er zijn 4 fouten in het formulier');
    expect(response.text).toContain('value="bel maar"');
    expect(response.text).toContain('value="geen-adres"');

    const noOrganisation = await createPerson(agent, participantId, { ...SOCIAL_WORKER, organisation: '' });
    expect(noOrganisation.status).toBe(422);
    expect(noOrganisation.text).toContain('Vul de organisatie in: bij een vaste contactpersoon of hulpverlener is die nodig.');
    expect(noOrganisation.text).toContain('value="Els Van Damme"');
    // A family member needs no organisation.
    expect((await createPerson(agent, participantId, { role: 'family', name: 'Moeder' })).status).toBe(303);
    expect((await personRows(participantId)).map((row) => row.role)).toEqual(['family']);
  });

  test('one fixed contact person at a time: a second is refused until the first is ended', async () => {
    const participantId = await addParticipant('Vast');
    const agent = await signedInAgent(t.app, coach);
    expect((await createPerson(agent, participantId, SOCIAL_WORKER)).status).toBe(303);
    const second = await createPerson(agent, participantId, { ...SOCIAL_WORKER, name: 'Koen Martens' });
    expect(second.status).toBe(422);
    expect(second.text).toContain('Deze deelnemer heeft al een vaste contactpersoon.');
    const [first] = await personRows(participantId);

    const endForm = await agent.get(`${networkPath(participantId)}/${first!.id}/end`);
    expect(endForm.status).toBe(200);
    expect(endForm.text).toContain('name="endedOn" value="2026-11-23"');
    const ended = await agent
      .post(`${networkPath(participantId)}/${first!.id}/end`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(endForm.text), version: versionFrom(endForm.text), endedOn: '20-11-2026' });
    expect(ended.status).toBe(303);
    expect(ended.headers.location).toBe(`/participants/${participantId}?done=networkEnded#network`);
    expect((await createPerson(agent, participantId, { ...SOCIAL_WORKER, name: 'Koen Martens' })).status).toBe(303);
    const rows = await personRows(participantId);
    expect(rows.map((row) => [row.name, row.ended_on])).toEqual([
      ['Els Van Damme', '2026-11-20'],
      ['Koen Martens', null],
    ]);
  });

  test('editing saves and audits which fields changed; a stale form gets the conflict page', async () => {
    const participantId = await addParticipant('Wijzig');
    const personId = await insertNetworkPerson(t.database.db, {
      participant_id: participantId,
      role: 'mentor',
      name: 'Wim Hendriks',
      created_by: coach.id,
    });
    const agent = await signedInAgent(t.app, manager);
    const form = await agent.get(`${networkPath(participantId)}/${personId}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Wim Hendriks"');
    const fields = { _csrf: csrfTokenFrom(form.text), version: versionFrom(form.text), role: 'mentor', name: 'Wim Hendriks' };
    const saved = await agent
      .post(`${networkPath(participantId)}/${personId}/edit`)
      .type('form')
      .send({ ...fields, organisation: 'Humanitas', phone: '06 12345678' });
    expect(saved.status).toBe(303);
    expect((await personRows(participantId))[0]).toMatchObject({ organisation: 'Humanitas', phone: '06 12345678', version: 2 });
    const update = (await auditEventsOf(t.database.db, 'network_person', personId)).at(-1);
    expect(update).toEqual({
      action: 'update',
      actor_user_id: manager.id,
      participant_id: participantId,
      details: { changedFields: ['organisation', 'phone'] },
    });
    const stale = await agent
      .post(`${networkPath(participantId)}/${personId}/edit`)
      .type('form')
      .send({ ...fields, name: 'W. Hendriks' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('W. Hendriks');
    expect((await personRows(participantId))[0]!.name).toBe('Wim Hendriks');
  });

  test('ending asks for a day not in the future, keeps the row, moves it to the history; it can no longer be changed', async () => {
    const participantId = await addParticipant('Einde');
    const personId = await insertNetworkPerson(t.database.db, {
      participant_id: participantId,
      role: 'other_professional',
      name: 'Ilse Bakker',
      organisation: 'Wijkteam',
      created_by: coach.id,
    });
    const agent = await signedInAgent(t.app, coach);
    const endPath = `${networkPath(participantId)}/${personId}/end`;
    const form = await agent.get(endPath);
    expect(form.text).toContain('Betrokkenheid van Ilse Bakker beëindigen');
    const future = await agent
      .post(endPath)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), version: versionFrom(form.text), endedOn: '24-11-2026' });
    expect(future.status).toBe(422);
    expect(future.text).toContain('De einddatum mag niet in de toekomst liggen.');
    expect(future.text).toContain('value="2026-11-24"');
    const done = await agent
      .post(endPath)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), version: versionFrom(form.text), endedOn: '23-11-2026' });
    expect(done.status).toBe(303);
    expect((await personRows(participantId))[0]).toMatchObject({ ended_on: '2026-11-23', name: 'Ilse Bakker' });
    expect((await auditEventsOf(t.database.db, 'network_person', personId)).at(-1)).toMatchObject({
      action: 'end',
      details: { role: 'other_professional', endedOn: '2026-11-23' },
    });
    const profile = await agent.get(`/participants/${participantId}`);
    expect(profile.text).toContain('Niet meer betrokken (1)');
    expect(profile.text).not.toContain(`${networkPath(participantId)}/${personId}/edit`);
    expect((await agent.get(`${networkPath(participantId)}/${personId}/edit`)).status).toBe(404);
    expect((await agent.get(endPath)).status).toBe(404);
  });

  test("another participant's person, or one under the wrong participant, is not found; so is another caseload", async () => {
    const mine = await addParticipant('Mijn');
    const theirs = await addParticipant('Ander', otherCoach.id);
    const theirPerson = await insertNetworkPerson(t.database.db, {
      participant_id: theirs,
      role: 'family',
      name: 'Broer',
      created_by: otherCoach.id,
    });
    const agent = await signedInAgent(t.app, coach);
    expect((await agent.get(`${networkPath(mine)}/${theirPerson}/edit`)).status).toBe(404);
    expect((await agent.get(`${networkPath(theirs)}/${theirPerson}/edit`)).status).toBe(404);
    expect((await agent.get(`${networkPath(theirs)}/new`)).status).toBe(404);
    expect((await (await signedInAgent(t.app, admin)).get(`${networkPath(theirs)}/${theirPerson}/edit`)).status).toBe(200);
  });
});

describe('who took part in a contact moment', () => {
  async function setting() {
    const db = t.database.db;
    const participantId = await addParticipant('Driegesprek');
    const employer = await insertEmployer(db, { name: 'Kringwinkel Gent', sector: 'retail' });
    const supervisor = await insertContact(db, { employer_id: employer, name: 'Sofie De Wilde', role: 'supervisor' });
    const formerSupervisor = await insertContact(db, { employer_id: employer, name: 'Oud Begeleider', role: 'supervisor' });
    await insertPlacement(
      db,
      {
        participant_id: participantId,
        employer_id: employer,
        supervisor_contact_id: supervisor,
        kind: 'work_experience',
        job_title: 'Winkelmedewerker',
        start_date: '2026-09-01',
      },
      { hoursPerWeek: 19 },
    );
    await insertPlacement(
      db,
      {
        participant_id: participantId,
        employer_id: employer,
        supervisor_contact_id: formerSupervisor,
        kind: 'volunteering',
        job_title: 'Vrijwilliger',
        start_date: '2026-01-05',
        end_date: '2026-06-30',
        status: 'ended',
      },
      { hoursPerWeek: 8 },
    );
    const socialWorker = await insertNetworkPerson(db, {
      participant_id: participantId,
      role: 'fixed_contact',
      name: 'Els Van Damme',
      organisation: 'OCMW Gent',
      created_by: coach.id,
    });
    const endedPerson = await insertNetworkPerson(db, {
      participant_id: participantId,
      role: 'mentor',
      name: 'Vroegere Mentor',
      ended_on: '2026-10-01',
      created_by: coach.id,
    });
    const strangerPerson = await insertNetworkPerson(db, {
      participant_id: await addParticipant('Vreemd'),
      role: 'family',
      name: 'Niet Van Hier',
      created_by: coach.id,
    });
    return { participantId, supervisor, formerSupervisor, socialWorker, endedPerson, strangerPerson };
  }

  function attendeeRows(contactId: number) {
    return t.database.db
      .selectFrom('contact_attendees')
      .select(['kind', 'employer_contact_id', 'network_person_id'])
      .where('contact_moment_id', '=', contactId)
      .orderBy('id')
      .execute();
  }

  test('the form offers the participant, the running placement’s supervisor and the current network; only those are stored', async () => {
    const s = await setting();
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`/participants/${s.participantId}/contacts/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Wie waren erbij?');
    expect(form.text).toMatch(/value="participant" checked/);
    expect(form.text).toContain(`value="supervisor-${s.supervisor}"`);
    expect(form.text).toContain('Sofie De Wilde (begeleider, Kringwinkel Gent)');
    expect(form.text).not.toContain(`value="supervisor-${s.formerSupervisor}"`);
    expect(form.text).toContain(`value="network-${s.socialWorker}"`);
    expect(form.text).toContain('Els Van Damme (vaste contactpersoon, OCMW Gent)');
    expect(form.text).not.toContain(`value="network-${s.endedPerson}"`);

    const response = await agent
      .post(`/participants/${s.participantId}/contacts/new`)
      .type('form')
      .send(
        new URLSearchParams([
          ...Object.entries(formTokensFrom(form.text)),
          ['occurredDate', '23-11-2026'],
          ['occurredTime', '08:30'],
          ['channel', 'workplace_visit'],
          ['counterpart', 'participant'],
          ['outcome', 'reached'],
          ['durationMinutes', '60'],
          ['summary', 'Driegesprek op de werkvloer.'],
          ['attendeesOffered', '1'],
          ['attendees', 'participant'],
          ['attendees', `supervisor-${s.supervisor}`],
          ['attendees', `supervisor-${s.formerSupervisor}`],
          ['attendees', `network-${s.socialWorker}`],
          ['attendees', `network-${s.strangerPerson}`],
          ['attendees', 'network-abc'],
        ]).toString(),
      );
    expect(response.status).toBe(303);
    const contact = await t.database.db
      .selectFrom('contact_moments')
      .select('id')
      .where('participant_id', '=', s.participantId)
      .executeTakeFirstOrThrow();
    expect(await attendeeRows(contact.id)).toEqual([
      { kind: 'participant', employer_contact_id: null, network_person_id: null },
      { kind: 'supervisor', employer_contact_id: s.supervisor, network_person_id: null },
      { kind: 'network_person', employer_contact_id: null, network_person_id: s.socialWorker },
    ]);
    const [audit] = await auditEventsOf(t.database.db, 'contact_moment', contact.id);
    expect(audit!.details).toMatchObject({
      outcome: 'reached',
      attendees: { participant: true, supervisorIds: [s.supervisor], networkPersonIds: [s.socialWorker] },
    });

    const profile = await agent.get(`/participants/${s.participantId}`);
    expect(profile.text).toContain('Met: deelnemer, Els Van Damme (vaste contactpersoon), Sofie De Wilde (begeleider)');
    const detail = await agent.get(`/participants/${s.participantId}/contacts/${contact.id}`);
    expect(detail.text).toContain('Met: deelnemer, Els Van Damme (vaste contactpersoon), Sofie De Wilde (begeleider)');

    // The edit form ticks what is recorded; unticking the supervisor and the participant records only the social worker.
    const edit = await agent.get(`/participants/${s.participantId}/contacts/${contact.id}/edit`);
    expect(edit.text).toMatch(new RegExp(`value="supervisor-${s.supervisor}" checked`));
    const saved = await agent
      .post(`/participants/${s.participantId}/contacts/${contact.id}/edit`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(edit.text),
        version: versionFrom(edit.text),
        occurredDate: '23-11-2026',
        occurredTime: '08:30',
        channel: 'workplace_visit',
        counterpart: 'participant',
        outcome: 'reached',
        durationMinutes: '60',
        summary: 'Driegesprek op de werkvloer.',
        attendeesOffered: '1',
        attendees: `network-${s.socialWorker}`,
      });
    expect(saved.status).toBe(303);
    expect(await attendeeRows(contact.id)).toEqual([
      { kind: 'network_person', employer_contact_id: null, network_person_id: s.socialWorker },
    ]);
    expect((await auditEventsOf(t.database.db, 'contact_moment', contact.id)).at(-1)!.details).toMatchObject({
      changed: ['attendees'],
    });
  });

  test('a refused form keeps the ticks; a quick log without the question records nobody', async () => {
    const s = await setting();
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`/participants/${s.participantId}/contacts/new`);
    const refused = await agent
      .post(`/participants/${s.participantId}/contacts/new`)
      .type('form')
      .send({
        ...formTokensFrom(form.text),
        outcome: 'reached',
        summary: '',
        attendeesOffered: '1',
        attendees: `network-${s.socialWorker}`,
      });
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(new RegExp(`value="network-${s.socialWorker}" checked`));
    expect(refused.text).not.toMatch(/value="participant" checked/);

    const quick = await agent
      .post(`/participants/${s.participantId}/contacts/new`)
      .type('form')
      .send({ ...formTokensFrom(form.text), outcome: 'not_reached' });
    expect(quick.status).toBe(303);
    const contact = await t.database.db
      .selectFrom('contact_moments')
      .select('id')
      .where('participant_id', '=', s.participantId)
      .executeTakeFirstOrThrow();
    expect(await attendeeRows(contact.id)).toEqual([]);
  });

  test('the subject-access export holds the network, the attendees of each contact and the consents', async () => {
    const s = await setting();
    const contactId = await insertContactMoment(t.database.db, {
      participant_id: s.participantId,
      author_id: coach.id,
      occurred_at: '2026-11-20T10:00:00+01:00',
      channel: 'workplace_visit',
      outcome: 'reached',
      duration_minutes: 60,
      summary: 'Driegesprek.',
    });
    await t.database.db
      .insertInto('contact_attendees')
      .values([
        { contact_moment_id: contactId, kind: 'participant' },
        { contact_moment_id: contactId, kind: 'supervisor', employer_contact_id: s.supervisor },
        { contact_moment_id: contactId, kind: 'network_person', network_person_id: s.socialWorker },
      ])
      .execute();
    await t.database.db
      .insertInto('participant_consents')
      .values({
        participant_id: s.participantId,
        purpose: 'quality_review',
        given_on: '2026-09-01',
        recorded_by: coach.id,
        withdrawn_on: '2026-11-01',
        withdrawn_by: coach.id,
        note: 'Mondeling',
      })
      .execute();
    const viewer = { userId: admin.id, role: 'admin' as const, teamId: null, today: '2026-11-23', timeZone: 'Europe/Amsterdam' };
    const exported = await t.services.subjectAccess.exportSubjectAccess(viewer, s.participantId, {
      locale: 'nl',
      t: translatorFor('nl'),
      fmt: createFormatters('nl', 'Europe/Amsterdam'),
      timeZone: 'Europe/Amsterdam',
      organisationName: 'Test',
      now: DateTime.fromISO('2026-11-23T09:00:00+01:00'),
    });
    const file = (name: string): unknown =>
      JSON.parse(exported!.files.find((entry) => entry.name === name)!.content.toString('utf8'));
    expect(file('network.json')).toEqual([
      expect.objectContaining({
        id: s.socialWorker,
        role: 'fixed_contact',
        name: 'Els Van Damme',
        organisation: 'OCMW Gent',
        endedOn: null,
      }),
      expect.objectContaining({ id: s.endedPerson, role: 'mentor', endedOn: '2026-10-01' }),
    ]);
    expect(file('consents.json')).toEqual([
      expect.objectContaining({
        purpose: 'quality_review',
        givenOn: '2026-09-01',
        withdrawnOn: '2026-11-01',
        recordedBy: { id: coach.id, name: 'Bart Coach' },
        withdrawnBy: { id: coach.id, name: 'Bart Coach' },
        note: 'Mondeling',
      }),
    ]);
    const contacts = file('contact-moments.json') as Array<{ id: number; attendees: unknown }>;
    expect(contacts.find((row) => row.id === contactId)!.attendees).toEqual([
      { kind: 'participant' },
      { kind: 'supervisor', employerContact: { id: s.supervisor, name: 'Sofie De Wilde' } },
      { kind: 'network_person', networkPersonId: s.socialWorker },
    ]);
  });
});
