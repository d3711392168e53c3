import { Kysely, sql } from 'kysely';

// An administrator's caseload trend (the whole organisation) summed one risk_snapshot_tallies row
// per coach for each day shown: 13 000 rows at 1 000 coaches, the one part of that page that still
// grew with the organisation. `risk_snapshot_day_tallies` keeps the day's totals, by the same
// statement-level triggers on risk_snapshots (the function below replaces the one of migration
// 20261206141000 and also keeps the per-coach rows as before). A day whose rows are all gone loses
// its row, so it is no longer a snapshot day.
const applyToCoaches = (changes: string) => `
  insert into risk_snapshot_tallies as t (snapshot_date, coach_id, scored, red, amber)
  select change.snapshot_date, change.coach_id, sum(change.delta),
    coalesce(sum(change.delta) filter (where change.level = 'red'), 0),
    coalesce(sum(change.delta) filter (where change.level = 'amber'), 0)
  from (${changes}) change
  group by 1, 2 order by 1, 2
  on conflict (snapshot_date, coach_id) do update set
    scored = t.scored + excluded.scored, red = t.red + excluded.red, amber = t.amber + excluded.amber;`;

const applyToDays = (changes: string) => `
  insert into risk_snapshot_day_tallies as t (snapshot_date, scored, red, amber)
  select change.snapshot_date, sum(change.delta),
    coalesce(sum(change.delta) filter (where change.level = 'red'), 0),
    coalesce(sum(change.delta) filter (where change.level = 'amber'), 0)
  from (${changes}) change
  group by 1 order by 1
  on conflict (snapshot_date) do update set
    scored = t.scored + excluded.scored, red = t.red + excluded.red, amber = t.amber + excluded.amber;
  delete from risk_snapshot_day_tallies where scored = 0;`;

const added = `select n.snapshot_date, n.coach_id, n.level, 1 as delta from new_rows n`;
const removed = `select o.snapshot_date, o.coach_id, o.level, -1 as delta from old_rows o`;

function triggerFunction(withDays: boolean): string {
  const apply = (changes: string) => applyToCoaches(changes) + (withDays ? applyToDays(changes) : '');
  // A trigger's transition tables exist only for its own event, hence a branch per event.
  return `create or replace function risk_snapshot_tallies_apply() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then ${apply(added)}
      elsif tg_op = 'DELETE' then ${apply(removed)}
      else ${apply(`${added} union all ${removed}`)}
      end if;
      return null;
    end
  $$`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('risk_snapshot_day_tallies')
    .addColumn('snapshot_date', 'date', (col) => col.primaryKey())
    .addColumn('scored', 'integer', (col) => col.notNull())
    .addColumn('red', 'integer', (col) => col.notNull())
    .addColumn('amber', 'integer', (col) => col.notNull())
    .execute();
  await sql.raw(triggerFunction(true)).execute(db);
  await sql`insert into risk_snapshot_day_tallies (snapshot_date, scored, red, amber)
    select snapshot_date, count(*), count(*) filter (where level = 'red'), count(*) filter (where level = 'amber')
    from risk_snapshots group by 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(triggerFunction(false)).execute(db);
  await db.schema.dropTable('risk_snapshot_day_tallies').execute();
}
