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
  /** How long to wait for the lease before giving up; default 10 s (on D1, 1 s). */
  waitMs?: number;
  /** How often to look again while it is taken; default 50 ms (on D1, 250 ms). */
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultWait = { waitMs: 10_000, pollMs: 50 };
/** At most five looks (`server/runtime/workers/query-budget.ts` counts them in a job's queries). */
const d1Wait = { waitMs: 1000, pollMs: 250 };

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
  // Each look is a D1 query out of the invocation's 50 (Free plan): on D1, a few looks, then the job retries.
  const wait = store.engine === 'd1' ? d1Wait : defaultWait;
  const deadline = now() + (options.waitMs ?? wait.waitMs);
  while (!(await acquireLease(store, name, holder, ttlMs, now()))) {
    if (now() >= deadline) throw new ExclusiveBusyError(name);
    await sleep(options.pollMs ?? wait.pollMs);
  }
  try {
    return await fn();
  } finally {
    await releaseLease(store, name, holder);
  }
}
