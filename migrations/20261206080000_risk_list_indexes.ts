import { Kysely, sql } from 'kysely';

// Indexes for the org-wide lists read from the stored risk state (src/dashboard/queries.ts,
// src/caseloads/queries.ts). Measured with EXPLAIN ANALYZE on the bench dataset at 10 000
// participants (scripts/bench-explain.ts, jit off as the app runs).
export async function up(db: Kysely<any>): Promise<void> {
  // The dashboard's order, expression for expression as listFlaggedPage sorts (red first; never
  // reached first, by trajectory start; then the earliest reach). PostgreSQL walks it and sorts
  // only the name ties (incremental sort), so the first page reads ~50 rows instead of sorting
  // every flagged participant: admin page 1 from 31 ms to 0.9 ms.
  await sql`create index participant_risk_states_flagged_order on participant_risk_states (
    (case level when 'red' then 0 else 1 end),
    (last_reached_at is not null),
    (case when last_reached_at is null then trajectory_start_date end),
    last_reached_at
  ) where level in ('amber', 'red')`.execute(db);
  // The caseload page counts each coach's contacts of the last 7 and 30 days as one range scan
  // over that window joined to the caseload. The other contact indexes start with the participant
  // or the author; with the participant id in this one the scan reads the index alone (admin,
  // 100 coaches: 141 ms with a bitmap heap scan, 80 ms index-only).
  await sql`create index contact_moments_occurred_at on contact_moments (occurred_at, participant_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index contact_moments_occurred_at`.execute(db);
  await sql`drop index participant_risk_states_flagged_order`.execute(db);
}
