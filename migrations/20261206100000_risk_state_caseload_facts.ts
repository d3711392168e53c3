import { Kysely, sql } from 'kysely';

// The caseload page (src/caseloads/queries.ts) read its contact counts from a range scan of every
// contact of the last 30 days and joined every open participant to find their coach: at 100 000
// participants (680 000 contacts in 30 days) 0.45–0.58 s per request for an administrator. The
// stored risk state now keeps both: the participant's coach, and the contacts of the last 7 and 30
// days (whose valid_until includes the day the oldest of them leaves its window), so the page is one
// grouped read of this table.
//
// Existing rows get their coach here and are marked as computed with older settings, so the
// scheduler's upkeep (refreshMissingRiskStates, at app start) recomputes them with their counts
// in batches; until then the counts read 0.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('participant_risk_states')
    .addColumn('coach_id', 'integer', (col) => col.references('users.id'))
    .addColumn('contacts_7', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('contacts_30', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await sql`update participant_risk_states s
    set coach_id = p.coach_id, settings_version = s.settings_version - 1
    from participants p where p.id = s.participant_id`.execute(db);
  await sql`alter table participant_risk_states alter column coach_id set not null`.execute(db);
  await sql`create index participant_risk_states_coach on participant_risk_states (coach_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('participant_risk_states')
    .dropColumn('coach_id')
    .dropColumn('contacts_7')
    .dropColumn('contacts_30')
    .execute();
}
