import { sql } from 'kysely';
import type { Store } from '../store/db.ts';
import type { RateLimiter } from './rate-limit.ts';

/** Options for {@link createStoreRateLimiter}. */
export interface StoreRateLimiterOptions {
  store: Store;
  /** Which limiter the rows are of (`checkouts`): limiters share the table under their own keys. */
  name: string;
  /** Events a key may have per window; 0 turns the limiter off. */
  limit: number;
  windowMs: number;
  now: () => number;
}

/**
 * Fixed-window counters per key in the `rate_windows` table, so every instance (or Workers isolate) on one
 * database counts together. Each event is one atomic upsert, which restarts the window when it has ended,
 * else adds one: no transaction, so it holds on D1 too. Expired rows are deleted by this instance at most
 * once a window, so the table holds about the keys seen in the last window or two. Keys are client
 * addresses: never pass a token.
 *
 * @example
 * const checkouts = createStoreRateLimiter({ store, name: 'checkouts', limit: 30, windowMs: 60_000, now: Date.now });
 * const wait = await checkouts.take(limits.client(c));
 */
export function createStoreRateLimiter(options: StoreRateLimiterOptions): RateLimiter {
  const { store, limit, windowMs } = options;
  const rowKey = (key: string) => `${options.name}:${key}`;
  let pruneAt = 0;

  /** Counts one event; the key's window (hits so far, this one included, and its end) after it. */
  async function count(key: string, now: number): Promise<{ hits: number; ends_at: number }> {
    const window = await store.db
      .insertInto('rate_windows')
      .values({ key: rowKey(key), hits: 1, ends_at: now + windowMs })
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          // Both read the row as it was: an ended window starts again at one.
          hits: sql`case when rate_windows.ends_at <= ${now} then 1 else rate_windows.hits + 1 end`,
          ends_at: sql`case when rate_windows.ends_at <= ${now} then ${now + windowMs} else rate_windows.ends_at end`,
        }),
      )
      .returning(['hits', 'ends_at'])
      .executeTakeFirstOrThrow();
    if (now >= pruneAt) {
      pruneAt = now + windowMs;
      await store.db.deleteFrom('rate_windows').where('ends_at', '<=', now).execute();
    }
    return window;
  }

  return {
    async blocked(key) {
      if (limit === 0) return undefined;
      const now = options.now();
      const window = await store.db
        .selectFrom('rate_windows')
        .select(['hits', 'ends_at'])
        .where('key', '=', rowKey(key))
        .where('ends_at', '>', now)
        .executeTakeFirst();
      return window && window.hits >= limit ? (window.ends_at - now) / 1000 : undefined;
    },
    async hit(key) {
      if (limit > 0) await count(key, options.now());
    },
    async take(key) {
      if (limit === 0) return undefined;
      const now = options.now();
      // Counted even when over the limit (one statement, no read first); the window's end stays put.
      const window = await count(key, now);
      return window.hits > limit ? (window.ends_at - now) / 1000 : undefined;
    },
  };
}
