import { en, nl, nlBE, translatorFor } from '../../src/messages';
import { FixedClock } from '../../src/lib/clock';
import { createFormatters } from '../../src/lib/format';
import { effectiveLocale, messageKeys } from '../../src/platform/i18n';
import { createTestUser, csrfToken, signedInAgent, startTestApp, type TestApp } from '../helpers/app';

// Flemish terms (issue 17, item 7): nl-BE holds only the words that differ and falls back to nl
// per key; a person's own language wins over their team's default, which wins over the
// organisation's (DEFAULT_LOCALE, nl in the tests).

describe('the nl-BE variant', () => {
  const t = translatorFor('nl-BE');

  test('holds only keys that nl has, and fewer of them', () => {
    const nlKeys = new Set(messageKeys(nl));
    const variantKeys = messageKeys(nlBE);
    expect(variantKeys.filter((key) => !nlKeys.has(key))).toEqual([]);
    expect(variantKeys.length).toBeGreaterThan(0);
    expect(variantKeys.length).toBeLessThan(nlKeys.size / 10);
  });

  test('says its own words where it has them and falls back to nl per key elsewhere', () => {
    expect(t('referrals.serviceKinds.debt_counselling')).toBe('Schuldbemiddeling');
    expect(translatorFor('nl')('referrals.serviceKinds.debt_counselling')).toBe('Schuldhulpverlening');
    expect(t('roles.coach')).toBe('Trajectbegeleider');
    // A sibling key the variant lacks, under a branch it has: from nl.
    expect(t('referrals.serviceKinds.housing')).toBe(nl.referrals.serviceKinds.housing);
    expect(t('roles.manager')).toBe(nl.roles.manager);
    // Interpolation and plurals fall back too.
    expect(t('referrals.section.open', { count: 2 })).toBe('2 lopende verwijzingen');
    // English has no fallback: a key it lacks would show itself (the completeness test keeps none missing).
    expect(translatorFor('en')('roles.coach')).toBe(en.roles.coach);
  });

  test('dates are written as Flemish readers do, dd/mm/yyyy', () => {
    const fmt = createFormatters('nl-BE', 'Europe/Brussels');
    expect(fmt.date('2026-11-23')).toBe('23/11/2026');
    expect(fmt.dateInput('2026-03-01')).toBe('01/03/2026');
    expect(fmt.number(1234.5, 1)).toBe(createFormatters('nl', 'Europe/Brussels').number(1234.5, 1));
  });
});

describe('which language a person reads', () => {
  test('own choice, then the team default, then the organisation default', () => {
    expect(effectiveLocale({ own: 'en', team: 'nl-BE', organisation: 'nl' })).toBe('en');
    expect(effectiveLocale({ own: null, team: 'nl-BE', organisation: 'nl' })).toBe('nl-BE');
    expect(effectiveLocale({ own: null, team: null, organisation: 'en' })).toBe('en');
    expect(effectiveLocale({ own: 'nl', team: 'nl-BE', organisation: 'en' })).toBe('nl');
  });

  describe('in the app', () => {
    const clock = new FixedClock('2026-11-23T09:00:00+01:00');
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ clock });
    });
    afterAll(() => t.close());

    const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

    test("the team's default applies without a choice of one's own; one's own choice wins; clearing it goes back", async () => {
      const flemish = await createTestUser(t.database, { role: 'coach', team: 'Team Gent BE', locale: null });
      const english = await createTestUser(t.database, { role: 'coach', team: 'Team Gent BE', locale: 'en' });
      const dutch = await createTestUser(t.database, { role: 'coach', team: 'Team Utrecht NL', locale: null });
      await t.database.db.updateTable('teams').set({ default_locale: 'nl-BE' }).where('name', '=', 'Team Gent BE').execute();

      const agent = await signedInAgent(t.app, flemish);
      const page = await agent.get('/participants/new');
      expect(htmlLang(page.text)).toBe('nl-BE');
      expect(page.text).toContain('Trajectbegeleider');
      expect(htmlLang((await (await signedInAgent(t.app, english)).get('/today')).text)).toBe('en');
      // No team default: the organisation's (nl).
      const dutchPage = await (await signedInAgent(t.app, dutch)).get('/participants/new');
      expect(htmlLang(dutchPage.text)).toBe('nl');
      expect(dutchPage.text).toContain('Jobcoach');

      // Their own choice wins over the team's; "team" clears it again.
      const token = await csrfToken(agent, '/account');
      await agent.post('/locale').type('form').send({ _csrf: token, locale: 'nl', returnTo: '/account' });
      expect(htmlLang((await agent.get('/account')).text)).toBe('nl');
      const account = await agent.get('/account');
      expect(account.text).toContain('<option value="nl" selected lang="nl">');
      expect(account.text).toContain('Standaardtaal van je team: Nederlands (België)');
      await agent
        .post('/locale')
        .type('form')
        .send({ _csrf: await csrfToken(agent, '/account'), locale: 'team', returnTo: '/account' });
      const back = await agent.get('/account');
      expect(htmlLang(back.text)).toBe('nl-BE');
      expect(back.text).toContain('<option value="team" selected>');
      const stored = await t.database.db
        .selectFrom('users')
        .select('locale')
        .where('id', '=', flemish.id)
        .executeTakeFirstOrThrow();
      expect(stored.locale).toBeNull();
    });

    test('a signed-out visitor keeps the language chosen in the header, nl-BE included', async () => {
      const { default: request } = await import('supertest');
      const visitor = request.agent(t.app);
      const token = await csrfToken(visitor, '/login');
      await visitor.post('/locale').type('form').send({ _csrf: token, locale: 'nl-BE', returnTo: '/login' });
      expect(htmlLang((await visitor.get('/login')).text)).toBe('nl-BE');
    });

    test('an administrator sets the team default on the team page', async () => {
      const admin = await createTestUser(t.database, { role: 'admin' });
      await createTestUser(t.database, { role: 'coach', team: 'Team Brugge' });
      const team = await t.database.db
        .selectFrom('teams')
        .select(['id', 'version'])
        .where('name', '=', 'Team Brugge')
        .executeTakeFirstOrThrow();
      const agent = await signedInAgent(t.app, admin);
      const page = await agent.get(`/admin/teams/${team.id}`);
      expect(page.text).toContain('Zoals de organisatie (Nederlands)');
      const saved = await agent
        .post(`/admin/teams/${team.id}`)
        .type('form')
        .send({
          _csrf: await csrfToken(agent, `/admin/teams/${team.id}`),
          name: 'Team Brugge',
          defaultLocale: 'nl-BE',
          version: String(team.version),
        });
      expect(saved.status).toBe(303);
      const stored = await t.database.db
        .selectFrom('teams')
        .select('default_locale')
        .where('id', '=', team.id)
        .executeTakeFirstOrThrow();
      expect(stored.default_locale).toBe('nl-BE');
    });
  });
});
