import { Kysely, sql } from 'kysely';

// Issue 19: an import records a placement's new hours per week as the app does (a row in
// `placement_hours` from the import day), so a batch's records also list the hours rows it added
// or replaced ('placement_hours'). `placement_hours` has no version column, so the batch keeps in
// `hours_after` a digest of the placement's whole hours history as it left it (for its placement
// and placement_hours records); an undo is refused once the digest no longer matches
// (src/imports/queries.ts, hoursDigest).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_batch_records').dropConstraint('import_batch_records_entity_valid').execute();
  await db.schema
    .alterTable('import_batch_records')
    .addCheckConstraint(
      'import_batch_records_entity_valid',
      sql`entity_type in ('participant', 'trajectory', 'employer', 'employer_contact', 'placement', 'placement_hours')`,
    )
    .execute();
  await db.schema.alterTable('import_batch_records').addColumn('hours_after', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_batch_records').dropColumn('hours_after').execute();
  await db.deleteFrom('import_batch_records').where('entity_type', '=', 'placement_hours').execute();
  await db.schema.alterTable('import_batch_records').dropConstraint('import_batch_records_entity_valid').execute();
  await db.schema
    .alterTable('import_batch_records')
    .addCheckConstraint(
      'import_batch_records_entity_valid',
      sql`entity_type in ('participant', 'trajectory', 'employer', 'employer_contact', 'placement')`,
    )
    .execute();
}
