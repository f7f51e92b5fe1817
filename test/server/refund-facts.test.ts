import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrder } from '../../server/orders/repository.ts';
import { storeEngines, type StoreEngine } from '../support/databases.ts';
import { createHarness, testSecrets, type Harness } from './edge-harness.ts';

let harness: Harness;
let logLines: Array<Record<string, unknown>>;
afterEach(() => harness?.close());

/** A harness whose log lines are kept, to see which alerts were raised. */
async function loggedHarness(engine: StoreEngine): Promise<Harness> {
  logLines = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  return createHarness(engine, { logger });
}

const alerts = (kind: string) => logLines.filter((line) => line['alert'] === kind);

/** A 50.00 order paid through the sandbox's hosted checkout; answers its Points uuid. */
async function paidOrder(h: Harness, orderNumber = 'ORD-5001'): Promise<string> {
  const products = [{ product_name: 'Cup', product_price: '50.00', quantity: 1 }];
  await h.checkout({
    orderToken: await h.orderToken({ order_number: orderNumber, total_price: '50.00', products }),
  });
  const { order } = await h.sandbox.completeCheckout(orderNumber, { phone: '500000002' });
  await h.settle();
  return order.uuid;
}

/** A `refunded` body as someone holding only the webhook secret could write it. */
function forgedRefund(uuid: string, n: number, order: Record<string, unknown>) {
  return JSON.stringify({
    event: 'refunded',
    order: {
      id: uuid,
      order_number: 'ORD-5001',
      total_price: 50,
      total_points: 500,
      payment_status: 'fully_paid',
      order_status: 'partially_refunded',
      created_at: '2026-11-21T12:00:00Z',
      updated_at: `2026-11-21T12:0${n}:00Z`,
      ...order,
    },
    timestamp: `2026-11-21T12:0${n}:00Z`,
  });
}

async function postWebhook(h: Harness, body: string, event = 'refunded') {
  const res = await h.edge.app.request('/webhooks/points', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-webhook-secret': testSecrets.webhook,
      'x-webhook-event': event,
    },
    body,
  });
  expect(res.status).toBe(200);
}

const receiptStatuses = async (h: Harness) =>
  // In arrival order (time-ordered ids): Postgres returns updated rows in no set order.
  (
    await h.store.db
      .selectFrom('webhook_receipts')
      .select(['event', 'status', 'error'])
      .orderBy('id')
      .execute()
  ).map((r) => `${r.event}:${r.status}`);

async function refundAtPoints(h: Harness, uuid: string, amount: number) {
  const res = await h.sandbox.app.request(`/api/v1/orders/${uuid}/refund`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': h.sandbox.options.privateKey },
    body: JSON.stringify({ amount }),
  });
  expect(res.status).toBe(200);
}

