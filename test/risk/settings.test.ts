import { sql } from 'kysely';
import request from 'supertest';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from '../helpers/app';
import { auditEventsOf, postForm, versionFrom } from '../helpers/fixtures';

let t: TestApp;
let admin: UserFixture;
let coach: UserFixture;
let manager: UserFixture;

const DEFAULTS = {
  lastReachedAmberDays: '14',
  lastReachedRedDays: '28',
  unreachedAmberAttempts: '2',
  unreachedRedAttempts: '3',
  overdueAmberDays: '2',
  overdueRedDays: '7',
  noPlacementRedDays: '14',
  hoursLookbackWeeks: '8',
  hoursDropAmberPercent: '50',
  hoursDropRedPercent: '100',
  wellbeingLowScore: '2',
  wellbeingDropPoints: '2',
  wellbeingDropChecks: '3',
  endWarningDays: '30',
};

beforeAll(async () => {
  t = await startTestApp();
  admin = await createTestUser(t.database, { role: 'admin', displayName: 'Anna <b>Beheer</b>' });
  coach = await createTestUser(t.database, { role: 'coach' });
  manager = await createTestUser(t.database, { role: 'manager' });
});
afterAll(() => t.close());

function storedSettings() {
  return t.database.db.selectFrom('risk_settings').selectAll().executeTakeFirstOrThrow();
}

async function restoreDefaults() {
  await t.database.db
    .updateTable('risk_settings')
    .set({
      last_reached_amber_days: 14,
      last_reached_red_days: 28,
      unreached_amber_attempts: 2,
      unreached_red_attempts: 3,
      overdue_amber_days: 2,
      overdue_red_days: 7,
      no_placement_red_days: 14,
      hours_lookback_weeks: 8,
      hours_drop_amber_percent: 50,
      hours_drop_red_percent: 100,
      wellbeing_low_score: 2,
      wellbeing_drop_points: 2,
      wellbeing_drop_checks: 3,
      end_warning_days: 30,
    })
    .execute();
}

