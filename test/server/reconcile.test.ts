import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrder } from '../../server/orders/repository.ts';
import { reconcileOrders } from '../../server/reconcile/reconcile.ts';
import { createScheduler } from '../../server/reconcile/schedule.ts';
import { dayMs } from '../../server/retention/retention-periods.ts';
import { storeEngines } from '../support/databases.ts';
import { createHarness, type Harness } from './edge-harness.ts';

let harness: Harness;
afterEach(() => harness?.close());

async function paidOrder(orderNumber: string) {
  await harness.checkout({
    orderToken: await harness.orderToken({ order_number: orderNumber, total_price: '80.00', products: [] }),
  });
  await harness.sandbox.completeCheckout(orderNumber, { phone: '500000002' });
  await harness.settle();
}

/** Points sent its webhook, but it never reached us (lost between Points and our queue). */
async function loseDeliveries() {
  // Nothing may process the deliveries before they are dropped: the route wakes the worker on each one.
  const { context } = harness.edge;
  const wake = context.wakeWorker;
  context.wakeWorker = () => {};
  try {
    await harness.sandbox.settleDeliveries();
    await harness.store.db.deleteFrom('jobs').execute();
    await harness.store.db.deleteFrom('webhook_receipts').execute();
  } finally {
    context.wakeWorker = wake;
  }
}

