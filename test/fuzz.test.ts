import fc from 'fast-check';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { FixedClock } from '../src/lib/clock';
import { routeTable } from '../src/routes';
import type { Route } from '../src/web/routes';
import type { Services } from '../src/services';
import { createTestUser, csrfTokenFrom, signedInAgent, startTestApp, type TestApp, type UserFixture } from './helpers/app';
import {
  insertCommissioner,
  insertContact,
  insertContactMoment,
  insertEmployer,
  insertGoal,
  insertParticipant,
  insertPlacement,
  insertReferral,
  insertNetworkPerson,
  insertConsent,
  referralOrganisation,
  insertStandin,
  insertTrajectory,
} from './helpers/fixtures';

// Walks the whole route table as each kind of visitor with generated input: NUL bytes and other
// control characters, repeated parameters, huge numbers, invalid dates, odd Unicode, invalid UTF-8,
// 10,000-character strings, in the path, the query and the form. Whatever arrives, the answer is
// never a 5xx, and never cacheable (Cache-Control: no-store on every answer). Form fields are the ones the app's own pages show (read from their HTML), so posts
// reach the schemas and services, not only the router. FUZZ_RUNS sets the runs per route and
// visitor, FUZZ_SEED replays a failure (fast-check prints the seed), FUZZ_SUMMARY=1 prints the counts.

type Visitor = 'anonymous' | 'coach' | 'manager' | 'admin';
const VISITORS: Visitor[] = ['anonymous', 'coach', 'manager', 'admin'];
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() : Number(process.env.FUZZ_SEED);

let t: TestApp;
const clock = new FixedClock('2026-11-23T10:00:00+01:00');
const agents = new Map<Visitor, TestAgent>();
const csrf = new Map<Visitor, string>();
const tally = new Map<Visitor, { requests: number; serverErrors: number }>();
const statuses = new Map<Visitor, Map<number, number>>();
/** Per route: the field names its forms have and the values they show (a pool of plausible input). */
const formsOf = new Map<Route<Services>, { names: Set<string>; values: Set<string> }>();
let realIds: (route: Route<Services>, param: string) => string | undefined;

/** Query parameters any page might read, besides those of its own filter forms. */
const COMMON_QUERY = [
  'page',
  'q',
  'done',
  'next',
  'returnTo',
  'from',
  'to',
  'format',
  'coach',
  'token',
  'expired',
  'signedOut',
  // The sign-in page after a second step that came too late.
  'pendingExpired',
  // The new-trajectory form opened from a handover.
  'after',
];

beforeAll(async () => {
  t = await startTestApp({ clock });
  const coach = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
  const manager = await createTestUser(t.database, { role: 'manager', team: 'Team A' });
  const admin = await createTestUser(t.database, { role: 'admin' });
  // The person the admin's /admin/users/:id requests work on, so no fuzzing visitor deactivates itself.
  const spare = await createTestUser(t.database, { role: 'coach', team: 'Team A' });
  const ids = await insertCaseload(coach, manager);
  // A working calendar feed address, of the person no visitor is (so no fuzzed post replaces it).
  const feed = await t.services.calendar.issueCalendarFeed(spare.id, clock.now().toJSDate());

  realIds = (route, param) => {
    const under = (prefix: string) => route.path.startsWith(prefix);
    switch (param) {
      case 'id':
        if (under('/participants/')) return String(ids.participant);
        if (under('/employers/')) return String(ids.employer);
        if (under('/standins/')) return String(ids.standin);
        if (under('/admin/commissioners/')) return String(ids.commissioner);
        if (under('/admin/users/')) return String(spare.id);
        if (under('/admin/teams/')) return String(ids.team);
        return undefined;
      case 'tid':
        // A handover's pages are of the trajectory closed as one; every other route works on the open one.
        return String(route.path.includes('/handover') ? ids.handedOverTrajectory : ids.trajectory);
      case 'placementId':
        return String(ids.placement);
      case 'contactId':
        return String(under('/employers/') ? ids.employerContact : ids.contactMoment);
      case 'goalId':
        return String(ids.goal);
      case 'referralId':
        return String(ids.referral);
      case 'personId':
        return String(ids.networkPerson);
      case 'consentId':
        return String(ids.consent);
      case 'organisationId':
        return String(ids.organisation);
      case 'sampleId':
        return String(ids.reviewSample);
      case 'itemId':
        return String(ids.reviewItem);
      case 'feed':
        return `${feed.token}.ics`;
      default:
        // A session handle: only ever a generated one, so no visitor ends its own session.
        return undefined;
    }
  };

  const anonymous = request.agent(t.app);
  agents.set('anonymous', anonymous);
  csrf.set('anonymous', csrfTokenFrom((await anonymous.get('/login')).text));
  const people: Record<Exclude<Visitor, 'anonymous'>, UserFixture> = { coach, manager, admin };
  for (const visitor of ['coach', 'manager', 'admin'] as const) {
    const agent = await signedInAgent(t.app, people[visitor]);
    agents.set(visitor, agent);
    csrf.set(visitor, csrfTokenFrom((await agent.get('/account')).text));
  }
  for (const visitor of VISITORS) {
    tally.set(visitor, { requests: 0, serverErrors: 0 });
    statuses.set(visitor, new Map());
  }
  await readFormsFromPages(['coach', 'admin']);
}, 120_000);

