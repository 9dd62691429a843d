import type { Kysely, Transaction } from 'kysely';

/**
 * A database handle narrowed to the tables a piece of code may touch: the pool, or a transaction a
 * caller opened. A caller's handle on more tables is accepted (Kysely<A & B> is a Kysely<A>), so a
 * module's functions state what they touch and the compiler refuses anything else. (A transaction
 * is listed apart because Kysely's Transaction<A & B> is not assignable to Kysely<A>.)
 */
export type DbHandle<Tables> = Kysely<Tables> | Transaction<Tables>;
