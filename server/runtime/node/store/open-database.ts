import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CompiledQuery, Kysely, type QueryResult } from 'kysely';
import pg from 'pg';
import type { Database } from '../../../store/schema.ts';
import type { Store } from '../../../store/db.ts';
import { CurrentSchemaPostgresDialect } from './current-schema-introspector.ts';
import { MainThreadReader } from './main-thread-reader.ts';
import { SqliteThread } from './sqlite-thread-client.ts';
import { sqliteThreadDialect, toQueryResult } from './sqlite-thread-dialect.ts';

export { DatabaseLockedError } from './sqlite-thread-client.ts';

const bigintOid = 20;

function openPostgres(url: string): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Our bigint columns hold epoch milliseconds and halalas, all well inside Number's safe range.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === bigintOid ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    runInTransaction: (statements) =>
      db.transaction().execute(async (trx) => {
        const results: QueryResult<unknown>[] = [];
        for (const { sql, parameters } of statements) {
          results.push(await trx.executeQuery(CompiledQuery.raw(sql, [...parameters])));
        }
        return results;
      }),
    close: () => db.destroy(),
  };
}

/**
 * Opens the SQLite file on its own thread (sqlite-thread.ts: WAL, synchronous=FULL, a lock that keeps other
 * server processes off the file), so fsyncs and checkpoints never stall the event loop. Selects outside a
 * transaction read the file from the main thread (a `:memory:` database exists only on the thread).
 */
async function openSqlite(path: string): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const thread = await SqliteThread.open(path);
  const reader = path === ':memory:' ? undefined : new MainThreadReader(path);
  const db = new Kysely<Database>({ dialect: sqliteThreadDialect(thread, reader) });
  return {
    db,
    engine: 'sqlite',
    // Sent straight to the thread, which commits it with the others waiting there and never inside a
    // Kysely transaction that is open at the time (sqlite-thread.ts).
    runInTransaction: async (statements) =>
      (await thread.transaction(statements)).map((result) => toQueryResult(result)),
    observeCommits: (listener) => thread.observeCommits(listener),
    async close() {
      await db.destroy();
      reader?.close();
      await thread.close();
    },
  };
}

/**
 * Opens the database named by a `DATABASE_URL`: `sqlite:./data/points.db`, `sqlite::memory:` or `postgres://…`.
 *
 * @example
 * const store = await openDatabase('sqlite:./data/points.db');
 * await migrateToLatest(store);
 */
export async function openDatabase(url: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length) || ':memory:');
  if (url.startsWith('d1:')) {
    throw new Error(
      'DATABASE_URL d1: names a Cloudflare D1 binding: run the Worker (points-edge workerd, wrangler)',
    );
  }
  throw new Error('DATABASE_URL must start with sqlite: or postgres://');
}
