import type TestAgent from 'supertest/lib/agent';
import { PDFParse } from 'pdf-parse';
import yauzl from 'yauzl';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertCommissioner, insertGoal, insertParticipant, insertTrajectory, referralOrganisation } from '../helpers/fixtures';

// Item 8 of issue 17: closing a trajectory as a handover, the handover's page and PDF, the next
// trajectory from it, and the handover in the subject-access export. The test clock says 2026-11-23.

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let manager: UserFixture;
let otherTeamManager: UserFixture;
let admin: UserFixture;
let vdab: number;
let vdabGent: number;
let caw: number;

const TRICKY = `<script>alert("h")</script> & 'Zorg'`;
const NOTE = 'Werkt goed met vaste routines.\nAfspraak: maandag intake bij VDAB.\nGEHEIM-NOTITIE';

beforeAll(async () => {
  t = await startTestApp();
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent', displayName: 'Lotte Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Gent' });
  otherTeamManager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  admin = await createTestUser(t.database, { role: 'admin', locale: 'en' });
  await insertCommissioner(t.database.db, { name: 'OCMW Gent', kind: 'ocmw', active: true });
  vdab = await insertCommissioner(t.database.db, { name: 'VDAB', kind: 'vdab', active: true });
  vdabGent = await referralOrganisation(t.database.db, 'VDAB Gent', 'vdab');
  caw = await referralOrganisation(t.database.db, TRICKY, 'caw');
});
afterAll(() => t.close());

async function openTrajectory(lastName: string) {
  const participantId = await insertParticipant(t.database.db, {
    first_name: 'Lien',
    last_name: lastName,
    coach_id: coach.id,
    status: 'active',
  });
  const commissioner = await t.database.db
    .selectFrom('commissioners')
    .select('id')
    .where('name', '=', 'OCMW Gent')
    .executeTakeFirstOrThrow();
  const trajectoryId = await insertTrajectory(t.database.db, {
    participant_id: participantId,
    commissioner_id: commissioner.id,
    kind: 'work_experience',
    reference: 'OCMW-G-6014',
    start_date: '2025-11-24',
    granted_hours: 40,
  });
  return { participantId, trajectoryId, closePath: `/participants/${participantId}/trajectories/${trajectoryId}/close` };
}

const validHandover = {
  endDate: '21-11-2026',
  outcome: 'handover',
  handoverOrganisationId: '',
  receiverName: 'Jan Peeters',
  receiverPhone: '09 265 00 00',
  receiverEmail: 'jan.peeters@vdab.example',
  handoverDate: '',
  handoverNote: NOTE,
  version: '1',
};

async function close(agent: TestAgent, closePath: string, fields: Record<string, string>) {
  const page = await agent.get(closePath);
  expect(page.status).toBe(200);
  return agent
    .post(closePath)
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), ...fields });
}

async function handoverRow(trajectoryId: number) {
  return t.database.db.selectFrom('handovers').selectAll().where('trajectory_id', '=', trajectoryId).executeTakeFirst();
}

async function auditOf(participantId: number, entityType: string) {
  return t.database.db
    .selectFrom('audit_events')
    .select(['action', 'entity_id', 'details'])
    .where('participant_id', '=', participantId)
    .where('entity_type', '=', entityType)
    .orderBy('id')
    .execute();
}

