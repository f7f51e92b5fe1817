/**
 * The thread that owns the SQLite file. `node:sqlite` is synchronous: a commit waits for its fsync, and a
 * WAL checkpoint can take many milliseconds. Run on the main thread, that wait would stall every HTTP
 * request in flight; here it only delays the statements that need the disk. The main thread talks to this
 * one through {@link SqliteThreadRequest} messages (see sqlite-thread-dialect.ts).
 *
 * Started with `workerData: { path }`. Posts `{ opened: true }`, or `{ openError }` and exits.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

/** One SQL statement and its positional parameters. */
export interface SqlStatement {
  sql: string;
  parameters: readonly unknown[];
}

/** What a statement produced: rows when it returns columns, else the change count and last rowid. */
export interface StatementResult {
  rows?: Record<string, unknown>[];
  changes?: number | bigint;
  lastInsertRowid?: number | bigint;
}

/** Messages from the main thread: one statement, or several in one transaction (one fsync). */
export type SqliteThreadRequest =
  | { id: number; op: 'run'; statement: SqlStatement }
  | { id: number; op: 'transaction'; statements: SqlStatement[] }
  | { id: number; op: 'close' };

/** An error as it crosses the thread: message plus SQLite's codes, so callers can still tell kinds apart. */
export interface ThreadError {
  name: string;
  message: string;
  code?: string;
  errcode?: number;
  errstr?: string;
  locked?: boolean;
}

export type SqliteThreadReply =
  | { id: number; ok: true; result?: StatementResult; results?: StatementResult[] }
  | { id: number; ok: false; error: ThreadError };

const statementCacheSize = 200;

/**
 * Opens the file with durable settings (WAL, synchronous=FULL) and takes an exclusive lock on it for the
 * life of the process. SQLite's own file locks are released by the OS when a process dies, so a crashed
 * server never leaves a stale lock behind (unlike a pid file).
 */
function openDurable(path: string): DatabaseSync {
  const database = new DatabaseSync(path);
  try {
    database.exec('PRAGMA locking_mode = EXCLUSIVE');
    database.exec('PRAGMA journal_mode = WAL');
    database.exec('PRAGMA synchronous = FULL');
    database.exec('PRAGMA foreign_keys = ON');
    database.exec('PRAGMA busy_timeout = 0');
    database.exec('BEGIN EXCLUSIVE; COMMIT');
    database.exec('PRAGMA busy_timeout = 5000');
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

function toThreadError(error: unknown): ThreadError {
  const e = error as Error & { code?: string; errcode?: number; errstr?: string };
  return {
    name: e.name ?? 'Error',
    message: e.message ?? String(error),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.errcode !== undefined ? { errcode: e.errcode } : {}),
    ...(e.errstr !== undefined ? { errstr: e.errstr } : {}),
    locked: /locked|busy/i.test(String(e.message)),
  };
}

function serve(database: DatabaseSync): void {
  const cache = new Map<string, { statement: StatementSync; reader: boolean }>();

  function prepared(sql: string) {
    const cached = cache.get(sql);
    if (cached) return cached;
    const statement = database.prepare(sql);
    const entry = { statement, reader: statement.columns().length > 0 };
    if (cache.size >= statementCacheSize) cache.delete(cache.keys().next().value!);
    cache.set(sql, entry);
    return entry;
  }

  function run({ sql, parameters }: SqlStatement): StatementResult {
    const { statement, reader } = prepared(sql);
    const values = parameters as SQLInputValue[];
    if (reader) return { rows: statement.all(...values) as Record<string, unknown>[] };
    const { changes, lastInsertRowid } = statement.run(...values);
    return { changes, lastInsertRowid };
  }

  function transaction(statements: SqlStatement[]): StatementResult[] {
    database.exec('BEGIN');
    try {
      const results = statements.map(run);
      database.exec('COMMIT');
      return results;
    } catch (error) {
      if (database.isTransaction) database.exec('ROLLBACK');
      throw error;
    }
  }

  parentPort!.on('message', (request: SqliteThreadRequest) => {
    let reply: SqliteThreadReply;
    try {
      if (request.op === 'close') {
        database.close();
        reply = { id: request.id, ok: true };
        parentPort!.postMessage(reply);
        parentPort!.close();
        return;
      }
      reply =
        request.op === 'run'
          ? { id: request.id, ok: true, result: run(request.statement) }
          : { id: request.id, ok: true, results: transaction(request.statements) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: toThreadError(error) };
    }
    parentPort!.postMessage(reply);
  });
}

if (parentPort) {
  const { path } = workerData as { path: string };
  let database: DatabaseSync | undefined;
  try {
    database = openDurable(path);
  } catch (error) {
    parentPort.postMessage({ openError: toThreadError(error) });
  }
  if (database) {
    serve(database);
    parentPort.postMessage({ opened: true });
  }
}
