import request from 'supertest';
import { DateTime } from 'luxon';
import { DEMO_PASSWORD, DEMO_USERS, NotADemoDatabaseError, seedDemo, seedDemoIfEmpty } from '../../src/demo/service';
import { PAUSED_COOK } from '../../src/demo/caseload';
import { LIEN } from '../../src/demo/lien';
import { DEMO_PERSONAS, demoPersona, type DemoPersona, type RiskSignal } from '../../src/demo/history';
import { LIFE_DOMAINS } from '../../src/db/schema';
import { participantFigures, signalsOf, todaySectionOf, type ParticipantFigures } from './figures';
import { signedInAgent } from '../helpers/app';
import { createLogger } from '../../src/lib/logger';
import { createTestUser, signIn, startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
// The test app's clock stands at 23-11-2026 09:00 in Amsterdam.
const today = DateTime.fromISO('2026-11-23T09:00:00', { zone: 'Europe/Amsterdam' });

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('demo seed', () => {
  test('an empty database gets an admin, two managers and six coaches in two teams', async () => {
    expect(await seedDemoIfEmpty(t.database.db, createLogger('silent'), today)).toBe(true);
    const users = await t.database.db
      .selectFrom('users')
      .leftJoin('teams', 'teams.id', 'users.team_id')
      .select(['users.email', 'users.role', 'teams.name as team'])
      .execute();
    expect(users).toHaveLength(9);
    expect(users.filter((u) => u.role === 'admin')).toHaveLength(1);
    expect(users.filter((u) => u.role === 'manager')).toHaveLength(2);
    expect(users.filter((u) => u.role === 'coach')).toHaveLength(6);
    expect(new Set(users.filter((u) => u.team).map((u) => u.team))).toEqual(new Set(['Team Utrecht', 'Team Gent']));
    expect(users.map((u) => u.email)).toEqual(
      expect.arrayContaining(['admin@example.org', 'manager@example.org', 'coach@example.org']),
    );
  });

  test.each(DEMO_USERS.map((user) => [user.email, user.role === 'coach' ? '/today' : '/dashboard']))(
    '%s signs in with the demo password and lands on %s',
    async (email, landing) => {
      const agent = request.agent(t.app);
      expect((await signIn(agent, { email, password: DEMO_PASSWORD })).status).toBe(303);
      expect((await agent.get('/')).headers.location).toBe(landing);
    },
  );

  test('the caseload: about 60 participants over six coaches, 20 employers, three kinds of commissioner', async () => {
    // Ten per coach, and Lien's scripted story (lien.ts) as an eleventh of coach4.
    const db = t.database.db;
    const perCoach = await db
      .selectFrom('participants')
      .innerJoin('users', 'users.id', 'participants.coach_id')
      .select(['users.email', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('users.email')
      .execute();
    expect(perCoach).toHaveLength(6);
    expect(perCoach.reduce((sum, row) => sum + Number(row.n), 0)).toBe(61);
    expect(Number(perCoach.find((row) => row.email === 'coach4@example.org')!.n)).toBe(11);
    const employers = await db.selectFrom('employers').select(['sector']).execute();
    expect(employers).toHaveLength(20);
    expect(new Set(employers.map((e) => e.sector))).toEqual(
      new Set([
        'hospitality',
        'retail',
        'cleaning',
        'bicycle_repair',
        'care',
        'green_maintenance',
        'logistics',
        'manufacturing',
        'public_sector',
      ]),
    );
    const supervisors = await db.selectFrom('employer_contacts').where('role', '=', 'supervisor').select('id').execute();
    expect(supervisors).toHaveLength(20);
    const kinds = await db
      .selectFrom('trajectories')
      .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
      .select('commissioners.kind')
      .distinct()
      .execute();
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['uwv', 'municipality', 'ocmw']));
    const hoursChanges = await db.selectFrom('placement_hours').select('placement_id').execute();
    expect(hoursChanges.length).toBeGreaterThan(40);
  });

  test('the restaurant cook went from 40 hours to 0 when the placement was paused, and his coach sees it', async () => {
    const cook = await t.database.db
      .selectFrom('participants')
      .select('id')
      .where('first_name', '=', PAUSED_COOK.firstName)
      .where('last_name', '=', PAUSED_COOK.lastName)
      .executeTakeFirstOrThrow();
    const placement = await t.database.db
      .selectFrom('placements')
      .innerJoin('employers', 'employers.id', 'placements.employer_id')
      .select(['placements.id', 'placements.status', 'employers.sector'])
      .where('participant_id', '=', cook.id)
      .executeTakeFirstOrThrow();
    expect(placement).toMatchObject({ status: 'paused', sector: 'hospitality' });
    const hours = await t.database.db
      .selectFrom('placement_hours')
      .select(['hours_per_week'])
      .where('placement_id', '=', placement.id)
      .orderBy('effective_from')
      .execute();
    expect(hours.map((h) => Number(h.hours_per_week))).toEqual([24, 40, 0]);
    const agent = await signedInAgent(t.app, { email: 'coach@example.org', password: DEMO_PASSWORD } as never);
    const profile = await agent.get(`/participants/${cook.id}`);
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('Restaurant De Gouden Lepel');
    expect(profile.text).toContain('Gepauzeerd sinds');
    expect(profile.text).toContain('0 uur per week');
    // Nine open participants and one closed one.
    expect((await agent.get('/participants')).text).toContain('9 deelnemers');
    expect((await agent.get('/participants?status=all')).text).toContain('10 deelnemers');
  });

  describe('six months of history', () => {
    const todayIso = today.toISODate()!;
    const sixMonthsAgo = today.minus({ months: 6 }).toISODate()!;
    const localDate = (at: Date) => DateTime.fromJSDate(at, { zone: 'Europe/Amsterdam' }).toISODate()!;
    const db = () => t.database.db;

    async function participants() {
      return db()
        .selectFrom('participants')
        .innerJoin('users', 'users.id', 'participants.coach_id')
        .leftJoin('trajectories', 'trajectories.participant_id', 'participants.id')
        .select([
          'participants.id',
          'participants.first_name',
          'participants.last_name',
          'participants.status',
          'participants.coach_id',
          'users.team_id',
          'users.email as coach_email',
          'trajectories.start_date',
          'trajectories.actual_end_date',
        ])
        .orderBy('participants.id')
        .execute();
    }

    async function contacts() {
      return db()
        .selectFrom('contact_moments')
        .innerJoin('users', 'users.id', 'contact_moments.author_id')
        .selectAll('contact_moments')
        .select(['users.team_id as author_team_id'])
        .orderBy('occurred_at')
        .orderBy('id')
        .execute();
    }

    async function personaId(persona: Pick<DemoPersona, 'firstName' | 'lastName'>): Promise<number> {
      const row = await db()
        .selectFrom('participants')
        .select('id')
        .where('first_name', '=', persona.firstName)
        .where('last_name', '=', persona.lastName)
        .executeTakeFirstOrThrow();
      return row.id;
    }

    async function figuresOf(persona: DemoPersona): Promise<ParticipantFigures> {
      const id = await personaId(persona);
      return (await participantFigures(db(), [id], todayIso)).get(id)!;
    }

    test('every participant not in intake has contacts, within the trajectory and before today, for up to six months', async () => {
      const people = await participants();
      const all = await contacts();
      const counts = people.map((person) => ({
        name: `${person.first_name} ${person.last_name}`,
        status: person.status,
        contacts: all.filter((contact) => contact.participant_id === person.id).length,
      }));
      // A call a week, a visit a month and the odd retry: 15–60 contacts in six months (closed
      // participants' history stops at their closing, 3–8 weeks ago); none in intake.
      const outOfRange = counts.filter(({ status, contacts }) =>
        status === 'intake' ? contacts !== 0 : contacts < (status === 'closed' ? 10 : 15) || contacts > 60,
      );
      expect(outOfRange).toEqual([]);
      // Within one of the participant's trajectories (Lien has two: OCMW, then VDAB).
      for (const person of people) {
        const trajectories = people.filter((row) => row.id === person.id);
        for (const contact of all.filter((candidate) => candidate.participant_id === person.id)) {
          const date = localDate(contact.occurred_at);
          expect(date < todayIso).toBe(true);
          expect(date >= sixMonthsAgo).toBe(true);
          expect(
            trajectories.some((row) => date >= row.start_date! && (row.actual_end_date === null || date <= row.actual_end_date)),
          ).toBe(true);
        }
      }
      const active = people.filter((person) => person.status === 'active');
      const perActive = active.map((person) => all.filter((contact) => contact.participant_id === person.id).length);
      expect(perActive.reduce((sum, n) => sum + n, 0) / active.length).toBeGreaterThan(25);
    });

    test('the rhythm: weekly calls, monthly workplace visits with the supervisor, failed attempts and call-backs', async () => {
      const all = await contacts();
      const count = (predicate: (contact: (typeof all)[number]) => boolean) => all.filter(predicate).length;
      expect(new Set(all.map((contact) => contact.outcome))).toEqual(
        new Set(['reached', 'not_reached', 'voicemail', 'callback_requested']),
      );
      expect(new Set(all.map((contact) => contact.channel))).toEqual(
        new Set(['phone', 'video', 'workplace_visit', 'home_visit', 'office', 'message']),
      );
      expect(count((contact) => contact.channel === 'phone') / all.length).toBeGreaterThan(0.6);
      expect(count((contact) => contact.outcome === 'not_reached' || contact.outcome === 'voicemail')).toBeGreaterThan(100);

      // Durations: calls 10–20 minutes, visits 45–60, attempts that reached nobody 0.
      for (const contact of all) {
        if (contact.outcome === 'not_reached' || contact.outcome === 'voicemail') expect(contact.duration_minutes).toBe(0);
        else if (contact.outcome === 'callback_requested') expect(contact.duration_minutes).toBeLessThanOrEqual(5);
        else if (contact.channel === 'phone' || contact.channel === 'video')
          expect(contact.duration_minutes).toBeGreaterThanOrEqual(10);
        if (contact.outcome === 'reached' && (contact.channel === 'phone' || contact.channel === 'video'))
          expect(contact.duration_minutes).toBeLessThanOrEqual(20);
        if (['workplace_visit', 'office', 'home_visit'].includes(contact.channel) && contact.outcome === 'reached') {
          expect(contact.duration_minutes).toBeGreaterThanOrEqual(45);
          expect(contact.duration_minutes).toBeLessThanOrEqual(60);
        }
        if (contact.outcome === 'reached' || contact.outcome === 'callback_requested') expect(contact.summary).toBeTruthy();
      }

      // Workplace visits with the employer name the employer and the supervisor of the placement.
      const employerVisits = all.filter((contact) => contact.channel === 'workplace_visit' && contact.counterpart === 'employer');
      expect(employerVisits.length).toBeGreaterThan(50);
      const placements = await db()
        .selectFrom('placements')
        .select(['participant_id', 'employer_id', 'supervisor_contact_id'])
        .execute();
      for (const visit of employerVisits) {
        expect(placements).toContainEqual({
          participant_id: visit.participant_id,
          employer_id: visit.employer_id,
          supervisor_contact_id: visit.employer_contact_id,
        });
      }

      // A call-back request is followed, the same day, by a reached call at the time it planned.
      const callbacks = all.filter((contact) => contact.outcome === 'callback_requested');
      expect(callbacks.length).toBeGreaterThan(20);
      for (const callback of callbacks) {
        const following = all.find(
          (contact) => contact.participant_id === callback.participant_id && contact.occurred_at > callback.occurred_at,
        )!;
        expect(following.outcome).toBe('reached');
        expect(localDate(following.occurred_at)).toBe(localDate(callback.occurred_at));
        expect(callback.next_contact_date).toBe(localDate(following.occurred_at));
        expect(callback.next_contact_time?.slice(0, 5)).toBe(
          DateTime.fromJSDate(following.occurred_at, { zone: 'Europe/Amsterdam' }).toFormat('HH:mm'),
        );
      }

      // Wellbeing checks now and then, always with all four scores.
      const checks = all.filter((contact) => contact.wellbeing_mood !== null);
      expect(checks.length).toBeGreaterThan(100);
      expect(checks.length / all.length).toBeLessThan(0.25);
      for (const contact of all) {
        const scores = [contact.wellbeing_mood, contact.wellbeing_rhythm, contact.wellbeing_social, contact.wellbeing_activity];
        expect(
          scores.every((score) => score === null) || scores.every((score) => score !== null && score >= 1 && score <= 5),
        ).toBe(true);
      }
    });

    test('authors are the coach or, now and then, a colleague of the same team; Gent reads Flemish', async () => {
      const people = await participants();
      const all = await contacts();
      const byId = new Map(people.map((person) => [person.id, person]));
      let byColleague = 0;
      for (const contact of all) {
        const person = byId.get(contact.participant_id)!;
        expect(contact.author_team_id).toBe(person.team_id);
        if (contact.author_id !== person.coach_id) byColleague += 1;
      }
      expect(byColleague).toBeGreaterThan(20);
      expect(byColleague / all.length).toBeLessThan(0.1);

      const teams = await db().selectFrom('teams').select(['id', 'name']).execute();
      const gent = teams.find((team) => team.name === 'Team Gent')!.id;
      const flemish = /goesting|gebabbeld|overlopen|fier op|gsm/;
      const summaries = (inGent: boolean) =>
        all
          .filter((contact) => (byId.get(contact.participant_id)!.team_id === gent) === inGent)
          .map((contact) => contact.summary ?? '');
      expect(summaries(true).filter((summary) => flemish.test(summary)).length).toBeGreaterThan(20);
      expect(summaries(false).filter((summary) => flemish.test(summary))).toEqual([]);
    });

    test("each open participant's latest contact plans the next one, unless the demo means otherwise", async () => {
      const people = await participants();
      const all = await contacts();
      const withoutPlan = [demoPersona('no_contact_planned'), demoPersona('unreached_amber')].map((p) => p.firstName);
      for (const person of people.filter((candidate) => candidate.status === 'active' || candidate.status === 'paused')) {
        const own = all.filter((contact) => contact.participant_id === person.id);
        const latest = own[own.length - 1]!;
        if (withoutPlan.includes(person.first_name)) expect(latest.next_contact_date).toBeNull();
        else expect(latest.next_contact_date).not.toBeNull();
        // Planning is consistent: never before the contact that planned it.
        for (const contact of own) {
          if (contact.next_contact_date) expect(contact.next_contact_date >= localDate(contact.occurred_at)).toBe(true);
        }
      }
      for (const person of people.filter((candidate) => candidate.status === 'closed')) {
        const own = all.filter((contact) => contact.participant_id === person.id);
        expect(own[own.length - 1]!.next_contact_date).toBeNull();
      }
    });

    test('plenty of healthy participants: reached this week, a follow-up planned, no risk signal', async () => {
      const people = (await participants()).filter((person) => person.status === 'active');
      const figures = await participantFigures(
        db(),
        people.map((person) => person.id),
        todayIso,
      );
      const healthy = [...figures.values()].filter(
        (f) => f.daysSinceReached! <= 7 && f.overdueDays !== null && f.overdueDays <= 0 && Object.keys(signalsOf(f)).length === 0,
      );
      expect(healthy.length).toBeGreaterThanOrEqual(15);
    });

    test('the cook was reached every week until the pause, then once, then no more', async () => {
      const cook = await personaId(PAUSED_COOK);
      const placement = await db()
        .selectFrom('placements')
        .select(['paused_since', 'employer_id'])
        .where('participant_id', '=', cook)
        .executeTakeFirstOrThrow();
      const pausedSince = placement.paused_since!;
      expect(pausedSince).toBe(today.minus({ weeks: 5 }).toISODate());
      const own = (await contacts()).filter((contact) => contact.participant_id === cook);
      const withHim = own.filter((contact) => contact.counterpart === 'participant');
      const before = withHim.filter((contact) => localDate(contact.occurred_at) < pausedSince);
      const after = withHim.filter((contact) => localDate(contact.occurred_at) >= pausedSince);

      // Before the pause: reached nearly every week for months.
      expect(before.filter((contact) => contact.outcome === 'reached').length).toBeGreaterThanOrEqual(20);
      // After it: one talk a few days later, with a wellbeing check that collapsed...
      expect(after[0]).toMatchObject({ outcome: 'reached', wellbeing_social: 2, wellbeing_rhythm: 2 });
      const daysAfterPause = DateTime.fromISO(localDate(after[0]!.occurred_at)).diff(DateTime.fromISO(pausedSince), 'days').days;
      expect(daysAfterPause).toBeGreaterThan(0);
      expect(daysAfterPause).toBeLessThanOrEqual(7);
      // ...then only attempts that reached nobody: calls, voicemails, an app message, a closed door.
      const attempts = after.slice(1);
      expect(attempts.length).toBeGreaterThanOrEqual(6);
      expect(new Set(attempts.map((contact) => contact.outcome))).toEqual(new Set(['not_reached', 'voicemail']));
      expect(new Set(attempts.map((contact) => contact.channel))).toEqual(new Set(['phone', 'message', 'home_visit']));
      expect(attempts.every((contact) => contact.duration_minutes === 0)).toBe(true);
      // The employer was reached after the pause; that does not count as reaching him.
      expect(
        own.filter(
          (contact) =>
            contact.counterpart === 'employer' && contact.outcome === 'reached' && localDate(contact.occurred_at) >= pausedSince,
        ).length,
      ).toBe(2);

      const figures = await figuresOf(demoPersona('paused_cook'));
      expect(figures.daysSinceReached).toBeGreaterThanOrEqual(28);
      expect(figures.daysSinceReached).toBeLessThan(35);
      expect(figures.unreachedInARow).toBe(attempts.length);
      expect(figures.hasActivePlacement).toBe(false);
      expect([figures.hoursEightWeeksAgo, figures.hoursNow]).toEqual([40, 0]);
      expect(figures.overdueDays).toBeLessThan(0);
    });

    test('every risk signal is shown by a persona at amber and at red', () => {
      const signals: RiskSignal[] = [
        'last_reached',
        'unreached_in_a_row',
        'follow_up_overdue',
        'no_active_placement',
        'hours_drop',
        'wellbeing',
      ];
      for (const signal of signals) {
        const levels = new Set(DEMO_PERSONAS.map((persona) => persona.signals[signal]).filter(Boolean));
        expect({ signal, levels: [...levels].sort() }).toEqual({ signal, levels: ['amber', 'red'] });
      }
      expect(new Set(DEMO_PERSONAS.map((persona) => persona.key)).size).toBe(DEMO_PERSONAS.length);
      expect(new Set(DEMO_PERSONAS.map((persona) => `${persona.firstName} ${persona.lastName}`)).size).toBe(DEMO_PERSONAS.length);
    });

    test.each(DEMO_PERSONAS.map((persona) => [persona.key, persona] as const))(
      'persona %s shows exactly its signals and sits in its /today section',
      async (_key, persona) => {
        const figures = await figuresOf(persona);
        expect(signalsOf(figures)).toEqual(persona.signals);
        expect(todaySectionOf(figures)).toBe(persona.today);
      },
    );

    test('the figures behind the signals', async () => {
      const figures = async (key: string) => figuresOf(demoPersona(key));
      // Last reached: ≥ 14 days (amber), ≥ 28 (red).
      expect((await figures('last_reached_amber')).daysSinceReached).toBe(17);
      expect((await figures('last_reached_red')).daysSinceReached).toBe(31);
      // Attempts in a row not reached since the last reach: 2 (amber), ≥ 3 (red).
      expect(await figures('unreached_amber')).toMatchObject({ unreachedInARow: 2, daysSinceReached: 10 });
      expect(await figures('unreached_red')).toMatchObject({ unreachedInARow: 3, daysSinceReached: 10 });
      // Planned follow-up overdue by ≥ 2 days (amber), ≥ 7 (red).
      expect((await figures('overdue_amber')).overdueDays).toBe(3);
      expect((await figures('overdue_red')).overdueDays).toBe(10);
      // No active placement (amber), and not reached in ≥ 14 days (red).
      expect(await figures('no_placement_amber')).toMatchObject({ hasActivePlacement: false });
      expect((await figures('no_placement_amber')).daysSinceReached).toBeLessThanOrEqual(7);
      expect(await figures('no_placement_red')).toMatchObject({ hasActivePlacement: false, daysSinceReached: 17 });
      // Hours per week versus 8 weeks ago: ≥ 50 % drop (amber), to 0 (red).
      expect(await figures('hours_halved')).toMatchObject({ hoursEightWeeksAgo: 32, hoursNow: 12, hasActivePlacement: true });
      expect(await figures('hours_to_zero')).toMatchObject({ hoursEightWeeksAgo: 12, hoursNow: 0, hasActivePlacement: true });
      // Latest wellbeing check: social contacts or daily rhythm ≤ 2 (amber); both, or a drop of ≥ 2 (red).
      const lastChecks = async (key: string) =>
        (await figures(key)).wellbeing.map((check) => ({ social: check.social, rhythm: check.rhythm }));
      expect(await lastChecks('wellbeing_social_low')).toEqual([
        { social: 3, rhythm: 4 },
        { social: 3, rhythm: 4 },
        { social: 2, rhythm: 4 },
      ]);
      expect(await lastChecks('wellbeing_rhythm_low')).toEqual([
        { social: 4, rhythm: 3 },
        { social: 4, rhythm: 3 },
        { social: 4, rhythm: 2 },
      ]);
      expect((await lastChecks('wellbeing_both_low')).at(-1)).toEqual({ social: 2, rhythm: 2 });
      expect((await lastChecks('wellbeing_drop')).map((check) => check.social)).toEqual([5, 4, 3]);
    });

    test("the demo coach's /today has people overdue, due today (some at a time), to retry and without a plan", async () => {
      const people = (await participants()).filter((person) => person.coach_email === 'coach@example.org');
      const figures = await participantFigures(
        db(),
        people.map((person) => person.id),
        todayIso,
      );
      const section = (name: string) =>
        people
          .filter((person) => todaySectionOf(figures.get(person.id)!) === name)
          .map((person) => ({ name: person.first_name, time: figures.get(person.id)!.plannedTime }));
      expect(section('overdue').map((row) => row.name)).toEqual(['Kees', 'Anouk']);
      expect(section('due_today')).toEqual([
        { name: 'Gerrit', time: '10:00' },
        { name: 'Marieke', time: '14:30' },
        { name: 'Joost', time: null },
      ]);
      expect(section('retry').map((row) => row.name)).toEqual(['Mohamed', 'Soufiane']);
      expect(section('no_contact_planned').map((row) => row.name)).toEqual(['Wendy']);
    });

    test('goals in several life domains, with progress, some achieved, some past their target, linked to contacts', async () => {
      const goals = await db().selectFrom('goals').selectAll().execute();
      const people = await participants();
      const inIntake = new Set(people.filter((person) => person.status === 'intake').map((person) => person.id));
      expect(goals.some((goal) => inIntake.has(goal.participant_id))).toBe(false);
      expect(new Set(goals.map((goal) => goal.life_domain))).toEqual(
        new Set(LIFE_DOMAINS.filter((domain) => domain !== 'other')),
      );
      expect(new Set(goals.map((goal) => goal.status))).toEqual(new Set(['open', 'in_progress', 'achieved', 'dropped']));
      const achieved = goals.filter((goal) => goal.status === 'achieved');
      expect(achieved.length).toBeGreaterThan(15);
      expect(achieved.every((goal) => goal.achieved_on !== null && goal.achieved_on < todayIso)).toBe(true);
      expect(goals.filter((goal) => goal.status !== 'achieved').every((goal) => goal.achieved_on === null)).toBe(true);
      const pastTarget = goals.filter(
        (goal) =>
          (goal.status === 'open' || goal.status === 'in_progress') && goal.target_date !== null && goal.target_date < todayIso,
      );
      expect(pastTarget.length).toBeGreaterThan(10);

      const progress = await db().selectFrom('goal_progress').selectAll().execute();
      expect(progress.length).toBeGreaterThan(goals.length / 2);
      for (const goal of achieved) {
        expect(progress.some((entry) => entry.goal_id === goal.id && entry.status === 'achieved')).toBe(true);
      }
      expect(progress.every((entry) => localDate(entry.created_at) < todayIso)).toBe(true);

      // Links point at contact moments of the goal's own participant.
      const links = await db()
        .selectFrom('goal_contact_links')
        .innerJoin('goals', 'goals.id', 'goal_contact_links.goal_id')
        .innerJoin('contact_moments', 'contact_moments.id', 'goal_contact_links.contact_moment_id')
        .select(['goals.participant_id as goal_participant', 'contact_moments.participant_id as contact_participant'])
        .execute();
      expect(links.length).toBeGreaterThan(goals.length);
      expect(links.every((link) => link.goal_participant === link.contact_participant)).toBe(true);

      // The cook's goals tell his story: a contract achieved, a daily rhythm goal past its date.
      const cook = await personaId(PAUSED_COOK);
      const cooksGoals = goals.filter((goal) => goal.participant_id === cook);
      expect(cooksGoals.map((goal) => goal.status).sort()).toEqual(['achieved', 'in_progress', 'in_progress', 'open']);
      expect(cooksGoals.find((goal) => goal.life_domain === 'daily_structure')!.target_date! < todayIso).toBe(true);
    });

    test('referrals to several services, open and closed; closed ones have a closing date', async () => {
      const referrals = await db().selectFrom('referrals').selectAll().execute();
      expect(referrals.length).toBeGreaterThanOrEqual(15);
      expect(new Set(referrals.map((referral) => referral.service_kind)).size).toBeGreaterThanOrEqual(5);
      expect(referrals.map((referral) => referral.service_kind)).toEqual(
        expect.arrayContaining(['debt_counselling', 'social_work', 'housing', 'language_coaching']),
      );
      const closed = referrals.filter((referral) => ['completed', 'declined', 'cancelled'].includes(referral.status));
      const open = referrals.filter((referral) => !['completed', 'declined', 'cancelled'].includes(referral.status));
      expect(closed.length).toBeGreaterThan(3);
      expect(open.length).toBeGreaterThan(3);
      for (const referral of closed) {
        expect(referral.closed_on).not.toBeNull();
        expect(referral.closed_on! >= referral.referred_on).toBe(true);
        expect(referral.closed_on! < todayIso).toBe(true);
      }
      expect(open.every((referral) => referral.closed_on === null && referral.referred_on < todayIso)).toBe(true);
    });

    test('consent: most consented to quality review, some never did or withdrew; Gent has its OCMW contact persons', async () => {
      const participants = await db().selectFrom('participants').select(['id', 'city']).execute();
      const consents = await db().selectFrom('participant_consents').selectAll().execute();
      const currentReview = new Set(
        consents
          .filter((row) => row.purpose === 'quality_review' && row.given_on <= todayIso && row.withdrawn_on === null)
          .map((row) => row.participant_id),
      );
      expect(currentReview.size).toBeGreaterThan(participants.length * 0.7);
      expect(currentReview.size).toBeLessThan(participants.length);
      expect(consents.some((row) => row.withdrawn_on !== null && row.withdrawn_on <= todayIso)).toBe(true);
      expect(consents.filter((row) => row.purpose === 'report_sharing').length).toBeLessThan(participants.length);
      const network = await db().selectFrom('network_persons').selectAll().execute();
      const fixed = new Set(network.filter((row) => row.role === 'fixed_contact').map((row) => row.participant_id));
      for (const participant of participants.filter((row) => row.city === 'Gent')) expect(fixed.has(participant.id)).toBe(true);
      expect(new Set(network.map((row) => row.role)).size).toBe(4);
      const supervisors = await db().selectFrom('contact_attendees').where('kind', '=', 'supervisor').selectAll().execute();
      expect(supervisors.length).toBeGreaterThan(10);
    });

    test("a handover to VDAB Gent by the Flemish coach, on her trajectory's closing day", async () => {
      const handovers = await db()
        .selectFrom('handovers')
        .innerJoin('trajectories', 'trajectories.id', 'handovers.trajectory_id')
        .innerJoin('referral_organisations', 'referral_organisations.id', 'handovers.organisation_id')
        .innerJoin('users', 'users.id', 'handovers.created_by')
        .select([
          'referral_organisations.name',
          'users.email',
          'trajectories.outcome',
          'trajectories.actual_end_date',
          'handovers.handover_date',
        ])
        .execute();
      // Two: the first closed trajectory of coach4's caseload, and Lien's (tested below).
      expect(handovers).toEqual([
        expect.objectContaining({ name: 'VDAB Gent', email: 'coach4@example.org', outcome: 'handover' }),
        expect.objectContaining({ name: 'VDAB Gent', email: 'coach4@example.org', outcome: 'handover' }),
      ]);
      for (const handover of handovers) expect(handover.handover_date).toBe(handover.actual_end_date);
    });

    test("Lien's story: an OCMW werkervaring year handed over to VDAB Gent, then VDAB jobcoaching, with her network and referrals", async () => {
      const lien = await personaId(LIEN);
      const participant = await db()
        .selectFrom('participants')
        .innerJoin('users', 'users.id', 'participants.coach_id')
        .select(['participants.status', 'participants.city', 'participants.phone', 'users.email'])
        .where('participants.id', '=', lien)
        .executeTakeFirstOrThrow();
      expect(participant).toMatchObject({ status: 'active', city: 'Gent', email: 'coach4@example.org' });
      expect(participant.phone).toMatch(/^04\d\d /);

      const trajectories = await db()
        .selectFrom('trajectories')
        .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
        .select([
          'trajectories.id',
          'commissioners.name',
          'trajectories.kind',
          'trajectories.reference',
          'trajectories.start_date',
          'trajectories.actual_end_date',
          'trajectories.outcome',
        ])
        .where('trajectories.participant_id', '=', lien)
        .orderBy('trajectories.start_date')
        .execute();
      expect(trajectories).toHaveLength(2);
      const [ocmw, vdab] = trajectories as [(typeof trajectories)[number], (typeof trajectories)[number]];
      expect(ocmw).toMatchObject({ name: 'OCMW Gent', kind: 'work_experience', outcome: 'handover' });
      expect(ocmw.reference).toMatch(/^OCMW-WE-/);
      expect(ocmw.actual_end_date! < todayIso).toBe(true);
      expect(DateTime.fromISO(ocmw.start_date).plus({ years: 1 }).toISODate()).toBe(ocmw.actual_end_date);
      expect(vdab).toMatchObject({ name: 'VDAB', kind: 'jobcoaching', actual_end_date: null, outcome: null });
      expect(vdab.start_date).toBe(ocmw.actual_end_date);

      const handover = await db()
        .selectFrom('handovers')
        .innerJoin('referral_organisations', 'referral_organisations.id', 'handovers.organisation_id')
        .select(['referral_organisations.name', 'handovers.handover_date', 'handovers.receiver_name', 'handovers.note'])
        .where('handovers.trajectory_id', '=', ocmw.id)
        .executeTakeFirstOrThrow();
      expect(handover).toMatchObject({ name: 'VDAB Gent', handover_date: ocmw.actual_end_date });
      expect(handover.receiver_name).toBeTruthy();
      expect(handover.note).toContain('Open doelen');

      // The handover day has one 60-minute conversation, and it counts in the OCMW trajectory only.
      const own = (await contacts()).filter((contact) => contact.participant_id === lien);
      const onHandoverDay = own.filter((contact) => localDate(contact.occurred_at) === ocmw.actual_end_date);
      expect(onHandoverDay).toEqual([expect.objectContaining({ duration_minutes: 60, trajectory_id: ocmw.id })]);
      expect(own.filter((contact) => contact.trajectory_id === vdab.id).length).toBeGreaterThan(0);
      for (const contact of own)
        expect(contact.trajectory_id).toBe(localDate(contact.occurred_at) <= ocmw.actual_end_date! ? ocmw.id : vdab.id);

      // Kringwinkel Gent with Sofie De Wilde as supervisor, a planned end, and three-way visits.
      const placement = await db()
        .selectFrom('placements')
        .innerJoin('employers', 'employers.id', 'placements.employer_id')
        .innerJoin('employer_contacts', 'employer_contacts.id', 'placements.supervisor_contact_id')
        .select([
          'employers.name as employer',
          'employer_contacts.name as supervisor',
          'placements.planned_end_date',
          'placements.status',
        ])
        .where('placements.participant_id', '=', lien)
        .executeTakeFirstOrThrow();
      expect(placement).toMatchObject({ employer: 'Kringwinkel Gent', supervisor: 'Sofie De Wilde', status: 'active' });
      expect(placement.planned_end_date! > todayIso).toBe(true);
      const visits = own.filter((contact) => contact.channel === 'workplace_visit');
      expect(visits.length).toBeGreaterThan(0);
      const attendees = await db()
        .selectFrom('contact_attendees')
        .select(['contact_moment_id', 'kind'])
        .where(
          'contact_moment_id',
          'in',
          visits.map((visit) => visit.id),
        )
        .execute();
      for (const visit of visits)
        expect(
          attendees
            .filter((row) => row.contact_moment_id === visit.id)
            .map((row) => row.kind)
            .sort(),
        ).toEqual(['participant', 'supervisor']);

      // One goal reached in the OCMW year, two open ones handed over.
      const goals = await db().selectFrom('goals').select('status').where('participant_id', '=', lien).execute();
      expect(goals.map((row) => row.status).sort()).toEqual(['achieved', 'in_progress', 'open']);

      const network = await db().selectFrom('network_persons').selectAll().where('participant_id', '=', lien).execute();
      expect(network).toContainEqual(
        expect.objectContaining({ role: 'fixed_contact', organisation: 'OCMW Gent', ended_on: null }),
      );
      const consents = await db().selectFrom('participant_consents').selectAll().where('participant_id', '=', lien).execute();
      expect(consents.map((row) => row.purpose)).toEqual(expect.arrayContaining(['quality_review', 'report_sharing']));

      const referrals = await db()
        .selectFrom('referrals')
        .innerJoin('referral_organisations', 'referral_organisations.id', 'referrals.organisation_id')
        .select(['referral_organisations.name', 'referrals.follow_up_on', 'referrals.closed_on'])
        .where('referrals.participant_id', '=', lien)
        .orderBy('referrals.follow_up_on')
        .execute();
      expect(referrals.map((row) => row.name)).toEqual([
        'CAW Oost-Vlaanderen',
        'CAW Oost-Vlaanderen – schuldbemiddeling',
        'Huurdersbond Oost-Vlaanderen',
      ]);
      expect(referrals.every((row) => row.closed_on === null && row.follow_up_on! > todayIso)).toBe(true);
    });
  });

  describe('stand-ins (issue 20 items 3 and 8)', () => {
    const db = () => t.database.db;
    const todayIso = today.toISODate()!;

    async function standins() {
      return db()
        .selectFrom('coach_standins')
        .innerJoin('users as absent', 'absent.id', 'coach_standins.absent_coach_id')
        .innerJoin('users as standin', 'standin.id', 'coach_standins.standin_coach_id')
        .select([
          'coach_standins.id',
          'coach_standins.absent_coach_id',
          'coach_standins.standin_coach_id',
          'coach_standins.starts_on',
          'coach_standins.ends_on',
          'coach_standins.covers',
          'absent.display_name as absent',
          'standin.display_name as standin',
        ])
        .where('coach_standins.cancelled_at', 'is', null)
        .orderBy('coach_standins.starts_on')
        .orderBy('coach_standins.id')
        .execute();
    }

    test('no stand-in is a coach who is away themselves then: the app would refuse to arrange it', async () => {
      const all = await standins();
      expect(all.length).toBeGreaterThan(20);
      const clashes = all.flatMap((standin) =>
        all
          .filter(
            (away) =>
              away.absent_coach_id === standin.standin_coach_id &&
              away.starts_on <= standin.ends_on &&
              away.ends_on >= standin.starts_on,
          )
          .map(
            (away) =>
              `${standin.standin} covers ${standin.absent} ${standin.starts_on}–${standin.ends_on} ` +
              `while ${away.standin} covers them ${away.starts_on}–${away.ends_on}`,
          ),
      );
      expect(clashes).toEqual([]);
    });

    test("every colleague's contact in the history was made under a split stand-in covering that participant", async () => {
      const colleagueContacts = await db()
        .selectFrom('contact_moments')
        .innerJoin('participants', 'participants.id', 'contact_moments.participant_id')
        .select(['contact_moments.participant_id', 'contact_moments.author_id', 'contact_moments.occurred_at'])
        .whereRef('contact_moments.author_id', '<>', 'participants.coach_id')
        .execute();
      expect(colleagueContacts.length).toBeGreaterThan(20);
      const covered = await db()
        .selectFrom('coach_standin_participants')
        .innerJoin('coach_standins', 'coach_standins.id', 'coach_standin_participants.standin_id')
        .select([
          'coach_standin_participants.participant_id',
          'coach_standins.standin_coach_id',
          'coach_standins.starts_on',
          'coach_standins.ends_on',
        ])
        .where('coach_standins.covers', '=', 'participants')
        .execute();
      const uncovered = colleagueContacts.filter((contact) => {
        const day = DateTime.fromJSDate(contact.occurred_at, { zone: 'Europe/Amsterdam' }).toISODate()!;
        return !covered.some(
          (row) =>
            row.participant_id === contact.participant_id &&
            row.standin_coach_id === contact.author_id &&
            row.starts_on <= day &&
            row.ends_on >= day,
        );
      });
      expect(uncovered).toEqual([]);
    });

    test('/standins lists past stand-ins and exactly one running today', async () => {
      const all = await standins();
      const current = all.filter((standin) => standin.starts_on <= todayIso && standin.ends_on >= todayIso);
      expect(current).toEqual([
        expect.objectContaining({ absent: 'Joris Visser', standin: 'Fatima El Amrani', covers: 'caseload' }),
      ]);
      expect(all.filter((standin) => standin.ends_on < todayIso).length).toBeGreaterThan(20);

      const agent = await signedInAgent(t.app, { email: 'admin@example.org', password: DEMO_PASSWORD } as never);
      const page = await agent.get('/standins');
      expect(page.status).toBe(200);
      const section = (heading: string) => {
        const start = page.text.indexOf(`id="${heading}-heading"`);
        const end = page.text.indexOf('</section>', start);
        return page.text.slice(start, end);
      };
      const rows = (html: string) => (html.match(/<tr id="standin-\d+"/g) ?? []).length;
      expect(rows(section('current'))).toBe(1);
      expect(section('current')).toContain('Joris Visser');
      expect(section('current')).toContain('Fatima El Amrani');
      expect(rows(section('past'))).toBeGreaterThan(0);
    });
  });

  test('running it again changes nothing, and a non-empty database is not seeded on start', async () => {
    const count = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('contact_moments')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const contactsBefore = await count();
    expect(await seedDemo(t.database.db, today)).toEqual({ created: [], participants: 0 });
    expect(await seedDemoIfEmpty(t.database.db, createLogger('silent'), today)).toBe(false);
    expect(await count()).toBe(contactsBefore);
  });

  test('it refuses a database that holds a non-demo user', async () => {
    await createTestUser(t.database, { role: 'coach', email: 'real.person@gemeente.example' });
    await expect(seedDemo(t.database.db, today)).rejects.toBeInstanceOf(NotADemoDatabaseError);
  });
});
