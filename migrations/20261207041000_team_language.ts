import { Kysely, sql } from 'kysely';

// Flemish terms (issue 17, item 7): a third language, nl-BE (the few words Flemish teams say
// differently, over nl), and a team default language. A person's own choice wins over their
// team's default, which wins over the organisation's (DEFAULT_LOCALE); so users.locale becomes
// nullable: null means "no choice of my own". Existing people keep the language they have: an
// administrator chose it when inviting them (or they chose it since), so it stays their choice.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table users drop constraint users_locale_valid`.execute(db);
  await sql`alter table users alter column locale drop not null`.execute(db);
  await sql`alter table users alter column locale drop default`.execute(db);
  await sql`alter table users add constraint users_locale_valid check (locale in ('nl', 'nl-BE', 'en'))`.execute(db);
  await sql`alter table teams add column default_locale text
    constraint teams_default_locale_valid check (default_locale in ('nl', 'nl-BE', 'en'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('teams').dropColumn('default_locale').execute();
  await sql`alter table users drop constraint users_locale_valid`.execute(db);
  await sql`update users set locale = 'nl' where locale is null or locale = 'nl-BE'`.execute(db);
  await sql`alter table users alter column locale set default 'nl'`.execute(db);
  await sql`alter table users alter column locale set not null`.execute(db);
  await sql`alter table users add constraint users_locale_valid check (locale in ('nl', 'en'))`.execute(db);
}
