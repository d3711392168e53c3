import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Config } from './config';
import { databaseIsReachable } from './db/database';
import type { Database } from './db/schema';
import { realSleep, systemClock, type Clock, type Sleep } from './lib/clock';
import type { Logger } from './lib/logger';
import { organisationToday } from './lib/viewer';
import type { Executor } from './platform/executor';
import { createSessionStore } from './web/session-store';
import { createMailer } from './platform/mail';
import { createMetrics } from './platform/metrics';
import { createJobRunner } from './platform/jobs';
import { appJobs } from './jobs';
import { createMailing } from './mail/service';
import { translatorFor } from './messages';
import { createSecurityLog } from './platform/security-log';
import { createPassport } from './auth/passport';
import { createSignInThrottle } from './auth/throttle';
import * as admin from './admin/service';
import * as imports from './imports/service';
import * as retention from './retention/service';
import * as audit from './audit/service';
import * as auth from './auth/service';
import * as calendar from './calendar/service';
import * as passkeys from './passkeys/service';
import * as caseloads from './caseloads/service';
import * as commissioners from './commissioners/service';
import * as contacts from './contacts/service';
import * as dashboard from './dashboard/service';
import * as employers from './employers/service';
import * as directory from './directory/service';
import * as handovers from './handovers/service';
import * as goals from './goals/service';
import * as mfa from './mfa/service';
import * as participants from './participants/service';
import * as placements from './placements/service';
import * as referrals from './referrals/service';
import * as network from './network/service';
import * as consents from './consents/service';
import * as reports from './reports/service';
import * as reviews from './reviews/service';
import * as risk from './risk/service';
import * as riskAcknowledgements from './risk/acknowledge';
import * as riskState from './risk/state';
import * as standins from './standins/service';
import * as support from './support/service';
import * as teams from './teams/service';
import * as subjectAccess from './subject-access/service';
import * as today from './today/service';
import * as trajectories from './trajectories/service';
import * as trajectoryReports from './trajectory-reports/service';
import * as users from './users/service';
import * as sso from './sso/service';
import { CALLBACK_PATH, SsoProvider } from './sso/provider';

export interface ServiceOptions {
  config: Config;
  db: Kysely<Database>;
  pool: pg.Pool;
  logger: Logger;
  clock?: Clock;
  /** How the sign-in delay waits (tests record the waits instead). */
  sleep?: Sleep;
}

/**
 * Everything the web layer may call, built once per app: each feature's service functions with the
 * database already given (so routers and handlers never hold `db`), plus the clock, configuration,
 * logger, sessions and authentication. Pure rules (describeReason, editableUntil, …) are not here:
 * handlers import those from the feature's service.ts directly.
 */
