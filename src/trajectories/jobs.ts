import type { Kysely } from 'kysely';
import type { DateTime } from 'luxon';
import type { Database } from '../db/schema';
import { LOCKED, type Job, type JobReport } from '../platform/jobs';
import { ACTIVATION_JOB, activateParticipantsWithStartedTrajectories } from './service';

// The trajectories' work outside requests (src/jobs.ts hands it to platform/jobs.ts). A trajectory
// saved with a start of today or earlier makes its participant active at once; one that starts
// later does so on its start day, here. Just after midnight, and at a process start later in the
// day when the day's run has not been done; `npm run jobs:run -- participant_activation` by hand.

/** Local time after which the day's activation runs: the first minutes of the start day. */
export const ACTIVATION_AT = '00:05';

export function trajectoryJobs(db: Kysely<Database>, { timeZone }: { timeZone: string }): Job[] {
  return [
    {
      name: ACTIVATION_JOB,
      schedule: { dailyAfter: ACTIVATION_AT },
      run: (now, signal) => activate(db, now, timeZone, signal),
    },
  ];
}

async function activate(db: Kysely<Database>, now: DateTime, timeZone: string, signal: AbortSignal): Promise<JobReport> {
  const { activated, cutShort, day } = await activateParticipantsWithStartedTrajectories(db, now, timeZone, signal);
  const figures = { day, activated };
  if (cutShort === 'locked') {
    return { outcome: LOCKED, figures, summary: `participant activation of ${day}: another process is doing it` };
  }
  if (cutShort === 'stopped') {
    return {
      outcome: 'stopped',
      figures,
      summary: `participant activation of ${day}: stopped with the process after ${activated}`,
    };
  }
  return {
    outcome: activated > 0 ? 'activated' : 'none_due',
    figures,
    summary: `participant activation of ${day}: ${activated} in intake made active by their trajectory's start`,
  };
}
