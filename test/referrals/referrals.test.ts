import path from 'node:path';
import { randomUUID } from 'node:crypto';
import ejs from 'ejs';
import { VIEWS_DIR } from '../../src/app';
import { FixedClock } from '../../src/lib/clock';
import { createFormatters } from '../../src/lib/format';
import { translatorFor } from '../../src/messages';
import { referralsForProfile } from '../../src/referrals/service';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  signedInAgent,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';
import { auditEventsOf, formTokensFrom, insertParticipant, insertReferral, versionFrom } from '../helpers/fixtures';

// The clock stands on Monday 23-11-2026, 09:00 in Europe/Amsterdam.
const clock = new FixedClock('2026-11-23T09:00:00+01:00');

let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let manager: UserFixture;
let otherManager: UserFixture;
let admin: UserFixture;

const TRICKY = `<script>alert("r")</script> Hulp & "zorg" 'nu'`;
const TRICKY_ESCAPED = '&lt;script&gt;alert(&#34;r&#34;)&lt;/script&gt; Hulp &amp; &#34;zorg&#34; &#39;nu&#39;';

type Agent = Awaited<ReturnType<typeof signedInAgent>>;

function addParticipant(lastName: string, coachId = coach.id, status: 'active' | 'closed' = 'active') {
  return insertParticipant(t.database.db, {
    first_name: 'Kees',
    last_name: lastName,
    coach_id: coachId,
    status,
    closed_on: status === 'closed' ? '2026-11-01' : null,
  });
}

function addReferral(participantId: number, values: Partial<Parameters<typeof insertReferral>[1]> = {}) {
  return insertReferral(t.database.db, {
    participant_id: participantId,
    service_kind: 'debt_counselling',
    organisation: 'Schuldhulpmaatje Utrecht',
    reason: 'Aanmaningen stapelen zich op.',
    referred_on: '2026-11-02',
    created_by: coach.id,
    ...values,
  });
}

function organisationNamed(name: string) {
  return t.database.db.selectFrom('referral_organisations').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
}

function referralRow(id: number) {
  return t.database.db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function referralsOf(participantId: number) {
  return t.database.db.selectFrom('referrals').selectAll().where('participant_id', '=', participantId).orderBy('id').execute();
}

const referralsPath = (participantId: number) => `/participants/${participantId}/referrals`;
const editPath = (participantId: number, referralId: number) => `${referralsPath(participantId)}/${referralId}/edit`;

// The organisation is added in place (the directory is empty at first; later forms link to it by name).
const validReferral = {
  serviceKind: 'language_coaching',
  organisationId: 'new',
  newOrganisationName: 'Taalhuis Noord',
  newOrganisationKind: 'language_coaching',
  reason: 'Wil beter Nederlands spreken op het werk.',
  referredOn: '20-11-2026',
  status: 'sent',
};

/** Posts the edit form as loaded now, with the stored values unless overridden. */
async function postEdit(agent: Agent, participantId: number, referralId: number, fields: Record<string, string>) {
  const form = await agent.get(editPath(participantId, referralId));
  expect(form.status).toBe(200);
  const row = await referralRow(referralId);
  return agent
    .post(editPath(participantId, referralId))
    .type('form')
    .send({
      _csrf: csrfTokenFrom(form.text),
      version: versionFrom(form.text),
      serviceKind: row.service_kind,
      organisationId: String(row.organisation_id),
      reason: row.reason,
      referredOn: row.referred_on,
      status: row.status,
      closedOn: row.closed_on ?? '',
      ...fields,
    });
}

async function renderProfileSection(participantId: number, status: 'active' | 'closed' = 'active') {
  return ejs.renderFile(path.join(VIEWS_DIR, 'referrals', '_profile-section.ejs'), {
    participant: { id: participantId, status, firstName: 'Kees', lastName: 'Test' },
    referrals: await referralsForProfile(t.database.db, participantId),
    t: translatorFor('nl'),
    fmt: createFormatters('nl', 'Europe/Amsterdam'),
  });
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Daan Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Noord' });
  otherManager = await createTestUser(t.database, { role: 'manager', team: 'Team Zuid' });
  admin = await createTestUser(t.database, { role: 'admin' });
});
afterAll(() => t.close());

