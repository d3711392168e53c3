import { Kysely, sql } from 'kysely';

// A second factor (issue 18): an authenticator app (TOTP, RFC 6238) with single-use recovery codes.
// - user_totp holds a confirmed enrolment only (an enrolment in progress lives in the session until
//   its first code confirms it). last_used_step is the 30-second step of the last accepted code, so a
//   code cannot be used twice: a code is accepted only for a later step than the last one.
// - recovery_codes are stored as SHA-256 hashes (each code is 50 random bits, so a slow hash adds
//   nothing); used_at marks a spent one. A regeneration deletes the old set.
// - users.second_factor_reset_at: an administrator reset the person's second factor; the person is
//   told at their next sign-in, which clears it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table user_totp (
    user_id integer primary key references users (id) on delete cascade,
    secret text not null,
    last_used_step integer,
    confirmed_at timestamptz not null default now()
  )`.execute(db);
  await sql`create table recovery_codes (
    id serial primary key,
    user_id integer not null references users (id) on delete cascade,
    code_hash text not null,
    created_at timestamptz not null default now(),
    used_at timestamptz,
    constraint recovery_codes_unique unique (user_id, code_hash)
  )`.execute(db);
  await sql`alter table users add column second_factor_reset_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('second_factor_reset_at').execute();
  await db.schema.dropTable('recovery_codes').execute();
  await db.schema.dropTable('user_totp').execute();
}
