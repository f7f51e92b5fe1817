import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.ts';

/** SQL text and its parameters: a Kysely `CompiledQuery`, or the same two fields built by hand on a hot path. */
export type Statement = Pick<CompiledQuery, 'sql' | 'parameters'>;

/**
 * An open database: the typed query builder and which engine is underneath. Each runtime opens its own
 * (Node: `runtime/node/store/open-database.ts`); everything else only uses this.
 */
export interface Store {
  db: Kysely<Database>;
  engine: 'sqlite' | 'postgres' | 'd1';
  /**
   * Runs already compiled statements in one transaction, all or none, and returns each one's result. On
   * SQLite this is one message to the database thread, which commits it together with the other such
   * transactions waiting there (one fsync for all): the hot path of webhook intake.
   */
  runInTransaction(statements: readonly Statement[]): Promise<QueryResult<unknown>[]>;
  /**
   * SQLite only: calls `listener` after each group commit of {@link runInTransaction} requests with its
   * duration (statements and fsync) and size, for metrics. Postgres commits are the server's business.
   */
  observeCommits?(listener: (commit: GroupCommit) => void): void;
  close(): Promise<void>;
}

/** One group commit: how long it took (statements and fsync) and how many transaction requests it held. */
export interface GroupCommit {
  seconds: number;
  transactions: number;
}