describe('creating a referral', () => {
  test('the form starts today as proposed; saving stores it, audits it without the reason and returns to the profile', async () => {
    const participantId = await addParticipant('Nieuw');
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${referralsPath(participantId)}/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="referredOn" value="2026-11-23"');
    expect(form.text).toContain('<option value="proposed" selected>');
    // A new referral is proposed or sent; it cannot start closed.
    expect(form.text).not.toContain('value="completed"');
    expect(form.text).not.toContain('name="closedOn"');

    const response = await agent
      .post(`${referralsPath(participantId)}/new`)
      .type('form')
      .send({
        ...formTokensFrom(form.text),
        ...validReferral,
        closedOn: '21-11-2026',
        version: '5',
        createdBy: String(admin.id),
      });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/participants/${participantId}?done=referralCreated#referrals`);
    const [stored, ...others] = await referralsOf(participantId);
    expect(others).toEqual([]);
    const organisation = await organisationNamed('Taalhuis Noord');
    expect(stored).toMatchObject({
      service_kind: 'language_coaching',
      organisation_id: organisation.id,
      reason: 'Wil beter Nederlands spreken op het werk.',
      referred_on: '2026-11-20',
      status: 'sent',
      closed_on: null,
      created_by: coach.id,
      version: 1,
    });
    expect(await auditEventsOf(t.database.db, 'referral', stored!.id)).toEqual([
      {
        action: 'create',
        actor_user_id: coach.id,
        participant_id: participantId,
        details: {
          serviceKind: 'language_coaching',
          organisationId: organisation.id,
          status: 'sent',
          referredOn: '2026-11-20',
          followUpOn: null,
        },
      },
    ]);
  });

  test('every problem is reported at once with the typed values kept, and nothing is stored', async () => {
    const participantId = await addParticipant('Fout');
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${referralsPath(participantId)}/new`);
    const response = await agent
      .post(`${referralsPath(participantId)}/new`)
      .type('form')
      .send({
        ...formTokensFrom(form.text),
        serviceKind: 'sport',
        organisationId: '',
        reason: 'Mijn reden',
        referredOn: 'gisteren',
        status: 'completed',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Er zijn 4 fouten in het formulier');
    expect(response.text).toContain('>Mijn reden</textarea>');
    expect(response.text).toContain('value="gisteren"');

    const future = await agent
      .post(`${referralsPath(participantId)}/new`)
      .type('form')
      .send({ ...formTokensFrom(form.text), ...validReferral, referredOn: '24-11-2026' });
    expect(future.status).toBe(422);
    expect(future.text).toContain('De verwijsdatum kan niet in de toekomst liggen.');
    expect(future.text).toContain('value="Taalhuis Noord"');

    const tooLong = await agent
      .post(`${referralsPath(participantId)}/new`)
      .type('form')
      .send({ ...formTokensFrom(form.text), ...validReferral, newOrganisationName: 'x'.repeat(151), reason: 'y'.repeat(2001) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('Er zijn 2 fouten in het formulier');
    expect(await referralsOf(participantId)).toEqual([]);
  });

  test('submitting the same form twice stores one referral', async () => {
    const participantId = await addParticipant('Dubbel');
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${referralsPath(participantId)}/new`);
    const body = { ...formTokensFrom(form.text), ...validReferral };
    const first = await agent
      .post(`${referralsPath(participantId)}/new`)
      .type('form')
      .send(body);
    const second = await agent
      .post(`${referralsPath(participantId)}/new`)
      .type('form')
      .send(body);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.headers.location).toBe(`/participants/${participantId}#referrals`);
    const rows = await referralsOf(participantId);
    expect(rows).toHaveLength(1);
    expect(await auditEventsOf(t.database.db, 'referral', rows[0]!.id)).toHaveLength(1);
  });
});

