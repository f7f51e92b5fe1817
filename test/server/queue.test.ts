import { afterEach, describe, expect, it } from 'vitest';
import { claimJobs, completeJob, enqueue, failJob, queueStats, replayJob } from '../../server/jobs/queue.ts';
import { backoffAtLeastMs, backoffMs, defaultJobRetryDelayMs } from '../../server/shared/backoff.ts';
import { createWorker } from '../../server/jobs/worker.ts';
import type { Store } from '../../server/store/db.ts';
import { engines, storeEngines, type StoreEngine, freshStore } from '../support/databases.ts';

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});
async function store(engine: StoreEngine): Promise<Store> {
  const opened = await freshStore(engine);
  stores.push(opened);
  return opened;
}

const t0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const claim = (s: Store, now: number, workerId = 'w1', limit = 10) =>
  claimJobs(s, { lanes: ['webhooks'], workerId, leaseMs: 60_000, limit, now });

describe.each(storeEngines)('queue on %s', (engine) => {
  it('claims due jobs once, in run-at order, and completes them', async () => {
    const s = await store(engine);
    await enqueue(s.db, { lane: 'webhooks', kind: 'k', payload: { n: 2 }, runAt: t0 + 10 }, t0);
    await enqueue(s.db, { lane: 'webhooks', kind: 'k', payload: { n: 1 } }, t0);
    await enqueue(s.db, { lane: 'other', kind: 'k', payload: {} }, t0);
    await enqueue(s.db, { lane: 'webhooks', kind: 'k', payload: { n: 3 }, runAt: t0 + 60_000 }, t0);

    const jobs = await claim(s, t0 + 10);
    expect(jobs.map((job) => JSON.parse(job.payload).n).sort()).toEqual([1, 2]);
    expect(jobs.every((job) => job.attempts === 1 && job.state === 'running')).toBe(true);
    expect(await claim(s, t0 + 10, 'w2')).toEqual([]);

    for (const job of jobs) await completeJob(s.db, job, t0 + 20);
    const done = await s.db.selectFrom('jobs').select('state').where('state', '=', 'done').execute();
    expect(done).toHaveLength(2);
  });

  it('retries a failed job after its backoff, then dead-letters it, and replays it', async () => {
    const s = await store(engine);
    await enqueue(s.db, { lane: 'webhooks', kind: 'k', payload: {}, maxAttempts: 2 }, t0);
    const [first] = await claim(s, t0);
    expect(await failJob(s.db, first!, 'boom', 5_000, t0)).toBe('retry');
    expect(await claim(s, t0 + 4_999)).toEqual([]);
    const [second] = await claim(s, t0 + 5_000);
    expect(second?.attempts).toBe(2);
    expect(await failJob(s.db, second!, 'boom again', 5_000, t0 + 5_000)).toBe('dead');
    expect(await claim(s, t0 + 999_999)).toEqual([]);

    const dead = await s.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(dead).toMatchObject({ state: 'dead', last_error: 'boom again' });
    expect(await replayJob(s.db, dead.id, t0 + 10_000)).toBe(true);
    expect(await replayJob(s.db, dead.id, t0 + 10_000)).toBe(false);
    expect(await claim(s, t0 + 10_000)).toHaveLength(1);
  });

  it('re-runs a job whose worker died (lease expired), and the dead worker cannot finish it', async () => {
    const s = await store(engine);
    await enqueue(s.db, { lane: 'webhooks', kind: 'k', payload: {} }, t0);
    const [lost] = await claim(s, t0, 'crashed');
    expect(await claim(s, t0 + 59_999, 'w2')).toEqual([]);
    const [taken] = await claim(s, t0 + 60_001, 'w2');
    expect(taken?.attempts).toBe(2);
    await completeJob(s.db, lost!, t0 + 60_002);
    const row = await s.db.selectFrom('jobs').select(['state', 'locked_by']).executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'running', locked_by: 'w2' });
  });

  it('enqueues nothing when the surrounding transaction rolls back', async () => {
    const s = await store(engine);
    await expect(
      s.db.transaction().execute(async (trx) => {
        await enqueue(trx, { lane: 'webhooks', kind: 'k', payload: {} }, t0);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await claim(s, t0)).toEqual([]);
  });

  it('reports depth and age per lane', async () => {
    const s = await store(engine);
    await enqueue(s.db, { lane: 'webhooks', kind: 'k', payload: {} }, t0);
    await enqueue(s.db, { lane: 'webhooks', kind: 'k', payload: {} }, t0 + 5);
    expect(await queueStats(s.db, t0 + 100)).toEqual([
      { lane: 'webhooks', state: 'queued', count: 2, oldestRunAt: t0 },
    ]);
  });

  it('worker: runs handlers, retries failures, dead-letters unknown kinds', async () => {
    const s = await store(engine);
    let clock = t0;
    const seen: unknown[] = [];
    let failOnce = true;
    const outcomes: string[] = [];
    const worker = createWorker({
      store: s,
      lanes: ['webhooks'],
      now: () => clock,
      retryDelayMs: () => 1000,
      handlers: {
        ok: async (payload) => {
          seen.push(payload);
        },
        flaky: async () => {
          if (failOnce) {
            failOnce = false;
            throw new Error('temporary');
          }
        },
      },
      onOutcome: (job, outcome) => outcomes.push(`${job.kind}:${outcome}`),
    });
    await enqueue(s.db, { lane: 'webhooks', kind: 'ok', payload: { a: 1 } }, t0);
    await enqueue(s.db, { lane: 'webhooks', kind: 'flaky', payload: {} }, t0);
    await enqueue(s.db, { lane: 'webhooks', kind: 'mystery', payload: {} }, t0);
    expect(await worker.drain()).toBe(3);
    expect(seen).toEqual([{ a: 1 }]);
    clock += 1000;
    expect(await worker.drain()).toBe(1);
    expect(outcomes.sort()).toEqual(['flaky:done', 'flaky:retry', 'mystery:dead', 'ok:done']);
    await worker.stop();
  });

  it('worker: a drain claims only as many jobs as claimLimit allows, and stops at 0', async () => {
    const s = await store(engine);
    const ran: number[] = [];
    const worker = createWorker({
      store: s,
      lanes: ['webhooks'],
      now: () => t0,
      handlers: { ok: async (payload) => void ran.push((payload as { n: number }).n) },
    });
    for (let n = 0; n < 5; n++) await enqueue(s.db, { lane: 'webhooks', kind: 'ok', payload: { n } }, t0);
    const allowed = [2, 1, 0];
    const asked: number[] = [];
    const claimLimit = () => (asked.push(allowed[asked.length] ?? 0), allowed[asked.length - 1] ?? 0);
    expect(await worker.drain({ claimLimit })).toBe(3);
    expect(ran).toHaveLength(3);
    expect(await worker.drain({ claimLimit: () => 0 })).toBe(0);
    expect(await worker.drain()).toBe(2);
    await worker.stop();
  });
});

describe('backoffMs', () => {
  it('doubles per attempt within jitter and respects the cap', () => {
    expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(backoffMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  });

  it('has an upward-only variant that never shortens the nominal delay, and one default for jobs', () => {
    expect(backoffAtLeastMs(1, 30_000, 3_600_000, () => 0)).toBe(30_000);
    expect(backoffAtLeastMs(2, 30_000, 3_600_000, () => 1)).toBe(66_000);
    expect(backoffAtLeastMs(40, 30_000, 3_600_000, () => 0)).toBe(3_600_000);
    expect(defaultJobRetryDelayMs(1, () => 1)).toBe(1_000);
    expect(defaultJobRetryDelayMs(30, () => 1)).toBe(300_000);
  });
});

describe.skipIf(!engines.includes('postgres'))('queue on postgres, two instances', () => {
  it('never hands one job to two workers claiming at the same time', async () => {
    const s = await store('postgres');
    for (let i = 0; i < 40; i++) await enqueue(s.db, { lane: 'webhooks', kind: 'k', payload: { i } }, t0);
    const batches = await Promise.all(
      Array.from({ length: 4 }, (_, worker) => claim(s, t0, `w${worker}`, 15)),
    );
    const ids = batches.flat().map((job) => job.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(40);
  });
});
