import { afterEach, describe, expect, it } from 'vitest';
import { findOrder } from '../../server/orders/repository.ts';
import { storeEngines } from '../support/databases.ts';
import { createHarness, storeUrl, type Harness } from './edge-harness.ts';

let harness: Harness;
afterEach(() => harness?.close());

const claims = {
  order_number: 'ORD-1001',
  total_price: '199.00',
  products: [{ product_name: 'Arabic coffee set', product_price: '199.00', quantity: 1 }],
  phone: '0500000001',
};

describe.each(storeEngines)('POST /checkout on %s', (engine) => {
  describe('happy', () => {
    it('starts a Points checkout from a signed order token and stores the order', async () => {
      harness = await createHarness(engine);
      const res = await harness.checkout({ orderToken: await harness.orderToken(claims) });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { checkoutUrl: string; orderNumber: string };
      expect(body.orderNumber).toBe('ORD-1001');
      expect(body.checkoutUrl).toMatch(/^http:\/\/127\.0\.0\.1:4010\/session\//);

      const atPoints = harness.sandbox.findOrderByNumber('ORD-1001');
      expect(atPoints).toMatchObject({ total_price: 199, order_status: 'new', type: 2 });
      expect(atPoints?.callback_url).toMatch(
        /^http:\/\/127\.0\.0\.1:8787\/callback\?order=ORD-1001&nonce=[\w-]{22}$/,
      );
      const row = await findOrder(harness.store.db, 'ORD-1001');
      expect(row).toMatchObject({
        state: 'pending',
        expected_total_halalas: 19_900,
        checkout_url: body.checkoutUrl,
      });
    });

    it('returns the same session while it is open, and a new one when the amount changes', async () => {
      harness = await createHarness(engine);
      const first = await (await harness.checkout({ orderToken: await harness.orderToken(claims) })).json();
      const again = await (await harness.checkout({ orderToken: await harness.orderToken(claims) })).json();
      expect(again).toEqual(first);
      const changed = await (
        await harness.checkout({ orderToken: await harness.orderToken({ ...claims, total_price: '149.00' }) })
      ).json();
      expect(changed.checkoutUrl).not.toBe(first.checkoutUrl);
      const row = await findOrder(harness.store.db, 'ORD-1001');
      expect(row?.expected_total_halalas).toBe(14_900);
    });

    it('prices a cart from the catalog (SKUs and quantities only)', async () => {
      harness = await createHarness(engine);
      const res = await harness.checkout({
        items: [
          { sku: 'COFFEE-SET', quantity: 1 },
          { sku: 'CUP', quantity: 2 },
        ],
      });
      expect(res.status).toBe(200);
      const { orderNumber } = (await res.json()) as { orderNumber: string };
      expect(harness.sandbox.findOrderByNumber(orderNumber)?.total_price).toBe(224);
    });

    it('resolves an order number through the library hook', async () => {
      harness = await createHarness(engine, {
        resolveOrder: async (number) =>
          number === 'SHOP-7' ? { orderNumber: 'SHOP-7', totalHalalas: 5_050, products: [] } : undefined,
      });
      const res = await harness.checkout({ orderNumber: 'SHOP-7' });
      expect(res.status).toBe(200);
      expect(harness.sandbox.findOrderByNumber('SHOP-7')?.total_price).toBe(50.5);
      expect((await harness.checkout({ orderNumber: 'SHOP-8' })).status).toBe(404);
    });

    it('answers CORS preflights for configured store origins', async () => {
      harness = await createHarness(engine);
      const res = await harness.edge.app.request('/checkout', {
        method: 'OPTIONS',
        headers: { origin: storeUrl, 'access-control-request-method': 'POST' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBe(storeUrl);
    });
  });

  describe('errors', () => {
    it('refuses non-JSON bodies with 415 and broken JSON with 400', async () => {
      harness = await createHarness(engine);
      const form = await harness.checkout('orderNumber=1', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(form.status).toBe(415);
      expect(form.headers.get('content-type')).toBe('application/problem+json');
      const broken = await harness.checkout('{"orderToken":');
      expect(broken.status).toBe(400);
      expect(await broken.json()).toMatchObject({ code: 'invalid_json' });
    });

    it('names bad fields and unknown SKUs', async () => {
      harness = await createHarness(engine);
      const bad = await harness.checkout({ items: [{ sku: 'CUP', quantity: 0 }] });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 'validation_failed' });
      const unknown = await harness.checkout({ items: [{ sku: 'NOPE', quantity: 1 }] });
      expect(await unknown.json()).toMatchObject({ status: 400, code: 'unknown_sku' });
    });

    it('says when a way of ordering is not enabled', async () => {
      harness = await createHarness(engine);
      expect(await (await harness.checkout({ orderNumber: 'X-1' })).json()).toMatchObject({
        code: 'not_configured',
      });
    });

    it('refuses a cart that repeats a SKU past 1,000 units', async () => {
      harness = await createHarness(engine);
      const items = Array.from({ length: 100 }, () => ({ sku: 'CUP', quantity: 1000 }));
      const res = await harness.checkout({ items });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: 'validation_failed',
        errors: { items: [expect.any(String)] },
      });
      expect(await harness.store.db.selectFrom('orders').selectAll().execute()).toEqual([]);
    });

    it('refuses a token that expires further away than ORDER_TOKEN_MAX_LIFETIME_SECONDS', async () => {
      harness = await createHarness(engine, { env: { ORDER_TOKEN_MAX_LIFETIME_SECONDS: '3600' } });
      const year9999 = await harness.orderToken({ ...claims, exp: 253_402_300_799 });
      expect((await harness.checkout({ orderToken: year9999 })).status).toBe(401);
      const inTwoHours = await harness.orderToken({ ...claims, exp: Math.floor(Date.now() / 1000) + 7200 });
      expect((await harness.checkout({ orderToken: inTwoHours })).status).toBe(401);
      const inHalfAnHour = await harness.orderToken({ ...claims, exp: Math.floor(Date.now() / 1000) + 1800 });
      expect((await harness.checkout({ orderToken: inHalfAnHour })).status).toBe(200);
    });

    it('refuses an expired token', async () => {
      harness = await createHarness(engine);
      const expired = await harness.orderToken({ ...claims, exp: Math.floor(Date.now() / 1000) - 5 });
      const res = await harness.checkout({ orderToken: expired });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'invalid_order_token' });
    });

    it('answers 503 when Points is down, and stores nothing', async () => {
      harness = await createHarness(engine);
      harness.setPointsDown(true);
      const res = await harness.checkout({ orderToken: await harness.orderToken(claims) });
      expect(res.status).toBe(503);
      // The public is told nothing of our Points calls (operation names, system error codes).
      expect(await res.json()).toEqual({
        type: expect.any(String),
        title: expect.any(String),
        status: 503,
        code: 'points_unavailable',
        detail: 'Points is unavailable right now. Please try again.',
      });
      expect(await findOrder(harness.store.db, 'ORD-1001')).toBeUndefined();
    });

    it('drops a token phone that is not a Saudi mobile (Points asks the shopper), and reads Arabic digits', async () => {
      harness = await createHarness(engine);
      const bad = await harness.checkout({
        orderToken: await harness.orderToken({ ...claims, phone: '12345\u0000' }),
      });
      expect(bad.status).toBe(200);
      expect(harness.sandbox.findOrderByNumber('ORD-1001')).toBeDefined();
      const arabic = await harness.checkout({
        orderToken: await harness.orderToken({ ...claims, order_number: 'ORD-1002', phone: '٠٥٠٠٠٠٠٠٠١' }),
      });
      expect(arabic.status).toBe(200);
    });

    it('refuses to start a second payment for a paid order', async () => {
      harness = await createHarness(engine);
      await harness.checkout({ orderToken: await harness.orderToken(claims) });
      await harness.sandbox.completeCheckout('ORD-1001', { phone: '500000001', redeemPoints: 100 });
      await harness.settle();
      const res = await harness.checkout({ orderToken: await harness.orderToken(claims) });
      expect(res.status).toBe(409);
    });
  });

  describe('security', () => {
    it('a tampered token cannot change the amount, and nothing reaches Points', async () => {
      harness = await createHarness(engine);
      const token = await harness.orderToken(claims);
      const [header, , signature] = token.split('.');
      const payload = Buffer.from(
        JSON.stringify({ ...claims, total_price: '1.00', exp: Math.floor(Date.now() / 1000) + 600 }),
      ).toString('base64url');
      const res = await harness.checkout({ orderToken: `${header}.${payload}.${signature}` });
      expect(res.status).toBe(401);
      expect(harness.sandbox.findOrderByNumber('ORD-1001')).toBeUndefined();
    });

    it('a token signed with another secret is refused', async () => {
      harness = await createHarness(engine);
      const forged = await harness.orderToken(claims, 'attacker-secret-0000000000000000000000');
      expect((await harness.checkout({ orderToken: forged })).status).toBe(401);
    });

    it('a price sent by the browser is not accepted at all', async () => {
      harness = await createHarness(engine);
      const res = await harness.checkout({ items: [{ sku: 'CUP', quantity: 1, price: '0.01' }] });
      expect(res.status).toBe(400);
      const res2 = await harness.checkout({
        orderToken: await harness.orderToken(claims),
        total_price: '1.00',
      });
      expect(res2.status).toBe(400);
    });

    it('sends no CORS grant to other origins', async () => {
      harness = await createHarness(engine);
      const res = await harness.checkout(
        { items: [{ sku: 'CUP', quantity: 1 }] },
        { origin: 'https://evil.example' },
      );
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