describe("a referral's lifecycle", () => {
  test('moves through its statuses; closing asks for a valid closing date; reopening clears it', async () => {
    const participantId = await addParticipant('Levensloop');
    const referralId = await addReferral(participantId, { status: 'proposed', referred_on: '2026-11-02' });
    const agent = await signedInAgent(t.app, coach);

    const form = await agent.get(editPath(participantId, referralId));
    expect(form.text).toContain('value="2026-11-02"');
    expect(form.text).toContain('<option value="proposed" selected>');
    expect(form.text).toContain('name="closedOn" value=""');

    for (const status of ['sent', 'accepted', 'in_progress']) {
      const response = await postEdit(agent, participantId, referralId, { status });
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/participants/${participantId}?done=referralUpdated#referrals`);
    }
    expect(await referralRow(referralId)).toMatchObject({ status: 'in_progress', closed_on: null, version: 4 });

    const withoutDate = await postEdit(agent, participantId, referralId, { status: 'completed', closedOn: '' });
    expect(withoutDate.status).toBe(422);
    expect(withoutDate.text).toContain('Vul de datum in waarop de verwijzing is afgesloten.');
    expect(withoutDate.text).toContain('<option value="completed" selected>');
    const beforeReferred = await postEdit(agent, participantId, referralId, { status: 'completed', closedOn: '01-11-2026' });
    expect(beforeReferred.status).toBe(422);
    expect(beforeReferred.text).toContain('De datum van afsluiten ligt vóór de verwijsdatum.');
    const inFuture = await postEdit(agent, participantId, referralId, { status: 'declined', closedOn: '24-11-2026' });
    expect(inFuture.status).toBe(422);
    expect(inFuture.text).toContain('De datum van afsluiten kan niet in de toekomst liggen.');
    // A referral date moved past the closing date is refused too.
    const bothWrong = await postEdit(agent, participantId, referralId, {
      status: 'completed',
      referredOn: '25-11-2026',
      closedOn: '10-11-2026',
    });
    expect(bothWrong.status).toBe(422);
    expect(bothWrong.text).toContain('Er zijn 2 fouten in het formulier');
    expect(await referralRow(referralId)).toMatchObject({ status: 'in_progress', closed_on: null, version: 4 });

    const completed = await postEdit(agent, participantId, referralId, { status: 'completed', closedOn: '2026-11-02' });
    expect(completed.status).toBe(303);
    expect(await referralRow(referralId)).toMatchObject({ status: 'completed', closed_on: '2026-11-02', version: 5 });
    expect((await agent.get(editPath(participantId, referralId))).text).toContain('name="closedOn" value="2026-11-02"');

    // Reopening: the closing date still in the form is dropped.
    const reopened = await postEdit(agent, participantId, referralId, { status: 'in_progress' });
    expect(reopened.status).toBe(303);
    expect(await referralRow(referralId)).toMatchObject({ status: 'in_progress', closed_on: null, version: 6 });

    const audit = await auditEventsOf(t.database.db, 'referral', referralId);
    expect(audit.map((event) => event.action)).toEqual(['update', 'update', 'update', 'update', 'update']);
    expect(audit.every((event) => event.actor_user_id === coach.id && event.participant_id === participantId)).toBe(true);
    expect(audit[3]!.details).toEqual({
      changedFields: ['status', 'closedOn'],
      changes: { status: { from: 'in_progress', to: 'completed' }, closedOn: { from: null, to: '2026-11-02' } },
    });
    expect(audit[4]!.details).toEqual({
      changedFields: ['status', 'closedOn'],
      changes: { status: { from: 'completed', to: 'in_progress' }, closedOn: { from: '2026-11-02', to: null } },
    });
  });

  test('a change of the reason is audited without its text', async () => {
    const participantId = await addParticipant('Reden');
    const referralId = await addReferral(participantId);
    const agent = await signedInAgent(t.app, coach);
    expect((await postEdit(agent, participantId, referralId, { reason: 'Geheime nieuwe reden' })).status).toBe(303);
    const [event] = await auditEventsOf(t.database.db, 'referral', referralId);
    expect(event!.details).toEqual({ changedFields: ['reason'], changes: {} });
    expect(JSON.stringify(event)).not.toContain('Geheime');
  });

  test('a stale form gets the conflict page with both versions and changes nothing', async () => {
    const participantId = await addParticipant('Conflict');
    const referralId = await addReferral(participantId, { status: 'sent' });
    const agent = await signedInAgent(t.app, coach);
    const mine = await agent.get(editPath(participantId, referralId));
    const managerAgent = await signedInAgent(t.app, manager);
    expect((await postEdit(managerAgent, participantId, referralId, { status: 'declined', closedOn: '20-11-2026' })).status).toBe(
      303,
    );

    const stale = await agent
      .post(editPath(participantId, referralId))
      .type('form')
      .send({
        _csrf: csrfTokenFrom(mine.text),
        version: versionFrom(mine.text),
        serviceKind: 'debt_counselling',
        organisationId: String((await organisationNamed('Schuldhulpmaatje Utrecht')).id),
        reason: 'Aanmaningen stapelen zich op.',
        referredOn: '02-11-2026',
        status: 'accepted',
        closedOn: '',
      });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Iemand anders heeft dit intussen gewijzigd');
    expect(stale.text).toContain('Afgewezen');
    expect(stale.text).toContain('Aangenomen');
    expect(stale.text).toContain('Schuldhulpverlening');
    expect(stale.text).toContain('name="version" value="2"');
    expect(await referralRow(referralId)).toMatchObject({ status: 'declined', closed_on: '2026-11-20', version: 2 });
  });
});

