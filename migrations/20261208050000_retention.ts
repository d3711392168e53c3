import { Kysely, sql } from 'kysely';

// Retention and erasure (issue 19, items 4 and 5).
// - retention_settings (one row, id = 1): how long closed files are kept (null: for ever, until an
//   administrator sets it — no default deletion), how long the audit log is kept (7 years by
//   default, at least 1) and after how long a deactivated staff account is anonymised (null: never).
// - participants.erased_at: when the file was erased (by the retention job or on request); the
//   row stays, under a pseudonym, so past reports' counts and hours stay right. Only a closed file
//   can be erased. participant_erasures says how and, for a request, why (shown to administrators).
// - users.deactivated_at (when the account was switched off, for the anonymisation period) and
//   users.anonymised_at (when its name and email were removed).
// - The audit log stays append-only, with one exception: the retention job removes events older
//   than the kept period. The trigger itself checks each deleted row against the period stored in
//   retention_settings, on the database's own clock, so no code path (and no one with SQL access
//   short of dropping the trigger) can remove a younger event; updates and TRUNCATE stay refused.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('retention_settings')
    .addColumn('id', 'integer', (col) => col.primaryKey().defaultTo(1))
    .addColumn('closed_files_months', 'integer')
    .addColumn('audit_log_years', 'integer', (col) => col.notNull().defaultTo(7))
    .addColumn('staff_anonymise_months', 'integer')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addCheckConstraint('retention_settings_single_row', sql`id = 1`)
    .addCheckConstraint(
      'retention_settings_closed_files_range',
      sql`closed_files_months is null or closed_files_months between 1 and 1200`,
    )
    .addCheckConstraint('retention_settings_audit_range', sql`audit_log_years between 1 and 100`)
    .addCheckConstraint(
      'retention_settings_staff_range',
      sql`staff_anonymise_months is null or staff_anonymise_months between 1 and 1200`,
    )
    .execute();
  await sql`insert into retention_settings (id) values (1)`.execute(db);

  await db.schema.alterTable('participants').addColumn('erased_at', 'timestamptz').execute();
  await db.schema
    .alterTable('participants')
    .addCheckConstraint('participants_erased_only_closed', sql`erased_at is null or status = 'closed'`)
    .execute();
  await db.schema
    .createTable('participant_erasures')
    .addColumn('participant_id', 'integer', (col) => col.primaryKey().references('participants.id').onDelete('restrict'))
    .addColumn('erased_at', 'timestamptz', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('erased_by', 'integer', (col) => col.references('users.id').onDelete('restrict'))
    .addColumn('reason', 'text')
    .addCheckConstraint('participant_erasures_kind_valid', sql`kind in ('retention', 'request')`)
    .addCheckConstraint(
      'participant_erasures_request_has_reason',
      sql`(kind = 'request') = (reason is not null and erased_by is not null)`,
    )
    .addCheckConstraint('participant_erasures_reason_length', sql`coalesce(char_length(reason), 0) <= 500`)
    .execute();
  // The job looks for closed files not yet erased, oldest closing first.
  await sql`create index participants_closed_not_erased on participants (closed_on) where status = 'closed' and erased_at is null`.execute(
    db,
  );
  await sql`create index participants_erased on participants (id) where erased_at is not null`.execute(db);

  await db.schema
    .alterTable('users')
    .addColumn('deactivated_at', 'timestamptz')
    .addColumn('anonymised_at', 'timestamptz')
    .execute();
  await sql`update users set deactivated_at = updated_at where not active`.execute(db);

  await sql`
    create or replace function audit_events_are_append_only() returns trigger language plpgsql as $$
    begin
      -- The one deletion allowed: an event older than the kept period (retention_settings), as the
      -- database's clock sees it. Without the settings row nothing is old enough.
      if tg_op = 'DELETE' and old.occurred_at < now() - make_interval(years => (
        select audit_log_years from retention_settings where id = 1
      )) then
        return old;
      end if;
      raise exception 'audit events are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end;
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function audit_events_are_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit events are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end;
    $$`.execute(db);
  await db.schema.alterTable('users').dropColumn('anonymised_at').dropColumn('deactivated_at').execute();
  await sql`drop index participants_erased`.execute(db);
  await sql`drop index participants_closed_not_erased`.execute(db);
  await db.schema.dropTable('participant_erasures').execute();
  await db.schema.alterTable('participants').dropConstraint('participants_erased_only_closed').execute();
  await db.schema.alterTable('participants').dropColumn('erased_at').execute();
  await db.schema.dropTable('retention_settings').execute();
}
