import { Kysely, sql } from 'kysely';

// Passkeys (issue 18, item 2): WebAuthn credentials, several per person, each with the name its owner
// gave it and when it was last used. The credential id is unique across everyone (a signed-in
// assertion names only it). `user_handle` is the opaque WebAuthn user id the authenticator keeps with
// a discoverable credential (the same for all of a person's passkeys, so an authenticator replaces its
// own older one); it never holds the account id or the email. The counter is a 32-bit unsigned value.
//
// passkey_challenges: the challenges of passwordless sign-in. A signed-out visitor has no session (one
// is stored only from a successful sign-in), so the challenge waits here, single-use, for five minutes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('passkeys')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (col) => col.notNull().unique())
    .addColumn('public_key', 'bytea', (col) => col.notNull())
    .addColumn('counter', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('transports', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('user_handle', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('device_type', 'text', (col) => col.notNull())
    .addColumn('backed_up', 'boolean', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addCheckConstraint(
      'passkeys_values',
      sql`char_length(name) between 1 and 100 and char_length(credential_id) between 1 and 1400
        and counter between 0 and 4294967295 and device_type in ('singleDevice', 'multiDevice')`,
    )
    .execute();
  await db.schema.createIndex('passkeys_user').on('passkeys').column('user_id').execute();
  await db.schema
    .createTable('passkey_challenges')
    .addColumn('challenge', 'text', (col) => col.primaryKey())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('passkey_challenges_expiry').on('passkey_challenges').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('passkey_challenges').execute();
  await db.schema.dropTable('passkeys').execute();
}
