import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { findConnectorOrder } from '../../../server/connectors/connector-orders.ts';
import { createEdge } from '../../../server/runtime/node/edge.ts';
import { storeEngines } from '../../support/databases.ts';
import { createHarness, type Harness } from '../edge-harness.ts';

const secrets = {
  shopify: 'test-shopify-secret-0000000000000000',
  woocommerce: 'test-woocommerce-secret-000000000000',
};
const shop = 'coffee-house.myshopify.com';
const shopifyOrderKey = `shopify:${shop}:5940139491234`;
const env = { SHOPIFY_API_SECRET: secrets.shopify, WOOCOMMERCE_WEBHOOK_SECRET: secrets.woocommerce };

const fixture = (platform: string, name: string) =>
  JSON.parse(readFileSync(new URL(`fixtures/${platform}/${name}.json`, import.meta.url), 'utf8'));

let eventCounter = 0;
/** A Shopify delivery signed as Shopify signs it; a new event id unless one is given. */
function shopifyRequest(topic: string, body: unknown, options: { eventId?: string; secret?: string } = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Request('http://127.0.0.1:8787/connectors/shopify/webhooks', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': shop,
      'x-shopify-event-id': options.eventId ?? `event-${++eventCounter}`,
      'x-shopify-webhook-id': crypto.randomUUID(),
      'x-shopify-hmac-sha256': createHmac('sha256', options.secret ?? secrets.shopify)
        .update(text)
        .digest('base64'),
    },
    body: text,
  });
}

function wooRequest(body: unknown) {
  const text = JSON.stringify(body);
  return new Request('http://127.0.0.1:8787/connectors/woocommerce/webhooks', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-source': 'https://shop.example/',
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': 'updated',
      'x-wc-webhook-id': '12',
      'x-wc-webhook-delivery-id': crypto.randomUUID(),
      'x-wc-webhook-signature': createHmac('sha256', secrets.woocommerce).update(text).digest('base64'),
    },
    body: text,
  });
}

/** The paid Shopify order of the fixtures, for the customer with `phone`. */
function paidOrder(phone: string | null, changes: Record<string, unknown> = {}) {
  const order = fixture('shopify', 'orders-paid');
  order.customer.phone = phone;
  order.billing_address.phone = null;
  return { ...order, ...changes };
}

