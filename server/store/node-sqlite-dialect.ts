import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

const statementCacheSize = 200;

/**
 * Kysely's SQLite dialect over Node's built-in `node:sqlite`, so the server needs no native addon.
 * Prepared statements are cached: the server runs the same few queries over and over.
 *
 * @example
 * new Kysely<Database>({ dialect: nodeSqliteDialect(new DatabaseSync('data/points.db')) });
 */
export function nodeSqliteDialect(database: DatabaseSync): SqliteDialect {
  const cache = new Map<string, SqliteStatement>();

  function prepare(sql: string): SqliteStatement {
    const cached = cache.get(sql);
    if (cached) return cached;
    const statement: StatementSync = database.prepare(sql);
    const adapted: SqliteStatement = {
      reader: statement.columns().length > 0,
      all: (parameters) => statement.all(...(parameters as never[])),
      run: (parameters) => statement.run(...(parameters as never[])),
      iterate: (parameters) => statement.iterate(...(parameters as never[])),
    };
    if (cache.size >= statementCacheSize) cache.delete(cache.keys().next().value!);
    cache.set(sql, adapted);
    return adapted;
  }

  const adapter: SqliteDatabase = {
    prepare,
    close: () => {
      if (database.isOpen) database.close();
    },
  };
  return new SqliteDialect({ database: adapter });
}
