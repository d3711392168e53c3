import { FixedClock } from '../../src/lib/clock';
import { dueFollowUps } from '../../src/referrals/service';
import {
  createTestUser,
  csrfToken,
  csrfTokenFrom,
  signedInAgent,
  startTestApp,
  type TestApp,
  type UserFixture,
} from '../helpers/app';
import {
  auditEventsOf,
  formTokensFrom,
  insertParticipant,
  insertReferral,
  referralOrganisation,
  versionFrom,
} from '../helpers/fixtures';
import { QueryCounter } from '../helpers/query-counter';
import { readable } from '../helpers/readable';

// The referral directory (issue 17, item 6): shared organisations, listed and searched in SQL,
// added by everyone (also in place from a referral form, without JavaScript), edited by managers
// and administrators; and a referral's follow-up date, which puts it on /today until followed up
// or moved. The clock stands on Monday 23-11-2026, 09:00 in Europe/Amsterdam.

const clock = new FixedClock('2026-11-23T09:00:00+01:00');
let t: TestApp;
let coach: UserFixture;
let otherCoach: UserFixture;
let manager: UserFixture;

beforeAll(async () => {
  t = await startTestApp({ clock });
  coach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent', displayName: 'Lotte Coach' });
  otherCoach = await createTestUser(t.database, { role: 'coach', team: 'Team Gent' });
  manager = await createTestUser(t.database, { role: 'manager', team: 'Team Gent' });
});
afterAll(() => t.close());

const organisationNamed = (name: string) =>
  t.database.db.selectFrom('referral_organisations').selectAll().where('name', '=', name).executeTakeFirst();

function addParticipant(lastName: string, coachId = coach.id, status: 'active' | 'closed' = 'active') {
  return insertParticipant(t.database.db, {
    first_name: 'Lien',
    last_name: lastName,
    coach_id: coachId,
    status,
    closed_on: status === 'closed' ? '2026-11-01' : null,
  });
}

