import { Kysely, sql } from 'kysely';

// The caseload page's 12-week trend summed red and amber over every daily snapshot row of every
// coach in view: for an administrator at 100 000 participants, 84 days × 85 000 rows per request.
// `risk_snapshot_tallies` keeps per day and coach the snapshot's scored, red and amber counts, kept
// by statement-level triggers on risk_snapshots (the daily job, the demo's backfill, any bulk SQL),
// each statement applying its net change per key in key order (as risk_state_tallies does). The
// trend then reads, for the 13 days it shows, one row per coach.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('risk_snapshot_tallies')
    .addColumn('snapshot_date', 'date', (col) => col.notNull())
    .addColumn('coach_id', 'integer', (col) => col.notNull())
    .addColumn('scored', 'integer', (col) => col.notNull())
    .addColumn('red', 'integer', (col) => col.notNull())
    .addColumn('amber', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('risk_snapshot_tallies_pk', ['snapshot_date', 'coach_id'])
    .execute();
  // A team's trend: its few coaches' rows of the days shown. The key serves the organisation's.
  await sql`create index risk_snapshot_tallies_coach on risk_snapshot_tallies (coach_id, snapshot_date) include (red, amber)`.execute(
    db,
  );
  // A trigger's transition tables exist only for its own event, hence a branch per event.
  const apply = (changes: string) => `
    insert into risk_snapshot_tallies as t (snapshot_date, coach_id, scored, red, amber)
    select change.snapshot_date, change.coach_id, sum(change.delta),
      coalesce(sum(change.delta) filter (where change.level = 'red'), 0),
      coalesce(sum(change.delta) filter (where change.level = 'amber'), 0)
    from (${changes}) change
    group by 1, 2 order by 1, 2
    on conflict (snapshot_date, coach_id) do update set
      scored = t.scored + excluded.scored, red = t.red + excluded.red, amber = t.amber + excluded.amber;`;
  const added = `select n.snapshot_date, n.coach_id, n.level, 1 as delta from new_rows n`;
  const removed = `select o.snapshot_date, o.coach_id, o.level, -1 as delta from old_rows o`;
  await sql
    .raw(
      `create function risk_snapshot_tallies_apply() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then ${apply(added)}
        elsif tg_op = 'DELETE' then ${apply(removed)}
        else ${apply(`${added} union all ${removed}`)}
        end if;
        return null;
      end
    $$`,
    )
    .execute(db);
  await sql`create trigger risk_snapshot_tallies_insert after insert on risk_snapshots
    referencing new table as new_rows for each statement execute function risk_snapshot_tallies_apply()`.execute(db);
  await sql`create trigger risk_snapshot_tallies_update after update on risk_snapshots
    referencing old table as old_rows new table as new_rows for each statement execute function risk_snapshot_tallies_apply()`.execute(
    db,
  );
  await sql`create trigger risk_snapshot_tallies_delete after delete on risk_snapshots
    referencing old table as old_rows for each statement execute function risk_snapshot_tallies_apply()`.execute(db);
  await sql`insert into risk_snapshot_tallies (snapshot_date, coach_id, scored, red, amber)
    select snapshot_date, coach_id, count(*), count(*) filter (where level = 'red'), count(*) filter (where level = 'amber')
    from risk_snapshots group by 1, 2`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger risk_snapshot_tallies_insert on risk_snapshots`.execute(db);
  await sql`drop trigger risk_snapshot_tallies_update on risk_snapshots`.execute(db);
  await sql`drop trigger risk_snapshot_tallies_delete on risk_snapshots`.execute(db);
  await sql`drop function risk_snapshot_tallies_apply()`.execute(db);
  await db.schema.dropTable('risk_snapshot_tallies').execute();
}
