import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimJobs, completeJob, enqueue, failJob } from '../../server/jobs/queue.ts';
import type { Store } from '../../server/store/db.ts';
import { ExclusiveBusyError, withExclusive } from '../../server/store/exclusive.ts';
import { acquireLease, releaseLease } from '../../server/store/leases.ts';
import { createReceiptWriter } from '../../server/webhooks/receipt-writer.ts';
import { receiptWrite } from '../support/receipts.ts';
import { freshD1Store } from './miniflare-d1.ts';

// Our storage code, unchanged, on D1: every statement here is one D1 call, each atomic on its own.
let store: Store;
beforeAll(async () => {
  store = await freshD1Store();
}, 30_000);
afterAll(() => store.close());
beforeEach(async () => {
  for (const table of ['leases', 'jobs', 'webhook_receipts'] as const)
    await store.db.deleteFrom(table).execute();
});

describe('leases on D1', () => {
  it('go to one holder until they expire or are given back', async () => {
    expect(await acquireLease(store, 'lane', 'a', 1000, 0)).toBe(true);
    expect(await acquireLease(store, 'lane', 'b', 1000, 500)).toBe(false);
    expect(await acquireLease(store, 'lane', 'a', 1000, 500)).toBe(true); // renewed by its holder
    expect(await acquireLease(store, 'lane', 'b', 1000, 1499)).toBe(false);
    expect(await acquireLease(store, 'lane', 'b', 1000, 1500)).toBe(true); // expired
    await releaseLease(store, 'lane', 'a'); // not a's any more: nothing happens
    expect(await acquireLease(store, 'lane', 'a', 1000, 1600)).toBe(false);
    await releaseLease(store, 'lane', 'b');
    expect(await acquireLease(store, 'lane', 'a', 1000, 1600)).toBe(true);
  });

  it('go to exactly one of many holders racing for them', async () => {
    const won = await Promise.all(
      Array.from({ length: 20 }, (_, index) => acquireLease(store, 'race', `h${index}`, 1000, 0)),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it('without renewal, keep even their holder out until the period ends', async () => {
    expect(await acquireLease(store, 'schedule', 'a', 1000, 0, false)).toBe(true);
    expect(await acquireLease(store, 'schedule', 'a', 1000, 10, false)).toBe(false);
  });
});

describe('withExclusive on D1', () => {
  it('runs one caller at a time for a name, the others in turn', async () => {
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        withExclusive(
          store,
          'connector:one',
          async () => {
            running++;
            most = Math.max(most, running);
            await new Promise((done) => setTimeout(done, 20));
            order.push(index);
            running--;
          },
          { pollMs: 5 },
        ),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await store.db.selectFrom('leases').selectAll().execute()).toEqual([]);
  });

  it('gives up with ExclusiveBusyError when the name stays taken', async () => {
    await acquireLease(store, 'connector:busy', 'someone-else', 60_000, Date.now());
    await expect(
      withExclusive(store, 'connector:busy', async () => 'never', { waitMs: 30, pollMs: 10 }),
    ).rejects.toThrow(ExclusiveBusyError);
  });
});

describe('the job queue on D1', () => {
  it('claims due jobs in run-at order, each once, and completes or retries them', async () => {
    await enqueue(store.db, { lane: 'webhooks', kind: 'k', payload: { n: 2 }, runAt: 20 }, 0);
    await enqueue(store.db, { lane: 'webhooks', kind: 'k', payload: { n: 1 }, runAt: 10 }, 0);
    await enqueue(store.db, { lane: 'webhooks', kind: 'k', payload: { n: 3 }, runAt: 99 }, 0);
    const claimed = await claimJobs(store, {
      lanes: ['webhooks'],
      workerId: 'w',
      leaseMs: 60_000,
      limit: 10,
      now: 50,
    });
    // The due ones by run_at; RETURNING gives them in the table's order, as on node:sqlite.
    expect(claimed.map((job) => JSON.parse(job.payload).n).sort()).toEqual([1, 2]);
    expect(claimed.every((job) => job.state === 'running' && job.attempts === 1)).toBe(true);
    expect(
      await claimJobs(store, { lanes: ['webhooks'], workerId: 'v', leaseMs: 60_000, limit: 10, now: 50 }),
    ).toEqual([]);
    const [first, second] = claimed.sort((a, b) => a.run_at - b.run_at);
    await completeJob(store.db, first!, 60);
    expect(await failJob(store.db, second!, 'boom', 1000, 60)).toBe('retry');
    const states = await store.db
      .selectFrom('jobs')
      .select(['state', 'run_at', 'last_error'])
      .orderBy('run_at')
      .execute();
    expect(states).toEqual([
      { state: 'done', run_at: 10, last_error: null },
      { state: 'queued', run_at: 99, last_error: null },
      { state: 'queued', run_at: 1060, last_error: 'boom' },
    ]);
  });

  it('never hands one job to two workers claiming at the same time', async () => {
    for (let index = 0; index < 30; index++) {
      await enqueue(store.db, { lane: 'webhooks', kind: 'k', payload: index }, 0);
    }
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, worker) =>
        claimJobs(store, { lanes: ['webhooks'], workerId: `w${worker}`, leaseMs: 60_000, limit: 10, now: 1 }),
      ),
    );
    const ids = claims.flat().map((job) => job.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it('enqueues nothing when the transaction around it throws', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await enqueue(trx, { lane: 'webhooks', kind: 'k', payload: null }, 0);
        throw new Error('the write that caused it failed');
      }),
    ).rejects.toThrow();
    expect(await store.db.selectFrom('jobs').select('id').execute()).toEqual([]);
  });
});

describe('the receipt writer on D1', () => {
  it('stores each receipt with its job, a duplicate dedupe key not at all, grouped into batches', async () => {
    let batches = 0;
    const runInTransaction = store.runInTransaction.bind(store);
    const counting: Store = {
      ...store,
      runInTransaction: (statements) => {
        batches++;
        return runInTransaction(statements);
      },
    };
    const writer = createReceiptWriter(counting);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, index) => writer.write(receiptWrite(`r${index}`, `key-${index % 25}`))),
    );
    expect(results.filter(Boolean)).toHaveLength(25);
    expect(batches).toBe(2);
    const jobs = await store.db.selectFrom('jobs').select('payload').execute();
    expect(jobs.map((job) => JSON.parse(job.payload).receiptId).sort()).toEqual(
      Array.from({ length: 25 }, (_, index) => `r${index}`).sort(),
    );
  });

  it('fails one bad receipt alone: its neighbours in the batch are still stored', async () => {
    const writer = createReceiptWriter(store);
    await writer.write(receiptWrite('taken', 'first'));
    const outcomes = await Promise.allSettled([
      writer.write(receiptWrite('a', 'k-a')),
      writer.write(receiptWrite('b', 'k-b')),
      writer.write(receiptWrite('taken', 'k-taken')),
      writer.write(receiptWrite('c', 'k-c')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const ids = (await store.db.selectFrom('webhook_receipts').select('id').execute())
      .map((row) => row.id)
      .sort();
    expect(ids).toEqual(['a', 'b', 'c', 'taken']);
    expect(await store.db.selectFrom('jobs').select('id').execute()).toHaveLength(4);
  });
});
