import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

// The SQL of the job runner (jobs.ts).

/**
 * Jobs' advisory locks live in a key space of their own: the two-key form of PostgreSQL's lock
 * functions, with this first key and the work's name hashed (hashtext) as the second. So a job
 * needs no hand-picked number, and no job's lock can meet a one-key lock taken anywhere else.
 * ("InBeeld jobs" as a 32-bit number.)
 */
const JOB_LOCK_SPACE = 0x1bee1d00;

/**
 * True when this transaction now holds the lock named `name`; false when another transaction (in
 * this process or another) holds it. Released by the transaction's commit or rollback, so a
 * process that dies never leaves it taken.
 */
export async function tryTakeJobLock(trx: Transaction<Database>, name: string): Promise<boolean> {
  const result = await sql<{ locked: boolean }>`
    select pg_try_advisory_xact_lock(${JOB_LOCK_SPACE}, hashtext(${name})) as locked
  `.execute(trx);
  return result.rows[0]?.locked === true;
}
