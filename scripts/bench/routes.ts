// The routes `npm run bench` measures, each with the request autocannon sends and the same
// service calls its route handler makes (read from each feature's routes.ts), so the bench can
// time "its own SQL" without HTTP, sessions or EJS.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';
import type { Viewer } from '../../src/lib/viewer';
import { pageFromQuery } from '../../src/lib/pagination';
import { coachDay } from '../../src/today/service';
import { dashboardPage } from '../../src/dashboard/service';
import { DashboardQuery } from '../../src/dashboard/schemas';
import { caseloadOverview } from '../../src/caseloads/service';
import { CaseloadQuery } from '../../src/caseloads/schemas';
import { filterOptions, findParticipant, listPage, recordProfileView } from '../../src/participants/service';
import { ParticipantListQuery } from '../../src/participants/schemas';
import { trajectoriesForProfile } from '../../src/trajectories/service';
import { placementsForProfile } from '../../src/placements/service';
import { createContact, resolveContactInput, timelineForProfile } from '../../src/contacts/service';
import { ContactCreateForm, goalIdsFrom, parseContactForm } from '../../src/contacts/schemas';
import { goalsForProfile } from '../../src/goals/service';
import { referralsForProfile } from '../../src/referrals/service';
import { riskPanelFor } from '../../src/risk/service';
import { dueFollowUps } from '../../src/referrals/service';
import { BENCH_CONTACT_SUMMARY, type BenchSubjects, type BenchUser } from './environment';
import { exportBaseline } from './export-baseline';

export type BenchRole = 'coach' | 'manager' | 'admin';

export interface BenchRoute {
  /** Short name for --routes and the result file. */
  key: string;
  label: string;
  role: BenchRole;
  method: 'GET' | 'POST';
  /** Requested in turn, one per request. */
  paths: string[];
  expectStatus: number;
  expectLocation?: RegExp;
  /** For a POST: a fresh body per request, given the session's CSRF token. */
  body?: (csrfToken: string) => (index: number) => string;
  /** A file download: measured per download with one connection, with its size and the app's memory. */
  download?: boolean;
  /** A coach's page: growth target ≤ 1.3× from 1 000 to 100 000 participants. */
  coachPage: boolean;
  /**
   * The route handler's own data loading, called directly (index rotates like the paths); null
   * when the route's service cannot be called from here (with the reason).
   */
  sql: ((index: number) => Promise<unknown>) | { unavailable: string };
  /** The target for the page's p50 above its own SQL's p50, measured in paired rounds. */
  gapTargetMs?: number;
}

export const ROUTE_KEYS = [
  'today',
  'floor',
  'dashboard-manager',
  'dashboard-admin',
  'caseloads',
  'caseloads-admin',
  'participants',
  'profile',
  'contact-post',
  'export',
] as const;

export interface RouteContext {
  db: Kysely<Database>;
  subjects: BenchSubjects;
  timeZone: string;
  /** The app's clock: the system clock, as in the app process. */
  now: () => DateTime;
  /** The PSEUDONYM_SECRET the app runs with. */
  pseudonymSecret: string;
}

function viewerOf(user: BenchUser, context: RouteContext): Viewer {
  return {
    userId: user.id,
    role: user.role,
    teamId: user.teamId,
    today: context.now().setZone(context.timeZone).toISODate()!,
    timeZone: context.timeZone,
  };
}

/** The fields of the contact form as a browser posts them after the coach filled it in. */
export function contactForm(csrfToken: string, now: DateTime): Record<string, string> {
  return {
    _csrf: csrfToken,
    submissionToken: randomUUID(),
    returnTo: '',
    occurredDate: now.toISODate()!,
    occurredTime: now.toFormat('HH:mm'),
    channel: 'phone',
    counterpart: 'participant',
    outcome: 'reached',
    durationMinutes: '15',
    summary: BENCH_CONTACT_SUMMARY,
    nextShortcut: 'in2weeks',
  };
}