for (const engine of storeEngines) {
  describe(`connector deliveries on ${engine}`, () => {
    let harness: Harness;
    afterEach(async () => harness?.close());

    const send = async (request: Request) => {
      const response = await harness.edge.app.fetch(request);
      await harness.edge.worker.drain();
      return response;
    };
    const row = (key = shopifyOrderKey) => findConnectorOrder(harness.store.db, key);
    const balance = (phone: string) => harness.sandbox.customer(phone)!.balance;
    const receipts = () =>
      harness.store.db.selectFrom('webhook_receipts').selectAll().where('source', '!=', 'points').execute();

    describe('happy', () => {
      it('earns a paid order once, however many times and ways it is told', async () => {
        harness = await createHarness(engine, { env });
        const phone = '0500000011';
        const res = await send(shopifyRequest('orders/paid', paidOrder(phone), { eventId: 'paid-1' }));
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ received: true });
        expect(await row()).toMatchObject({ outcome: 'earned', earned_halalas: 19_900, reversed_halalas: 0 });
        const atPoints = harness.sandbox.findOrderByNumber(shopifyOrderKey)!;
        expect(atPoints).toMatchObject({ type: 1, order_status: 'approved', total_price: 199 });
        const earned = balance(phone);
        expect(earned).toBe(Number(atPoints.total_points));
        expect(earned).toBeGreaterThan(0);

        // The same event again (a retry) is a duplicate; the same state under another event id (a second
        // subscription, orders/updated after orders/paid) is stored, merged, and earns nothing more.
        const duplicate = await send(shopifyRequest('orders/paid', paidOrder(phone), { eventId: 'paid-1' }));
        expect(await duplicate.json()).toEqual({ received: true, duplicate: true });
        await send(shopifyRequest('orders/updated', paidOrder(phone)));
        await send(shopifyRequest('orders/create', paidOrder(phone, { financial_status: 'pending' })));
        expect(balance(phone)).toBe(earned);
        expect((await row())!.deliveries).toBe(3);
        expect(await receipts()).toHaveLength(3);
        // Each stored delivery is timed, from its body read to its commit (the console charts it).
        await expect
          .poll(async () => (await receipts()).map((receipt) => Number(receipt.intake_ms) >= 1))
          .toEqual([true, true, true]);
      });

      it('reverses a partial refund in proportion, then the rest on cancellation', async () => {
        harness = await createHarness(engine, { env });
        const phone = '0500000012';
        await send(shopifyRequest('orders/paid', paidOrder(phone)));
        const earned = balance(phone);

        await send(shopifyRequest('refunds/create', fixture('shopify', 'refunds-create')));
        expect(await row()).toMatchObject({ outcome: 'reversed', reversed_halalas: 4975 });
        expect(harness.sandbox.findOrderByNumber(shopifyOrderKey)).toMatchObject({
          order_status: 'partially_refunded',
        });
        const afterPartial = balance(phone);
        expect(afterPartial).toBeLessThan(earned);
        expect(afterPartial).toBeGreaterThan(0);

        // The refund told again inside orders/updated is the same refund (by id): nothing more is reversed.
        const updated = paidOrder(phone, { refunds: [fixture('shopify', 'refunds-create')] });
        await send(shopifyRequest('orders/updated', updated));
        expect(balance(phone)).toBe(afterPartial);

        await send(shopifyRequest('orders/cancelled', fixture('shopify', 'orders-cancelled')));
        expect(await row()).toMatchObject({ outcome: 'reversed', reversed_halalas: 19_900 });
        expect(harness.sandbox.findOrderByNumber(shopifyOrderKey)).toMatchObject({
          order_status: 'fully_refunded',
        });
        expect(balance(phone)).toBe(0);

        // A stale "paid" after all that changes nothing.
        await send(shopifyRequest('orders/paid', paidOrder(phone)));
        expect(balance(phone)).toBe(0);
        expect(await row()).toMatchObject({ outcome: 'reversed', reversed_halalas: 19_900 });
      });

      it('never earns an order refunded before the payment came in', async () => {
        harness = await createHarness(engine, { env });
        const phone = '0500000013';
        const refund = {
          ...fixture('shopify', 'refunds-create'),
          transactions: [{ kind: 'refund', status: 'success', amount: '199.00' }],
        };
        await send(shopifyRequest('refunds/create', refund));
        expect(await row()).toMatchObject({ outcome: 'waiting', reason: 'waiting for payment' });
        await send(shopifyRequest('orders/paid', paidOrder(phone)));
        expect(await row()).toMatchObject({ outcome: 'skipped', reason: 'refunded before it earned' });
        expect(harness.sandbox.findOrderByNumber(shopifyOrderKey)).toBeUndefined();
        expect(balance(phone)).toBe(0);
      });

      it('earns a WooCommerce order once it is processing, and reverses its refunds by their totals', async () => {
        harness = await createHarness(engine, { env });
        const order = fixture('woocommerce', 'order-created-processing');
        order.billing.phone = '050 000 0014';
        const key = `woocommerce:shop.example:${order.id}`;
        expect((await send(wooRequest(order))).status).toBe(200);
        expect(await row(key)).toMatchObject({ outcome: 'earned' });
        const earned = Number((await row(key))!.earned_halalas);
        const refunded = {
          ...order,
          date_modified_gmt: '2026-11-25T10:00:00',
          refunds: [{ id: 60, reason: '', total: '-50.00' }],
        };
        await send(wooRequest(refunded));
        expect(await row(key)).toMatchObject({ outcome: 'reversed', reversed_halalas: 5000 });
        expect(earned).toBeGreaterThan(5000);
      });

      it('answers WooCommerce’s unsigned creation ping with 200 and stores nothing', async () => {
        harness = await createHarness(engine, { env });
        const res = await harness.edge.app.request('/connectors/woocommerce/webhooks', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'webhook_id=12',
        });
        expect(res.status).toBe(200);
        expect(await receipts()).toHaveLength(0);
      });
    });

    describe('skipped and pending, with the reason kept', () => {
      const cases: Array<[string, () => unknown, string]> = [
        ['no phone', () => paidOrder(null), 'no Saudi mobile number on the order'],
        ['a foreign phone', () => paidOrder('+971500000002'), 'no Saudi mobile number on the order'],
        ['foreign currency', () => paidOrder('0500000015', { currency: 'USD' }), 'paid in USD, not SAR'],
        ['a test order', () => paidOrder('0500000016', { test: true }), 'a test order'],
        [
          'paid with Points',
          () => paidOrder('0500000017', { payment_gateway_names: ['points'] }),
          'paid with Points',
        ],
      ];
      for (const [name, body, reason] of cases) {
        it(`skips ${name}`, async () => {
          harness = await createHarness(engine, { env });
          expect((await send(shopifyRequest('orders/paid', body()))).status).toBe(200);
          expect(await row()).toMatchObject({ outcome: 'skipped', reason });
          expect(harness.sandbox.findOrderByNumber(shopifyOrderKey)).toBeUndefined();
        });
      }

      it('records a customer who has not activated Points as pending, not failed', async () => {
        harness = await createHarness(engine, { env });
        await send(shopifyRequest('orders/paid', paidOrder('0500000004')));
        expect(await row()).toMatchObject({ outcome: 'pending', earned_halalas: 19_900 });
      });

      it('records a refusal by Points (earning channel off) as failed, once, without a retry loop', async () => {
        harness = await createHarness(engine, { env });
        harness.sandbox.setChannel('earning', false);
        await send(shopifyRequest('orders/paid', paidOrder('0500000018')));
        expect(await row()).toMatchObject({ outcome: 'failed' });
        expect((await row())!.reason).toMatch(/403/);
        const jobs = await harness.store.db
          .selectFrom('jobs')
          .select(['state'])
          .where('lane', '=', 'connectors')
          .execute();
        expect(jobs).toEqual([{ state: 'done' }]);
      });
    });

    describe('errors', () => {
      it('answers malformed JSON 400 and an oversized body 413, storing neither', async () => {
        harness = await createHarness(engine, { env });
        expect((await send(shopifyRequest('orders/paid', '{"id": 1,'))).status).toBe(400);
        const huge = paidOrder('0500000019', { note: 'x'.repeat(600 * 1024) });
        expect((await send(shopifyRequest('orders/paid', huge))).status).toBe(413);
        expect((await send(shopifyRequest('orders/paid', { no: 'id' }))).status).toBe(400);
        expect(await receipts()).toHaveLength(0);
      });

      it('refuses 400, on every engine, a signed delivery whose ids hold a control character, storing nothing', async () => {
        harness = await createHarness(engine, { env });
        const res = await send(shopifyRequest('orders/paid', paidOrder('0500000024', { id: 'A\u0000B' })));
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ code: 'validation_failed' });
        expect(await receipts()).toHaveLength(0);
      });

      it('keeps a delivery stored while Points is down, and earns it when Points is back', async () => {
        let clock = Date.now();
        harness = await createHarness(engine, { env, now: () => clock });
        harness.setPointsDown(true);
        const res = await send(shopifyRequest('orders/paid', paidOrder('0500000020')));
        expect(res.status).toBe(200);
        expect(await row()).toMatchObject({ outcome: 'waiting' });
        harness.setPointsDown(false);
        clock += 60_000;
        await harness.edge.worker.drain();
        expect(await row()).toMatchObject({ outcome: 'earned' });
      });

      it('loses nothing when the server stops between storing a delivery and processing it', async () => {
        harness = await createHarness(engine, { env });
        await harness.edge.worker.stop();
        expect(
          (await harness.edge.app.fetch(shopifyRequest('orders/paid', paidOrder('0500000021')))).status,
        ).toBe(200);
        expect(await row()).toBeUndefined();
        // A new process on the same database takes the stored delivery up.
        const restarted = await createEdge({
          config: harness.edge.context.config,
          store: harness.store,
          logger: pino({ level: 'silent' }),
          pointsFetch: async (input, init) => harness.sandbox.app.fetch(new Request(input, init)),
          widgetsDir: '/nonexistent',
        });
        await restarted.worker.drain();
        expect(await row()).toMatchObject({ outcome: 'earned' });
        await restarted.worker.stop();
      });
    });

    describe('security', () => {
      it('refuses a forged or unsigned delivery with 401 and stores nothing', async () => {
        harness = await createHarness(engine, { env });
        const forged = shopifyRequest('orders/paid', paidOrder('0500000022'), {
          secret: 'not-the-app-secret',
        });
        const res = await send(forged);
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(await res.json()).toMatchObject({ code: 'unauthorized' });
        const unsigned = shopifyRequest('orders/paid', paidOrder('0500000022'));
        unsigned.headers.delete('x-shopify-hmac-sha256');
        expect((await send(unsigned)).status).toBe(401);
        expect(await receipts()).toHaveLength(0);
        expect(await row()).toBeUndefined();
      });

      it('answers 404 for a connector whose secret is not set, and for a platform it does not know', async () => {
        harness = await createHarness(engine, { env });
        for (const path of [
          '/connectors/salla/webhooks',
          '/connectors/zid/webhooks/order.create',
          '/connectors/magento/webhooks',
        ]) {
          const res = await harness.edge.app.request(path, { method: 'POST', body: '{}' });
          expect(res.status, path).toBe(404);
        }
      });

      it('keeps a delivery without event or webhook id apart from another one: it is known by its bytes', async () => {
        harness = await createHarness(engine, { env });
        const unnamed = (request: Request) => {
          request.headers.delete('x-shopify-event-id');
          request.headers.delete('x-shopify-webhook-id');
          return request;
        };
        const first = await send(unnamed(shopifyRequest('orders/paid', paidOrder('0500000025'))));
        const second = await send(
          unnamed(shopifyRequest('orders/paid', paidOrder('0500000026', { id: 5940139499999 }))),
        );
        expect(await second.json()).toEqual({ received: true });
        expect(await row(`shopify:${shop}:5940139499999`)).toMatchObject({ outcome: 'earned' });
        // The first one again (a retry) is still a duplicate.
        const retry = await send(unnamed(shopifyRequest('orders/paid', paidOrder('0500000025'))));
        expect([first.status, await retry.json()]).toEqual([200, { received: true, duplicate: true }]);
      });

      it('keeps two stores of one merchant apart: the same order id earns under each store', async () => {
        harness = await createHarness(engine, { env });
        await send(shopifyRequest('orders/paid', paidOrder('0500000023')));
        const other = shopifyRequest('orders/paid', paidOrder('0500000023'));
        const text = await other.text();
        const headers = new Headers(other.headers);
        headers.set('x-shopify-shop-domain', 'second-branch.myshopify.com');
        await send(new Request(other.url, { method: 'POST', headers, body: text }));
        expect(await row(`shopify:second-branch.myshopify.com:5940139491234`)).toMatchObject({
          outcome: 'earned',
        });
        expect(await row()).toMatchObject({ outcome: 'earned' });
      });
    });
  });
}
