import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * Kysely dialect for PGlite, the embedded WASM PostgreSQL. PGlite has exactly one connection, so
 * the driver hands it out to one Kysely user at a time, and runs Kysely transactions inside
 * PGlite's own `transaction()` so that statements issued directly on the PGlite instance (pg-boss)
 * wait for the transaction instead of landing inside it.
 */
export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#pglite);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(pglite: PGlite) {
    this.#connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // A FIFO lock: each acquirer waits for the previous holder to release.
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(): Promise<void> {
    await this.#connection.begin();
  }

  async commitTransaction(): Promise<void> {
    await this.#connection.finish('commit');
  }

  async rollbackTransaction(): Promise<void> {
    await this.#connection.finish('rollback');
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {}
}

const ROLLBACK = Symbol('rollback');

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  #transaction: PGliteTransaction | undefined;
  #settle: ((outcome: 'commit' | 'rollback') => void) | undefined;
  #finished: Promise<unknown> | undefined;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async begin(): Promise<void> {
    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    this.#finished = this.#pglite
      .transaction(async (tx) => {
        this.#transaction = tx;
        const outcome = await new Promise<'commit' | 'rollback'>((resolve) => {
          this.#settle = resolve;
          started();
        });
        if (outcome === 'rollback') throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
    // If BEGIN itself fails, `ready` never resolves: race it against the transaction's end.
    await Promise.race([ready, this.#finished]);
  }

  async finish(outcome: 'commit' | 'rollback'): Promise<void> {
    const settle = this.#settle;
    const finished = this.#finished;
    this.#settle = undefined;
    this.#finished = undefined;
    settle?.(outcome);
    try {
      await finished;
    } finally {
      this.#transaction = undefined;
    }
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const target = this.#transaction ?? this.#pglite;
    const result = await target.query<R>(compiled.sql, [...compiled.parameters]);
    const numAffectedRows = result.affectedRows === undefined ? undefined : BigInt(result.affectedRows);
    return numAffectedRows === undefined || compiled.query.kind === 'SelectQueryNode'
      ? { rows: result.rows }
      : { rows: result.rows, numAffectedRows };
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    // PGlite materialises results in WASM memory anyway; stream by slicing so callers can keep
    // one code path for both backends.
    const { rows } = await this.executeQuery<R>(compiled);
    for (let index = 0; index < rows.length; index += chunkSize) {
      yield { rows: rows.slice(index, index + chunkSize) };
    }
  }
}
