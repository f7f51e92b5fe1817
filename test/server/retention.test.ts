import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { findConnectorOrder } from '../../server/connectors/connector-orders.ts';
import { createLogger } from '../../server/observability/logger.ts';
import { findOrder } from '../../server/orders/repository.ts';
import { engines, freshStore } from '../support/databases.ts';
import { retentionCases } from '../support/retention-cases.ts';
import { createHarness, testSecrets, type Harness } from './edge-harness.ts';

const day = 86_400_000;
const shopifySecret = 'test-shopify-secret-0000000000000000';

/** Shopify's paid order of the fixtures as Shopify delivers it (signed, with its event id). */
function shopifyPaid(phone: string, eventId: string): Request {
  const order = JSON.parse(
    readFileSync(new URL('connectors/fixtures/shopify/orders-paid.json', import.meta.url), 'utf8'),
  );
  order.customer.phone = phone;
  order.billing_address.phone = null;
  const text = JSON.stringify(order);
  return new Request('http://127.0.0.1:8787/connectors/shopify/webhooks', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/paid',
      'x-shopify-shop-domain': 'coffee-house.myshopify.com',
      'x-shopify-event-id': eventId,
      'x-shopify-webhook-id': crypto.randomUUID(),
      'x-shopify-hmac-sha256': createHmac('sha256', shopifySecret).update(text).digest('base64'),
    },
    body: text,
  });
}

describe.each(engines)('the retention sweep on %s', (engine) => {
  retentionCases(() => freshStore(engine));
});

describe.each(engines)('the retention schedule on %s', (engine) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('runs among the schedules; a Points redelivery after its body was cleared, or its row deleted, changes nothing', async () => {
    let clock = Date.now();
    const lines: string[] = [];
    harness = await createHarness(engine, {
      now: () => clock,
      logger: createLogger({ destination: { write: (line: string) => void lines.push(line) } }),
    });
    const claims = {
      order_number: 'ORD-3001',
      total_price: '100.00',
      products: [{ product_name: 'Cup set', product_price: '100.00', quantity: 1 }],
    };
    await harness.checkout({ orderToken: await harness.orderToken(claims) });
    await harness.sandbox.completeCheckout('ORD-3001', { phone: '500000001', redeemPoints: 100 });
    await harness.settle();
    expect(await findOrder(harness.store.db, 'ORD-3001')).toMatchObject({ state: 'confirmed' });
    expect(harness.notifications).toHaveLength(1);
    const delivered = harness.sandbox.deliveries()[0]!;
    const redeliver = async () => {
      const res = await harness!.edge.app.request('/webhooks/points', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-webhook-secret': testSecrets.webhook,
          'x-webhook-event': 'approved',
        },
        body: delivered.body,
      });
      expect(res.status).toBe(200);
      await harness!.edge.worker.drain();
      return (await res.json()) as { duplicate?: boolean };
    };
    const receipts = () =>
      harness!.store.db.selectFrom('webhook_receipts').select(['status', 'raw_body']).execute();

    // A month on: the body is cleared, the row (the dedupe key) stays.
    clock += 31 * day;
    expect(await harness.edge.scheduler.runDue()).toContain('retention');
    expect(await receipts()).toEqual([{ status: 'processed', raw_body: '' }]);
    expect(await redeliver()).toMatchObject({ duplicate: true });
    expect(await receipts()).toHaveLength(1);
    expect(harness.notifications).toHaveLength(1);

    // Half a year on: the receipt and the done jobs are gone; the order is not.
    clock += 150 * day;
    expect(await harness.edge.scheduler.runDue()).toContain('retention');
    expect(await receipts()).toEqual([]);
    expect(await harness.store.db.selectFrom('jobs').select('state').execute()).toEqual([]);
    const sweeps = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'retention sweep');
    expect(sweeps.at(-1)).toMatchObject({
      removed: { webhook_receipts: 1, jobs: 2 },
      unfinished: false,
    });
    expect(await harness.edge.metrics.render()).toMatch(
      /points_edge_retention_removed_total\{table="webhook_receipt_bodies"\} 1/,
    );

    // A copy arriving after that is stored again, but the order only moves forward: no second change.
    expect(await redeliver()).not.toMatchObject({ duplicate: true });
    expect(await findOrder(harness.store.db, 'ORD-3001')).toMatchObject({ state: 'confirmed' });
    expect(harness.notifications).toHaveLength(1);
  });

  it('a platform redelivery after its receipt was deleted earns nothing more: the connector order remembers', async () => {
    let clock = Date.now();
    harness = await createHarness(engine, { now: () => clock, env: { SHOPIFY_API_SECRET: shopifySecret } });
    const phone = '0500000021';
    const send = async (request: Request) => {
      const response = await harness!.edge.app.fetch(request);
      await harness!.edge.worker.drain();
      return (await response.json()) as { duplicate?: boolean };
    };
    await send(shopifyPaid(phone, 'paid-1'));
    const key = 'shopify:coffee-house.myshopify.com:5940139491234';
    expect(await findConnectorOrder(harness.store.db, key)).toMatchObject({ outcome: 'earned' });
    const earned = harness.sandbox.customer(phone)!.balance;
    expect(earned).toBeGreaterThan(0);

    clock += 181 * day;
    expect(await harness.edge.scheduler.runDue()).toContain('retention');
    expect(await harness.store.db.selectFrom('webhook_receipts').select('id').execute()).toEqual([]);

    expect(await send(shopifyPaid(phone, 'paid-1'))).not.toMatchObject({ duplicate: true });
    expect(harness.sandbox.customer(phone)!.balance).toBe(earned);
    expect(await findConnectorOrder(harness.store.db, key)).toMatchObject({
      outcome: 'earned',
      deliveries: 2,
    });
  });

  it('a failing run is logged with its task and leaves the other schedules running', async () => {
    const lines: string[] = [];
    harness = await createHarness(engine, {
      logger: createLogger({ destination: { write: (line: string) => void lines.push(line) } }),
    });
    await sql`drop table console_audit`.execute(harness.store.db);
    const ran = await harness.edge.scheduler.runDue();
    expect(ran).toEqual(expect.arrayContaining(['retention', 'reconcile-sweep', 'watch-lanes']));
    const failed = lines
      .map((line) => JSON.parse(line))
      .filter((line) => line.msg === 'scheduled task failed');
    expect(failed).toEqual([expect.objectContaining({ level: 50, task: 'retention' })]);
  });
});
