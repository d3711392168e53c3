import { Kysely, sql } from 'kysely';

// The referral directory (issue 17, item 6): referral organisations become shared rows (name, kind,
// region, phone, email) that a referral points to, instead of a name typed again on every referral.
//
// Existing referrals are moved deterministically: their organisation texts are grouped by the
// normalised name (trimmed, runs of white space as one space, lower case — the same expression as
// the unique index below, so the directory can never hold two spellings of one name). Each group
// becomes one organisation named as its oldest referral (lowest id) wrote it, of the kind that
// referral's service kind maps to (the codes are shared), created by that referral's author; the
// organisations are numbered in the order of those oldest referrals. Every referral is then linked
// to its group's organisation and the free-text column goes.
//
// Referrals also gain a follow-up date: the day the coach means to check how the referral went.
// /today lists the open referrals whose date has come; the partial index serves that list.

const NAME_KEY = (column: string) => sql.raw(`lower(regexp_replace(btrim(${column}), '\\s+', ' ', 'g'))`);

const ORGANISATION_KINDS_SQL = sql.raw(
  `'caw', 'debt_mediation', 'tenants_union', 'ocmw_social_work', 'vdab', 'debt_counselling', 'neighbourhood_team', 'uwv', ` +
    `'social_work', 'housing', 'language_coaching', 'health_care', 'addiction_care', 'legal_aid', 'other'`,
);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('referral_organisations')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('region', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('restrict'))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('referral_organisations_kind_valid', sql`kind in (${ORGANISATION_KINDS_SQL})`)
    .addCheckConstraint(
      'referral_organisations_text_lengths',
      sql`char_length(name) between 1 and 150 and coalesce(char_length(region), 0) <= 100
        and coalesce(char_length(phone), 0) <= 40 and coalesce(char_length(email), 0) <= 254`,
    )
    .execute();
  await sql`create unique index referral_organisations_name_key on referral_organisations ((${NAME_KEY('name')}))`.execute(db);

  await sql`insert into referral_organisations (name, kind, created_by, created_at, updated_at)
    select name, kind, created_by, created_at, created_at from (
      select distinct on (${NAME_KEY('organisation')})
        id, regexp_replace(btrim(organisation), '\\s+', ' ', 'g') as name, service_kind as kind, created_by, created_at
      from referrals
      order by ${NAME_KEY('organisation')}, id
    ) as oldest
    order by id`.execute(db);

  await db.schema
    .alterTable('referrals')
    .addColumn('organisation_id', 'integer', (col) => col.references('referral_organisations.id').onDelete('restrict'))
    .addColumn('follow_up_on', 'date')
    .execute();
  await sql`update referrals set organisation_id = o.id
    from referral_organisations o
    where ${NAME_KEY('referrals.organisation')} = ${NAME_KEY('o.name')}`.execute(db);
  await sql`alter table referrals alter column organisation_id set not null`.execute(db);
  await sql`alter table referrals drop constraint referrals_text_lengths`.execute(db);
  await sql`alter table referrals add constraint referrals_text_lengths check (char_length(reason) between 1 and 2000)`.execute(
    db,
  );
  await db.schema.alterTable('referrals').dropColumn('organisation').execute();
  await db.schema.createIndex('referrals_organisation').on('referrals').column('organisation_id').execute();
  await sql`create index referrals_follow_up_due on referrals (follow_up_on) where follow_up_on is not null and closed_on is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index referrals_follow_up_due`.execute(db);
  await db.schema.alterTable('referrals').addColumn('organisation', 'text').execute();
  await sql`update referrals set organisation = o.name from referral_organisations o where o.id = referrals.organisation_id`.execute(
    db,
  );
  await sql`alter table referrals alter column organisation set not null`.execute(db);
  await sql`alter table referrals drop constraint referrals_text_lengths`.execute(db);
  await sql`alter table referrals add constraint referrals_text_lengths
    check (char_length(organisation) between 1 and 150 and char_length(reason) between 1 and 2000)`.execute(db);
  await db.schema.alterTable('referrals').dropColumn('organisation_id').dropColumn('follow_up_on').execute();
  await db.schema.dropTable('referral_organisations').execute();
}