export function benchRoutes(context: RouteContext): BenchRoute[] {
  const { db, subjects, timeZone } = context;
  const { coach, manager, admin, profileIds, contactIds } = subjects;
  const risk = () => ({ now: context.now(), timeZone });
  // The moment the form was opened: now when the bench starts, so never in the future.
  const formOpenedAt = context.now().setZone(timeZone);

  const routes: BenchRoute[] = [
    {
      key: 'today',
      label: 'GET /today (coach)',
      role: 'coach',
      method: 'GET',
      paths: ['/today'],
      expectStatus: 200,
      coachPage: true,
      gapTargetMs: 3,
      // The page's two reads: the day, and the referrals whose follow-up has come (the app runs
      // them side by side; the bench replays them one after the other).
      sql: () =>
        Promise.all([coachDay(db, viewerOf(coach, context), DateTime.now()), dueFollowUps(db, viewerOf(coach, context))]),
    },
    {
      // What every signed-in page costs before its own work: the session read (with the user and
      // the navigation's counts), the middleware, the layout around a short page. An address that
      // is no page gives exactly that: the "not found" page in the signed-in layout, no query of its own.
      key: 'floor',
      label: 'GET of no page (coach, 404 in the layout)',
      role: 'coach',
      method: 'GET',
      paths: ['/bench-floor-no-such-page'],
      expectStatus: 404,
      coachPage: true,
      sql: () => Promise.resolve(undefined),
    },
    {
      key: 'dashboard-manager',
      label: 'GET /dashboard (manager)',
      role: 'manager',
      method: 'GET',
      paths: ['/dashboard'],
      expectStatus: 200,
      coachPage: false,
      sql: () => dashboardPage(db, viewerOf(manager, context), DashboardQuery.parse({}), pageFromQuery({}), risk()),
    },
    {
      key: 'dashboard-admin',
      label: 'GET /dashboard (admin)',
      role: 'admin',
      method: 'GET',
      paths: ['/dashboard'],
      expectStatus: 200,
      coachPage: false,
      sql: () => dashboardPage(db, viewerOf(admin, context), DashboardQuery.parse({}), pageFromQuery({}), risk()),
    },
    {
      key: 'caseloads',
      label: 'GET /dashboard/caseloads (manager)',
      role: 'manager',
      method: 'GET',
      paths: ['/dashboard/caseloads'],
      expectStatus: 200,
      coachPage: false,
      sql: () =>
        caseloadOverview(db, viewerOf(manager, context), CaseloadQuery.parse({}), pageFromQuery({}), context.now(), timeZone),
    },
    {
      key: 'caseloads-admin',
      label: 'GET /dashboard/caseloads (admin)',
      role: 'admin',
      method: 'GET',
      paths: ['/dashboard/caseloads'],
      expectStatus: 200,
      coachPage: false,
      sql: () =>
        caseloadOverview(db, viewerOf(admin, context), CaseloadQuery.parse({}), pageFromQuery({}), context.now(), timeZone),
    },
    {
      key: 'participants',
      label: 'GET /participants?page=1 (coach)',
      role: 'coach',
      method: 'GET',
      paths: ['/participants?page=1'],
      expectStatus: 200,
      coachPage: true,
      sql: () => {
        const viewer = viewerOf(coach, context);
        const query = { page: '1' };
        return Promise.all([
          listPage(db, viewer, ParticipantListQuery.parse(query), pageFromQuery(query)),
          filterOptions(db, viewer),
        ]);
      },
    },
    {
      key: 'profile',
      label: `GET /participants/:id (coach, ${profileIds.length} ids)`,
      role: 'coach',
      method: 'GET',
      paths: profileIds.map((id) => `/participants/${id}`),
      expectStatus: 200,
      coachPage: true,
      sql: async (index) => {
        const viewer = viewerOf(coach, context);
        // The parent router's participant loader, then the profile handler's reads.
        const participant = await findParticipant(db, viewer, profileIds[index % profileIds.length]!);
        if (!participant) throw new Error('the bench coach cannot see their own participant');
        return Promise.all([
          recordProfileView(db, viewer, participant.id),
          trajectoriesForProfile(db, participant.id, timeZone),
          placementsForProfile(db, participant.id, viewer.today),
          timelineForProfile(db, viewer, participant.id, {}, timeZone),
          goalsForProfile(db, participant.id, viewer.today),
          referralsForProfile(db, participant.id),
          riskPanelFor(db, viewer, participant.id, context.now(), timeZone),
        ]);
      },
    },
    {
      key: 'contact-post',
      label: `POST contact moment (coach, ${contactIds.length} ids)`,
      role: 'coach',
      method: 'POST',
      paths: contactIds.map((id) => `/participants/${id}/contacts/new`),
      expectStatus: 303,
      // A stored contact moment sends the coach to the profile; a refused or repeated token elsewhere.
      expectLocation: /^\/participants\/\d+\?done=contactLogged#timeline$/,
      body: (csrfToken) => () => new URLSearchParams(contactForm(csrfToken, formOpenedAt)).toString(),
      coachPage: true,
      sql: async (index) => {
        // What the POST handler does after the session and CSRF checks.
        const viewer = viewerOf(coach, context);
        const participant = await findParticipant(db, viewer, contactIds[index % contactIds.length]!);
        if (!participant || participant.status === 'closed')
          throw new Error('the bench coach cannot log a contact for their own participant');
        const body = contactForm('', formOpenedAt);
        const form = parseContactForm(ContactCreateForm, body);
        if (!form.ok) throw new Error(`the bench contact form is invalid: ${JSON.stringify(form.errors)}`);
        const { submissionToken, returnTo: _returnTo, ...fields } = form.data;
        const input = resolveContactInput(fields, goalIdsFrom(body), context.now(), timeZone);
        const outcome = await createContact(db, viewer, participant.id, input, submissionToken, context.now().toJSDate());
        if (outcome.kind !== 'created') throw new Error('the direct contact create did not store a contact moment');
        return outcome;
      },
    },
  ];

  const commissioner = subjects.exportCommissioner;
  if (commissioner) {
    const query = new URLSearchParams({
      commissionerId: String(commissioner.id),
      periodKind: 'custom',
      from: commissioner.from,
      to: commissioner.to,
      format: 'csv',
      separator: 'comma',
    });
    routes.push({
      key: 'export',
      label: 'GET /reports/export CSV (admin, all)',
      role: 'admin',
      method: 'GET',
      paths: [`/reports/export?${query.toString()}`],
      expectStatus: 200,
      download: true,
      coachPage: false,
      sql: exportBaseline(db, viewerOf(admin, context), commissioner, context),
    });
  }
  return routes;
}
