// What a bench result must say about where it came from: the commit, the machine, the versions and
// the dataset; and the users and records of the dataset the routes are measured with.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';

export const BENCH_EMAIL_DOMAIN = 'bench.inbeeld.test';
/** bench-data's password for every bench user (scripts/bench-data.ts BENCH_PASSWORD). */
export const BENCH_PASSWORD = 'inbeeld-bench';

export class BenchRefusal extends Error {}

export interface GitInfo {
  commit: string | null;
  /** Uncommitted changes in the work tree when the bench ran. */
  dirty: boolean | null;
}

export function gitInfo(cwd: string): GitInfo {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

export async function postgresVersion(db: Kysely<Database>): Promise<string> {
  const row = (await sql<{ version: string }>`select current_setting('server_version') as version`.execute(db)).rows[0];
  return row?.version ?? 'unknown';
}

/**
 * Refuses a database that is not a bench dataset: the bench signs in as bench users and POSTs
 * contact moments, so it must never run against real data.
 */
export async function checkBenchDatabase(db: Kysely<Database>): Promise<void> {
  const make =
    'make one with:\n' +
    "  psql postgresql://postgres@127.0.0.1:5432/test -c 'create database inbeeld_bench_10k'\n" +
    '  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/inbeeld_bench_10k npm run bench:data -- --participants 10000';
  const exists = await sql<{ present: boolean }>`select to_regclass('users') is not null as present`.execute(db);
  if (!exists.rows[0]?.present) throw new BenchRefusal(`the database at DATABASE_URL has no InBeeld tables; ${make}`);
  const users = await sql<{ bench: number; other: number }>`
    select count(*) filter (where email like ${'%@' + BENCH_EMAIL_DOMAIN})::int as bench,
      count(*) filter (where email not like ${'%@' + BENCH_EMAIL_DOMAIN})::int as other
    from users`.execute(db);
  const { bench = 0, other = 0 } = users.rows[0] ?? {};
  if (other > 0) {
    throw new BenchRefusal(
      `the database has ${other} user(s) outside @${BENCH_EMAIL_DOMAIN}: the bench runs only on a bench dataset; ${make}`,
    );
  }
  if (bench === 0) throw new BenchRefusal(`the database holds no bench dataset (no users @${BENCH_EMAIL_DOMAIN}); ${make}`);
}

export type DatasetCounts = Record<string, number>;

/** Row counts of the tables that size the dataset (counted, not estimated). */
export async function datasetCounts(db: Kysely<Database>): Promise<DatasetCounts> {
  const row = (
    await sql<DatasetCounts>`
      select
        (select count(*) from participants)::int as participants,
        (select count(*) from participants where status <> 'closed')::int as "openParticipants",
        (select count(*) from users where role = 'coach')::int as coaches,
        (select count(*) from users where role = 'manager')::int as managers,
        (select count(*) from users where role = 'admin')::int as admins,
        (select count(*) from teams)::int as teams,
        (select count(*) from employers)::int as employers,
        (select count(*) from placements)::int as placements,
        (select count(*) from contact_moments)::int as "contactMoments",
        (select count(*) from goals)::int as goals,
        (select count(*) from trajectories)::int as trajectories,
        (select count(*) from commissioners)::int as commissioners,
        (select count(*) from audit_events)::int as "auditEvents",
        (select count(*) from risk_snapshots)::int as "riskSnapshots"`.execute(db)
  ).rows[0]!;
  return row;
}

/**
 * The day (org zone) of the latest contact moment bench-data generated, which is the day before
 * its --today: contact moments the bench itself POSTs are by the bench coach with its summary.
 */
export async function datasetAnchorDay(db: Kysely<Database>, timeZone: string): Promise<string | null> {
  const row = (
    await sql<{ day: string | null }>`
      select (max(occurred_at) at time zone ${timeZone})::date::text as day
      from contact_moments where summary is distinct from ${BENCH_CONTACT_SUMMARY}`.execute(db)
  ).rows[0];
  return row?.day ?? null;
}

/** The summary of every contact moment the bench POSTs, so they can be told from generated ones. */
export const BENCH_CONTACT_SUMMARY = 'Bench: korte check-in over de werkweek, gaat goed.';

export interface BenchUser {
  id: number;
  email: string;
  role: 'coach' | 'manager' | 'admin';
  teamId: number | null;
}

export interface BenchSubjects {
  coach: BenchUser & { participants: number; openParticipants: number };
  manager: BenchUser;
  admin: BenchUser;
  /** Open participants of the coach whose profile is requested, in turn. */
  profileIds: number[];
  /** Other open participants of the coach, who get the POSTed contact moments. */
  contactIds: number[];
  /** The commissioner with the most trajectories, and a period covering all of its trajectories. */
  exportCommissioner: { id: number; name: string; trajectories: number; from: string; to: string } | null;
}

/**
 * The coach whose caseload is closest to 100 participants (architecture.md's "a coach with about
 * 100"), the manager of that coach's team and the admin; participants of that coach; the biggest
 * commissioner for the export.
 */
export async function benchSubjects(db: Kysely<Database>, today: string): Promise<BenchSubjects> {
  const coach = (
    await sql<BenchUser & { participants: number; openParticipants: number }>`
      select u.id, u.email, u.role, u.team_id as "teamId", count(p.id)::int as participants,
        count(p.id) filter (where p.status <> 'closed')::int as "openParticipants"
      from users u join participants p on p.coach_id = u.id
      where u.role = 'coach' and u.active and u.email like ${'%@' + BENCH_EMAIL_DOMAIN}
      group by u.id
      order by abs(count(p.id) - 100), u.id
      limit 1`.execute(db)
  ).rows[0];
  if (!coach) throw new BenchRefusal('the bench dataset has no coach with participants');
  const manager = (
    await sql<BenchUser>`
      select id, email, role, team_id as "teamId" from users
      where role = 'manager' and active and team_id = ${coach.teamId}
      order by id limit 1`.execute(db)
  ).rows[0];
  if (!manager) throw new BenchRefusal(`the bench dataset has no manager of ${coach.email}'s team`);
  const admin = (
    await sql<BenchUser>`select id, email, role, team_id as "teamId" from users where role = 'admin' and active order by id limit 1`.execute(
      db,
    )
  ).rows[0];
  if (!admin) throw new BenchRefusal('the bench dataset has no admin');
  const open = (
    await sql<{ id: number }>`
      select id from participants where coach_id = ${coach.id} and status <> 'closed' order by id limit 20`.execute(db)
  ).rows.map((row) => row.id);
  if (open.length === 0) throw new BenchRefusal(`${coach.email} has no open participants`);
  const profileIds = open.slice(0, 10);
  const contactIds = open.length > 10 ? open.slice(10) : profileIds;

  const biggest = (
    await sql<{ id: number; name: string; trajectories: number; from: string; lastStart: string }>`
      select c.id, c.name, count(*)::int as trajectories, min(t.start_date)::text as "from", max(t.start_date)::text as "lastStart"
      from trajectories t join commissioners c on c.id = t.commissioner_id
      group by c.id order by count(*) desc, c.id limit 1`.execute(db)
  ).rows[0];
  const exportCommissioner = biggest
    ? {
        id: biggest.id,
        name: biggest.name,
        trajectories: biggest.trajectories,
        from: biggest.from,
        // Every trajectory starts on or before this day, so all of them are active in the period.
        to: biggest.lastStart > today ? biggest.lastStart : today,
      }
    : null;
  return { coach, manager, admin, profileIds, contactIds, exportCommissioner };
}

/**
 * Removes the contact moments earlier bench runs POSTed and returns their participants: without
 * this every run measured the POST (and those participants' pages) on a caseload a few hundred
 * contacts heavier than the last, and the stored state's recent-contact counts grew with it.
 */
export async function removeBenchContacts(db: Kysely<Database>): Promise<number[]> {
  const rows = await sql<{ participant_id: number }>`
    delete from contact_moments where summary = ${BENCH_CONTACT_SUMMARY} returning participant_id`.execute(db);
  return [...new Set(rows.rows.map((row) => row.participant_id))];
}
