import { Kysely, sql } from 'kysely';

// Mail (src/mail, platform/mail.ts): what was sent, who does not want what, and what failed.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per person, kind of digest and day it was sent for. The primary key is what makes a
  // digest go out once however many processes run the job: a process claims the row before it
  // sends (insert … on conflict do nothing), and gives it back when the send fails.
  await db.schema
    .createTable('mail_digest_sends')
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('daily', 'weekly')`))
    .addColumn('sent_on', 'date', (col) => col.notNull())
    .addColumn('sent_at', 'timestamptz', (col) => col.notNull())
    .addColumn('items', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('mail_digest_sends_pkey', ['user_id', 'kind', 'sent_on'])
    .execute();
  // A row per digest a person opted out of (on /account or by a mail's unsubscribe link); no row:
  // they get it. A table of its own rather than columns on users, so a new kind needs no migration.
  await db.schema
    .createTable('mail_opt_outs')
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('daily', 'weekly')`))
    .addColumn('opted_out_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('mail_opt_outs_pkey', ['user_id', 'kind'])
    .execute();
  // The last failures to send, for /admin/settings; platform/mail.ts keeps only the newest few.
  await db.schema
    .createTable('mail_failures')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('occurred_at', 'timestamptz', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('error', 'text', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_failures').execute();
  await db.schema.dropTable('mail_opt_outs').execute();
  await db.schema.dropTable('mail_digest_sends').execute();
}