describe('referrals on the profile', () => {
  test('open referrals come first, closed ones apart; a closed participant gets no actions', async () => {
    const participantId = await addParticipant('Profiel');
    const older = await addReferral(participantId, {
      service_kind: 'housing',
      organisation: 'Woonloket',
      referred_on: '2026-09-01',
      status: 'accepted',
    });
    const newer = await addReferral(participantId, {
      service_kind: 'social_work',
      organisation: 'Buurtteam Oost',
      referred_on: '2026-11-10',
      status: 'proposed',
    });
    const done = await addReferral(participantId, {
      service_kind: 'legal_aid',
      organisation: 'Juridisch Loket',
      referred_on: '2026-06-01',
      status: 'completed',
      closed_on: '2026-08-15',
    });
    const referrals = await referralsForProfile(t.database.db, participantId);
    expect(referrals.open.map((row) => row.id)).toEqual([newer, older]);
    expect(referrals.closed.map((row) => row.id)).toEqual([done]);

    const html = await renderProfileSection(participantId);
    expect(html).toContain('2 lopende verwijzingen');
    expect(html).toContain('Afgesloten verwijzingen (1)');
    expect(html).toContain('Buurtteam Oost');
    expect(html).toContain('Maatschappelijk werk');
    expect(html).toContain('Voorgesteld');
    expect(html).toContain('15-08-2026');
    expect(html.indexOf('Buurtteam Oost')).toBeLessThan(html.indexOf('Woonloket'));
    expect(html.indexOf('Woonloket')).toBeLessThan(html.indexOf('Juridisch Loket'));
    expect(html).toContain(`href="${referralsPath(participantId)}/new"`);
    expect(html).toContain(`href="${editPath(participantId, done)}"`);

    const closed = await renderProfileSection(participantId, 'closed');
    expect(closed).toContain('Juridisch Loket');
    expect(closed).not.toContain('/referrals/new');
    expect(closed).not.toContain('/edit"');
  });

  test('an empty section says what a referral is for', async () => {
    const html = await renderProfileSection(await addParticipant('Leeg'));
    expect(html).toContain('Nog geen verwijzingen naar andere hulp.');
    expect(html).toContain('Nieuwe verwijzing');
  });
});

