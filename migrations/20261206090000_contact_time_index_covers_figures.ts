import { Kysely, sql } from 'kysely';

// The period export sums each trajectory's contact minutes and counts its contacts and reaches
// through contact_moments_participant_time (src/reports/queries.ts, streamPeriodExportRows). With
// the index holding only the key, every one of a trajectory's ~40 contacts was a heap fetch
// scattered over the table: at 100 000 participants (53 000 trajectories of one commissioner)
// the export read ~2 million heap tuples and ran at ~6 000 rows/s. With duration and outcome in
// the index the same lateral is an index-only scan of one or two leaf pages per trajectory
// (bench dataset, N = 10 000: 769 ms → 162 ms for 5 362 rows). The index is replaced rather than
// joined by a second one, so a contact write maintains as many indexes as before.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index contact_moments_participant_time_covering on contact_moments
    (participant_id, occurred_at desc, id desc) include (duration_minutes, outcome)`.execute(db);
  await sql`drop index contact_moments_participant_time`.execute(db);
  await sql`alter index contact_moments_participant_time_covering rename to contact_moments_participant_time`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index contact_moments_participant_time_plain on contact_moments (participant_id, occurred_at desc, id desc)`.execute(
    db,
  );
  await sql`drop index contact_moments_participant_time`.execute(db);
  await sql`alter index contact_moments_participant_time_plain rename to contact_moments_participant_time`.execute(db);
}