afterAll(async () => {
  if (process.env.FUZZ_SUMMARY === '1') {
    const lines = VISITORS.map(
      (visitor) =>
        `${visitor}: ${tally.get(visitor)!.requests} requests, ${tally.get(visitor)!.serverErrors} × 5xx (${[
          ...statuses.get(visitor)!,
        ]
          .sort(([a], [b]) => a - b)
          .map(([status, count]) => `${status}: ${count}`)
          .join(', ')})`,
    );
    process.stdout.write(`fuzz (seed ${SEED}, ${RUNS} runs per route)\n${lines.join('\n')}\n`);
  }
  await t.close();
});

describe.each(VISITORS)('fuzzing every route as %s', (visitor) => {
  test('no input gives a 5xx', async () => {
    for (const route of inFuzzingOrder(routeTable)) {
      if (route.method === 'post' && route.path === '/logout' && visitor !== 'anonymous') continue; // would end the walk
      await fc.assert(
        fc.asyncProperty(requestFor(route), async (generated) => {
          const response = await send(visitor, route, generated);
          const counts = tally.get(visitor)!;
          counts.requests += 1;
          const seen = statuses.get(visitor)!;
          seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
          // decisions.md: no page, download or error page of personal data stays in a browser cache.
          // (431: Node itself refused headers or a URL over its limit; the app never saw the request.)
          if (response.status !== 431 && response.headers['cache-control'] !== 'no-store') {
            throw new Error(`${route.method.toUpperCase()} ${generated.path} answered without Cache-Control: no-store`);
          }
          if (response.status >= 500) {
            counts.serverErrors += 1;
            throw new Error(
              `${route.method.toUpperCase()} ${generated.path} answered ${response.status}: ${response.text.slice(0, 300)}`,
            );
          }
        }),
        { numRuns: RUNS, seed: SEED + VISITORS.indexOf(visitor), endOnFailure: true },
      );
    }
  }, 180_000);
});

interface GeneratedRequest {
  path: string;
  /** Already percent-encoded `name=value` pairs (a name may repeat). */
  pairs: string[];
  withCsrf: boolean;
}

/** Writes that take a record out of use go last, so the walk's other requests still find it open. */
function inFuzzingOrder(routes: readonly Route<Services>[]): Route<Services>[] {
  const ending = (route: Route<Services>) => route.method === 'post' && /\/(close|deactivate|end|cancel)$/.test(route.path);
  return [...routes.filter((route) => !ending(route)), ...routes.filter(ending)];
}

function requestFor(route: Route<Services>): fc.Arbitrary<GeneratedRequest> {
  const form = formsOf.get(route);
  const pool = [...(form?.values ?? [])];
  const names = [
    ...new Set([...(form?.names ?? []), ...(route.method === 'get' ? COMMON_QUERY : ['submissionToken', 'version'])]),
  ];
  const segments = route.path.split('/').map((segment) => {
    if (!segment.startsWith(':')) return fc.constant(segment);
    const real = realIds(route, segment.slice(1));
    // In the path, values as long as in a URL: a longer one is refused by Node before the app sees it.
    const generated = encodedValue('get', pool).filter((value) => value !== '' && !value.includes('%2F'));
    return real === undefined
      ? generated
      : fc.oneof({ arbitrary: fc.constant(real), weight: 4 }, { arbitrary: generated, weight: 1 });
  });
  const field = (name: string) =>
    fc
      .array(encodedValue(route.method, pool, name), { minLength: 1, maxLength: 3 })
      .map((values) => values.map((value) => `${encoded(name)}=${value}`));
  return fc.record({
    path: fc.tuple(...segments).map((parts) => parts.join('/')),
    pairs: fc
      .subarray(names)
      .chain((chosen) => fc.tuple(...chosen.map(field)))
      .map((fields) => fields.flat()),
    // Mostly with the visitor's CSRF token, so most posts get past it to the form.
    withCsrf: fc.integer({ min: 0, max: 9 }).map((draw) => draw !== 0),
  });
}

