import { Kysely, sql } from 'kysely';

// Import from spreadsheets (issue 19, items 1–3; src/imports). An uploaded file waits here between
// its preview and its import, one per person, for an hour (`expires_at`; the cleanup job and every
// read drop expired ones). An import is a batch: its rows go to `import_staging_rows` in batches of
// at most 500, then one short transaction per kind publishes them with INSERT … SELECT, so the
// embedded database's single connection keeps serving requests in between. A batch lists every
// record it created or changed (`import_batch_records`, with the version it left and, for a change,
// the columns before it), so it can be undone while none of them has changed since.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_uploads')
    .addColumn('user_id', 'integer', (col) => col.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('file_name', 'text', (col) => col.notNull())
    .addColumn('content', 'bytea', (col) => col.notNull())
    .addColumn('mapping', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addCheckConstraint('import_uploads_kind_valid', sql`kind in ('participants', 'employers', 'placements')`)
    .addCheckConstraint('import_uploads_size', sql`octet_length(content) <= 10485760`)
    .addCheckConstraint('import_uploads_file_name_length', sql`char_length(file_name) between 1 and 255`)
    .execute();
  await db.schema.createIndex('import_uploads_expires_at').on('import_uploads').column('expires_at').execute();

  await db.schema
    .createTable('import_batches')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('restrict'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('file_name', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('staging'))
    .addColumn('rows', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('started_at', 'timestamptz', (col) => col.notNull())
    .addColumn('published_at', 'timestamptz')
    .addColumn('undone_at', 'timestamptz')
    .addColumn('undone_by', 'integer', (col) => col.references('users.id').onDelete('restrict'))
    .addCheckConstraint('import_batches_kind_valid', sql`kind in ('participants', 'employers', 'placements')`)
    .addCheckConstraint('import_batches_status_valid', sql`status in ('staging', 'published', 'undone')`)
    .execute();
  await db.schema.createIndex('import_batches_started').on('import_batches').columns(['started_at', 'id']).execute();

  await db.schema
    .createTable('import_staging_rows')
    .addColumn('batch_id', 'integer', (col) => col.notNull().references('import_batches.id').onDelete('cascade'))
    .addColumn('line', 'integer', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('target_id', 'integer')
    .addColumn('expected_version', 'integer')
    .addColumn('data', 'jsonb', (col) => col.notNull())
    .addPrimaryKeyConstraint('import_staging_rows_pk', ['batch_id', 'line'])
    .addCheckConstraint('import_staging_rows_action_valid', sql`action in ('create', 'update', 'skip')`)
    .execute();

  await db.schema
    .createTable('import_batch_records')
    .addColumn('batch_id', 'integer', (col) => col.notNull().references('import_batches.id').onDelete('cascade'))
    .addColumn('entity_type', 'text', (col) => col.notNull())
    .addColumn('entity_id', 'integer', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('participant_id', 'integer')
    .addColumn('version_after', 'integer')
    .addColumn('previous', 'jsonb')
    .addPrimaryKeyConstraint('import_batch_records_pk', ['batch_id', 'entity_type', 'entity_id'])
    .addCheckConstraint(
      'import_batch_records_entity_valid',
      sql`entity_type in ('participant', 'trajectory', 'employer', 'employer_contact', 'placement')`,
    )
    .addCheckConstraint('import_batch_records_action_valid', sql`action in ('create', 'update')`)
    .execute();
  await db.schema
    .createIndex('import_batch_records_entity')
    .on('import_batch_records')
    .columns(['entity_type', 'entity_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_batch_records').execute();
  await db.schema.dropTable('import_staging_rows').execute();
  await db.schema.dropTable('import_batches').execute();
  await db.schema.dropTable('import_uploads').execute();
}
