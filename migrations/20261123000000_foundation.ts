import { Kysely, sql } from 'kysely';

// Foundation: teams, users, sessions (connect-pg-simple's layout), shared login rate-limit
// counters and the append-only audit log. Runs on PostgreSQL 15 and on PGlite.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('teams_name_length', sql`char_length(name) between 1 and 100`)
    .execute();
  await sql`create unique index teams_name_unique on teams (lower(name))`.execute(db);

  await db.schema
    .createTable('users')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('display_name', 'text', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('team_id', 'integer', (col) => col.references('teams.id').onDelete('restrict'))
    .addColumn('locale', 'text', (col) => col.notNull().defaultTo('nl'))
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('users_role_valid', sql`role in ('coach', 'manager', 'admin')`)
    .addCheckConstraint('users_locale_valid', sql`locale in ('nl', 'en')`)
    .addCheckConstraint('users_email_shape', sql`email = lower(email) and email like '%_@_%' and char_length(email) <= 254`)
    .addCheckConstraint('users_display_name_length', sql`char_length(display_name) between 1 and 100`)
    // Coaches and managers belong to a team; an administrator may stand outside every team.
    .addCheckConstraint('users_team_required', sql`role = 'admin' or team_id is not null`)
    .execute();
  await db.schema.createIndex('users_email_unique').on('users').column('email').unique().execute();
  await db.schema.createIndex('users_team_role').on('users').columns(['team_id', 'role']).execute();

  // Same layout as connect-pg-simple's table.sql, so the store works unchanged.
  await db.schema
    .createTable('sessions')
    .addColumn('sid', 'varchar', (col) => col.primaryKey())
    .addColumn('sess', 'json', (col) => col.notNull())
    .addColumn('expire', 'timestamp(6)', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('sessions_expire').on('sessions').column('expire').execute();
  // Ending every session of one user (deactivation) looks sessions up by the signed-in user id.
  await sql`create index sessions_user on sessions (((sess -> 'passport' ->> 'user')))`.execute(db);

  await db.schema
    .createTable('rate_limit_hits')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('hits', 'integer', (col) => col.notNull())
    .addColumn('reset_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_hits_reset_at').on('rate_limit_hits').column('reset_at').execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('occurred_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('actor_user_id', 'integer', (col) => col.references('users.id').onDelete('restrict'))
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('entity_type', 'text', (col) => col.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addCheckConstraint('audit_events_action_length', sql`char_length(action) between 1 and 50`)
    .execute();
  await db.schema.createIndex('audit_events_occurred_at').on('audit_events').column('occurred_at').execute();
  await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor_user_id', 'occurred_at']).execute();
  await db.schema.createIndex('audit_events_entity').on('audit_events').columns(['entity_type', 'entity_id']).execute();

  // The audit log is evidence: the database itself refuses to change or remove an event.
  await sql`
    create function audit_events_are_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit events are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end;
    $$`.execute(db);
  await sql`
    create trigger audit_events_no_update_or_delete
    before update or delete on audit_events
    for each row execute function audit_events_are_append_only()`.execute(db);
  await sql`
    create trigger audit_events_no_truncate
    before truncate on audit_events
    for each statement execute function audit_events_are_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_events').execute();
  await sql`drop function audit_events_are_append_only()`.execute(db);
  await db.schema.dropTable('rate_limit_hits').execute();
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropTable('users').execute();
  await db.schema.dropTable('teams').execute();
}
