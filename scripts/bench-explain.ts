// node dist/scripts/bench-explain.js (after npm run -s build), with DATABASE_URL at a bench dataset:
// runs the dashboard, caseload, /today, participant list and risk-engine queries through a Kysely that records the
// SQL it sends, then EXPLAIN (ANALYZE, BUFFERS)s each with its real parameters (warm, second run).
import { DateTime } from 'luxon';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/db/schema';
import type { Viewer } from '../src/lib/viewer';
import { listContactFacts, listPlacementFacts, listStateFacts } from '../src/risk/queries';
import { countParticipants, listParticipants } from '../src/participants/queries';
import { ParticipantListQuery } from '../src/participants/schemas';
import { countFlagged, listFlaggedPage } from '../src/dashboard/queries';
import { listCoachFiguresPage, listCoachesInView } from '../src/caseloads/queries';
import { pageTeams } from '../src/caseloads/service';
import { listDayCandidates } from '../src/today/queries';
import { findSessionWithUser } from '../src/users/queries';

const timeZone = process.env.APP_TIMEZONE?.trim() || 'Europe/Amsterdam';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) throw new Error('set DATABASE_URL to a bench database');
  // As the app's connections run (src/db/database.ts): without JIT.
  const pool = new pg.Pool({ connectionString: url, max: 1, options: '-c jit=off' });
  let captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  const capture = async (run: () => Promise<unknown>): Promise<CompiledQuery> => {
    captured = [];
    await run();
    return captured[captured.length - 1]!;
  };
  const today = process.argv[2] ?? DateTime.now().setZone(timeZone).toISODate()!;
  const minus = (days: number) => DateTime.fromISO(today).minus({ days }).toISODate()!;
  // The first coach (coach001@ or coach0001@, by the dataset's size) and their team's manager.
  const coach = await db
    .selectFrom('users')
    .select(['id', 'team_id'])
    .where('role', '=', 'coach')
    .orderBy('email')
    .executeTakeFirstOrThrow();
  const manager = await db
    .selectFrom('users')
    .select(['id', 'team_id'])
    .where('role', '=', 'manager')
    .where('team_id', '=', coach.team_id)
    .executeTakeFirstOrThrow();
  const managerViewer: Viewer = {
    userId: manager.id,
    role: 'manager',
    teamId: manager.team_id,
    today,
    timeZone: 'Europe/Amsterdam',
  };
  const adminViewer: Viewer = { userId: 0, role: 'admin', teamId: null, today, timeZone: 'Europe/Amsterdam' };
  const coachViewer: Viewer = { userId: coach.id, role: 'coach', teamId: coach.team_id, today, timeZone: 'Europe/Amsterdam' };
  const teamCoachIds = (
    await db.selectFrom('users').select('id').where('role', '=', 'coach').where('team_id', '=', manager.team_id).execute()
  ).map((row) => row.id);
  const teamIds = (
    await db
      .selectFrom('participants')
      .select('id')
      .where('coach_id', 'in', teamCoachIds)
      .where('status', '<>', 'closed')
      .orderBy('id')
      .execute()
  ).map((row) => row.id);
  const batchIds = (
    await db.selectFrom('participants').select('id').where('status', '<>', 'closed').orderBy('id').limit(1000).execute()
  ).map((row) => row.id);
  const comparedWith = minus(8 * 7);
  const dates = { today, from14: minus(14), from90: minus(90) };
  const byName = { sort: 'coach', dir: 'asc' } as const;
  const firstPage = { number: 1, limit: 50, offset: 0 };
  // The administrator's first page aggregates the teams it shows, as caseloadOverview asks.
  const adminTeams = pageTeams(await listCoachesInView(db, adminViewer, undefined), firstPage);

  // A session of the bench's coach when one is left from a bench run, else any id (the plan is the same).
  const session = await db.selectFrom('sessions').select('sid').where('user_id', '=', coachViewer.userId).executeTakeFirst();

  const queries: Array<[string, CompiledQuery]> = [
    [
      'session with its signed-in user (every signed-in request)',
      await capture(() => findSessionWithUser(db, session?.sid ?? 'no-such-session', new Date(), today)),
    ],
    [
      `risk contact facts, manager's team (${teamIds.length} ids)`,
      await capture(() => listContactFacts(db, teamIds, today, timeZone, 3)),
    ],
    [
      `risk placement facts, manager's team (${teamIds.length} ids)`,
      await capture(() => listPlacementFacts(db, teamIds, today, comparedWith)),
    ],
    [`risk contact facts, batch of ${batchIds.length}`, await capture(() => listContactFacts(db, batchIds, today, timeZone, 3))],
    [
      `risk placement facts, batch of ${batchIds.length}`,
      await capture(() => listPlacementFacts(db, batchIds, today, comparedWith)),
    ],
    ['dashboard counts, manager', await capture(() => countFlagged(db, managerViewer, { acknowledged: 'all', today }))],
    ['dashboard counts, admin', await capture(() => countFlagged(db, adminViewer, { acknowledged: 'all', today }))],
    [
      'dashboard counts, admin, open flags only',
      await capture(() => countFlagged(db, adminViewer, { acknowledged: 'open', today })),
    ],
    [
      'dashboard page 1, manager',
      await capture(() => listFlaggedPage(db, managerViewer, { acknowledged: 'all', today }, { limit: 50, offset: 0 })),
    ],
    [
      'dashboard page 1, admin',
      await capture(() => listFlaggedPage(db, adminViewer, { acknowledged: 'all', today }, { limit: 50, offset: 0 })),
    ],
    [
      'dashboard page 1, admin, amber',
      await capture(() =>
        listFlaggedPage(db, adminViewer, { acknowledged: 'all', today, level: 'amber' }, { limit: 50, offset: 0 }),
      ),
    ],
    [
      `caseload figures, manager (${teamCoachIds.length} coaches)`,
      await capture(() => listCoachFiguresPage(db, { ids: teamCoachIds }, byName, firstPage, dates)),
    ],
    [
      `caseload figures page 1, admin (the ${adminTeams.ids.length} coaches of its teams)`,
      await capture(() => listCoachFiguresPage(db, { ids: adminTeams.ids }, byName, firstPage, dates)),
    ],
    [
      `caseload figures page 1 by red, admin (the ${adminTeams.ids.length} coaches of its teams)`,
      await capture(() => listCoachFiguresPage(db, { ids: adminTeams.ids }, { sort: 'red', dir: 'desc' }, firstPage, dates)),
    ],
    ['/today, the first coach', await capture(() => listDayCandidates(db, coachViewer))],
    [
      'participants page 1, admin, risk red',
      await capture(() => listParticipants(db, adminViewer, ParticipantListQuery.parse({ risk: 'red' }), firstPage)),
    ],
    [
      'participants count, admin, risk red',
      await capture(() => countParticipants(db, adminViewer, ParticipantListQuery.parse({ risk: 'red' }))),
    ],
    [
      'stored state facts of one participant (every write)',
      await capture(() => listStateFacts(db, batchIds.slice(0, 1), today, timeZone, 3, 8)),
    ],
  ];

  for (const [label, query] of queries) {
    const explain = `explain (analyze, buffers, format text) ${query.sql}`;
    await pool.query(explain, query.parameters as unknown[]); // warm the cache
    const result = await pool.query<{ 'QUERY PLAN': string }>(explain, query.parameters as unknown[]);
    console.log(`\n=== ${label}`);
    for (const row of result.rows) console.log(row['QUERY PLAN']);
  }
  await db.destroy();
}

main().catch((error: unknown) => {
  console.error('EXPLAIN failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
