import type { Context } from 'hono';
import type { Config } from '../config.ts';
import type { Store } from '../store/db.ts';
import { createStoreRateLimiter } from './store-rate-limiter.ts';

/**
 * Fixed-window counters per key (a client address): at most `limit` events a key per window, the window
 * starting at the key's first event. In memory ({@link createRateLimiter}) or in the database
 * ({@link createStoreRateLimiter}, shared by every instance on it).
 */
export interface RateLimiter {
  /** Seconds until `key` may go on again when it is over the limit, else undefined. Counts nothing. */
  blocked(key: string): Promise<number | undefined>;
  /** Counts one event for `key`. */
  hit(key: string): Promise<void>;
  /** {@link blocked}, else counts one event: seconds to wait, or undefined when `key` may go on. */
  take(key: string): Promise<number | undefined>;
}

/** Options for {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Events a key may have per window; 0 turns the limiter off. */
  limit: number;
  windowMs: number;
  now: () => number;
  /** Keys tracked at most; past that, expired windows are dropped, then all (memory stays bounded). */
  maxKeys?: number;
}

/**
 * Fixed-window counters per key (a client address), in this process's memory: each instance counts
 * only what it serves, so behind a load balancer over N instances a client gets up to N times the limit.
 *
 * @example
 * const checkouts = createRateLimiter({ limit: 30, windowMs: 60_000, now: Date.now });
 * const wait = await checkouts.take(clientAddress(c, undefined, ports.connectionAddress));
 * if (wait) return tooManyRequests(c, 'rate_limited', wait, 'Too many checkouts; try again later.');
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter & { size(): number } {
  const maxKeys = options.maxKeys ?? 10_000;
  const windows = new Map<string, { count: number; endsAt: number }>();

  function current(key: string, now: number) {
    const window = windows.get(key);
    return window && window.endsAt > now ? window : undefined;
  }

  function makeRoom(now: number): void {
    if (windows.size < maxKeys) return;
    for (const [key, window] of windows) if (window.endsAt <= now) windows.delete(key);
    if (windows.size >= maxKeys) windows.clear();
  }

  function blocked(key: string): number | undefined {
    if (options.limit === 0) return undefined;
    const now = options.now();
    const window = current(key, now);
    return window && window.count >= options.limit ? (window.endsAt - now) / 1000 : undefined;
  }

  function hit(key: string): void {
    if (options.limit === 0) return;
    const now = options.now();
    const window = current(key, now);
    if (window) {
      window.count++;
      return;
    }
    makeRoom(now);
    windows.set(key, { count: 1, endsAt: now + options.windowMs });
  }

  return {
    blocked: async (key) => blocked(key),
    hit: async (key) => hit(key),
    async take(key) {
      const wait = blocked(key);
      if (wait === undefined) hit(key);
      return wait;
    },
    /** Clients tracked now. */
    size: () => windows.size,
  };
}

/**
 * The client a request comes from: the last entry of `clientIpHeader` when one is configured (the entry
 * the nearest proxy, which you trust, appended; the earlier ones the client could have written), else the
 * connection's address as the runtime knows it (`connectionAddress`, a runtime port).
 */
export function clientAddress(
  c: Context,
  clientIpHeader: string | undefined,
  connectionAddress: (c: Context) => string,
): string {
  if (clientIpHeader) {
    const value = c.req.header(clientIpHeader);
    const last = value?.split(',').at(-1)?.trim();
    if (last) return last.slice(0, 64);
  }
  return connectionAddress(c);
}

/** The edge's throttles, one limiter each, per minute and per client (see {@link clientAddress}). */
export interface RequestLimits {
  /** New Points checkout sessions (each creates a Points order). */
  checkouts: RateLimiter;
  /** Shoppers' returns (`/callback`), each of which may ask Points about an order. */
  callbacks: RateLimiter;
  /** Wrong admin bearer tokens; past the limit a client's wrong ones get 429. The right token always works. */
  adminFailures: RateLimiter;
  /** The client of a request. */
  client(c: Context): string;
}

/**
 * Builds the {@link RequestLimits} from the configuration; `connectionAddress` is the runtime's. On SQLite
 * (one process has the file) the counters live in memory; on a store several instances share (Postgres, D1)
 * they live in the database, so a client gets each limit once, not once per instance or isolate.
 *
 * @example
 * const limits = createRequestLimits(config, Date.now, ports.connectionAddress, store);
 */
export function createRequestLimits(
  config: Config,
  now: () => number,
  connectionAddress: (c: Context) => string,
  store: Store,
): RequestLimits {
  const perMinute = (name: string, limit: number): RateLimiter =>
    store.engine === 'sqlite'
      ? createRateLimiter({ limit, windowMs: 60_000, now })
      : createStoreRateLimiter({ store, name, limit, windowMs: 60_000, now });
  return {
    checkouts: perMinute('checkouts', config.rateLimits.checkoutsPerMinute),
    callbacks: perMinute('callbacks', config.rateLimits.callbacksPerMinute),
    adminFailures: perMinute('admin-failures', config.rateLimits.adminFailuresPerMinute),
    client: (c) => clientAddress(c, config.clientIpHeader, connectionAddress),
  };
}