describe.each(storeEngines)('refund facts from webhook bodies on %s', (engine) => {
  it('forged refunded bodies for an order Points still has approved are flagged, not applied, not told', async () => {
    harness = await loggedHarness(engine);
    const uuid = await paidOrder(harness);
    expect(harness.notifications).toHaveLength(1);

    for (let n = 1; n <= 4; n++) {
      await postWebhook(harness, forgedRefund(uuid, n, { refund_amount: 35, left_amount: 15 }));
    }
    await harness.edge.worker.drain();

    const row = await findOrder(harness.store.db, 'ORD-5001');
    expect(row).toMatchObject({ state: 'confirmed', refunded_halalas: 0, settled_total_halalas: 5000 });
    expect(await receiptStatuses(harness)).toEqual([
      'approved:processed',
      'refunded:flagged',
      'refunded:flagged',
      'refunded:flagged',
      'refunded:flagged',
    ]);
    const flagged = await harness.store.db
      .selectFrom('webhook_receipts')
      .select('error')
      .where('status', '=', 'flagged')
      .execute();
    expect(flagged[0]?.error).toBe('Points says approved, not refunded');
    expect(harness.notifications).toHaveLength(1);
    expect(alerts('refund_flagged')).toHaveLength(4);
    expect(alerts('refund_flagged')[0]).toMatchObject({ level: 50, orderNumber: 'ORD-5001' });
  });

  it('a genuine partial refund is applied; forged amounts beside it that disagree or overshoot are flagged', async () => {
    harness = await loggedHarness(engine);
    const uuid = await paidOrder(harness);
    await refundAtPoints(harness, uuid, 20);
    await harness.settle();
    expect(await findOrder(harness.store.db, 'ORD-5001')).toMatchObject({
      state: 'partially_refunded',
      refunded_halalas: 2000,
    });
    expect(harness.notifications).toHaveLength(2);

    // Points now says partially_refunded, so only amounts that fit that state could be believed.
    await postWebhook(harness, forgedRefund(uuid, 1, { refund_amount: 45, left_amount: 15 })); // 45 > 50 − 15
    await postWebhook(harness, forgedRefund(uuid, 2, { refund_amount: 50, left_amount: 0 })); // a full refund
    await postWebhook(harness, forgedRefund(uuid, 3, { refund_amount: 60 })); // beyond the settled total
    await postWebhook(harness, forgedRefund(uuid, 4, { refund_amount: 30 })); // 20 + 30 = all of it
    await harness.edge.worker.drain();

    expect(await findOrder(harness.store.db, 'ORD-5001')).toMatchObject({
      state: 'partially_refunded',
      refunded_halalas: 2000,
    });
    expect((await receiptStatuses(harness)).filter((s) => s === 'refunded:flagged')).toHaveLength(4);
    expect(harness.notifications).toHaveLength(2);
    expect(alerts('refund_flagged')).toHaveLength(4);

    // The rest refunded at Points: the authoritative fully_refunded settles the total whatever the body says.
    await refundAtPoints(harness, uuid, 30);
    await harness.settle();
    expect(await findOrder(harness.store.db, 'ORD-5001')).toMatchObject({
      state: 'refunded',
      refunded_halalas: 5000,
    });
    expect(harness.notifications).toHaveLength(3);
  });

  it('a real refund re-stamped without left_amount is counted once, and the merchant is never told more', async () => {
    harness = await loggedHarness(engine);
    const uuid = await paidOrder(harness);
    await refundAtPoints(harness, uuid, 10);
    await harness.settle();
    const real = await harness.store.db
      .selectFrom('webhook_receipts')
      .select('raw_body')
      .where('event', '=', 'refunded')
      .executeTakeFirstOrThrow();

    for (let n = 1; n <= 3; n++) {
      const copy = JSON.parse(real.raw_body) as { order: Record<string, unknown>; timestamp: string };
      delete copy.order['left_amount'];
      copy.order['updated_at'] = copy.timestamp = `2030-01-0${n}T00:00:00Z`;
      await postWebhook(harness, JSON.stringify(copy));
    }
    await harness.edge.worker.drain();

    expect(await findOrder(harness.store.db, 'ORD-5001')).toMatchObject({
      state: 'partially_refunded',
      refunded_halalas: 1000,
    });
    expect(await receiptStatuses(harness)).toEqual([
      'approved:processed',
      'refunded:processed',
      'refunded:flagged',
      'refunded:flagged',
      'refunded:flagged',
    ]);
    expect(alerts('refund_flagged')).toHaveLength(3);
    const told = await Promise.all(
      harness.notifications.map(async (n) => ((await n.json()) as { data: { refundedTotal: string } }).data),
    );
    expect(told.map((data) => data.refundedTotal)).toEqual(['0.00', '10.00']);
  });

  it('two auto_refunded deliveries at the same updated_at with different amounts are two refunds, both counted', async () => {
    harness = await loggedHarness(engine);
    const uuid = await paidOrder(harness);
    await refundAtPoints(harness, uuid, 10);
    await harness.settle();
    const autoRefund = (amount: number) =>
      JSON.stringify({
        ...JSON.parse(forgedRefund(uuid, 5, { refund_amount: amount })),
        event: 'auto_refunded',
      });
    await postWebhook(harness, autoRefund(5), 'auto_refunded');
    await postWebhook(harness, autoRefund(7), 'auto_refunded');
    await harness.edge.worker.drain();

    expect(await findOrder(harness.store.db, 'ORD-5001')).toMatchObject({ refunded_halalas: 2200 });
    expect(await receiptStatuses(harness)).toEqual([
      'approved:processed',
      'refunded:processed',
      'auto_refunded:processed',
      'auto_refunded:processed',
    ]);
  });

  it('reconcile catches a refunded total Points does not bear out, repairs it and tells the merchant', async () => {
    harness = await loggedHarness(engine);
    await paidOrder(harness);
    // What forged bodies left behind before they were checked: "refunded 140.00" on an approved order.
    await harness.store.db
      .updateTable('orders')
      .set({ refunded_halalas: 14_000 })
      .where('order_number', '=', 'ORD-5001')
      .execute();

    const report = await harness.edge.operations.reconcile();
    expect(report).toMatchObject({ checked: 1, drift: 1, failed: 0 });
    expect(await findOrder(harness.store.db, 'ORD-5001')).toMatchObject({
      state: 'confirmed',
      refunded_halalas: 0,
    });
    expect(alerts('refund_drift')).toMatchObject([
      { recorded: 14_000, repaired: 0, pointsStatus: 'approved' },
    ]);
    await harness.edge.worker.drain();
    const last = (await harness.notifications.at(-1)!.json()) as { data: Record<string, unknown> };
    expect(last.data).toMatchObject({ refundedTotal: '0.00', cause: 'reconcile' });
    expect(await harness.edge.operations.reconcile()).toMatchObject({ checked: 1, drift: 0 });
  });
});
