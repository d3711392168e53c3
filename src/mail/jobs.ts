import type { Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import type { Database, DigestKind } from '../db/schema';
import type { Job, JobReport } from '../platform/jobs';
import type { MailDeps } from './deps';
import { DIGEST_AT, sendDailyDigests, sendWeeklyDigests, type DigestRunReport } from './digests';

// The digests as jobs of platform/jobs.ts. The runner starts each once a day after 07:30 (and at a
// process start later that day); the body decides whether today is the digest's day (weekdays, or
// Monday) and sends only what mail_digest_sends does not hold yet, so any number of processes, or
// `npm run jobs:run -- mail_daily_digest` by hand, sends each digest once.

export const DAILY_DIGEST_JOB = 'mail_daily_digest';
export const WEEKLY_DIGEST_JOB = 'mail_weekly_digest';

function reportOf(kind: DigestKind, run: DigestRunReport, configured: boolean): JobReport {
  const { day, sent, nothingToSend, failed, skipped } = run;
  const figures = { day, sent, nothingToSend, failed, skipped };
  if (!configured)
    return {
      outcome: 'not_configured',
      figures,
      summary: `${kind} digests: no mail is sent (SMTP_URL and MAIL_FROM are not set)`,
    };
  if (run.timing === 'notToday')
    return { outcome: 'not_today', figures, summary: `${kind} digests: ${day} is not a day they go out` };
  if (run.timing === 'tooEarly')
    return { outcome: 'too_early', figures, summary: `${kind} digests of ${day} go out from ${DIGEST_AT}` };
  const summary = `${kind} digests of ${day}: ${sent} sent, ${failed} failed, ${nothingToSend} with nothing to send`;
  if (run.stopped) return { outcome: 'stopped', figures, summary: `${summary}; stopped with the process` };
  return { outcome: failed > 0 ? 'some_failed' : 'sent', figures, summary };
}

export function mailJobs(db: Kysely<Database>, deps: MailDeps): Job[] {
  return [
    {
      name: DAILY_DIGEST_JOB,
      schedule: { dailyAfter: DIGEST_AT },
      run: async (now: DateTime, signal: AbortSignal) =>
        reportOf('daily', await sendDailyDigests(db, deps, now, signal), deps.mailer.configured),
    },
    {
      name: WEEKLY_DIGEST_JOB,
      schedule: { dailyAfter: DIGEST_AT },
      run: async (now: DateTime, signal: AbortSignal) =>
        reportOf('weekly', await sendWeeklyDigests(db, deps, now, signal), deps.mailer.configured),
    },
  ];
}
