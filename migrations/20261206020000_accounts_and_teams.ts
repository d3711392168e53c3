import { Kysely, sql } from 'kysely';

// Accounts and teams managed in the app: an invited person has no password until they choose one
// through a set-password link; people and teams are edited against a version, like everything else.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .alterColumn('password_hash', (col) => col.dropNotNull())
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('teams')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  // A one-time link to choose a password: an invitation, or a new link an administrator sends.
  // Only a SHA-256 of the token is kept, so the table cannot be used to sign in.
  await db.schema
    .createTable('set_password_links')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('restrict'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('used_at', 'timestamptz')
    .addCheckConstraint('set_password_links_purpose', sql`purpose in ('invite', 'reset')`)
    .execute();
  await db.schema.createIndex('set_password_links_user').on('set_password_links').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('set_password_links').execute();
  await db.schema.alterTable('teams').dropColumn('updated_at').dropColumn('version').execute();
  await db.schema.alterTable('users').dropColumn('version').execute();
  await sql`update users set password_hash = '!' where password_hash is null`.execute(db);
  await db.schema
    .alterTable('users')
    .alterColumn('password_hash', (col) => col.setNotNull())
    .execute();
}
