import { Kysely, sql } from 'kysely';

// Single sign-on (issue 18, item 5): a person of the identity provider is bound to one InBeeld
// account by the provider's issuer and their subject (`sub`), at their first sign-in, when the
// email matched an active account. Later sign-ins find the account by this binding, never by email
// again: an email can change hands at the provider, a subject never does. One binding per account
// and issuer, so a second identity with the same email cannot take over a bound account.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table sso_identities (
    id integer generated always as identity primary key,
    user_id integer not null references users (id) on delete cascade,
    issuer text not null,
    subject text not null,
    created_at timestamptz not null default now(),
    last_signed_in_at timestamptz,
    constraint sso_identities_subject_unique unique (issuer, subject),
    constraint sso_identities_one_per_user unique (user_id, issuer)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sso_identities').execute();
}
