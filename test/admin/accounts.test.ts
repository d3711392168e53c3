import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../../src/lib/clock';
import { createTestUser, csrfToken, signIn, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { insertParticipant, openForm, versionFrom } from '../helpers/fixtures';

// An administrator runs the organisation's accounts and teams in the app: invite, the one-time
// set-password link, edit, team moves with the coach's participants, deactivation, teams.

const clock = new FixedClock('2026-12-01T09:00:00+01:00');
let t: TestApp;
let admin: UserFixture;
let adminAgent: TestAgent;
let teamNoord: number;
let teamZuid: number;

beforeAll(async () => {
  t = await startTestApp({ clock, env: { PUBLIC_URL: 'https://inbeeld.example.test', SESSION_ABSOLUTE_HOURS: '168' } });
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Ada Beheer' });
  await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Nina Noord' });
  await createTestUser(t.database, { role: 'coach', team: 'Team Zuid', displayName: 'Zeno Zuid' });
  const teams = await t.database.db.selectFrom('teams').select(['id', 'name']).execute();
  teamNoord = teams.find((team) => team.name === 'Team Noord')!.id;
  teamZuid = teams.find((team) => team.name === 'Team Zuid')!.id;
  adminAgent = await signedInAgent(t.app, admin);
});
afterAll(() => t.close());

const linkIn = (html: string) => /id="set-password-link" value="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

async function invite(fields: Record<string, string>) {
  const form = await openForm(adminAgent, '/admin/users/new');
  return adminAgent
    .post('/admin/users')
    .type('form')
    .send({ ...form, locale: 'nl', ...fields });
}

/** Invites a person and returns their id and the link shown once on their page. */
async function invited(fields: Record<string, string>): Promise<{ id: number; link: string }> {
  const response = await invite(fields);
  expect(response.status).toBe(303);
  const id = Number(/\/admin\/users\/(\d+)$/.exec(response.headers.location!)![1]);
  const page = await adminAgent.get(response.headers.location!);
  const link = linkIn(page.text);
  expect(link).toBeDefined();
  return { id, link: link! };
}

async function choosePassword(agent: TestAgent, link: string, password: string, confirm = password) {
  const url = new URL(link);
  const form = await agent.get(`${url.pathname}${url.search}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
  return agent
    .post('/set-password')
    .type('form')
    .send({ _csrf: csrf, token: tokenOf(link), password, confirmPassword: confirm });
}

describe('inviting someone', () => {
  test('makes the account without a password and shows a 72-hour link once, stored only as a hash', async () => {
    const response = await invite({
      displayName: 'Iris Invite',
      email: 'Iris@Example.test',
      role: 'coach',
      teamId: String(teamNoord),
    });
    expect(response.status).toBe(303);
    const page = await adminAgent.get(response.headers.location!);
    expect(page.text).toContain('Uitnodiging gemaakt');
    expect(page.text).toContain('tot 04-12-2026 09:00');
    const link = linkIn(page.text)!;
    expect(link).toMatch(/^https:\/\/inbeeld\.example\.test\/set-password\?token=[\w-]{43}$/);
    expect(page.text).toContain('InBeeld verstuurt geen e-mail');
    // Shown once: the next visit no longer has it.
    expect(linkIn((await adminAgent.get(response.headers.location!)).text)).toBeUndefined();

    const user = await t.database.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'iris@example.test')
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      display_name: 'Iris Invite',
      role: 'coach',
      team_id: teamNoord,
      password_hash: null,
      active: true,
    });
    const stored = await t.database.db.selectFrom('set_password_links').selectAll().where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(tokenOf(link));
    const actions = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('entity_type', '=', 'user')
      .where('entity_id', '=', String(user.id))
      .orderBy('id')
      .execute();
    expect(actions).toEqual([
      { action: 'invite', details: { role: 'coach', teamId: teamNoord, locale: 'nl' } },
      { action: 'issue_password_link', details: { purpose: 'invite' } },
    ]);
    // Without a password the account cannot be signed in to.
    expect((await signIn(request.agent(t.app), { email: 'iris@example.test', password: '' })).status).toBe(422);
  });

  test('sending the same form twice makes one account and no second link', async () => {
    const form = await openForm(adminAgent, '/admin/users/new');
    const fields = {
      ...form,
      displayName: 'Dubbel Klik',
      email: 'dubbel@example.test',
      role: 'manager',
      teamId: String(teamZuid),
      locale: 'en',
    };
    const first = await adminAgent.post('/admin/users').type('form').send(fields);
    const second = await adminAgent.post('/admin/users').type('form').send(fields);
    expect(second.status).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    const users = await t.database.db.selectFrom('users').select('id').where('email', '=', 'dubbel@example.test').execute();
    expect(users).toHaveLength(1);
    const links = await t.database.db.selectFrom('set_password_links').select('id').where('user_id', '=', users[0]!.id).execute();
    expect(links).toHaveLength(1);
  });

  test('refuses a missing name, a wrong email, a coach without a team and a taken email, keeping what was typed', async () => {
    const empty = await invite({ displayName: '', email: 'geen-adres', role: 'coach', teamId: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Vul dit veld in.');
    expect(empty.text).toContain('Vul een geldig e-mailadres in');
    expect(empty.text).toContain('value="geen-adres"');
    const noTeam = await invite({ displayName: 'Zonder Team', email: 'zonder@example.test', role: 'coach', teamId: '' });
    expect(noTeam.status).toBe(422);
    expect(noTeam.text).toContain('Een jobcoach of teamleider hoort bij een team.');
    const taken = await invite({ displayName: 'Ada Twee', email: admin.email.toUpperCase(), role: 'admin', teamId: '' });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('Er is al een account met dit e-mailadres.');
    expect(taken.text).toContain('value="Ada Twee"');
  });
});

describe('the set-password link', () => {
  test('the person chooses a password within the policy, is signed in and lands on their home page', async () => {
    const { id, link } = await invited({
      displayName: 'Sara Sterk',
      email: 'sara@example.test',
      role: 'coach',
      teamId: String(teamNoord),
    });
    const browser = request.agent(t.app);
    const page = await browser.get(new URL(link).pathname + new URL(link).search);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Welkom, Sara Sterk.');

    for (const [password, reason] of [
      ['password1234', 'Dit lijkt te veel op een veelgebruikt wachtwoord.'],
      ['aaaaaaaaaaaa', 'Herhaalde tekens, zoals &#34;aaa&#34;, zijn makkelijk te raden.'],
      ['sara sterk is de beste', 'Het wachtwoord mag je naam of e-mailadres niet bevatten.'],
      ['kort', 'Het wachtwoord moet minstens 12 tekens lang zijn.'],
    ] as const) {
      const refused = await choosePassword(browser, link, password);
      expect(refused.status).toBe(422);
      expect(refused.text).toContain(reason);
      expect(refused.text).not.toContain(`value="${password}"`);
    }
    const mismatch = await choosePassword(browser, link, 'groene fietsen langs de gracht', 'anders');
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('niet gelijk');

    const chosen = await choosePassword(browser, link, 'groene fietsen langs de gracht');
    expect(chosen.status).toBe(303);
    expect(chosen.headers.location).toBe('/today');
    expect((await browser.get('/today')).status).toBe(200);
    const row = await t.database.db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(
      (await signIn(request.agent(t.app), { email: 'sara@example.test', password: 'groene fietsen langs de gracht' })).status,
    ).toBe(303);

    // Single use: the link says so, and nothing changes.
    const again = await request.agent(t.app).get(new URL(link).pathname + new URL(link).search);
    expect(again.status).toBe(410);
    expect(again.text).toContain('De link is al gebruikt');
    expect(again.text).toContain('Vraag je beheerder om een nieuwe link.');
  });

  test('after 72 hours the link has expired; a new link replaces the old one', async () => {
    const { id, link } = await invited({
      displayName: 'Tom Traag',
      email: 'tom@example.test',
      role: 'coach',
      teamId: String(teamZuid),
    });
    clock.advance({ hours: 73 });
    try {
      const late = await request.agent(t.app).get(new URL(link).pathname + new URL(link).search);
      expect(late.status).toBe(410);
      expect(late.text).toContain('De link is verlopen');
      const csrf = await csrfToken(adminAgent, `/admin/users/${id}`);
      const fresh = await adminAgent.post(`/admin/users/${id}/password-link`).type('form').send({ _csrf: csrf });
      expect(fresh.status).toBe(303);
      const newLink = linkIn((await adminAgent.get(`/admin/users/${id}`)).text)!;
      expect(newLink).not.toBe(link);
      const second = await adminAgent.post(`/admin/users/${id}/password-link`).type('form').send({ _csrf: csrf });
      expect(second.status).toBe(303);
      const newest = linkIn((await adminAgent.get(`/admin/users/${id}`)).text)!;
      // Only the newest one works.
      expect((await request.agent(t.app).get(new URL(newLink).pathname + new URL(newLink).search)).status).toBe(410);
      expect((await request.agent(t.app).get(new URL(newest).pathname + new URL(newest).search)).status).toBe(200);
    } finally {
      clock.advance({ hours: -73 });
    }
  });

  test('an unknown token says the link does not work', async () => {
    const response = await request.agent(t.app).get('/set-password?token=nonsense');
    expect(response.status).toBe(410);
    expect(response.text).toContain('Deze link werkt niet meer');
  });
});

describe('editing a person', () => {
  test('changes name, email, role and language against the version, audited by field', async () => {
    const { id } = await invited({
      displayName: 'Edo Edit',
      email: 'edo@example.test',
      role: 'coach',
      teamId: String(teamNoord),
    });
    const form = await adminAgent.get(`/admin/users/${id}`);
    const version = versionFrom(form.text);
    const token = await csrfToken(adminAgent, `/admin/users/${id}`);
    const fields = {
      _csrf: token,
      displayName: 'Edo Bewerkt',
      email: 'edo.b@example.test',
      role: 'manager',
      teamId: String(teamNoord),
      locale: 'en',
    };
    const saved = await adminAgent
      .post(`/admin/users/${id}`)
      .type('form')
      .send({ ...fields, version });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/admin/users/${id}?done=updated`);
    const row = await t.database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      display_name: 'Edo Bewerkt',
      email: 'edo.b@example.test',
      role: 'manager',
      locale: 'en',
      version: 2,
    });
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'update')
      .where('entity_type', '=', 'user')
      .where('entity_id', '=', String(id))
      .executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ changed: ['displayName', 'email', 'role', 'locale'] });

    // The same stale form again: nothing changes, both versions are shown.
    const stale = await adminAgent
      .post(`/admin/users/${id}`)
      .type('form')
      .send({ ...fields, displayName: 'Edo Oud', version });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Edo Oud');
    expect(stale.text).toContain('Edo Bewerkt');
  });

  test('the last active administrator keeps the role', async () => {
    const token = await csrfToken(adminAgent, `/admin/users/${admin.id}`);
    const version = versionFrom((await adminAgent.get(`/admin/users/${admin.id}`)).text);
    const response = await adminAgent
      .post(`/admin/users/${admin.id}`)
      .type('form')
      .send({
        _csrf: token,
        displayName: admin.displayName,
        email: admin.email,
        role: 'manager',
        teamId: String(teamNoord),
        locale: 'nl',
        version,
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Dit is de laatste actieve beheerder.');
    const row = await t.database.db.selectFrom('users').select('role').where('id', '=', admin.id).executeTakeFirstOrThrow();
    expect(row.role).toBe('admin');
  });
});