describe('who may change referrals', () => {
  let participantId: number;
  let referralId: number;

  beforeAll(async () => {
    participantId = await addParticipant('Toegang');
    referralId = await addReferral(participantId);
  });

  test.each([
    ['the team manager', () => manager],
    ['an admin', () => admin],
  ])('%s may open the referral forms and change the referral', async (_who, user) => {
    const agent = await signedInAgent(t.app, user());
    expect((await agent.get(`${referralsPath(participantId)}/new`)).status).toBe(200);
    expect((await postEdit(agent, participantId, referralId, { status: 'sent' })).status).toBe(303);
  });

  test.each([
    ['another coach of the team', () => otherCoach],
    ["another team's manager", () => otherManager],
  ])('%s gets 404 everywhere and changes nothing', async (_who, user) => {
    const agent = await signedInAgent(t.app, user());
    const before = await referralsOf(participantId);
    expect((await agent.get(`${referralsPath(participantId)}/new`)).status).toBe(404);
    expect((await agent.get(editPath(participantId, referralId))).status).toBe(404);
    const csrf = await csrfToken(agent, '/participants');
    const responses = [
      await agent
        .post(`${referralsPath(participantId)}/new`)
        .type('form')
        .send({ _csrf: csrf, submissionToken: randomUUID(), ...validReferral }),
      await agent
        .post(editPath(participantId, referralId))
        .type('form')
        .send({ _csrf: csrf, ...validReferral, newOrganisationName: 'GEKAAPT', version: String(before[0]!.version) }),
    ];
    expect(responses.map((response) => response.status)).toEqual([404, 404]);
    expect(await referralsOf(participantId)).toEqual(before);
  });

  test("a referral under another participant's URL, an unknown id or a malformed one is 404", async () => {
    const otherParticipant = await addParticipant('Buur');
    const agent = await signedInAgent(t.app, admin);
    const before = await referralsOf(participantId);
    expect((await agent.get(editPath(otherParticipant, referralId))).status).toBe(404);
    const csrf = await csrfToken(agent, '/participants');
    const response = await agent
      .post(editPath(otherParticipant, referralId))
      .type('form')
      .send({ _csrf: csrf, ...validReferral, version: String(before[0]!.version) });
    expect(response.status).toBe(404);
    expect(await referralsOf(participantId)).toEqual(before);
    expect(await referralsOf(otherParticipant)).toEqual([]);
    expect((await agent.get(editPath(participantId, 999999))).status).toBe(404);
    expect((await agent.get(`${referralsPath(participantId)}/abc/edit`)).status).toBe(404);
  });

  test('a closed participant gets no new or changed referrals', async () => {
    const closedId = await addParticipant('Gesloten', coach.id, 'closed');
    const closedReferral = await addReferral(closedId);
    const agent = await signedInAgent(t.app, coach);
    expect((await agent.get(`${referralsPath(closedId)}/new`)).status).toBe(404);
    expect((await agent.get(editPath(closedId, closedReferral))).status).toBe(404);
    const csrf = await csrfToken(agent, '/participants');
    const responses = [
      await agent
        .post(`${referralsPath(closedId)}/new`)
        .type('form')
        .send({ _csrf: csrf, submissionToken: randomUUID(), ...validReferral }),
      await agent
        .post(editPath(closedId, closedReferral))
        .type('form')
        .send({ _csrf: csrf, ...validReferral, version: '1' }),
    ];
    expect(responses.map((response) => response.status)).toEqual([404, 404]);
    const rows = await referralsOf(closedId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ organisation_id: (await organisationNamed('Schuldhulpmaatje Utrecht')).id, version: 1 });
  });
});

describe('what people typed is shown as text', () => {
  test('organisations and reasons with markup are escaped on every page', async () => {
    const participantId = await addParticipant('Escape');
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`${referralsPath(participantId)}/new`);
    const invalid = await agent
      .post(`${referralsPath(participantId)}/new`)
      .type('form')
      .send({ ...formTokensFrom(form.text), ...validReferral, newOrganisationName: TRICKY, reason: TRICKY, serviceKind: '' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).not.toContain('<script>alert');
    expect(invalid.text).toContain(`value="${TRICKY_ESCAPED}"`);
    expect(invalid.text).toContain(`>${TRICKY_ESCAPED}</textarea>`);

    const created = await agent
      .post(`${referralsPath(participantId)}/new`)
      .type('form')
      .send({ ...formTokensFrom(form.text), ...validReferral, newOrganisationName: TRICKY, reason: TRICKY });
    expect(created.status).toBe(303);
    const [row] = await referralsOf(participantId);
    expect(row!.organisation_id).toBe((await organisationNamed(TRICKY)).id);

    const edit = await agent.get(editPath(participantId, row!.id));
    expect(edit.text).not.toContain('<script>alert');
    expect(edit.text).toContain(TRICKY_ESCAPED);
    const section = await renderProfileSection(participantId);
    expect(section).not.toContain('<script>alert');
    expect(section).toContain(TRICKY_ESCAPED);

    const stale = await agent
      .post(editPath(participantId, row!.id))
      .type('form')
      .send({
        _csrf: csrfTokenFrom(edit.text),
        ...validReferral,
        organisationId: String(row!.organisation_id),
        newOrganisationName: '',
        reason: TRICKY,
        version: '0',
      });
    expect(stale.status).toBe(409);
    expect(stale.text).not.toContain('<script>alert');
    expect(stale.text).toContain(TRICKY_ESCAPED);
  });
});
