import type { CompiledQuery } from 'kysely';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

const readerStatementCacheSize = 200;
/** SQLite's SQLITE_BUSY (low byte of the extended code): the file is momentarily unreadable (a WAL reset). */
const sqliteBusy = 5;

/**
 * A read-only connection on the main thread, for selects outside a transaction. A lookup by index takes
 * microseconds here, where a trip to the SQLite thread and back takes a few hundred and waits behind any
 * commit (and its fsync) there. WAL lets it read while the thread writes; it sees every committed write.
 */
export class MainThreadReader {
  readonly #database: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(path: string) {
    this.#database = new DatabaseSync(path, { readOnly: true });
  }

  /** The rows, or undefined when SQLite is busy and the caller should ask the thread. */
  read({ sql, parameters }: CompiledQuery): Record<string, unknown>[] | undefined {
    try {
      return this.#prepared(sql).all(...(parameters as SQLInputValue[])) as Record<string, unknown>[];
    } catch (error) {
      if (((error as { errcode?: number }).errcode ?? 0) % 256 === sqliteBusy) return undefined;
      throw error;
    }
  }

  #prepared(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#database.prepare(sql);
      if (this.#statements.size >= readerStatementCacheSize) {
        this.#statements.delete(this.#statements.keys().next().value!);
      }
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Closes the connection; closing it again does nothing (the store may be closed twice). */
  close(): void {
    if (this.#database.isOpen) this.#database.close();
  }
}
