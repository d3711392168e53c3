import { Kysely, sql } from 'kysely';

// Contact moments are ordered by when they happened, then by when they were recorded
// (created_at), then id (decisions.md, "Coach's day"). Two changes make that hold:
//
// 1. Times are to the minute. The quick log stored the second it was saved (02:19:37), the full
//    form the minute typed (02:19:00), so a call-back request logged with the form in the same
//    minute sorted before the failed attempt it followed, and its planned call never showed.
//    Stored times are truncated here as the app now stores them; the stored risk state holds two
//    of those instants, truncated alike so it stays equal to a recompute. A minute never crosses a
//    local day in any zone the app uses, so no day-based fact (risk, reports) changes.
// 2. The "latest" lookups (the day page, the risk facts, the timeline) order by
//    (occurred_at, created_at, id) and read one or a few entries through these two indexes; with
//    created_at in the key they stay top-N index scans instead of sorting a participant's contacts.
//    Each index is replaced, not joined by another, so a contact write maintains as many as before.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update contact_moments
    set occurred_at = date_trunc('minute', occurred_at at time zone 'UTC') at time zone 'UTC'
    where occurred_at <> date_trunc('minute', occurred_at at time zone 'UTC') at time zone 'UTC'`.execute(db);
  for (const column of ['last_reached_at', 'last_contact_at']) {
    await sql`update participant_risk_states
      set ${sql.ref(column)} = date_trunc('minute', ${sql.ref(column)} at time zone 'UTC') at time zone 'UTC'
      where ${sql.ref(column)} <> date_trunc('minute', ${sql.ref(column)} at time zone 'UTC') at time zone 'UTC'`.execute(db);
  }

  await sql`create index contact_moments_participant_order on contact_moments
    (participant_id, occurred_at desc, created_at desc, id desc) include (duration_minutes, outcome)`.execute(db);
  await sql`drop index contact_moments_participant_time`.execute(db);
  await sql`alter index contact_moments_participant_order rename to contact_moments_participant_time`.execute(db);

  await sql`create index contact_moments_participant_reached_order on contact_moments
    (participant_id, occurred_at desc, created_at desc, id desc) where outcome = 'reached'`.execute(db);
  await sql`drop index contact_moments_participant_reached`.execute(db);
  await sql`alter index contact_moments_participant_reached_order rename to contact_moments_participant_reached`.execute(db);
}

// The truncated seconds are not restored: they are gone, and to the minute is what the app stores.
export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index contact_moments_participant_time_previous on contact_moments
    (participant_id, occurred_at desc, id desc) include (duration_minutes, outcome)`.execute(db);
  await sql`drop index contact_moments_participant_time`.execute(db);
  await sql`alter index contact_moments_participant_time_previous rename to contact_moments_participant_time`.execute(db);

  await sql`create index contact_moments_participant_reached_previous on contact_moments
    (participant_id, occurred_at desc) where outcome = 'reached'`.execute(db);
  await sql`drop index contact_moments_participant_reached`.execute(db);
  await sql`alter index contact_moments_participant_reached_previous rename to contact_moments_participant_reached`.execute(db);
}
