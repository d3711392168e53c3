import { Kysely, sql } from 'kysely';

// Sign-in that is hard to abuse, and one's own sessions on /account.
//
// users: failed sign-ins since the last successful one, and when the latest was (the administrator's
// user page shows them; a successful sign-in sets them back to 0 / null).
//
// sessions (connect-pg-simple's table, written by its own SQL): a trigger copies passport's user id
// out of the session JSON into an indexed `user_id`, so a person's sessions are found by an index
// rather than by reading every session; `handle` is an opaque name of a session for pages and forms
// (a session id never appears in a page); `last_seen_at` is the last time the session was stored or
// touched (express-session touches it on every request).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('failed_sign_ins', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_failed_sign_in_at', 'timestamptz')
    .execute();
  await sql`alter table users add constraint users_failed_sign_ins_not_negative check (failed_sign_ins >= 0)`.execute(db);

  await db.schema
    .alterTable('sessions')
    .addColumn('user_id', 'integer')
    .addColumn('handle', 'uuid', (col) => col.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`
    create function sessions_track() returns trigger language plpgsql as $$
    declare
      signed_in text := new.sess -> 'passport' ->> 'user';
    begin
      new.user_id := case when signed_in ~ '^[0-9]{1,9}$' then signed_in::integer end;
      new.last_seen_at := now();
      return new;
    end;
    $$`.execute(db);
  await sql`
    create trigger sessions_track
    before insert or update on sessions
    for each row execute function sessions_track()`.execute(db);
  // Sessions stored before this migration: their user id through the trigger.
  await sql`update sessions set sess = sess`.execute(db);
  await sql`drop index if exists sessions_user`.execute(db);
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_user_id').execute();
  await sql`create index sessions_user on sessions (((sess -> 'passport' ->> 'user')))`.execute(db);
  await sql`drop trigger sessions_track on sessions`.execute(db);
  await sql`drop function sessions_track()`.execute(db);
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').dropColumn('handle').dropColumn('user_id').execute();
  await sql`alter table users drop constraint users_failed_sign_ins_not_negative`.execute(db);
  await db.schema.alterTable('users').dropColumn('last_failed_sign_in_at').dropColumn('failed_sign_ins').execute();
}