describe('moving a coach to another team', () => {
  async function coachWithParticipants(name: string) {
    const coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: name });
    const ids = [];
    for (const first of ['Anna', 'Bram']) {
      ids.push(
        await insertParticipant(t.database.db, { first_name: first, last_name: name, coach_id: coach.id, status: 'active' }),
      );
    }
    await insertParticipant(t.database.db, {
      first_name: 'Cor',
      last_name: name,
      coach_id: coach.id,
      status: 'closed',
      closed_on: '2026-10-01',
    });
    return { coach, ids };
  }

  async function move(userId: number, extra: Record<string, string>) {
    const page = await adminAgent.get(`/admin/users/${userId}`);
    const token = await csrfToken(adminAgent, `/admin/users/${userId}`);
    const user = await t.database.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
    return adminAgent
      .post(`/admin/users/${userId}`)
      .type('form')
      .send({
        _csrf: token,
        displayName: user.display_name,
        email: user.email,
        role: 'coach',
        teamId: String(teamZuid),
        locale: 'nl',
        version: versionFrom(page.text),
        ...extra,
      });
  }

  const coachesOf = (ids: number[]) =>
    t.database.db
      .selectFrom('participants')
      .select('coach_id')
      .where('id', 'in', ids)
      .execute()
      .then((rows) => rows.map((row) => row.coach_id));

  test('asks what happens to the participants, and they can move along', async () => {
    const { coach, ids } = await coachWithParticipants('Mover');
    const page = await adminAgent.get(`/admin/users/${coach.id}`);
    expect(page.text).toContain('2 lopende deelnemers van Mover');
    const unanswered = await move(coach.id, {});
    expect(unanswered.status).toBe(422);
    expect(unanswered.text).toContain('kies of de deelnemers meegaan of naar een collega gaan');
    expect(
      (await t.database.db.selectFrom('users').select('team_id').where('id', '=', coach.id).executeTakeFirstOrThrow()).team_id,
    ).toBe(teamNoord);

    expect((await move(coach.id, { participantsGo: 'stay' })).status).toBe(303);
    expect(
      (await t.database.db.selectFrom('users').select('team_id').where('id', '=', coach.id).executeTakeFirstOrThrow()).team_id,
    ).toBe(teamZuid);
    expect(await coachesOf(ids)).toEqual([coach.id, coach.id]);
  });

  test('or go to a chosen coach of the old team, in the same transaction, each reassignment audited', async () => {
    const { coach, ids } = await coachWithParticipants('Vertrekker');
    const colleague = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('display_name', '=', 'Nina Noord')
      .executeTakeFirstOrThrow();
    const wrongColleague = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('display_name', '=', 'Zeno Zuid')
      .executeTakeFirstOrThrow();
    const refused = await move(coach.id, { participantsGo: 'reassign', reassignTo: String(wrongColleague.id) });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Kies een actieve jobcoach van het team.');
    expect(await coachesOf(ids)).toEqual([coach.id, coach.id]);

    expect((await move(coach.id, { participantsGo: 'reassign', reassignTo: String(colleague.id) })).status).toBe(303);
    expect(await coachesOf(ids)).toEqual([colleague.id, colleague.id]);
    const reassigned = await t.database.db
      .selectFrom('audit_events')
      .select(['participant_id', 'details'])
      .where('action', '=', 'reassign')
      .where('participant_id', 'in', ids)
      .orderBy('participant_id')
      .execute();
    expect(reassigned).toEqual(
      ids.map((id) => ({ participant_id: id, details: { fromCoachId: coach.id, toCoachId: colleague.id } })),
    );
    const update = await t.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'update')
      .where('entity_type', '=', 'user')
      .where('entity_id', '=', String(coach.id))
      .executeTakeFirstOrThrow();
    expect(update.details).toEqual({
      changed: ['teamId'],
      fromTeamId: teamNoord,
      toTeamId: teamZuid,
      participantsTo: colleague.id,
      participantsMoved: 2,
    });
  });

  test('deactivating a coach with participants hands them to a colleague first', async () => {
    const { coach, ids } = await coachWithParticipants('Stopper');
    const colleague = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('display_name', '=', 'Nina Noord')
      .executeTakeFirstOrThrow();
    const confirm = await adminAgent.get(`/admin/users/${coach.id}/deactivate`);
    expect(confirm.text).toContain('nog 2 lopende deelnemers');
    const token = await csrfToken(adminAgent, `/admin/users/${coach.id}/deactivate`);
    const without = await adminAgent.post(`/admin/users/${coach.id}/deactivate`).type('form').send({ _csrf: token });
    expect(without.status).toBe(422);
    expect(
      (await t.database.db.selectFrom('users').select('active').where('id', '=', coach.id).executeTakeFirstOrThrow()).active,
    ).toBe(true);
    const done = await adminAgent
      .post(`/admin/users/${coach.id}/deactivate`)
      .type('form')
      .send({ _csrf: token, reassignTo: String(colleague.id) });
    expect(done.status).toBe(303);
    expect(
      (await t.database.db.selectFrom('users').select('active').where('id', '=', coach.id).executeTakeFirstOrThrow()).active,
    ).toBe(false);
    expect(await coachesOf(ids)).toEqual([colleague.id, colleague.id]);
  });
});

