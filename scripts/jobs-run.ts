// npm run jobs:run -- <name>: runs one of the app's jobs (src/jobs.ts) once, now, whatever its
// schedule, and prints what it did. Safe next to app processes on a PostgreSQL server: a job does its
// work once however many run it (the embedded database is one process's: stop the app first). README
// "Scripts" lists the jobs. Without a name it lists them. Ctrl-C stops a batched job after its batch
// in progress; the next run does what is left.
import { loadConfigOrExit } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { systemClock } from '../src/lib/clock';
import { appJobs } from '../src/jobs';
import type { Job } from '../src/platform/jobs';

const scheduleOf = ({ schedule }: Job) =>
  [
    schedule.everyMinutes === undefined ? null : `every ${schedule.everyMinutes} minutes`,
    schedule.dailyAfter === undefined ? null : `daily after ${schedule.dailyAfter}`,
  ]
    .filter((part) => part !== null)
    .join(', ') || 'on request';

async function main(): Promise<number> {
  const name = process.argv[2];
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  try {
    const jobs = appJobs(database.db, config);
    const job = jobs.find((candidate) => candidate.name === name);
    if (!job) {
      if (name) console.error(`No job is named "${name}".`);
      console.error('Usage: npm run jobs:run -- <name>. The jobs (the app runs them itself, at start and on their schedule):');
      const width = Math.max(...jobs.map((each) => each.name.length)) + 1;
      for (const each of jobs) console.error(`  ${each.name.padEnd(width)} ${scheduleOf(each)}`);
      return 2;
    }
    if (database.mode === 'embedded') await migrateToLatest(database.db);
    const stopping = new AbortController();
    process.once('SIGINT', () => stopping.abort());
    const started = performance.now();
    const report = await job.run(systemClock.now(), stopping.signal);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`${job.name}: ${report.summary} (${report.outcome}, ${seconds} s)`);
    if (report.figures) console.log(`  ${JSON.stringify(report.figures)}`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('Job failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
