import { Kysely, sql } from 'kysely';

// The participant list's search also finds a phone number however it was written (issue 16): an
// incoming call from an unknown number can be looked up. participants.phone_search holds the
// number's digits without its trunk prefix, as src/lib/phone.ts phoneSearchKey computes it for
// what is typed (there: which prefixes are dropped and why; test/participants/search.test.ts
// checks that the two agree). A generated column, so every write of phone keeps it, including
// erasure and imports, and a search compares a stored value instead of running the regular
// expressions over every row it reads.
//
// No index: search matches part of a number ("2000 0000" finds 06-20000000), as it matches part
// of a name, and a B-tree cannot serve a match in the middle of a value. A coach's search reads
// their own caseload through participants_coach_status; a manager's or administrator's reads the
// participants of their scope as the name search already does.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table participants add column phone_search text generated always as (
    nullif(
      case
        when phone ~ '^[^0-9]*\\+'
          then regexp_replace(regexp_replace(regexp_replace(phone, '\\(0\\)', '', 'g'), '[^0-9]', '', 'g'), '^(31|32)0?', '')
        else regexp_replace(regexp_replace(regexp_replace(phone, '\\(0\\)', '', 'g'), '[^0-9]', '', 'g'), '^(00(31|32)0?|00|0)', '')
      end,
      ''
    )
  ) stored`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table participants drop column phone_search`.execute(db);
}