/**
 * A value as it goes on the wire: percent-encoded text, or raw escapes a browser would never send.
 * Hostile values outweigh plausible ones; a long value is 10,000 characters in a form and shorter in
 * a URL (the server refuses a URL longer than its header limit before the app sees it).
 */
function encodedValue(method: Route<Services>['method'], pool: string[], name = ''): fc.Arbitrary<string> {
  const plausible = fc.oneof(
    fc.constantFrom('', '0', '1', '-1', '1.5', '1,5', '1e308', '99999999999999999999', '-0', 'NaN', 'Infinity', 'on', 'true'),
    fc.constantFrom('2026-11-23', '23-11-2026', '2026-02-30', '31-13-2026', '0000-00-00', '9999-12-31', '2026-11-23T25:61'),
    ...(pool.length > 0 ? [fc.constantFrom(...pool)] : []),
    ...(name === 'submissionToken' ? [fc.uuid()] : []),
  );
  const withNul = fc
    .tuple(fc.oneof(plausible, fc.string({ maxLength: 10 })), fc.constantFrom('\u0000', '\u0000\u0000', '\u0001\u001f\u007f'))
    .map(([value, control]) => `${value}${control}${value}`);
  const odd = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom('\u202Eevil', '\uFEFF', '\uD800', '\uDFFFa', 'ﷺ'.repeat(50), '👩‍👩‍👧‍👦', 'e\u0301'.repeat(30), '\t\r\n'),
  );
  const long = method === 'post' ? fc.constantFrom('x'.repeat(10_000), 'é'.repeat(10_000)) : fc.constant('x'.repeat(2_000));
  const raw = fc.constantFrom('%FF', '%C0%80', '%ED%A0%80', '%', '%G0', '%00%00', 'a%5B0%5D', '%E2%80%AE');
  return fc.oneof(
    { arbitrary: plausible.map(encoded), weight: 3 },
    { arbitrary: withNul.map(encoded), weight: 3 },
    { arbitrary: odd.map(encoded), weight: 2 },
    { arbitrary: long.map(encoded), weight: 1 },
    { arbitrary: raw, weight: 1 },
  );
}

/** Percent-encodes the UTF-8 bytes of a text (a lone surrogate becomes U+FFFD, as in a browser). */
function encoded(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

async function send(visitor: Visitor, route: Route<Services>, generated: GeneratedRequest) {
  const agent = agents.get(visitor)!;
  if (route.method === 'get') {
    const query = generated.pairs.join('&');
    return agent.get(query ? `${generated.path}?${query}` : generated.path);
  }
  const token = generated.withCsrf ? [`_csrf=${encoded(csrf.get(visitor)!)}`] : [];
  return agent
    .post(generated.path)
    .set('Content-Type', 'application/x-www-form-urlencoded')
    .send([...token, ...generated.pairs].join('&'));
}

/** The forms on every page reachable with real ids, by the route each one submits to. */
async function readFormsFromPages(visitors: Visitor[]): Promise<void> {
  for (const visitor of visitors) {
    for (const route of routeTable.filter((candidate) => candidate.method === 'get')) {
      const params = route.params.map((param) => realIds(route, param));
      if (params.some((value) => value === undefined)) continue;
      let index = 0;
      const path = route.path.replace(/:\w+/g, () => params[index++]!);
      const response = await agents.get(visitor)!.get(path);
      if (response.status !== 200 || !String(response.headers['content-type']).startsWith('text/html')) continue;
      for (const form of response.text.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
        const attributes = form[1]!;
        const method = /method="post"/i.test(attributes) ? 'post' : 'get';
        const action = (/action="([^"]*)"/.exec(attributes)?.[1] ?? path).replace(/&amp;/g, '&').split('?')[0]!;
        const target = routeTable.find((candidate) => candidate.method === method && pathPattern(candidate.path).test(action));
        if (!target) continue;
        const found = formsOf.get(target) ?? { names: new Set<string>(), values: new Set<string>() };
        for (const name of form[2]!.matchAll(/\bname="([^"]+)"/g)) if (name[1] !== '_csrf') found.names.add(name[1]!);
        for (const value of form[2]!.matchAll(/\bvalue="([^"]*)"/g)) if (value[1]!.length < 200) found.values.add(value[1]!);
        formsOf.set(target, found);
      }
    }
  }
}

function pathPattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/:\w+/g, '[^/]+')}$`);
}

async function insertCaseload(coach: UserFixture, manager: UserFixture) {
  const db = t.database.db;
  const commissioner = await insertCommissioner(db, { name: 'UWV', kind: 'uwv' });
  const participant = await insertParticipant(db, {
    first_name: 'Fien',
    last_name: 'Fuzz',
    coach_id: coach.id,
    status: 'active',
  });
  const trajectory = await insertTrajectory(db, {
    participant_id: participant,
    commissioner_id: commissioner,
    kind: 'jobcoaching',
    start_date: '2026-01-05',
    granted_hours: 30,
  });
  const handedOverTrajectory = await insertTrajectory(db, {
    participant_id: participant,
    commissioner_id: commissioner,
    kind: 'work_experience',
    start_date: '2025-01-06',
    granted_hours: 0,
    actual_end_date: '2025-12-31',
    outcome: 'handover',
  });
  await db
    .insertInto('handovers')
    .values({
      trajectory_id: handedOverTrajectory,
      participant_id: participant,
      organisation_id: await referralOrganisation(db, 'VDAB Fuzz', 'vdab'),
      receiver_name: 'Jan Ontvanger',
      handover_date: '2025-12-31',
      note: 'Werkt goed met routines.',
      created_by: coach.id,
    })
    .execute();
  const employer = await insertEmployer(db, { name: 'Kringloop Fuzz', sector: 'retail' });
  const employerContact = await insertContact(db, { employer_id: employer, name: 'Piet Begeleider', role: 'supervisor' });
  const placement = await insertPlacement(
    db,
    {
      participant_id: participant,
      employer_id: employer,
      supervisor_contact_id: employerContact,
      kind: 'work_experience',
      job_title: 'Sorteerder',
      start_date: '2026-02-01',
    },
    { hoursPerWeek: 16 },
  );
  const standin = await insertStandin(db, {
    absent_coach_id: coach.id,
    standin_coach_id: manager.id,
    starts_on: '2026-12-01',
    ends_on: '2026-12-12',
    created_by: manager.id,
  });
  const contactMoment = await insertContactMoment(db, {
    participant_id: participant,
    author_id: coach.id,
    occurred_at: '2026-11-23T09:00:00+01:00',
    created_at: '2026-11-23T09:00:00+01:00',
    channel: 'phone',
    outcome: 'reached',
    duration_minutes: 10,
    summary: 'Gebeld over het rooster',
  });
  const reviewSample = await db
    .insertInto('review_samples')
    .values({
      coach_id: coach.id,
      drawn_by: manager.id,
      drawn_at: '2026-11-23T08:00:00+01:00',
      period_days: 30,
      requested_size: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reviewItem = await db
    .insertInto('review_items')
    .values({ sample_id: reviewSample.id, contact_moment_id: contactMoment })
    .returning('id')
    .executeTakeFirstOrThrow();
  const goal = await insertGoal(db, {
    participant_id: participant,
    title: 'Vaste dagstructuur',
    life_domain: 'daily_structure',
    created_by: coach.id,
  });
  const organisation = await referralOrganisation(db, 'Schuldhulp Utrecht', 'debt_counselling');
  // Due for follow-up, so /today shows its "followed up" form and the fuzzing reads its fields.
  const referral = await insertReferral(db, {
    participant_id: participant,
    service_kind: 'debt_counselling',
    organisation_id: organisation,
    reason: 'Betalingsachterstand',
    referred_on: '2026-11-02',
    follow_up_on: '2026-11-20',
    created_by: coach.id,
  });
  const networkPerson = await insertNetworkPerson(db, {
    participant_id: participant,
    role: 'family',
    name: 'Fatima Fuzz',
    created_by: coach.id,
  });
  const consent = await insertConsent(db, {
    participant_id: participant,
    purpose: 'report_sharing',
    given_on: '2026-11-02',
    recorded_by: coach.id,
  });
  const team = await db.selectFrom('teams').select('id').where('name', '=', 'Team A').executeTakeFirstOrThrow();
  return {
    networkPerson,
    consent,
    commissioner,
    participant,
    trajectory,
    handedOverTrajectory,
    employer,
    employerContact,
    placement,
    standin,
    contactMoment,
    reviewSample: reviewSample.id,
    reviewItem: reviewItem.id,
    goal,
    referral,
    organisation,
    team: team.id,
  };
}
