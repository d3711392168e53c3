import { Kysely, sql } from 'kysely';

// An administrator's dashboard counted red and amber over every open participant's stored row per
// request (47 ms at 100 000 participants, 273 ms with "open flags only", which evaluated the
// acknowledgement rule for each of 78 000 flagged rows). Two changes make those counts O(coaches):
//
// 1. The stored state keeps two more facts: `acknowledged` (the participant's latest
//    acknowledgement covers the stored reasons and its snooze has not ended; valid_until now
//    includes the day after the snooze) and `closed` (status closed, the row kept until the
//    closing day), so no list needs risk_acknowledgements or participants to filter on them.
// 2. `risk_state_tallies` counts the listed flagged rows per coach, signal ('' for any), level and
//    acknowledged, kept by statement-level triggers on participant_risk_states in the writing
//    transaction. A trigger sees every writer — the writes' refresh, the upkeep job, a recompute,
//    bulk SQL — so the tallies cannot drift from the rows. Each statement applies its net change per
//    key in key order: two transactions lock tally rows in the same order and cannot deadlock on
//    them, and a refresh that changes no counted fact touches no tally row at all.
//
// Existing rows get both facts here by the same rules in SQL (the acknowledgement rule as
// storedAcknowledgementActive had it) and are marked as of older settings, so the upkeep recomputes
// their valid_until with the snooze; the tallies are counted from the rows once, then kept.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('participant_risk_states')
    .addColumn('acknowledged', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('closed', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute();
  await sql`update participant_risk_states s
    set closed = p.status = 'closed', settings_version = s.settings_version - 1,
      acknowledged = coalesce(s.level in ('amber', 'red'), false) and exists (
        select 1 from (
          select a.snooze_until, a.flagged from risk_acknowledgements a
          where a.participant_id = s.participant_id
          order by a.acknowledged_at desc, a.id desc limit 1
        ) as latest
        where (latest.snooze_until is null or latest.snooze_until >= s.scored_on)
          and not exists (
            select 1 from jsonb_array_elements(s.reasons) as reason
            where not exists (
              select 1 from jsonb_array_elements_text(latest.flagged) as pair
              where split_part(pair, ':', 1) = reason ->> 'signal'
                and split_part(pair, ':', 2) in ('red', reason ->> 'level')
            )
          )
      )
    from participants p where p.id = s.participant_id`.execute(db);

  await db.schema
    .createTable('risk_state_tallies')
    .addColumn('coach_id', 'integer', (col) => col.notNull())
    .addColumn('signal', 'text', (col) => col.notNull())
    .addColumn('level', 'text', (col) => col.notNull())
    .addColumn('acknowledged', 'boolean', (col) => col.notNull())
    .addColumn('participants', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('risk_state_tallies_pk', ['coach_id', 'signal', 'level', 'acknowledged'])
    .addCheckConstraint('risk_state_tallies_level', sql`level in ('amber', 'red')`)
    .execute();
  // Summed per organisation or team without reading the coach-ordered key: signal first.
  await sql`create index risk_state_tallies_signal on risk_state_tallies (signal, coach_id) include (level, acknowledged, participants)`.execute(
    db,
  );

  // The keys a stored row counts under: none unless it is listed (not closed) and flagged; then ''
  // (any signal) and each of its signals once.
  await sql`create function risk_state_tally_keys(s participant_risk_states)
    returns table (coach_id integer, signal text, level text, acknowledged boolean)
    language sql immutable as $$
      select s.coach_id, k.signal, s.level, s.acknowledged
      from (select '' as signal union select r ->> 'signal' from jsonb_array_elements(s.reasons) r) k
      where s.level in ('amber', 'red') and not s.closed
    $$`.execute(db);
  await sql`create function risk_state_tallies_apply() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into risk_state_tallies as t (coach_id, signal, level, acknowledged, participants)
        select k.coach_id, k.signal, k.level, k.acknowledged, count(*)
        from new_rows n cross join lateral risk_state_tally_keys(n) k
        group by 1, 2, 3, 4 order by 1, 2, 3, 4
        on conflict (coach_id, signal, level, acknowledged) do update set participants = t.participants + excluded.participants;
      elsif tg_op = 'DELETE' then
        insert into risk_state_tallies as t (coach_id, signal, level, acknowledged, participants)
        select k.coach_id, k.signal, k.level, k.acknowledged, -count(*)
        from old_rows o cross join lateral risk_state_tally_keys(o) k
        group by 1, 2, 3, 4 order by 1, 2, 3, 4
        on conflict (coach_id, signal, level, acknowledged) do update set participants = t.participants + excluded.participants;
      else
        insert into risk_state_tallies as t (coach_id, signal, level, acknowledged, participants)
        select change.coach_id, change.signal, change.level, change.acknowledged, sum(change.delta)
        from (
          select k.*, 1 as delta from new_rows n cross join lateral risk_state_tally_keys(n) k
          union all
          select k.*, -1 as delta from old_rows o cross join lateral risk_state_tally_keys(o) k
        ) change
        group by 1, 2, 3, 4 having sum(change.delta) <> 0 order by 1, 2, 3, 4
        on conflict (coach_id, signal, level, acknowledged) do update set participants = t.participants + excluded.participants;
      end if;
      return null;
    end
  $$`.execute(db);
  // A trigger with transition tables takes one event, so three triggers share the function.
  await sql`create trigger risk_state_tallies_insert after insert on participant_risk_states
    referencing new table as new_rows for each statement execute function risk_state_tallies_apply()`.execute(db);
  await sql`create trigger risk_state_tallies_update after update on participant_risk_states
    referencing old table as old_rows new table as new_rows for each statement execute function risk_state_tallies_apply()`.execute(
    db,
  );
  await sql`create trigger risk_state_tallies_delete after delete on participant_risk_states
    referencing old table as old_rows for each statement execute function risk_state_tallies_apply()`.execute(db);
  await sql`insert into risk_state_tallies (coach_id, signal, level, acknowledged, participants)
    select k.coach_id, k.signal, k.level, k.acknowledged, count(*)
    from participant_risk_states s cross join lateral risk_state_tally_keys(s) k
    group by 1, 2, 3, 4`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger risk_state_tallies_insert on participant_risk_states`.execute(db);
  await sql`drop trigger risk_state_tallies_update on participant_risk_states`.execute(db);
  await sql`drop trigger risk_state_tallies_delete on participant_risk_states`.execute(db);
  await sql`drop function risk_state_tallies_apply()`.execute(db);
  await sql`drop function risk_state_tally_keys(participant_risk_states)`.execute(db);
  await db.schema.dropTable('risk_state_tallies').execute();
  await db.schema.alterTable('participant_risk_states').dropColumn('acknowledged').dropColumn('closed').execute();
}
