import { Kysely } from 'kysely';
import type { Store } from './db.ts';
import { d1Dialect, prepareStatement, toQueryResult, type D1Database } from './d1-dialect.ts';
import type { Database } from './schema.ts';

/**
 * Our store over a Cloudflare D1 binding: the typed query builder on {@link d1Dialect}, and
 * `runInTransaction` as one `batch()` (atomic; each statement's result comes back, change counts included).
 * Runs in a Worker: nothing here needs Node.
 *
 * @example
 * export default { async fetch(request, env) { const store = openD1Store(env.DB); … } };
 */
export function openD1Store(d1: D1Database): Store {
  const db = new Kysely<Database>({ dialect: d1Dialect(d1) });
  return {
    db,
    engine: 'd1',
    async runInTransaction(statements) {
      if (statements.length === 0) return [];
      const results = await d1.batch(statements.map((statement) => prepareStatement(d1, statement)));
      return results.map((result) => toQueryResult(result));
    },
    // The binding belongs to the Worker's environment; there is nothing of ours to close.
    close: () => db.destroy(),
  };
}
