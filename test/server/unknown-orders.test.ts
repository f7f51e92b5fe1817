import { afterEach, describe, expect, it } from 'vitest';
import { runOperationsCommand } from '../../server/admin/cli-commands.ts';
import type { OrderUpdatedEvent } from '../../server/edge-context.ts';
import { findOrder } from '../../server/orders/repository.ts';
import { storeEngines } from '../support/databases.ts';
import { createHarness, edgeUrl, testSecrets, type Harness } from './edge-harness.ts';

const adminToken = 'test-admin-token-00000000000000000000';

let harness: Harness;
afterEach(() => harness?.close());

const receipts = (h: Harness) =>
  h.store.db.selectFrom('webhook_receipts').select(['event', 'status', 'error']).execute();

/** What the merchant was told, oldest first. */
async function told(h: Harness): Promise<OrderUpdatedEvent[]> {
  return Promise.all(
    h.notifications.map(async (r) => ((await r.clone().json()) as { data: OrderUpdatedEvent }).data),
  );
}

/** Calls a Points order operation on the sandbox, as the merchant's older integration would. */
async function atPoints(h: Harness, path: string, body: unknown = {}) {
  const res = await h.sandbox.app.request(`/api/v1/orders/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': h.sandbox.options.privateKey },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBe(200);
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

/** `points-edge <args> --server` against the harness's admin API. */
async function cli(h: Harness, args: string[]) {
  const out: string[] = [];
  const code = await runOperationsCommand([...args, '--server', edgeUrl], {
    env: { ADMIN_TOKEN: adminToken },
    out: (text) => out.push(text),
    err: (text) => out.push(text),
    fetch: async (input, init) => h.edge.app.fetch(new Request(input, init)),
  });
  return { code, out: out.join('\n') };
}

describe.each(storeEngines)('orders this server has no row for, on %s', (engine) => {
  it('a webhook naming an order Points does not know is asked about once, flagged, not retried', async () => {
    let gets = 0;
    harness = await createHarness(engine, {
      pointsFetch: async (input, init) => {
        if (init.method === 'GET') gets += 1;
        return harness.sandbox.app.fetch(new Request(input, init));
      },
    });
    const body = JSON.stringify({
      event: 'refunded',
      order: {
        id: crypto.randomUUID(),
        order_number: 'ORD-FORGED',
        total_price: 50,
        total_points: 0,
        payment_status: 'fully_paid',
        order_status: 'fully_refunded',
        refund_amount: 50,
        created_at: '2026-11-21T12:00:00Z',
        updated_at: '2026-11-21T12:00:01Z',
      },
    });
    const res = await harness.edge.app.request('/webhooks/points', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-secret': testSecrets.webhook },
      body,
    });
    expect(res.status).toBe(200);
    await harness.edge.worker.drain();
    await harness.store.db.updateTable('jobs').set({ run_at: 0 }).execute(); // any backoff has passed
    await harness.edge.worker.drain();

    expect(gets).toBe(1);
    expect(await receipts(harness)).toEqual([
      { event: 'refunded', status: 'flagged', error: 'Points does not know this order (404)' },
    ]);
    const job = await harness.store.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(job).toMatchObject({ state: 'done', attempts: 1 });
    expect(await findOrder(harness.store.db, 'ORD-FORGED')).toBeUndefined();
  });

  it('adopts a checkout of an older integration from Points’ record: flagged when paid, its refunds reach the merchant', async () => {
    harness = await createHarness(engine);
    const order = await checkoutElsewhere(harness, 'OLD-7001', 80);
    await harness.sandbox.completeCheckout('OLD-7001', { phone: '500000002' });
    await harness.settle();

    const row = await findOrder(harness.store.db, 'OLD-7001');
    expect(row).toMatchObject({
      type: 'replacing',
      state: 'amount_mismatch',
      points_uuid: order.uuid,
      expected_total_halalas: 8000,
      settled_total_halalas: 8000,
    });
    expect(row?.adopted_at).toEqual(expect.any(Number));
    expect((await receipts(harness)).map((r) => r.status)).toEqual(['processed']);

    await atPoints(harness, `${order.uuid}/refund`, { amount: 30 });
    await harness.settle();
    await atPoints(harness, `${order.uuid}/refund`);
    await harness.settle();
    expect(await findOrder(harness.store.db, 'OLD-7001')).toMatchObject({
      state: 'refunded',
      refunded_halalas: 8000,
    });
    expect((await told(harness)).map((e) => [e.state, e.refundedTotal, e.adopted])).toEqual([
      ['amount_mismatch', '0.00', true],
      ['partially_refunded', '30.00', true],
      ['refunded', '80.00', true],
    ]);
    const view = await harness.edge.operations.getOrder('OLD-7001');
    expect(view.order).toMatchObject({ adopted: true, state: 'refunded' });
  });

  it('adopts an unpaid older checkout when Points cancels it, and tells the merchant', async () => {
    harness = await createHarness(engine);
    const order = await checkoutElsewhere(harness, 'OLD-7002', 15);
    await atPoints(harness, `${order.uuid}/cancel`, { reason: 'out of stock' });
    await harness.settle();
    expect(await findOrder(harness.store.db, 'OLD-7002')).toMatchObject({ state: 'cancelled' });
    expect(await told(harness)).toMatchObject([
      { orderNumber: 'OLD-7002', state: 'cancelled', cause: 'cancelled', adopted: true },
    ]);
  });

  it('a paid order lost in a restore from backup is adopted when Points refunds it', async () => {
    harness = await createHarness(engine);
    const products = [{ product_name: 'Cup', product_price: '40.00', quantity: 1 }];
    await harness.checkout({
      orderToken: await harness.orderToken({ order_number: 'ORD-7003', total_price: '40.00', products }),
    });
    const { order } = await harness.sandbox.completeCheckout('ORD-7003', { phone: '500000002' });
    await harness.settle();
    // The backup was taken before the order existed.
    await harness.store.db.deleteFrom('orders').execute();
    harness.notifications.length = 0;

    await atPoints(harness, `${order.uuid}/refund`);
    await harness.settle();
    expect(await findOrder(harness.store.db, 'ORD-7003')).toMatchObject({
      state: 'refunded',
      points_uuid: order.uuid,
      refunded_halalas: 4000,
    });
    expect(await told(harness)).toMatchObject([
      { orderNumber: 'ORD-7003', state: 'refunded', refundedTotal: '40.00', adopted: true },
    ]);
  });

  it('support adopts an order by its Points uuid (points-edge adopt), e.g. one newer than a restored backup', async () => {
    harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
    const order = await checkoutElsewhere(harness, 'OLD-7004', 25);
    await harness.sandbox.completeCheckout('OLD-7004', { phone: '500000002' });
    await harness.sandbox.settleDeliveries();
    await harness.store.db.deleteFrom('orders').execute(); // its webhook came before the backup was restored

    const adopted = await cli(harness, ['adopt', order.uuid]);
    expect(adopted.code).toBe(0);
    expect(adopted.out).toMatch(/order\s+OLD-7004/);
    expect(adopted.out).toMatch(/state\s+amount_mismatch/);
    expect(adopted.out).toMatch(/adopted\s+yes/);
    expect(await findOrder(harness.store.db, 'OLD-7004')).toMatchObject({ points_uuid: order.uuid });

    const unknown = await cli(harness, ['adopt', crypto.randomUUID()]);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('Points has no such order under our keys.');
    const garbage = await harness.edge.app.request('/admin/adopt', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ uuid: 'not-a-uuid' }),
    });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ code: 'validation_failed' });
  });

  it('an earning whose webhook is processed before the lane records it is ours, not adopted', async () => {
    const onEarning = () => harness.settle();
    harness = await createHarness(engine, {
      pointsFetch: async (input, init) => {
        const res = await harness.sandbox.app.fetch(new Request(input, init));
        if (String(input).endsWith('/orders/earning')) await onEarning();
        return res;
      },
    });
    const products = [{ product_name: 'Coffee', product_price: 115, quantity: 1 }];
    const earned = await harness.edge.earning.earn('purchase', {
      order_number: 'E-7005',
      phone_number: '0500000002',
      total_price: 115,
      products,
    });
    expect(earned).toMatchObject({ state: 'awarded' });
    const row = await findOrder(harness.store.db, 'E-7005');
    expect(row).toMatchObject({ type: 'earning', state: 'confirmed', adopted_at: null });
  });
});
