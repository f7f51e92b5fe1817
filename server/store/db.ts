import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { nodeSqliteDialect } from './node-sqlite-dialect.ts';
import type { Database } from './schema.ts';

/** An open database: the typed query builder and which engine is underneath. */
export interface Store {
  db: Kysely<Database>;
  engine: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/** Thrown when another process already has the SQLite file open. */
export class DatabaseLockedError extends Error {
  constructor(path: string) {
    super(
      `Another process is using ${path}. One SQLite file serves one server process; ` +
        'stop the other process, or use Postgres (DATABASE_URL=postgres://…) to run several instances.',
    );
    this.name = 'DatabaseLockedError';
  }
}

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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

/**
 * Opens the SQLite file with durable settings (WAL, synchronous=FULL) and takes an exclusive lock on it
 * for the life of the process. SQLite's own file locks are released by the OS when a process dies, so a
 * crashed server never leaves a stale lock behind (unlike a pid file).
 */
function openSqlite(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new DatabaseSync(path);
  try {
    database.exec('PRAGMA locking_mode = EXCLUSIVE');
    database.exec('PRAGMA journal_mode = WAL');
    database.exec('PRAGMA synchronous = FULL');
    database.exec('PRAGMA foreign_keys = ON');
    database.exec('PRAGMA busy_timeout = 0');
    database.exec('BEGIN EXCLUSIVE; COMMIT');
    database.exec('PRAGMA busy_timeout = 5000');
  } catch (error) {
    database.close();
    if (/locked|busy/i.test(String((error as Error).message))) throw new DatabaseLockedError(path);
    throw error;
  }
  const db = new Kysely<Database>({ dialect: nodeSqliteDialect(database) });
  async function close() {
    await db.destroy();
    // Kysely only closes a connection it has used; close ours either way to release the file lock.
    if (database.isOpen) database.close();
  }
  return { db, engine: 'sqlite', close };
}

/**
 * Opens the database named by a `DATABASE_URL`: `sqlite:./data/points.db`, `sqlite::memory:` or `postgres://…`.
 *
 * @example
 * const store = openDatabase('sqlite:./data/points.db');
 * await migrateToLatest(store.db);
 */
export function openDatabase(url: string): Store {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length) || ':memory:');
  throw new Error('DATABASE_URL must start with sqlite: or postgres://');
}
