import { afterEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../server/points/client.ts';
import { createHarness, type Harness } from '../server/edge-harness.ts';
import { seededRandom } from './chaos-support.ts';

type PointsMode = 'up' | 'down' | 'rate-limited';

let harness: Harness | undefined;
afterEach(() => harness?.close());

/**
 * The edge with Points behind a switch: up, down (connection reset) or a 429 storm (most calls answered
 * "another request is being processed"). A fake clock makes the queue's backoff instant to step over.
 */
async function chaosHarness() {
  let clock = Date.now();
  let mode: PointsMode = 'up';
  const random = seededRandom(429);
  const calls = { total: 0, reset: 0, rateLimited: 0, earning: 0 };
  const pointsFetch: FetchLike = async (input, init) => {
    calls.total++;
    if (input.includes('/orders/earning')) calls.earning++;
    if (mode === 'down') {
      calls.reset++;
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
      });
    }
    if (mode === 'rate-limited' && random() < 0.8) {
      calls.rateLimited++;
      return Response.json(
        { status: false, message: 'Another earning request is being processed. Please retry shortly.' },
        { status: 429 },
      );
    }
    return h.sandbox.app.fetch(new Request(input, init));
  };
  const h: Harness = await createHarness('sqlite', {
    now: () => clock,
    pointsFetch,
    pointsSleep: async () => {},
  });
  harness = h;
  return {
    h,
    calls,
    setMode: (next: PointsMode) => void (mode = next),
    advance: (ms: number) => void (clock += ms),
  };
}

const receiptJobs = (h: Harness) =>
  h.store.db.selectFrom('jobs').selectAll().where('kind', '=', 'process-receipt').execute();

describe('Points outage and 429 storm during a burst of paid orders', () => {
  it('acknowledges every webhook during the outage, retries, and drains once Points answers', async () => {
    const { h, calls, setMode, advance } = await chaosHarness();
    const burst = 30;
    const orders: Array<{ number: string; uuid: string }> = [];
    for (let i = 0; i < burst; i++) {
      const response = await h.checkout({ items: [{ sku: 'CUP', quantity: 1 + (i % 3) }] });
      expect(response.status).toBe(200);
      orders.push({ number: ((await response.json()) as { orderNumber: string }).orderNumber, uuid: '' });
    }

    setMode('down');
    for (const [i, order] of orders.entries()) {
      const paid = await h.sandbox.completeCheckout(
        order.number,
        i % 5 === 0 ? { card: '4000000000000002' } : {},
      );
      order.uuid = paid.order.uuid;
    }
    await h.sandbox.settleDeliveries();
    const deliveries = h.sandbox.deliveries();
    expect(deliveries).toHaveLength(burst);
    expect(deliveries.every((attempt) => attempt.responseStatus === 200)).toBe(true);

    // Outage: every job (woken by its webhook) fails and is rescheduled, none is lost or dead.
    await h.edge.worker.drain();
    let jobs = await receiptJobs(h);
    expect(jobs).toHaveLength(burst);
    expect(jobs.map((job) => [job.state, job.attempts])).toEqual(jobs.map(() => ['queued', 1]));
    expect(calls.reset).toBeGreaterThanOrEqual(burst);

    // 429 storm: most calls refused; what got through is applied, the rest retried later.
    setMode('rate-limited');
    advance(10 * 60_000);
    await h.edge.worker.drain();
    expect(calls.rateLimited).toBeGreaterThan(0);
    jobs = await receiptJobs(h);
    expect(jobs.some((job) => job.state === 'dead')).toBe(false);
    expect(jobs.some((job) => job.state === 'queued')).toBe(true);
    expect(jobs.some((job) => job.state === 'done')).toBe(true);

    // Points is back: the queue drains completely within a few backoff periods.
    setMode('up');
    for (let round = 0; round < 5; round++) {
      advance(10 * 60_000);
      await h.edge.worker.drain();
    }
    jobs = await receiptJobs(h);
    expect(jobs.map((job) => job.state)).toEqual(jobs.map(() => 'done'));
    const receipts = await h.store.db.selectFrom('webhook_receipts').select('status').execute();
    expect(receipts.map((receipt) => receipt.status)).toEqual(receipts.map(() => 'processed'));

    const states = await h.store.db.selectFrom('orders').select(['order_number', 'state']).execute();
    const byNumber = new Map(states.map((row) => [row.order_number, row.state]));
    for (const [i, order] of orders.entries()) {
      expect(byNumber.get(order.number), order.number).toBe(i % 5 === 0 ? 'cancelled' : 'confirmed');
    }
    // The edge makes no earning calls (purchase earning is not part of server/ yet), so none can overlap.
    expect(calls.earning).toBe(0);
  });
});
