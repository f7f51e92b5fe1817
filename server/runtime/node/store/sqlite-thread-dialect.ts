import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import type { MainThreadReader } from './main-thread-reader.ts';
import type { SqliteThread } from './sqlite-thread-client.ts';
import type { StatementResult } from './sqlite-thread.ts';

/** Kysely's result shape for what the SQLite thread answered. */
export function toQueryResult<R>(result: StatementResult): QueryResult<R> {
  if (result.rows) return { rows: result.rows as R[] };
  return {
    rows: [],
    ...(result.changes !== undefined ? { numAffectedRows: BigInt(result.changes) } : {}),
    ...(result.lastInsertRowid !== undefined ? { insertId: BigInt(result.lastInsertRowid) } : {}),
  };
}

class SqliteThreadConnection implements DatabaseConnection {
  readonly #thread: SqliteThread;
  readonly #reader: MainThreadReader | undefined;
  /** Set by the driver between `begin` and `commit`/`rollback`: then every statement goes to the thread. */
  inTransaction = false;

  constructor(thread: SqliteThread, reader: MainThreadReader | undefined) {
    this.#thread = thread;
    this.#reader = reader;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#reader && !this.inTransaction && SelectQueryNode.is(query.query)) {
      const rows = this.#reader.read(query);
      if (rows) return { rows: rows as R[] };
    }
    return toQueryResult<R>(await this.#thread.run(query));
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query);
    for (const row of rows) yield { rows: [row] };
  }
}

class SqliteThreadDriver implements Driver {
  readonly #connection: SqliteThreadConnection;
  constructor(thread: SqliteThread, reader: MainThreadReader | undefined) {
    this.#connection = new SqliteThreadConnection(thread, reader);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }
  async beginTransaction(): Promise<void> {
    this.#connection.inTransaction = true;
    await this.#connection.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(): Promise<void> {
    try {
      await this.#connection.executeQuery(CompiledQuery.raw('commit'));
    } finally {
      this.#connection.inTransaction = false;
    }
  }
  async rollbackTransaction(): Promise<void> {
    try {
      await this.#connection.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.#connection.inTransaction = false;
    }
  }
  async releaseConnection(): Promise<void> {}
  /** The store closes the thread itself: Kysely destroys only a driver it has used. */
  async destroy(): Promise<void> {}
}

/**
 * Kysely's SQLite dialect over a {@link SqliteThread}: the queries are compiled here and run on the thread
 * that writes the file, so disk waits never block the event loop; selects outside a transaction run on the
 * `reader` when there is one (a file database). Kysely serialises the use of this one connection
 * (`SqliteAdapter.supportsMultipleConnections` is false), transactions included.
 *
 * @example
 * const thread = await SqliteThread.open(path);
 * const db = new Kysely<Database>({ dialect: sqliteThreadDialect(thread, new MainThreadReader(path)) });
 */
export function sqliteThreadDialect(thread: SqliteThread, reader?: MainThreadReader): Dialect {
  return {
    createDriver: () => new SqliteThreadDriver(thread, reader),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createAdapter: () => new SqliteAdapter(),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  };
}
