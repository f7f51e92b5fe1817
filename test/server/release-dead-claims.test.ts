import { afterEach, describe, expect, it } from 'vitest';
import { claimJobs, enqueue } from '../../server/jobs/queue.ts';
import type { Store } from '../../server/store/db.ts';
import { acquireLease } from '../../server/store/leases.ts';
import { releaseDeadClaims } from '../../server/store/release-dead-claims.ts';
import { engines, freshStore } from '../support/databases.ts';

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

const t0 = Date.UTC(2026, 10, 22, 3, 0, 0);
const claim = (store: Store, now: number, workerId: string) =>
  claimJobs(store, { lanes: ['webhooks'], workerId, leaseMs: 60_000, limit: 10, now });

/** What a process leaves behind when it is killed mid-work: a claimed job and a held lease. */
async function deadProcessLeftovers(engine: 'sqlite' | 'postgres'): Promise<Store> {
  const store = await freshStore(engine);
  stores.push(store);
  await enqueue(store.db, { lane: 'webhooks', kind: 'k', payload: { n: 1 } }, t0);
  await enqueue(store.db, { lane: 'webhooks', kind: 'k', payload: { n: 2 }, runAt: t0 + 30_000 }, t0);
  expect(await claim(store, t0, 'dead-worker')).toHaveLength(1);
  expect(await acquireLease(store, 'lane:earning', 'dead-instance', 60_000, t0)).toBe(true);
  return store;
}

describe('releaseDeadClaims on sqlite', () => {
  it('makes a dead process’s running jobs due and its leases free at once', async () => {
    const store = await deadProcessLeftovers('sqlite');
    const now = t0 + 1_000; // the restart, long before the 60 s claims would expire

    expect(await releaseDeadClaims(store, now)).toEqual({ jobs: 1, leases: 1 });
    const taken = await claim(store, now, 'new-worker');
    expect(taken.map((job) => JSON.parse(job.payload).n)).toEqual([1]);
    expect(taken[0]!.attempts).toBe(2); // the killed attempt still counts
    expect(await acquireLease(store, 'lane:earning', 'new-instance', 60_000, now)).toBe(true);
  });

  it('finds nothing to release after a clean stop', async () => {
    const store = await freshStore('sqlite');
    stores.push(store);
    await enqueue(store.db, { lane: 'webhooks', kind: 'k', payload: {} }, t0);
    expect(await releaseDeadClaims(store, t0)).toEqual({ jobs: 0, leases: 0 });
  });
});

describe.each(engines.filter((engine) => engine === 'postgres'))('releaseDeadClaims on %s', (engine) => {
  it('leaves claims alone: another live instance may hold them', async () => {
    const store = await deadProcessLeftovers(engine);
    const now = t0 + 1_000;
    expect(await releaseDeadClaims(store, now)).toEqual({ jobs: 0, leases: 0 });
    expect(await claim(store, now, 'new-worker')).toEqual([]);
    expect(await acquireLease(store, 'lane:earning', 'new-instance', 60_000, now)).toBe(false);
  });
});
