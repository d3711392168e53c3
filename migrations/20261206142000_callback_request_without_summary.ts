import { Kysely, sql } from 'kysely';

// A call-back request ("call me back in ten minutes") is logged in one click from /today: like an
// attempt that reached nobody it needs no summary (product.md "The coach's day"). Only a
// conversation that reached someone must say what was discussed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table contact_moments drop constraint contact_moments_summary_required`.execute(db);
  await sql`alter table contact_moments add constraint contact_moments_summary_required
    check (outcome <> 'reached' or (summary is not null and char_length(summary) > 0))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table contact_moments drop constraint contact_moments_summary_required`.execute(db);
  // Call-back requests stored without a summary since get one, so the older rule holds again.
  await sql`update contact_moments set summary = '-' where outcome = 'callback_requested' and (summary is null or summary = '')`.execute(
    db,
  );
  await sql`alter table contact_moments add constraint contact_moments_summary_required
    check (outcome in ('not_reached', 'voicemail') or (summary is not null and char_length(summary) > 0))`.execute(db);
}
