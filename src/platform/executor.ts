import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

/**
 * What a query runs on: the database, or the transaction of a change in progress. Queries take
 * one as their first argument so the service that calls them decides the transaction.
 */
export type Executor = Kysely<Database> | Transaction<Database>;
