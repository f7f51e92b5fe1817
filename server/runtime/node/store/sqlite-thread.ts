/**
 * The thread that writes the SQLite file and holds the process lock. `node:sqlite` is synchronous: a commit
 * waits for its fsync, and a WAL checkpoint can take many milliseconds. Run on the main thread, that wait
 * would stall every HTTP request in flight; here it only delays the statements that need the disk. The main
 * thread talks to this one through {@link SqliteThreadRequest} messages (see sqlite-thread-dialect.ts), and
 * reads outside transactions on a read-only connection of its own.
 *
 * Started with `workerData: { path, requests }`: requests arrive on the `requests` port (a MessagePort of its
 * own, which `receiveMessageOnPort` can drain on every runtime; Deno's `parentPort` is not one), answers go to
 * `parentPort`. Posts `{ opened: true }`, or `{ openError }` and exits.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { GroupCommit } from '../../../store/db.ts';
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';

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

/** Statements that commit together or not at all. */
export interface TransactionRequest {
  id: number;
  op: 'transaction';
  statements: SqlStatement[];
}

/** Messages from the main thread: one statement, or several in one transaction (one fsync). */
export type SqliteThreadRequest =
  { id: number; op: 'run'; statement: SqlStatement } | TransactionRequest | { id: number; op: 'close' };

/** An error as it crosses the thread: message plus SQLite's codes, so callers can still tell kinds apart. */
export interface ThreadError {
  name: string;
  message: string;
  code?: string;
  errcode?: number;
  errstr?: string;
  locked?: boolean;
}

/** The answer to one request. */
export type SqliteThreadReply =
  | { id: number; ok: true; result?: StatementResult; results?: StatementResult[] }
  | { id: number; ok: false; error: ThreadError };

/** What the thread posts: all the answers one commit (or one statement) settles, and that commit. */
export interface SqliteThreadMessage {
  replies: SqliteThreadReply[];
  commit?: GroupCommit;
}

const statementCacheSize = 200;

/** The file whose lock marks a SQLite database as taken by a server process. */
const lockFileOf = (path: string) => `${path}-lock`;

/**
 * Takes the process lock: an exclusive lock on a small SQLite file beside the database, held for the life of
 * the process. SQLite's file locks are released by the OS when a process dies, so a crashed server never
 * leaves a stale lock behind (unlike a pid file). The database itself stays unlocked between transactions,
 * so the main thread can read it on a connection of its own (sqlite-thread-dialect.ts) and an operator can
 * take an online backup (`sqlite3 … .backup`) while the server runs.
 */
function takeProcessLock(path: string): DatabaseSync | undefined {
  if (path === ':memory:') return undefined;
  const lock = new DatabaseSync(lockFileOf(path));
  try {
    lock.exec('PRAGMA locking_mode = EXCLUSIVE');
    lock.exec('PRAGMA busy_timeout = 0');
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
    return lock;
  } catch (error) {
    lock.close();
    throw error;
  }
}