describe.each(storeEngines)('reconciliation on %s', (engine) => {
  it('repairs a missed refund webhook and counts the drift', async () => {
    harness = await createHarness(engine);
    await paidOrder('ORD-8001');
    const before = await findOrder(harness.store.db, 'ORD-8001');
    expect(before?.state).toBe('confirmed');
    harness.sandbox.fireAutoRefund(before!.points_uuid!);
    await loseDeliveries();
    expect((await findOrder(harness.store.db, 'ORD-8001'))?.state).toBe('confirmed');

    const report = await harness.edge.operations.reconcile();
    expect(report).toMatchObject({ mode: 'sweep', checked: 1, drift: 1, failed: 0 });
    expect((await findOrder(harness.store.db, 'ORD-8001'))?.state).toBe('refunded');
    expect(harness.notifications.length).toBeGreaterThan(0);
    expect(await harness.edge.operations.reconcile({ full: true })).toMatchObject({ checked: 0, drift: 0 });
  });

  it('a pass cut short leaves the rest to the next, which starts with the orders least recently checked', async () => {
    harness = await createHarness(engine);
    const numbers = ['ORD-8101', 'ORD-8102', 'ORD-8103'];
    for (const number of numbers) await paidOrder(number);
    const uuids = new Map<string, string>();
    for (const number of numbers)
      uuids.set((await findOrder(harness.store.db, number))!.points_uuid!, number);
    const { context } = harness.edge;
    const asked: string[] = [];
    const points = {
      getOrder: (uuid: string) => (asked.push(uuids.get(uuid)!), context.points.getOrder(uuid)),
    };
    const allowing = (orders: number) => () => orders-- > 0;

    const first = await reconcileOrders(context, points, { keepGoing: allowing(2) });
    expect(first).toMatchObject({ checked: 2, drift: 0, left: 1 });
    expect(asked.splice(0)).toEqual(['ORD-8101', 'ORD-8102']);
    // The next pass begins with the order the first did not reach, then the least recently checked.
    expect(await reconcileOrders(context, points, { keepGoing: allowing(2) })).toMatchObject({ left: 1 });
    expect(asked.splice(0)).toEqual(['ORD-8103', 'ORD-8101']);
    // Allowed nothing, a pass asks Points about no order (and abandons none).
    expect(await reconcileOrders(context, points, { keepGoing: () => false })).toMatchObject({
      checked: 0,
      left: 3,
    });
    expect(asked).toEqual([]);
  });

  it('a pass that finds nothing new leaves the order’s updated_at, so the sweep lets quiet orders go', async () => {
    harness = await createHarness(engine);
    await paidOrder('ORD-8201');
    const quietSince = Date.now() - 4 * 24 * 3600_000;
    await harness.store.db.updateTable('orders').set({ updated_at: quietSince }).execute();
    // The nightly pass reads it, finds it as Points has it, and writes nothing but its check mark.
    expect(await harness.edge.operations.reconcile({ full: true })).toMatchObject({ checked: 1, drift: 0 });
    const row = await findOrder(harness.store.db, 'ORD-8201');
    expect(row).toMatchObject({ updated_at: quietSince, state: 'confirmed' });
    expect(row?.reconciled_at).toBeGreaterThan(quietSince);
    expect(await harness.edge.operations.reconcile()).toMatchObject({ checked: 0 });
  });

  it('the nightly pass also reaches open orders the sweep window leaves out', async () => {
    harness = await createHarness(engine);
    await paidOrder('ORD-8002');
    const row = await findOrder(harness.store.db, 'ORD-8002');
    harness.sandbox.fireAutoRefund(row!.points_uuid!);
    await loseDeliveries();
    await harness.store.db
      .updateTable('orders')
      .set({ updated_at: Date.now() - 10 * 24 * 3600_000 })
      .execute();
    expect(await harness.edge.operations.reconcile()).toMatchObject({ checked: 0, drift: 0 });
    expect(await harness.edge.operations.reconcile({ full: true })).toMatchObject({ checked: 1, drift: 1 });
  });

  it('the nightly pass reads open orders changed within 180 days by default, up to the day, and no older', async () => {
    harness = await createHarness(engine);
    const numbers = ['ORD-8301', 'ORD-8302', 'ORD-8303'];
    for (const number of numbers) await paidOrder(number);
    const uuids = await Promise.all(
      numbers.map(async (n) => (await findOrder(harness.store.db, n))!.points_uuid!),
    );
    // Each refunded at Points while its webhook was lost (fired together: no delivery runs in between).
    for (const uuid of uuids) harness.sandbox.fireAutoRefund(uuid);
    await loseDeliveries();
    const at = Date.now();
    harness.edge.context.now = () => at;
    const changedAt = {
      'ORD-8301': at - 10 * dayMs,
      'ORD-8302': at - 180 * dayMs,
      'ORD-8303': at - 180 * dayMs - 1,
    };
    for (const [number, updatedAt] of Object.entries(changedAt))
      await harness.store.db
        .updateTable('orders')
        .set({ updated_at: updatedAt })
        .where('order_number', '=', number)
        .execute();

    expect(await harness.edge.operations.reconcile({ full: true })).toMatchObject({
      mode: 'full',
      checked: 2,
      drift: 2,
    });
    const states = await Promise.all(numbers.map(async (n) => (await findOrder(harness.store.db, n))?.state));
    expect(states).toEqual(['refunded', 'refunded', 'confirmed']);
    // Left out, not merely unchanged: no pass asked Points about it.
    expect((await findOrder(harness.store.db, 'ORD-8303'))?.reconciled_at).toBeNull();
  });

  it('RECONCILE_FULL_WINDOW_DAYS bounds the nightly pass; the sweep keeps its own 3 days', async () => {
    harness = await createHarness(engine, { env: { RECONCILE_FULL_WINDOW_DAYS: '30' } });
    await paidOrder('ORD-8401');
    await paidOrder('ORD-8402');
    const at = Date.now();
    harness.edge.context.now = () => at;
    for (const [number, days] of [
      ['ORD-8401', 29],
      ['ORD-8402', 31],
    ] as const)
      await harness.store.db
        .updateTable('orders')
        .set({ updated_at: at - days * dayMs })
        .where('order_number', '=', number)
        .execute();
    expect(await harness.edge.operations.reconcile()).toMatchObject({ mode: 'sweep', checked: 0 });
    expect(await harness.edge.operations.reconcile({ full: true })).toMatchObject({ checked: 1 });
    expect((await findOrder(harness.store.db, 'ORD-8401'))?.reconciled_at).toBe(at);
    expect((await findOrder(harness.store.db, 'ORD-8402'))?.reconciled_at).toBeNull();
  });

  it('abandons a checkout whose session expired without a word, and counts a Points outage as failed', async () => {
    harness = await createHarness(engine);
    await harness.checkout({
      orderToken: await harness.orderToken({ order_number: 'ORD-8003', total_price: '10.00', products: [] }),
    });
    await paidOrder('ORD-8004');
    await harness.store.db
      .updateTable('orders')
      .set({ checkout_expires_at: Date.now() - 1 })
      .where('order_number', '=', 'ORD-8003')
      .execute();
    harness.setPointsDown(true);
    const report = await harness.edge.operations.reconcile();
    expect(report).toMatchObject({ abandoned: 1, failed: 1, drift: 0 });
    expect((await findOrder(harness.store.db, 'ORD-8003'))?.state).toBe('abandoned');
    expect((await findOrder(harness.store.db, 'ORD-8004'))?.state).toBe('confirmed');
  });

  it('tells the merchant once of a checkout it abandons, even when two passes race', async () => {
    harness = await createHarness(engine);
    await harness.checkout({
      orderToken: await harness.orderToken({ order_number: 'ORD-8005', total_price: '10.00', products: [] }),
    });
    await harness.store.db
      .updateTable('orders')
      .set({ checkout_expires_at: Date.now() - 1 })
      .execute();
    await Promise.all([harness.edge.operations.reconcile(), harness.edge.operations.reconcile()]);
    await harness.edge.worker.drain();
    const told = await Promise.all(harness.notifications.map(async (r) => (await r.clone().json()).data));
    expect(told).toMatchObject([{ orderNumber: 'ORD-8005', state: 'abandoned', previousState: 'pending' }]);
  });

  it('runs each schedule on one instance per period (lease)', async () => {
    harness = await createHarness(engine);
    let clock = 1_000_000;
    const runs: string[] = [];
    const scheduler = (holder: string) =>
      createScheduler({
        store: harness.store,
        logger: pino({ level: 'silent' }),
        holder,
        now: () => clock,
        tasks: [{ name: 'sweep', everyMs: 300_000, run: async () => void runs.push(holder) }],
      });
    const [a, b] = [scheduler('a'), scheduler('b')];
    expect(await a.runDue()).toEqual(['sweep']);
    expect(await b.runDue()).toEqual([]);
    expect(await a.runDue()).toEqual([]);
    clock += 300_000;
    expect(await b.runDue()).toEqual(['sweep']);
    expect(await a.runDue()).toEqual([]);
    expect(runs).toEqual(['a', 'b']);
  });
});
