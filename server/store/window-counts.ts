import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** A key's fixed window in the `rate_windows` table: its events so far and when it ends (epoch ms). */
export interface WindowCount {
  hits: number;
  ends_at: number;
}

/**
 * Counts one event for `key` in the `rate_windows` table, where every instance (or Workers isolate) on one
 * database counts together: one atomic upsert, which restarts the window when it has ended, else adds one.
 * No transaction, so it holds on D1 too. Returns the window after this event.
 *
 * @example
 * const { hits } = await countInWindow(store.db, 'checkouts:203.0.113.7', 60_000, Date.now());
 */
export async function countInWindow(
  db: Kysely<Database>,
  key: string,
  windowMs: number,
  now: number,
): Promise<WindowCount> {
  return db
    .insertInto('rate_windows')
    .values({ key, hits: 1, ends_at: now + windowMs })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        // Both read the row as it was: an ended window starts again at one.
        hits: sql`case when rate_windows.ends_at <= ${now} then 1 else rate_windows.hits + 1 end`,
        ends_at: sql`case when rate_windows.ends_at <= ${now} then ${now + windowMs} else rate_windows.ends_at end`,
      }),
    )
    .returning(['hits', 'ends_at'])
    .executeTakeFirstOrThrow();
}