/** Opens the database with durable settings: WAL, and a commit waits for its fsync (`synchronous=FULL`). */
function openDurable(path: string): DatabaseSync {
  const database = new DatabaseSync(path);
  try {
    database.exec('PRAGMA journal_mode = WAL');
    database.exec('PRAGMA synchronous = FULL');
    database.exec('PRAGMA foreign_keys = ON');
    // Savepoints (one per request in a group commit) keep their undo log in memory, not in a temp file.
    database.exec('PRAGMA temp_store = MEMORY');
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

/**
 * Answers the main thread's requests in order, with one exception that makes durable writes cheap: the
 * transaction requests waiting in the port are committed together (group commit). Each runs in its own
 * savepoint of one SQLite transaction, so each still succeeds or fails alone, but they share one commit and
 * one fsync. A transaction begun by a statement (Kysely's `db.transaction()`, which sends `BEGIN` as a
 * statement) is never joined: transaction requests wait until it has ended, while its statements go on.
 */
function serve(
  database: DatabaseSync,
  lock: DatabaseSync | undefined,
  requests: MessagePort,
  port: MessagePort,
): void {
  const cache = new Map<string, { statement: StatementSync; reader: boolean }>();
  const inbox: SqliteThreadRequest[] = [];
  // One message per commit, holding the answer to every request in it.
  const reply = (replies: SqliteThreadReply[], commit?: GroupCommit) =>
    port.postMessage((commit ? { replies, commit } : { replies }) satisfies SqliteThreadMessage);

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

  // Prepared once: a group runs several of these for every request in it.
  const control = (sql: string) => {
    const statement = database.prepare(sql);
    return () => void statement.run();
  };
  const begin = control('BEGIN');
  const commit = control('COMMIT');
  const savepoint = control('SAVEPOINT request');
  const release = control('RELEASE request');
  const rollbackToSavepoint = control('ROLLBACK TO request');

  function rollback(): void {
    if (database.isTransaction) database.exec('ROLLBACK');
  }

  /** One request in a transaction of its own. */
  function commitAlone({ id, statements }: TransactionRequest): SqliteThreadReply {
    try {
      begin();
      const results = statements.map(run);
      commit();
      return { id, ok: true, results };
    } catch (error) {
      rollback();
      return { id, ok: false, error: toThreadError(error) };
    }
  }

  /** Several requests, one savepoint each, one commit; their answers, to send only after the commit. */
  function commitGroup(group: TransactionRequest[]): SqliteThreadReply[] {
    if (group.length === 1) return [commitAlone(group[0]!)];
    const replies: SqliteThreadReply[] = [];
    try {
      begin();
      for (const { id, statements } of group) {
        savepoint();
        try {
          replies.push({ id, ok: true, results: statements.map(run) });
          release();
        } catch (error) {
          // SQLite may have ended the whole transaction (disk full, I/O error): then the group fails.
          if (!database.isTransaction) throw error;
          rollbackToSavepoint();
          release();
          replies.push({ id, ok: false, error: toThreadError(error) });
        }
      }
      commit();
    } catch {
      // The group as a whole failed (so far only a failing disk does that): each request alone, each its answer.
      rollback();
      return group.map(commitAlone);
    }
    return replies;
  }

  /** Handles what has arrived, in order, grouping the transaction requests; returns once nothing can run. */
  function pump(): void {
    for (;;) {
      for (let next = receiveMessageOnPort(requests); next; next = receiveMessageOnPort(requests)) {
        inbox.push(next.message as SqliteThreadRequest);
      }
      const index = database.isTransaction ? inbox.findIndex((r) => r.op !== 'transaction') : 0;
      const request = inbox[index];
      if (index < 0 || !request) return;
      if (request.op === 'transaction') {
        const group = inbox.filter((r): r is TransactionRequest => r.op === 'transaction');
        inbox.splice(0, inbox.length, ...inbox.filter((r) => r.op !== 'transaction'));
        const started = performance.now();
        const replies = commitGroup(group);
        reply(replies, { seconds: (performance.now() - started) / 1000, transactions: group.length });
        continue;
      }
      inbox.splice(index, 1);
      if (request.op === 'close') {
        database.close();
        lock?.close();
        reply([{ id: request.id, ok: true }]);
        requests.close();
        return;
      }
      try {
        reply([{ id: request.id, ok: true, result: run(request.statement) }]);
      } catch (error) {
        reply([{ id: request.id, ok: false, error: toThreadError(error) }]);
      }
    }
  }

  requests.on('message', (request: SqliteThreadRequest) => {
    inbox.push(request);
    pump();
  });
}

if (parentPort) {
  const { path, requests } = workerData as { path: string; requests: MessagePort };
  let lock: DatabaseSync | undefined;
  let database: DatabaseSync | undefined;
  try {
    lock = takeProcessLock(path);
    database = openDurable(path);
  } catch (error) {
    lock?.close();
    parentPort.postMessage({ openError: toThreadError(error) });
  }
  if (database) {
    serve(database, lock, requests, parentPort);
    parentPort.postMessage({ opened: true });
  }
}
