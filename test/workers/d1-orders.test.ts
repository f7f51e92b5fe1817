import { afterEach, describe, expect, it } from 'vitest';
import type { OrderUpdatedEvent } from '../../server/edge-context.ts';
import { applyAndAnnounce } from '../../server/orders/apply-points-order.ts';
import { findOrder, saveCheckoutSession } from '../../server/orders/repository.ts';
import { createHarness, testSecrets, type Harness } from '../server/edge-harness.ts';
import { freshD1Store } from './miniflare-d1.ts';

// Our order transactions, unchanged in shape, on D1: each one's reads run at once and its writes commit as one batch.
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function d1Harness(): Promise<Harness> {
  return createHarness('sqlite', { store: await freshD1Store() });
}

/** What the merchant was told, oldest first. */
async function told(h: Harness): Promise<OrderUpdatedEvent[]> {
  return Promise.all(
    h.notifications.map(async (r) => ((await r.clone().json()) as { data: OrderUpdatedEvent }).data),
  );
}

/** A checkout Points has under our keys that never went through this edge (an older integration). */
async function checkoutElsewhere(h: Harness, orderNumber: string, total: number) {
  const res = await h.sandbox.app.request(`/api/v1/orders/checkout/${h.sandbox.options.publicKey}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order_number: orderNumber, total_price: total }),
  });
  expect(res.status).toBe(200);
  return h.sandbox.findOrderByNumber(orderNumber)!;
}

describe('adopting an order this server has no row for, on D1', () => {
  it('applies Points’ record to the row it adopts and tells the merchant', async () => {
    harness = await d1Harness();
    const known = await checkoutElsewhere(harness, 'OLD-9001', 80);
    const order = await harness.edge.context.points.getOrder(known.uuid);

    const change = await applyAndAnnounce(harness.edge.context, order, 'reconcile');
    expect(change).toMatchObject({ orderNumber: 'OLD-9001', state: 'pending', adopted: true });
    const row = await findOrder(harness.store.db, 'OLD-9001');
    expect(row).toMatchObject({ state: 'pending', points_uuid: known.uuid, expected_total_halalas: 8000 });
    expect(row?.adopted_at).toEqual(expect.any(Number));
    await harness.edge.worker.drain();
    expect((await told(harness)).map((e) => [e.orderNumber, e.adopted])).toEqual([['OLD-9001', true]]);
  }, 30_000);

  it('adopts an order once when two callers apply it at once, and tells the merchant once', async () => {
    harness = await d1Harness();
    const known = await checkoutElsewhere(harness, 'OLD-9004', 25);
    const order = await harness.edge.context.points.getOrder(known.uuid);
    const ctx = harness.edge.context;
    const changes = await Promise.all([
      applyAndAnnounce(ctx, order, 'reconcile'),
      applyAndAnnounce(ctx, order, 'reconcile'),
    ]);
    expect(changes.filter(Boolean)).toHaveLength(1);
    await harness.edge.worker.drain();
    expect((await told(harness)).map((e) => e.orderNumber)).toEqual(['OLD-9004']);
  }, 30_000);

  it('adopts a paid checkout from its webhook: the receipt is processed, the order flagged', async () => {
    harness = await d1Harness();
    const known = await checkoutElsewhere(harness, 'OLD-9002', 80);
    await harness.sandbox.completeCheckout('OLD-9002', { phone: '500000002' });
    await harness.settle();

    expect(await findOrder(harness.store.db, 'OLD-9002')).toMatchObject({
      state: 'amount_mismatch',
      points_uuid: known.uuid,
      settled_total_halalas: 8000,
    });
    const receipts = await harness.store.db.selectFrom('webhook_receipts').select('status').execute();
    expect(receipts.map((r) => r.status)).toEqual(['processed']);
    expect((await told(harness)).map((e) => [e.state, e.adopted])).toEqual([['amount_mismatch', true]]);
  }, 30_000);

  it('adopts an order on a refund that names only its amount (the counted refunds are read first)', async () => {
    harness = await d1Harness();
    const known = await checkoutElsewhere(harness, 'OLD-9003', 80);
    await harness.sandbox.completeCheckout('OLD-9003', { phone: '500000002' });
    const refund = await harness.sandbox.app.request(`/api/v1/orders/${known.uuid}/refund`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': harness.sandbox.options.privateKey },
      body: JSON.stringify({ amount: 30 }),
    });
    expect(refund.status).toBe(200);
    const order = await harness.edge.context.points.getOrder(known.uuid);
    expect(order.order_status).toBe('partially_refunded');

    const change = await applyAndAnnounce(harness.edge.context, order, 'refunded', { refundAmount: 30 });
    expect(change).toMatchObject({ orderNumber: 'OLD-9003', refundedTotal: '30.00', adopted: true });
    expect(await findOrder(harness.store.db, 'OLD-9003')).toMatchObject({ refunded_halalas: 3000 });
  }, 30_000);
});

describe('reconcile on D1', () => {
  it('abandons a checkout whose session expired and tells the merchant, once when two passes race', async () => {
    harness = await d1Harness();
    const h = harness;
    await h.checkout({
      orderToken: await h.orderToken({ order_number: 'ORD-9101', total_price: '10.00', products: [] }),
    });
    await h.checkout({
      orderToken: await h.orderToken({ order_number: 'ORD-9102', total_price: '10.00', products: [] }),
    });
    await h.store.db
      .updateTable('orders')
      .set({ checkout_expires_at: Date.now() - 1 })
      .execute();

    expect(await h.edge.operations.reconcile()).toMatchObject({ abandoned: 2 });
    await h.edge.operations.reconcile(); // nothing is left to abandon
    await h.edge.worker.drain();
    expect((await told(h)).map((e) => [e.orderNumber, e.state]).sort()).toEqual([
      ['ORD-9101', 'abandoned'],
      ['ORD-9102', 'abandoned'],
    ]);

    await h.checkout({
      orderToken: await h.orderToken({ order_number: 'ORD-9103', total_price: '10.00', products: [] }),
    });
    await h.store.db
      .updateTable('orders')
      .set({ checkout_expires_at: Date.now() - 1 })
      .where('order_number', '=', 'ORD-9103')
      .execute();
    h.notifications.length = 0;
    await Promise.all([h.edge.operations.reconcile(), h.edge.operations.reconcile()]);
    await h.edge.worker.drain();
    expect((await told(h)).map((e) => [e.orderNumber, e.state])).toEqual([['ORD-9103', 'abandoned']]);
  }, 30_000);
});

describe('webhook processing on D1', () => {
  it('applies two receipts of one order processed at once one after the other: neither update is lost', async () => {
    // Points' side of the story: a paid order refunded twice (30, then 20), told in three webhooks.
    const points = await createHarness('sqlite');
    let bodies: Array<{ body: string; event: string }>;
    try {
      await points.checkout({
        orderToken: await points.orderToken({
          order_number: 'ORD-9201',
          total_price: '100.00',
          products: [],
        }),
      });
      const { order } = await points.sandbox.completeCheckout('ORD-9201', { phone: '500000001' });
      for (const amount of [30, 20]) {
        const res = await points.sandbox.app.request(`/api/v1/orders/${order.uuid}/refund`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': points.sandbox.options.privateKey },
          body: JSON.stringify({ amount }),
        });
        expect(res.status).toBe(200);
      }
      await points.sandbox.settleDeliveries();
      bodies = points.sandbox
        .deliveries()
        .map((d) => ({ body: d.body, event: d.headers['X-Webhook-Event']! }));
      expect(bodies.map((b) => b.event)).toEqual(['approved', 'refunded', 'refunded']);

      harness = await createHarness('sqlite', {
        store: await freshD1Store(),
        pointsFetch: async (input, init) => points.sandbox.app.fetch(new Request(input, init)),
      });
      const h = harness;
      await saveCheckoutSession(
        h.store.db,
        {
          order: { orderNumber: 'ORD-9201', totalHalalas: 10_000, products: [] },
          checkoutUrl: 'http://127.0.0.1:4010/session/x',
          expiresAt: Date.now() + 60_000,
          callbackNonceHashes: 'not-used-here',
        },
        Date.now(),
      );
      const post = (index: number) =>
        h.edge.app.request('/webhooks/points', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-webhook-secret': testSecrets.webhook,
            'x-webhook-event': bodies[index]!.event,
          },
          body: bodies[index]!.body,
        });
      expect((await post(0)).status).toBe(200);
      await h.edge.worker.drain();
      // Points already says partially refunded; only the refund webhooks say how much.
      expect(await findOrder(h.store.db, 'ORD-9201')).toMatchObject({ refunded_halalas: 0 });

      // Both refunds queued before the worker looks, the later one first: it claims and runs them together.
      const { context } = h.edge;
      const wake = context.wakeWorker;
      context.wakeWorker = () => {};
      expect((await post(2)).status).toBe(200);
      expect((await post(1)).status).toBe(200);
      await new Promise((done) => setTimeout(done, 50)); // the receipt writer's batch
      context.wakeWorker = wake;
      await h.edge.worker.drain();

      const receipts = await h.store.db.selectFrom('webhook_receipts').select('status').execute();
      expect(receipts.map((r) => r.status)).toEqual(['processed', 'processed', 'processed']);
      expect(await findOrder(h.store.db, 'ORD-9201')).toMatchObject({
        state: 'partially_refunded',
        refunded_halalas: 5000,
      });
      expect(await h.store.db.selectFrom('leases').selectAll().execute()).toEqual([]);
    } finally {
      await points.close();
    }
  }, 60_000);
});
