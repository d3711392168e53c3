import type { Kysely } from 'kysely';
import type { Config } from './config';
import type { Database } from './db/schema';
import { systemClock } from './lib/clock';
import { createLogger } from './lib/logger';
import type { MailDeps } from './mail/deps';
import { mailJobs } from './mail/jobs';
import { translatorFor } from './messages';
import type { Job } from './platform/jobs';
import { createMailer } from './platform/mail';
import { retentionJobs } from './retention/jobs';
import { riskJobs } from './risk/jobs';
import { trajectoryJobs } from './trajectories/jobs';
import { importJobs } from './imports/jobs';

type JobConfig = Pick<
  Config,
  'timeZone' | 'riskSnapshotAt' | 'mail' | 'publicUrl' | 'session' | 'logLevel' | 'defaultLocale' | 'pseudonymSecret'
>;

/** What the mail jobs need, for a caller without services of its own (`npm run jobs:run`). */
export function mailDepsFor(db: Kysely<Database>, config: JobConfig): MailDeps {
  const mailer = createMailer({ config, db, clock: systemClock, logger: createLogger(config.logLevel) });
  return {
    mailer,
    translatorFor,
    defaultLocale: config.defaultLocale,
    publicUrl: config.publicUrl,
    timeZone: config.timeZone,
    secret: config.session.secret,
  };
}

/**
 * Every job of the app, for the runner of each app process (services.ts) and for
 * `npm run jobs:run -- <name>`. platform/jobs.ts knows no feature: features hand their jobs in here.
 */
export function appJobs(db: Kysely<Database>, config: JobConfig, mail: MailDeps = mailDepsFor(db, config)): Job[] {
  return [
    ...riskJobs(db, { timeZone: config.timeZone, snapshotAt: config.riskSnapshotAt }),
    ...mailJobs(db, mail),
    ...trajectoryJobs(db, { timeZone: config.timeZone }),
    ...importJobs(db),
    ...retentionJobs(db, { timeZone: config.timeZone, pseudonymSecret: config.pseudonymSecret }),
  ];
}
