import { Kysely, sql } from 'kysely';

// The caseload page counts each coach's contacts of the last 7 and 30 days as one range scan over
// that window joined to the caseload, instead of one index probe per participant of the
// organisation (src/caseloads/queries.ts listCoachFigures). The existing contact indexes all start
// with the participant or the author, so the window needs its own.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index contact_moments_occurred_at on contact_moments (occurred_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index contact_moments_occurred_at`.execute(db);
}
