import type { CompiledQuery } from 'kysely';
import {
  DeleteQueryNode,
  InsertQueryNode,
  SelectQueryNode,
  SqliteAdapter,
  SqliteQueryCompiler,
  UpdateQueryNode,
  sql,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TableMetadata,
} from 'kysely';
import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE } from 'kysely/migration';

/** What we use of a D1 statement (`@cloudflare/workers-types`' `D1PreparedStatement`). */
export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  run<T = Record<string, unknown>>(): Promise<D1Result<T>>;
}

/** What D1 answers for one statement. */
export interface D1Result<T = Record<string, unknown>> {
  results: T[];
  success: boolean;
  meta: { changes: number; last_row_id: number; [key: string]: unknown };
}

/** What we use of a D1 binding (`env.DB`, or a session of it: `env.DB.withSession('first-primary')`). */
export interface D1Database {
  prepare(sql: string): D1PreparedStatement;
  /** Runs the statements in order as one SQLite transaction: all commit, or none (the first error rolls back). */
  batch<T = Record<string, unknown>>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
}

/** Thrown when a Kysely transaction on D1 asks for what a deferred batch cannot give. */
export class D1TransactionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'D1TransactionError';
  }
}

/** D1 refuses `bigint` and `undefined`; our bigint columns hold epoch ms and halalas, inside Number's range. */
function bindable(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError(`D1 cannot store ${value} exactly: outside Number's safe range`);
    }
    return Number(value);
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value === undefined ? null : value;
}

/** A D1 statement for SQL text and its parameters. */
export function prepareStatement(
  d1: D1Database,
  query: Pick<CompiledQuery, 'sql' | 'parameters'>,
): D1PreparedStatement {
  const statement = d1.prepare(query.sql);
  return query.parameters.length ? statement.bind(...query.parameters.map(bindable)) : statement;
}

/** Kysely's result shape for what D1 answered: rows, and for a write its change count and last rowid. */
export function toQueryResult<R>(result: D1Result, query?: CompiledQuery): QueryResult<R> {
  const rows = (result.results ?? []) as R[];
  if (query && SelectQueryNode.is(query.query)) return { rows };
  return {
    rows,
    numAffectedRows: BigInt(result.meta.changes),
    ...(result.meta.changes > 0 ? { insertId: BigInt(result.meta.last_row_id) } : {}),
  };
}

/** Whether a statement only reads: a select, or raw `select`/`pragma` text. */
function isRead(query: CompiledQuery): boolean {
  if (SelectQueryNode.is(query.query)) return true;
  if (query.query.kind !== 'RawNode') return false;
  return /^\s*(select|pragma)\b/i.test(query.sql) && !/^\s*pragma\s+\w+\s*=/i.test(query.sql);
}

function hasReturning(query: CompiledQuery): boolean {
  const node = query.query;
  return (
    (InsertQueryNode.is(node) || UpdateQueryNode.is(node) || DeleteQueryNode.is(node)) &&
    node.returning !== undefined
  );
}

class D1Connection implements DatabaseConnection {
  readonly #d1: D1Database;
  /** The writes of the open transaction, sent as one batch at commit; undefined outside a transaction. */
  writes: D1PreparedStatement[] | undefined;

  constructor(d1: D1Database) {
    this.#d1 = d1;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.writes) {
      if (isRead(query)) {
        if (this.writes.length > 0) {
          throw new D1TransactionError(
            'a D1 transaction cannot read after it writes: its writes run only at commit, in one batch',
          );
        }
      } else {
        if (hasReturning(query)) {
          throw new D1TransactionError(
            'a D1 transaction cannot return rows from a write: its writes run only at commit, in one batch',
          );
        }
        this.writes.push(prepareStatement(this.#d1, query));
        // Not known until commit: Kysely reports 0 affected rows (see docs/workers.md).
        return { rows: [] };
      }
    }
    return toQueryResult<R>(await prepareStatement(this.#d1, query).all(), query);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query);
    for (const row of rows) yield { rows: [row] };
  }
}

class D1Driver implements Driver {
  readonly #d1: D1Database;
  constructor(d1: D1Database) {
    this.#d1 = d1;
  }
  async init(): Promise<void> {}
  /** A connection of its own for each use: D1 has no sessions, so each only carries a transaction's writes. */
  async acquireConnection(): Promise<DatabaseConnection> {
    return new D1Connection(this.#d1);
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as D1Connection).writes = [];
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const writes = (connection as D1Connection).writes ?? [];
    (connection as D1Connection).writes = undefined;
    if (writes.length > 0) await this.#d1.batch(writes);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // Nothing was written yet.
    (connection as D1Connection).writes = undefined;
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/**
 * SQLite's adapter, with two differences. Connections are independent (each D1 call is), so Kysely need not
 * queue them one at a time. A transaction is one atomic batch, DDL included, so the migrator runs every
 * pending migration in one: a second runner's batch fails on the tables the first created and rolls back
 * whole, which is what a migration lock is for (D1 has no lock to take).
 */
class D1Adapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: unknown;
  pk: number;
}

/**
 * SQLite's introspection without D1's own tables (`_cf_KV`, `_cf_METADATA`): D1 lists them in
 * `sqlite_master` but refuses `pragma_table_info` on them (SQLITE_AUTH), which fails Kysely's
 * `SqliteIntrospector` and with it the migrator.
 */
class D1Introspector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;
  constructor(db: Kysely<unknown>) {
    this.#db = db;
  }
  async getSchemas() {
    return [];
  }
  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; type: string }>`select name, type from sqlite_master
      where type in ('table', 'view') and substr(name, 1, 7) != 'sqlite_' and substr(name, 1, 4) != '_cf_'
      order by name`.execute(this.#db);
    const internal = [DEFAULT_MIGRATION_TABLE, DEFAULT_MIGRATION_LOCK_TABLE];
    const tables = rows.filter((row) => options.withInternalKyselyTables || !internal.includes(row.name));
    return Promise.all(
      tables.map(async ({ name, type }) => {
        const columns = (await sql<ColumnInfo>`select * from pragma_table_info(${name})`.execute(this.#db))
          .rows;
        const keys = columns.filter((column) => column.pk > 0);
        const rowid =
          keys.length === 1 && keys[0]!.type.toLowerCase() === 'integer' ? keys[0]!.name : undefined;
        return {
          name,
          isView: type === 'view',
          isForeign: false,
          columns: columns.map((column) => ({
            name: column.name,
            dataType: column.type,
            isNullable: !column.notnull,
            isAutoIncrementing: column.name === rowid,
            hasDefaultValue: column.dflt_value !== null,
          })),
        };
      }),
    );
  }
}

/**
 * Kysely's SQLite dialect over a Cloudflare D1 binding. D1 refuses `BEGIN` and `SAVEPOINT`; its one
 * transaction is `batch()`. So `db.transaction()` runs its reads at once and keeps its writes until commit,
 * then sends them as one batch: all commit or none. It cannot read after writing, nor return rows from a
 * write (both throw {@link D1TransactionError}), and a write's affected-row count reads as 0 inside it.
 * Nothing is locked between the reads and the batch (docs/workers.md says what callers must do).
 *
 * @example
 * const db = new Kysely<Database>({ dialect: d1Dialect(env.DB) });
 */
export function d1Dialect(d1: D1Database): Dialect {
  return {
    createDriver: () => new D1Driver(d1),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createAdapter: () => new D1Adapter(),
    createIntrospector: (db: Kysely<unknown>) => new D1Introspector(db),
  };
}
