import { Kysely, sql } from 'kysely';

// A person's calendar feed: a secret address (/calendar/<token>.ics) that a calendar app polls for
// their planned contacts. One per person; a new address replaces the old one. Only a SHA-256 of the
// token is kept, so someone who reads the database cannot subscribe to anyone's calendar with it.
// The fetch counter of the current hour (window_*) limits how often one address is read, in the
// same UPDATE that finds the feed and records when it was last used.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('user_id', 'integer', (col) => col.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('window_started_at', 'timestamptz')
    .addColumn('window_fetches', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_feeds').execute();
}
