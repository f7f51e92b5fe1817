import { acquireLease, releaseLease } from './leases.ts';
import type { Store } from './db.ts';

/** Thrown when the named lease stayed taken for longer than the wait allowed. */
export class ExclusiveBusyError extends Error {
  constructor(name: string) {
    super(`${name} is busy elsewhere; try again`);
    this.name = 'ExclusiveBusyError';
  }
}

/** Options for {@link withExclusive}. */
export interface ExclusiveOptions {
  /** How long one holder may keep the lease if it dies holding it; default 60 s. */
  ttlMs?: number;
  /** How long to wait for the lease before giving up; default 10 s. */
  waitMs?: number;
  /** How often to look again while it is taken; default 50 ms. */
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `fn` while holding the named lease, so that across every instance (and within this one) only one
 * caller runs for that name at a time. Each call holds the lease under a name of its own, so two calls in
 * one process exclude each other too.
 *
 * @example
 * await withExclusive(store, `connector:${key}`, () => settle(key));
 */
export async function withExclusive<T>(
  store: Store,
  name: string,
  fn: () => Promise<T>,
  options: ExclusiveOptions = {},
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const ttlMs = options.ttlMs ?? 60_000;
  const holder = crypto.randomUUID();
  const deadline = now() + (options.waitMs ?? 10_000);
  while (!(await acquireLease(store, name, holder, ttlMs, now()))) {
    if (now() >= deadline) throw new ExclusiveBusyError(name);
    await sleep(options.pollMs ?? 50);
  }
  try {
    return await fn();
  } finally {
    await releaseLease(store, name, holder);
  }
}
