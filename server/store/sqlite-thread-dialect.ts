import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
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
  constructor(thread: SqliteThread) {
    this.#thread = thread;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return toQueryResult<R>(await this.#thread.run(query));
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query);
    for (const row of rows) yield { rows: [row] };
  }
}

class SqliteThreadDriver implements Driver {
  readonly #connection: SqliteThreadConnection;
  constructor(thread: SqliteThread) {
    this.#connection = new SqliteThreadConnection(thread);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {}
  /** The store closes the thread itself: Kysely destroys only a driver it has used. */
  async destroy(): Promise<void> {}
}

/**
 * Kysely's SQLite dialect over a {@link SqliteThread}: the queries are compiled here and run on the thread
 * that owns the file, so disk waits never block the event loop. SQLite has one connection, and Kysely
 * serialises its use (`SqliteAdapter.supportsMultipleConnections` is false), transactions included.
 *
 * @example
 * const db = new Kysely<Database>({ dialect: sqliteThreadDialect(await SqliteThread.open(path)) });
 */
export function sqliteThreadDialect(thread: SqliteThread): Dialect {
  return {
    createDriver: () => new SqliteThreadDriver(thread),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createAdapter: () => new SqliteAdapter(),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  };
}