describe('the directory page', () => {
  test('lists by name a page at a time and finds by part of the name or region, whatever the case', async () => {
    for (let n = 1; n <= 52; n += 1) await referralOrganisation(t.database.db, `Zoekorganisatie ${String(n).padStart(2, '0')}`);
    await t.database.db
      .insertInto('referral_organisations')
      .values({ name: 'Huurdersbond Oost-Vlaanderen', kind: 'tenants_union', region: 'Gent', phone: '09 233 23 22' })
      .execute();
    const agent = await signedInAgent(t.app, coach);
    const found = await agent.get('/directory?q=HUURDERS');
    expect(found.status).toBe(200);
    expect(found.text).toContain('Huurdersbond Oost-Vlaanderen');
    expect(found.text).toContain('Huurdersbond</td>');
    expect(found.text).toContain('1 organisatie');
    expect((await agent.get('/directory?q=gent')).text).toContain('Huurdersbond Oost-Vlaanderen');
    expect((await agent.get('/directory?kind=vdab')).text).not.toContain('Huurdersbond Oost-Vlaanderen');
    const second = await agent.get('/directory?q=zoekorganisatie&page=2');
    // 50 a page (lib/pagination.ts).
    expect(second.text).toContain('Zoekorganisatie 51');
    expect(second.text).not.toContain('Zoekorganisatie 01');
    expect(second.text).toContain('52 organisaties');
    // A coach adds but does not edit: no edit links.
    expect(found.text).not.toContain('/edit"');
    // A manager does.
    expect((await (await signedInAgent(t.app, manager)).get('/directory?q=huurders')).text).toContain('/edit"');
  });

  test('a coach adds an organisation; the same name again (other case, extra spaces) is refused with what was typed kept', async () => {
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get('/directory/new');
    const created = await agent
      .post('/directory/new')
      .type('form')
      .send({
        ...formTokensFrom(form.text),
        name: 'CAW  Oost-Vlaanderen',
        kind: 'caw',
        region: 'Gent',
        phone: '09 265 04 20',
        email: '',
      });
    expect(created.status).toBe(303);
    expect(created.headers.location).toContain('/directory?q=CAW%20Oost-Vlaanderen');
    const stored = await organisationNamed('CAW Oost-Vlaanderen');
    expect(stored).toMatchObject({ kind: 'caw', region: 'Gent', phone: '09 265 04 20', email: null });
    expect(await auditEventsOf(t.database.db, 'referral_organisation', stored!.id)).toEqual([
      { action: 'create', actor_user_id: coach.id, participant_id: null, details: { kind: 'caw' } },
    ]);

    const again = await agent.get('/directory/new');
    const duplicate = await agent
      .post('/directory/new')
      .type('form')
      .send({ ...formTokensFrom(again.text), name: ' caw oost-vlaanderen ', kind: 'other', region: 'Elders' });
    expect(duplicate.status).toBe(422);
    expect(duplicate.text).toContain('Deze organisatie staat al in de verwijsgids');
    expect(duplicate.text).toContain('value="Elders"');
    const count = await t.database.db
      .selectFrom('referral_organisations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('name', 'ilike', '%oost-vlaanderen%')
      .where('kind', '=', 'caw')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  test('a manager edits an entry against its version; a coach gets 404 and changes nothing', async () => {
    const id = await referralOrganisation(t.database.db, 'VDAB Gent', 'vdab');
    const coachAgent = await signedInAgent(t.app, coach);
    expect((await coachAgent.get(`/directory/${id}/edit`)).status).toBe(404);
    const csrf = await csrfToken(coachAgent, '/directory/new');
    const refused = await coachAgent
      .post(`/directory/${id}/edit`)
      .type('form')
      .send({ _csrf: csrf, name: 'Gekaapt', kind: 'vdab', version: '1' });
    expect(refused.status).toBe(404);

    const agent = await signedInAgent(t.app, manager);
    const form = await agent.get(`/directory/${id}/edit`);
    expect(form.status).toBe(200);
    const saved = await agent
      .post(`/directory/${id}/edit`)
      .type('form')
      .send({
        _csrf: csrfTokenFrom(form.text),
        version: versionFrom(form.text),
        name: 'VDAB Gent',
        kind: 'vdab',
        phone: '0800 30 700',
      });
    expect(saved.status).toBe(303);
    expect(await organisationNamed('VDAB Gent')).toMatchObject({ phone: '0800 30 700', version: 2 });
    const stale = await agent
      .post(`/directory/${id}/edit`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), version: versionFrom(form.text), name: 'VDAB Gent-Centrum', kind: 'vdab' });
    expect(stale.status).toBe(409);
    expect(await organisationNamed('VDAB Gent')).toMatchObject({ version: 2 });
  });
});

describe('the referral form', () => {
  test('adds a new organisation in place; a refused form keeps everything typed, the new organisation included', async () => {
    const participantId = await addParticipant('Inplaats');
    const agent = await signedInAgent(t.app, coach);
    const form = await agent.get(`/participants/${participantId}/referrals/new`);
    const typed = {
      serviceKind: 'housing',
      organisationId: 'new',
      newOrganisationName: 'Huurdersbond Gent-Zuid',
      newOrganisationKind: '',
      newOrganisationRegion: 'Gent',
      newOrganisationPhone: '09 111 22 33',
      reason: 'Huurachterstand en een opzeg.',
      referredOn: '23-11-2026',
      followUpOn: '07-12-2026',
      status: 'sent',
    };
    const refused = await agent
      .post(`/participants/${participantId}/referrals/new`)
      .type('form')
      .send({ ...formTokensFrom(form.text), ...typed });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Kies de soort van de nieuwe organisatie.');
    for (const value of ['Huurdersbond Gent-Zuid', 'Gent', '09 111 22 33', '2026-12-07'])
      expect(refused.text).toContain(`value="${value}"`);
    expect(refused.text).toContain('<option value="new" selected>');
    expect(refused.text).toContain('>Huurachterstand en een opzeg.</textarea>');
    expect(await organisationNamed('Huurdersbond Gent-Zuid')).toBeUndefined();

    const saved = await agent
      .post(`/participants/${participantId}/referrals/new`)
      .type('form')
      .send({ ...formTokensFrom(form.text), ...typed, newOrganisationKind: 'tenants_union' });
    expect(saved.status).toBe(303);
    const organisation = await organisationNamed('Huurdersbond Gent-Zuid');
    expect(organisation).toMatchObject({ kind: 'tenants_union', region: 'Gent', phone: '09 111 22 33' });
    const [referral] = await t.database.db
      .selectFrom('referrals')
      .selectAll()
      .where('participant_id', '=', participantId)
      .execute();
    expect(referral).toMatchObject({ organisation_id: organisation!.id, follow_up_on: '2026-12-07', service_kind: 'housing' });

    // The entry is in the list of the next form; the same name typed again links to it.
    const next = await agent.get(`/participants/${participantId}/referrals/new`);
    expect(readable(next.text)).toContain(`<option value="${organisation!.id}">Huurdersbond Gent-Zuid — Gent</option>`);
    const linked = await agent
      .post(`/participants/${participantId}/referrals/new`)
      .type('form')
      .send({
        ...formTokensFrom(next.text),
        ...typed,
        newOrganisationName: 'huurdersbond gent-zuid',
        newOrganisationKind: 'other',
      });
    expect(linked.status).toBe(303);
    const rows = await t.database.db
      .selectFrom('referrals')
      .select('organisation_id')
      .where('participant_id', '=', participantId)
      .execute();
    expect(rows.map((row) => row.organisation_id)).toEqual([organisation!.id, organisation!.id]);
  });

  test('a choice from the list and a typed new name at once, an unknown entry, or a follow-up before the referral are refused', async () => {
    const participantId = await addParticipant('Twijfel');
    const known = await referralOrganisation(t.database.db, 'OCMW Gent – sociale dienst', 'ocmw_social_work');
    const agent = await signedInAgent(t.app, coach);
    const base = { serviceKind: 'social_work', reason: 'Steun thuis.', referredOn: '20-11-2026', status: 'proposed' };
    const post = async (fields: Record<string, string>) => {
      const form = await agent.get(`/participants/${participantId}/referrals/new`);
      return agent
        .post(`/participants/${participantId}/referrals/new`)
        .type('form')
        .send({ ...formTokensFrom(form.text), ...base, ...fields });
    };
    const both = await post({ organisationId: String(known), newOrganisationName: 'Iets anders', newOrganisationKind: 'other' });
    expect(both.status).toBe(422);
    expect(both.text).toContain('niet allebei');
    const unknown = await post({ organisationId: '999999' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('staat niet (meer) in de verwijsgids');
    const early = await post({ organisationId: String(known), followUpOn: '19-11-2026' });
    expect(early.status).toBe(422);
    expect(early.text).toContain('De opvolgdatum ligt vóór de verwijsdatum.');
    expect(
      await t.database.db.selectFrom('referrals').select('id').where('participant_id', '=', participantId).execute(),
    ).toEqual([]);
  });
});

describe('follow-ups on /today', () => {
  test('a due follow-up shows until followed up; a date moved meanwhile stays; future, closed and other caseloads do not show', async () => {
    const lien = await addParticipant('Opvolging');
    const closed = await addParticipant('Gesloten', coach.id, 'closed');
    const others = await addParticipant('Ander', otherCoach.id);
    const caw = await referralOrganisation(t.database.db, 'CAW Oost-Vlaanderen – schuldbemiddeling', 'debt_mediation');
    const base = {
      service_kind: 'debt_counselling' as const,
      organisation_id: caw,
      reason: 'Schulden.',
      referred_on: '2026-11-02',
    };
    const dueToday = await insertReferral(t.database.db, {
      ...base,
      participant_id: lien,
      follow_up_on: '2026-11-23',
      created_by: coach.id,
    });
    const overdue = await insertReferral(t.database.db, {
      ...base,
      participant_id: lien,
      follow_up_on: '2026-11-16',
      created_by: coach.id,
    });
    await insertReferral(t.database.db, { ...base, participant_id: lien, follow_up_on: '2026-11-24', created_by: coach.id });
    await insertReferral(t.database.db, {
      ...base,
      participant_id: lien,
      follow_up_on: '2026-11-20',
      status: 'completed',
      closed_on: '2026-11-20',
      created_by: coach.id,
    });
    await insertReferral(t.database.db, { ...base, participant_id: closed, follow_up_on: '2026-11-20', created_by: coach.id });
    await insertReferral(t.database.db, {
      ...base,
      participant_id: others,
      follow_up_on: '2026-11-20',
      created_by: otherCoach.id,
    });

    const agent = await signedInAgent(t.app, coach);
    const today = await agent.get('/today');
    expect(today.status).toBe(200);
    // The jump list at the top leads there too.
    expect(today.text).toContain('<a href="#follow-ups">Verwijzingen opvolgen <span class="today-count">2</span></a>');
    const section = today.text.slice(today.text.indexOf('id="follow-ups"'));
    expect(section).toContain('Verwijzingen opvolgen <span class="today-count">2</span>');
    // The longest waiting first.
    expect(section.indexOf(`follow-up-${overdue}`)).toBeLessThan(section.indexOf(`follow-up-${dueToday}`));
    expect(section).toContain('Opvolgen sinds 16-11-2026');
    expect(section).toContain('Vandaag opvolgen');
    expect(readable(section)).toContain('Schuldhulpverlening bij CAW Oost-Vlaanderen – schuldbemiddeling');

    // Followed up: gone from /today, the date cleared and audited (dates only).
    const done = await agent
      .post(`/participants/${lien}/referrals/${dueToday}/follow-up-done`)
      .type('form')
      .send({ _csrf: formTokensFrom(today.text)._csrf, followUpOn: '2026-11-23', returnTo: 'today' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/today#follow-ups');
    const row = await t.database.db.selectFrom('referrals').selectAll().where('id', '=', dueToday).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ follow_up_on: null, version: 2 });
    const [event] = await auditEventsOf(t.database.db, 'referral', dueToday);
    expect(event).toMatchObject({
      action: 'update',
      participant_id: lien,
      details: { followUpDone: true, changedFields: ['followUpOn'] },
    });
    expect((await agent.get('/today')).text).not.toContain(`follow-up-${dueToday}`);

    // A stale button (the date was moved meanwhile) leaves the new date.
    await t.database.db.updateTable('referrals').set({ follow_up_on: '2026-11-30' }).where('id', '=', overdue).execute();
    const stale = await agent
      .post(`/participants/${lien}/referrals/${overdue}/follow-up-done`)
      .type('form')
      .send({ _csrf: formTokensFrom(today.text)._csrf, followUpOn: '2026-11-16', returnTo: 'today' });
    expect(stale.status).toBe(303);
    expect(
      (await t.database.db.selectFrom('referrals').select('follow_up_on').where('id', '=', overdue).executeTakeFirstOrThrow())
        .follow_up_on,
    ).toBe('2026-11-30');
    expect((await agent.get('/today')).text).not.toContain('id="follow-ups"');
  });

  test('one query, however many are due, and at most the limit listed with the full count', async () => {
    const busy = await createTestUser(t.database, { role: 'coach', team: 'Team Gent' });
    const organisation = await referralOrganisation(t.database.db, 'Huis van het Nederlands Gent', 'language_coaching');
    for (let n = 0; n < 25; n += 1) {
      const participant = await addParticipant(`Druk ${n}`, busy.id);
      await insertReferral(t.database.db, {
        participant_id: participant,
        service_kind: 'language_coaching',
        organisation_id: organisation,
        reason: 'Taal.',
        referred_on: '2026-11-02',
        follow_up_on: '2026-11-20',
        created_by: busy.id,
      });
    }
    const counter = new QueryCounter();
    const viewer = { userId: busy.id, role: 'coach' as const, teamId: null, today: '2026-11-23', timeZone: 'Europe/Amsterdam' };
    const team = await t.database.db.selectFrom('users').select('team_id').where('id', '=', busy.id).executeTakeFirstOrThrow();
    const due = await dueFollowUps(t.database.db.withPlugin(counter), { ...viewer, teamId: team.team_id }, 20);
    expect(counter.count).toBe(1);
    expect(due.rows).toHaveLength(20);
    expect(due.total).toBe(25);
    const page = await (await signedInAgent(t.app, busy)).get('/today');
    expect(page.text).toContain('En nog 5 verwijzingen om op te volgen');
  });
});