describe('the people list', () => {
  test('searches by name or email and filters by role and status', async () => {
    const byName = await adminAgent.get('/admin/users?q=nina');
    expect(byName.text).toContain('Nina Noord');
    expect(byName.text).not.toContain('Zeno Zuid');
    const byEmail = await adminAgent.get(`/admin/users?q=${encodeURIComponent(admin.email)}`);
    expect(byEmail.text).toContain('Ada Beheer');
    const managers = await adminAgent.get('/admin/users?role=manager');
    expect(managers.text).not.toContain('Nina Noord');
    const nobody = await adminAgent.get('/admin/users?q=niemand-heet-zo');
    expect(nobody.text).toContain('Niemand gevonden met deze zoekopdracht.');
  });
});

describe('teams', () => {
  test('an administrator creates and renames a team; names are unique whatever their case', async () => {
    const list = await openForm(adminAgent, '/admin/teams');
    const created = await adminAgent
      .post('/admin/teams')
      .type('form')
      .send({ ...list, name: 'Team West' });
    expect(created.status).toBe(303);
    const teamPath = created.headers.location!.split('?')[0]!;
    const again = await openForm(adminAgent, '/admin/teams');
    const duplicate = await adminAgent
      .post('/admin/teams')
      .type('form')
      .send({ ...again, name: 'team west' });
    expect(duplicate.status).toBe(422);
    expect(duplicate.text).toContain('Er is al een team met deze naam.');

    const page = await adminAgent.get(teamPath);
    expect(page.text).toContain('Dit team heeft nog geen leden.');
    const token = await csrfToken(adminAgent, teamPath);
    const version = versionFrom(page.text);
    expect((await adminAgent.post(teamPath).type('form').send({ _csrf: token, name: 'Team West-Utrecht', version })).status).toBe(
      303,
    );
    const stale = await adminAgent.post(teamPath).type('form').send({ _csrf: token, name: 'Team Westen', version });
    expect(stale.status).toBe(409);
    expect((await adminAgent.get('/admin/teams')).text).toContain('Team West-Utrecht');
  });

  test('a team shows its members with their open participants, and the list counts them', async () => {
    const list = await adminAgent.get('/admin/teams');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Team Noord');
    const noord = await adminAgent.get(`/admin/teams/${teamNoord}`);
    expect(noord.text).toContain('Nina Noord');
    expect(noord.text).toContain('Jobcoach');
  });
});

describe('passwords on /account', () => {
  test('the same policy refuses a weak, personal or unchanged new password and says why', async () => {
    const coach = await createTestUser(t.database, { role: 'coach', team: 'Team Noord', displayName: 'Pieter Wachtwoord' });
    const agent = await signedInAgent(t.app, coach);
    const token = await csrfToken(agent, '/account');
    for (const [newPassword, reason] of [
      ['password1234', 'Dit lijkt te veel op een veelgebruikt wachtwoord.'],
      ['aaaaaaaaaaaa', 'Herhaalde tekens'],
      ['pieter is de beste coach', 'Het wachtwoord mag je naam of e-mailadres niet bevatten.'],
      [coach.password, 'Kies een ander wachtwoord dan je huidige.'],
    ] as const) {
      const response = await agent
        .post('/account/password')
        .type('form')
        .send({ _csrf: token, currentPassword: coach.password, newPassword, confirmPassword: newPassword });
      expect(response.status).toBe(422);
      expect(response.text).toContain(reason);
    }
  });
});