export function createServices({ config, db, pool, logger, clock = systemClock, sleep = realSleep }: ServiceOptions) {
  const todayNow = () => organisationToday(clock, config.timeZone);
  const sessionStore = createSessionStore(pool, config, logger, (sid, notExpiredAt) =>
    users.findSessionAndSignedInUser(db, sid, notExpiredAt, todayNow()),
  );
  const metrics = createMetrics({ pool });
  const mail = createMailer({ config, db, clock, logger });
  const mailDeps = {
    mailer: mail,
    translatorFor,
    defaultLocale: config.defaultLocale,
    publicUrl: config.publicUrl,
    timeZone: config.timeZone,
    secret: config.session.secret,
  };
  const mailing = createMailing(db, { ...mailDeps, from: config.mail?.from ?? null });
  const jobs = createJobRunner({ jobs: appJobs(db, config, mailDeps), clock, timeZone: config.timeZone, logger, metrics });
  return {
    config,
    clock,
    logger,
    sessionStore,
    /** This process's Prometheus metrics (served on METRICS_PORT by server.ts, never by the app). */
    metrics,
    /** Security events as JSON lines (platform/security-log.ts), each also counted in the metrics. */
    securityLog: createSecurityLog({ logger, secret: config.session.secret, onEvent: metrics.securityEvent }),
    passport: createPassport(db, todayNow),
    /** Today's date (ISO) in the organisation's time zone, by the services' clock. */
    organisationToday: todayNow,
    /** Texts in a chosen language, for what is not a page in the reader's own (a calendar feed in its owner's). */
    translatorFor,
    /** Failed sign-ins and wrong current passwords, counted in PostgreSQL (shared by every process). */
    signInThrottle: createSignInThrottle(db, { clock, sleep, limits: config.loginRateLimit }),
    /** The mail transport (platform/mail.ts): `configured` says whether mail leaves the app at all. */
    mail,
    /** Mails and their settings (src/mail): digests' preferences, unsubscribe links, set-password and test mails. */
    mailing,
    /**
     * Scheduled and background work (platform/jobs.ts): server.ts starts its timers; a service may
     * ask for a run (a settings save starts the risk recompute).
     */
    jobs,
    health: { databaseIsReachable: (timeoutMs: number) => databaseIsReachable(db, timeoutMs) },
    admin: withDatabase(db, admin),
    imports: withDatabase(db, imports),
    retention: withDatabase(db, retention),
    audit: withDatabase(db, audit),
    auth: withDatabase(db, auth),
    calendar: withDatabase(db, calendar),
    passkeys: withDatabase(db, passkeys),
    caseloads: withDatabase(db, caseloads),
    commissioners: withDatabase(db, commissioners),
    contacts: withDatabase(db, contacts),
    dashboard: withDatabase(db, dashboard),
    employers: withDatabase(db, employers),
    directory: withDatabase(db, directory),
    handovers: withDatabase(db, handovers),
    goals: withDatabase(db, goals),
    /** The second factor (src/mfa): authenticator app, recovery codes, the administrator's reset. */
    mfa: withDatabase(db, mfa),
    participants: withDatabase(db, participants),
    placements: withDatabase(db, placements),
    referrals: withDatabase(db, referrals),
    network: withDatabase(db, network),
    consents: withDatabase(db, consents),
    reports: withDatabase(db, reports),
    reviews: withDatabase(db, reviews),
    risk: withDatabase(db, risk),
    riskAcknowledgements: withDatabase(db, riskAcknowledgements),
    riskState: withDatabase(db, riskState),
    standins: withDatabase(db, standins),
    support: withDatabase(db, support),
    teams: withDatabase(db, teams),
    subjectAccess: withDatabase(db, subjectAccess),
    today: withDatabase(db, today),
    trajectories: withDatabase(db, trajectories),
    trajectoryReports: withDatabase(db, trajectoryReports),
    users: withDatabase(db, users),
    sso: withDatabase(db, sso),
    /** The OpenID Connect identity provider (src/sso/provider.ts), or null: no single sign-on configured. */
    ssoProvider: config.sso ? new SsoProvider(config.sso, `${config.publicUrl}${CALLBACK_PATH}`) : null,
    /**
     * Stops the services' own timers (the session store's pruning, the jobs') and waits for a job
     * run in progress; the database belongs to the caller.
     */
    close: async (): Promise<void> => {
      sessionStore.close();
      await jobs.stop();
      await mailing.idle();
      mail.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;

/** Whether a function takes the database (or a transaction) as its first argument. */
type TakesDatabase<F> = F extends (first: infer First, ...rest: never[]) => unknown
  ? [Kysely<Database>] extends [First]
    ? [First] extends [Executor]
      ? true
      : false
    : false
  : false;

/** A service module's database functions, with the database given: `findGoal(db, viewer, …)` → `findGoal(viewer, …)`. */
export type WithDatabase<M> = {
  [K in keyof M as TakesDatabase<M[K]> extends true ? K : never]: M[K] extends (db: never, ...args: infer A) => infer R
    ? (...args: A) => R
    : never;
};

function withDatabase<M extends object>(db: Kysely<Database>, module: M): WithDatabase<M> {
  const bound: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(module)) {
    // Every function is bound; the type above offers only those whose first parameter is the database.
    if (typeof value === 'function') bound[name] = (...args: unknown[]) => (value as (...a: unknown[]) => unknown)(db, ...args);
  }
  return bound as WithDatabase<M>;
}
