import type { Store } from '../store/db.ts';
import { countInWindow, type WindowCount } from '../store/window-counts.ts';
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
 * Fixed-window counters per key in the `rate_windows` table (`countInWindow`), so every instance (or
 * Workers isolate) on one database counts together. Expired rows are deleted by this instance at most once
 * a window, so the table holds about the keys seen in the last window or two. Keys are client addresses:
 * never pass a token.
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
  async function count(key: string, now: number): Promise<WindowCount> {
    const window = await countInWindow(store.db, rowKey(key), windowMs, now);
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