describe('/admin/settings', () => {
  test("the migration stores product.md's defaults in one row at version 1", async () => {
    const row = await storedSettings();
    expect(row).toMatchObject({
      id: 1,
      last_reached_amber_days: 14,
      last_reached_red_days: 28,
      unreached_amber_attempts: 2,
      unreached_red_attempts: 3,
      overdue_amber_days: 2,
      overdue_red_days: 7,
      no_placement_red_days: 14,
      hours_lookback_weeks: 8,
      hours_drop_amber_percent: 50,
      hours_drop_red_percent: 100,
      wellbeing_low_score: 2,
      wellbeing_drop_points: 2,
      wellbeing_drop_checks: 3,
      end_warning_days: 30,
      updated_by: null,
    });
    await expect(sql`insert into risk_settings (id) values (2)`.execute(t.database.db)).rejects.toThrow();
    await expect(
      t.database.db.updateTable('risk_settings').set({ last_reached_amber_days: 30, last_reached_red_days: 28 }).execute(),
    ).rejects.toThrow();
  });

  test('an admin sees every threshold with the defaults, and the menu links to it', async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get('/admin/settings');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Instellingen risicosignalen');
    for (const [field, value] of Object.entries(DEFAULTS)) {
      expect(page.text).toContain(`name="${field}" value="${value}"`);
    }
    expect(versionFrom(page.text)).toBe(String((await storedSettings()).version));
    expect(page.text).toContain('href="/admin/settings"');
    const coachAgent = await signedInAgent(t.app, coach);
    expect((await coachAgent.get('/participants')).text).not.toContain('href="/admin/settings"');
  });

  test.each([
    ['coach', () => coach],
    ['manager', () => manager],
  ])('a %s gets 404 and changes nothing', async (_role, user) => {
    const agent = await signedInAgent(t.app, user());
    expect((await agent.get('/admin/settings')).status).toBe(404);
    const before = await storedSettings();
    const posted = await postForm(
      agent,
      '/admin/settings',
      { ...DEFAULTS, lastReachedAmberDays: '3', version: String(before.version) },
      '/participants',
    );
    expect(posted.status).toBe(404);
    expect(await storedSettings()).toEqual(before);
  });

  test('signed out: to the login page', async () => {
    const response = await request(t.app).get('/admin/settings');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Fadmin%2Fsettings');
  });

  test('a save is stored with a new version, ignores crafted fields and is audited with old and new values', async () => {
    const agent = await signedInAgent(t.app, admin);
    const before = await storedSettings();
    const response = await postForm(agent, '/admin/settings', {
      ...DEFAULTS,
      lastReachedAmberDays: ' 10 ',
      hoursDropRedPercent: '90',
      version: String(before.version),
      id: '2',
      updated_by: '999',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/admin/settings?done=saved');
    const after = await storedSettings();
    expect(after).toMatchObject({
      id: 1,
      last_reached_amber_days: 10,
      hours_drop_red_percent: 90,
      version: before.version + 1,
      updated_by: admin.id,
    });
    const page = await agent.get(response.headers.location!);
    expect(page.text).toContain('De instellingen zijn opgeslagen.');
    expect(page.text).toContain('name="lastReachedAmberDays" value="10"');
    // The admin's name is shown, escaped.
    expect(page.text).toContain('Anna &lt;b&gt;Beheer&lt;/b&gt;');
    expect(page.text).not.toContain('Anna <b>Beheer</b>');
    const audit = await auditEventsOf(t.database.db, 'risk_settings', 1);
    expect(audit.at(-1)).toEqual({
      action: 'update',
      actor_user_id: admin.id,
      participant_id: null,
      details: {
        changed: ['lastReachedAmberDays', 'hoursDropRedPercent'],
        old: { lastReachedAmberDays: 14, hoursDropRedPercent: 100 },
        new: { lastReachedAmberDays: 10, hoursDropRedPercent: 90 },
      },
    });
    await restoreDefaults();
  });

  test.each([
    [
      'red not above amber',
      { lastReachedAmberDays: '28' },
      'lastReachedRedDays',
      'De drempel voor rood moet hoger zijn dan die voor oranje.',
    ],
    [
      'equal amber and red attempts',
      { unreachedAmberAttempts: '3' },
      'unreachedRedAttempts',
      'De drempel voor rood moet hoger zijn',
    ],
    ['a decimal', { overdueAmberDays: '1,5' }, 'overdueAmberDays', 'Vul een heel getal in'],
    ['out of range', { wellbeingLowScore: '5' }, 'wellbeingLowScore', 'Vul een getal in binnen het toegestane bereik.'],
    ['empty', { hoursLookbackWeeks: '' }, 'hoursLookbackWeeks', 'Vul dit veld in.'],
    ['text', { noPlacementRedDays: '<script>x</script>' }, 'noPlacementRedDays', 'Vul een heel getal in'],
  ])('%s: 422 with the message at the field, every typed value kept, nothing stored', async (_label, change, field, message) => {
    const agent = await signedInAgent(t.app, admin);
    const before = await storedSettings();
    const response = await postForm(agent, '/admin/settings', { ...DEFAULTS, ...change, version: String(before.version) });
    expect(response.status).toBe(422);
    expect(response.text).toContain(`id="${field}-error"`);
    expect(response.text).toContain(message);
    expect(response.text).toContain('error-summary');
    for (const [name, value] of Object.entries({ ...DEFAULTS, ...change })) {
      const escaped = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      expect(response.text).toContain(`name="${name}" value="${escaped}"`);
    }
    expect(response.text).not.toContain('<script>x</script>');
    expect(await storedSettings()).toEqual(before);
  });

  test('a stale version gets the conflict page with both versions; saving mine again works', async () => {
    const agent = await signedInAgent(t.app, admin);
    const page = await agent.get('/admin/settings');
    const staleVersion = versionFrom(page.text);
    const other = await signedInAgent(t.app, admin);
    expect((await postForm(other, '/admin/settings', { ...DEFAULTS, overdueRedDays: '9', version: staleVersion })).status).toBe(
      303,
    );

    const conflict = await agent
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), ...DEFAULTS, overdueRedDays: '5', version: staleVersion });
    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('Iemand anders heeft dit intussen gewijzigd');
    expect(conflict.text).toContain('Rood vanaf (dagen te laat)');
    expect((await storedSettings()).overdue_red_days).toBe(9);

    const resubmit = await agent
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: csrfTokenFrom(conflict.text), ...DEFAULTS, overdueRedDays: '5', version: versionFrom(conflict.text) });
    expect(resubmit.status).toBe(303);
    expect((await storedSettings()).overdue_red_days).toBe(5);
    await restoreDefaults();
  });

  test('in English', async () => {
    const english = await createTestUser(t.database, { role: 'admin', locale: 'en' });
    const agent = await signedInAgent(t.app, english);
    const page = await agent.get('/admin/settings');
    expect(page.text).toContain('Risk signal settings');
    expect(page.text).toContain('Red from a drop of (%; 100 is down to 0 hours)');
  });
});