describe('the close form', () => {
  test('shows the handover fields with the hint, the directory and the no-medical-information warning', async () => {
    const { closePath } = await openTrajectory('Formulier');
    const page = await (await signedInAgent(t.app, coach)).get(closePath);
    expect(page.text).toContain('Alleen invullen bij de uitkomst');
    expect(page.text).toContain('Geen medische informatie');
    expect(page.text).toContain('De ontvangende organisatie mag die niet via deze notitie krijgen.');
    expect(page.text).toContain(`<option value="${vdabGent}">VDAB Gent</option>`);
    expect(page.text).not.toContain('<script>alert("h")');
    expect(page.text).toContain('&lt;script&gt;alert(&#34;h&#34;)&lt;/script&gt;');
  });

  test('the outcome "handover" requires organisation, person and note, keeps what was typed, and leaves the trajectory open', async () => {
    const { closePath, trajectoryId } = await openTrajectory('Onvolledig');
    const agent = await signedInAgent(t.app, coach);
    const refused = await close(agent, closePath, {
      ...validHandover,
      receiverName: '',
      handoverNote: '',
      receiverPhone: 'geen nummer',
      handoverDate: '20-11-2026',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Kies de organisatie die de deelnemer overneemt.');
    expect(refused.text).toContain('Vul de naam van de contactpersoon in.');
    expect(refused.text).toContain('Schrijf een overdrachtsnotitie.');
    expect(refused.text).toContain('De overdracht kan niet vóór de afsluitdatum liggen.');
    expect(refused.text).toContain('value="geen nummer"');
    expect(refused.text).toContain('jan.peeters@vdab.example');
    const badDate = await close(agent, closePath, {
      ...validHandover,
      handoverOrganisationId: String(vdabGent),
      handoverDate: '31-02-2027',
    });
    expect(badDate.status).toBe(422);
    expect(badDate.text).toContain('Vul een datum in');
    expect(badDate.text).toContain('GEHEIM-NOTITIE');
    const tooLate = await close(agent, closePath, {
      ...validHandover,
      handoverOrganisationId: String(vdabGent),
      handoverDate: '22-11-2027',
    });
    expect(tooLate.text).toContain('meer dan een jaar na de afsluitdatum');
    const gone = await close(agent, closePath, { ...validHandover, handoverOrganisationId: '999999' });
    expect(gone.status).toBe(422);
    expect(gone.text).toContain('staat niet meer in de verwijsgids');
    const trajectory = await t.database.db
      .selectFrom('trajectories')
      .selectAll()
      .where('id', '=', trajectoryId)
      .executeTakeFirstOrThrow();
    expect(trajectory).toMatchObject({ actual_end_date: null, outcome: null, version: 1 });
    expect(await handoverRow(trajectoryId)).toBeUndefined();
  });

  test('another outcome ignores the handover fields, whatever is typed in them', async () => {
    const { closePath, trajectoryId } = await openTrajectory('Anders');
    const agent = await signedInAgent(t.app, coach);
    const closed = await close(agent, closePath, {
      ...validHandover,
      outcome: 'education',
      handoverOrganisationId: 'x',
      handoverDate: 'nooit',
    });
    expect(closed.status).toBe(303);
    expect(await handoverRow(trajectoryId)).toBeUndefined();
  });
});

describe('a handover', () => {
  let participantId: number;
  let trajectoryId: number;
  let handoverPath: string;

  beforeAll(async () => {
    ({ participantId, trajectoryId } = await openTrajectory('Overdracht'));
    await insertGoal(t.database.db, {
      participant_id: participantId,
      title: 'Rijbewijs halen',
      life_domain: 'work',
      created_by: coach.id,
    });
    await insertGoal(t.database.db, {
      participant_id: participantId,
      title: 'Al gehaald',
      life_domain: 'work',
      created_by: coach.id,
      status: 'achieved',
      achieved_on: '2026-10-01',
    });
    const agent = await signedInAgent(t.app, coach);
    const closed = await close(agent, `/participants/${participantId}/trajectories/${trajectoryId}/close`, {
      ...validHandover,
      handoverOrganisationId: String(vdabGent),
    });
    expect(closed.status).toBe(303);
    handoverPath = `/participants/${participantId}/trajectories/${trajectoryId}/handover`;
  });

  test('is stored with the trajectory closed, the date defaulting to the closing date, and audited without free text', async () => {
    expect(await handoverRow(trajectoryId)).toMatchObject({
      participant_id: participantId,
      organisation_id: vdabGent,
      receiver_name: 'Jan Peeters',
      receiver_phone: '09 265 00 00',
      handover_date: '2026-11-21',
      note: NOTE,
      created_by: coach.id,
    });
    const trajectory = await t.database.db
      .selectFrom('trajectories')
      .selectAll()
      .where('id', '=', trajectoryId)
      .executeTakeFirstOrThrow();
    expect(trajectory).toMatchObject({ actual_end_date: '2026-11-21', outcome: 'handover' });
    const events = await auditOf(participantId, 'handover');
    expect(events).toEqual([
      {
        action: 'create',
        entity_id: String(trajectoryId),
        details: { trajectoryId, organisationId: vdabGent, organisationKind: 'vdab', handoverDate: '2026-11-21' },
      },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/Peeters|GEHEIM|09 265/);
  });

  test('shows on the profile with a link to its page', async () => {
    const profile = await (await signedInAgent(t.app, coach)).get(`/participants/${participantId}`);
    expect(profile.text).toContain('Overgedragen aan VDAB Gent (Jan Peeters) op 21-11-2026');
    expect(profile.text).toContain(`href="${handoverPath}"`);
  });

  test('its page shows the trajectory, the receiver, the note and the open goals; each view is audited', async () => {
    const before = (await auditOf(participantId, 'handover')).length;
    const page = await (await signedInAgent(t.app, coach)).get(handoverPath);
    expect(page.status).toBe(200);
    for (const text of [
      'OCMW Gent',
      'OCMW-G-6014',
      '24-11-2025',
      'VDAB Gent',
      'Jan Peeters',
      'GEHEIM-NOTITIE',
      'Rijbewijs halen',
      'Lotte Coach',
    ]) {
      expect(page.text).toContain(text);
    }
    expect(page.text).not.toContain('Al gehaald');
    expect(page.text).toContain(`/participants/${participantId}/trajectories/new?after=${trajectoryId}`);
    const events = await auditOf(participantId, 'handover');
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({ action: 'view', entity_id: String(trajectoryId), details: {} });
  });

  test('is open to the coach, the team manager and an administrator, to no one else', async () => {
    for (const [who, status] of [
      [coach, 200],
      [manager, 200],
      [admin, 200],
      [otherCoach, 404],
      [otherTeamManager, 404],
    ] as const) {
      const agent = await signedInAgent(t.app, who);
      expect((await agent.get(handoverPath)).status).toBe(status);
      expect((await agent.get(`${handoverPath}.pdf`)).status).toBe(status);
    }
    const other = await openTrajectory('Geen overdracht');
    const coachAgent = await signedInAgent(t.app, coach);
    expect(
      (await coachAgent.get(`/participants/${other.participantId}/trajectories/${other.trajectoryId}/handover`)).status,
    ).toBe(404);
    // A trajectory of another participant under this participant's URL is not found either.
    expect((await coachAgent.get(`/participants/${other.participantId}/trajectories/${trajectoryId}/handover`)).status).toBe(404);
  });

  test("downloads as a PDF in the reader's language, audited as an export", async () => {
    const response = await (
      await signedInAgent(t.app, admin)
    )
      .get(`${handoverPath}.pdf`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('attachment; filename="handover-OCMW-G-6014-2026-11-21.pdf"');
    const parser = new PDFParse({ data: response.body as Buffer });
    const text = (await parser.getText()).text;
    await parser.destroy();
    for (const expected of [
      'Handover',
      'Lien Overdracht',
      'OCMW Gent',
      'OCMW-G-6014',
      'VDAB Gent',
      'Jan Peeters',
      'GEHEIM-NOTITIE',
      'Rijbewijs halen',
      'Open goals',
      'Lotte Coach',
    ]) {
      expect(text).toContain(expected);
    }
    const events = await auditOf(participantId, 'handover');
    expect(events.at(-1)).toMatchObject({ action: 'export', details: { format: 'pdf' } });
  });

  test('"start the next trajectory" opens the new form on the handover date with VDAB as commissioner', async () => {
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`/participants/${participantId}/trajectories/new?after=${trajectoryId}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="2026-11-21"');
    expect(form.text).toMatch(new RegExp(`<option value="${vdab}" selected>`));
    // Without a usable handover the form is as always.
    for (const after of ['abc', '999999']) {
      const plain = await agent.get(`/participants/${participantId}/trajectories/new?after=${after}`);
      expect(plain.status).toBe(200);
      expect(plain.text).toContain('value="2026-11-23"');
      expect(plain.text).not.toMatch(/<option value="\d+" selected>/);
    }
  });

  test('to an organisation that is no commissioner, the next trajectory gets no commissioner guessed', async () => {
    const other = await openTrajectory('Naar CAW');
    const agent = await signedInAgent(t.app, coach);
    const closed = await close(agent, other.closePath, {
      ...validHandover,
      handoverOrganisationId: String(caw),
      handoverDate: '01-12-2026',
    });
    expect(closed.status).toBe(303);
    const form = await agent.get(`/participants/${other.participantId}/trajectories/new?after=${other.trajectoryId}`);
    expect(form.text).toContain('value="2026-12-01"');
    expect(form.text).not.toMatch(/<option value="\d+" selected>/);
  });

  test('is in the subject-access export as handovers.json', async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get(`/participants/${participantId}/subject-access`);
    expect(page.status).toBe(200);
    const response = await agent
      .post(`/participants/${participantId}/subject-access`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) })
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    const content = await zipEntry(response.body as Buffer, 'handovers.json');
    expect(JSON.parse(content)).toEqual([
      expect.objectContaining({
        trajectoryId,
        organisation: { id: vdabGent, name: 'VDAB Gent' },
        receiver: { name: 'Jan Peeters', phone: '09 265 00 00', email: 'jan.peeters@vdab.example' },
        handoverDate: '2026-11-21',
        note: NOTE,
        createdBy: { id: coach.id, name: 'Lotte Coach' },
      }),
    ]);
  });
});

function zipEntry(buffer: Buffer, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
      });
      zip.on('end', () => reject(new Error(`${name} is not in the export`)));
      zip.readEntry();
    });
  });
}

test("closing the participant does not offer a handover: that is the trajectory's close form, which asks to whom", async () => {
  const { participantId } = await openTrajectory('Sluiter');
  const agent = await signedInAgent(t.app, coach);
  const path = `/participants/${participantId}/close`;
  const form = await agent.get(path);
  expect(form.status).toBe(200);
  expect(form.text).toContain('value="regular_job"');
  expect(form.text).not.toContain('value="handover"');
  expect(form.text).toContain('Sluit dan eerst het traject af met de uitkomst');
  // A crafted post is refused with the way to do it, and nothing is closed.
  const refused = await agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfTokenFrom(form.text), closedOn: '23-11-2026', outcome: 'handover', version: '1' });
  expect(refused.status).toBe(422);
  expect(refused.text).toContain('Een overdracht leg je vast bij het traject');
  const participant = await t.database.db
    .selectFrom('participants')
    .select('status')
    .where('id', '=', participantId)
    .executeTakeFirstOrThrow();
  expect(participant.status).toBe('active');
});
