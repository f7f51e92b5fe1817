import { afterEach, describe, expect, it } from 'vitest';
import { enqueue } from '../../server/jobs/queue.ts';
import { findOrder } from '../../server/orders/repository.ts';
import { storeEngines } from '../support/databases.ts';
import { createHarness, edgeUrl, type Harness } from './edge-harness.ts';

const adminToken = 'test-admin-token-00000000000000000000';
let harness: Harness;
afterEach(() => harness?.close());

function admin(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token !== null) headers['authorization'] = `Bearer ${init.token ?? adminToken}`;
  return harness.edge.app.request(`/admin${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

/** A checkout not paid yet: the order is `pending`. */
async function pendingOrder(orderNumber: string) {
  await harness.checkout({
    orderToken: await harness.orderToken({ order_number: orderNumber, total_price: '10.00', products: [] }),
  });
}

/** Order numbers `GET /admin/orders{query}` answers, in its order. */
async function listed(query: string): Promise<string[]> {
  const res = await admin(`/orders${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Array<{ orderNumber: string }>).map((order) => order.orderNumber);
}

/** Lets the clock move on, so the next write has a later `updated_at`. */
const nextMillisecond = () => new Promise((done) => setTimeout(done, 5));

/** A checkout paid by card and settled: the order is `confirmed` with its Points uuid. */
async function paidOrder(orderNumber: string, total = '80.00') {
  await harness.checkout({
    orderToken: await harness.orderToken({ order_number: orderNumber, total_price: total, products: [] }),
  });
  await harness.sandbox.completeCheckout(orderNumber, { phone: '500000002' });
  await harness.settle();
}

describe.each(storeEngines)('admin API on %s', (engine) => {
  describe('happy', () => {
    it('gets, finds, ships and refunds an order, keeping our copy in step with Points', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      await paidOrder('ORD-7001');
      const got = await admin('/orders/ORD-7001?live=1');
      expect(got.status).toBe(200);
      const body = (await got.json()) as {
        order: { state: string; referenceNumber: string; pointsUuid: string };
      };
      expect(body.order).toMatchObject({ state: 'confirmed', expectedTotal: '80.00' });

      const found = await admin(`/orders?reference_number=${body.order.referenceNumber}`);
      expect(await found.json()).toEqual([expect.objectContaining({ orderNumber: 'ORD-7001' })]);

      const shipped = await admin('/orders/ORD-7001/ship', {
        method: 'POST',
        body: { status: 'ready_shipping', nameAr: 'جاهز للشحن', nameEn: 'Ready to ship' },
      });
      expect(shipped.status).toBe(200);
      expect(await shipped.json()).toMatchObject({ order: { shippingStatus: 'ready_shipping' } });

      const refunded = await admin('/orders/ORD-7001/refund', {
        method: 'POST',
        body: { amount: '30.00', reason: 'damaged cup' },
      });
      expect(refunded.status).toBe(200);
      // The answer is what Points holds after this refund, before its webhook has arrived.
      expect(await refunded.json()).toMatchObject({
        pointsStatus: 'partially_refunded',
        order: { state: 'partially_refunded', refundedTotal: '30.00', remainingTotal: '50.00' },
      });
      await harness.settle();
      // The webhook that follows does not count the refund a second time.
      expect((await findOrder(harness.store.db, 'ORD-7001'))?.refunded_halalas).toBe(3000);
      expect(harness.sandbox.getOrder(body.order.pointsUuid)).toMatchObject({ refunded_amount: 30 });

      const more = await admin('/orders/ORD-7001/refund', { method: 'POST', body: { amount: '20.00' } });
      expect(await more.json()).toMatchObject({
        order: { state: 'partially_refunded', refundedTotal: '50.00', remainingTotal: '30.00' },
      });
      const rest = await admin('/orders/ORD-7001/refund', { method: 'POST', body: {} });
      expect(await rest.json()).toMatchObject({
        order: { state: 'refunded', refundedTotal: '80.00', remainingTotal: '0.00' },
      });
      await harness.settle();
      expect((await findOrder(harness.store.db, 'ORD-7001'))?.refunded_halalas).toBe(8000);
      const told = await Promise.all(
        harness.notifications.map(
          async (n) => ((await n.json()) as { data: { refundedTotal: string } }).data,
        ),
      );
      // Only totals Points held were told (notifications are at least once, in any order), never a double count.
      expect(new Set(told.map((data) => data.refundedTotal))).toEqual(
        new Set(['0.00', '30.00', '50.00', '80.00']),
      );
    });

    it('lists the latest orders, most recently changed first, by state and up to a limit', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      await pendingOrder('ORD-7101');
      await nextMillisecond();
      await paidOrder('ORD-7102');
      await nextMillisecond();
      await pendingOrder('ORD-7103');
      expect(await listed('')).toEqual(['ORD-7103', 'ORD-7102', 'ORD-7101']);
      expect(await listed('?state=pending')).toEqual(['ORD-7103', 'ORD-7101']);
      expect(await listed('?state=confirmed&limit=1')).toEqual(['ORD-7102']);
      expect(await listed('?limit=2')).toEqual(['ORD-7103', 'ORD-7102']);
      expect(await listed('?state=refunded')).toEqual([]);
      expect(await listed('?order_number=ORD-7101&state=confirmed')).toEqual([]);
    });

    it('earns purchase points through the lane, idempotently', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const input = {
        order_number: 'S-1',
        phone_number: '0500000002',
        total_price: 115,
        products: [{ product_name: 'Coffee', product_price: 115, quantity: 1 }],
      };
      const first = await admin('/earnings', { method: 'POST', body: { kind: 'purchase', input } });
      expect(await first.json()).toMatchObject({ state: 'awarded', totalPoints: 1150, replayed: false });
      const again = await admin('/earnings', { method: 'POST', body: { kind: 'purchase', input } });
      expect(await again.json()).toMatchObject({ state: 'awarded', replayed: true });
      expect(await (await admin('/orders/S-1')).json()).toMatchObject({ order: { type: 'earning' } });
    });

    it('registers, lists and deletes our webhook with Points', async () => {
      harness = await createHarness(engine, {
        env: { ADMIN_TOKEN: adminToken, PUBLIC_URL: 'https://edge.example' },
      });
      const created = await admin('/webhooks', { method: 'POST', body: { name: 'edge' } });
      expect(created.status).toBe(200);
      const hook = (await created.json()) as { uuid: string };
      expect(hook).toMatchObject({ url: 'https://edge.example/webhooks/points', ours: true });
      expect(JSON.stringify(hook)).not.toContain('secret');
      const listed = (await (await admin('/webhooks')).json()) as Array<{ uuid: string }>;
      expect(listed.map((item) => item.uuid)).toContain(hook.uuid);
      expect((await admin(`/webhooks/${hook.uuid}`, { method: 'DELETE' })).status).toBe(204);
      const after = (await (await admin('/webhooks')).json()) as Array<{ uuid: string }>;
      expect(after.map((item) => item.uuid)).not.toContain(hook.uuid);
    });

    it('lists dead-lettered deliveries and replays one', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const id = await enqueue(
        harness.store.db,
        { lane: 'elsewhere', kind: 'nothing', payload: {} },
        Date.now(),
      );
      await harness.store.db.updateTable('jobs').set({ state: 'dead', last_error: 'HTTP 500' }).execute();
      const listed = await admin('/deliveries');
      expect(await listed.json()).toEqual([expect.objectContaining({ id, lastError: 'HTTP 500' })]);
      expect((await admin(`/deliveries/${id}/replay`, { method: 'POST' })).status).toBe(204);
      const job = await harness.store.db
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      expect(job).toMatchObject({ state: 'queued', attempts: 0 });
      expect((await admin(`/deliveries/${id}/replay`, { method: 'POST' })).status).toBe(404);
    });
  });

  describe('error', () => {
    it('answers 404 for an unknown order, 409 before Points knows it, 422 for a bad amount or a refusal, 400 for a bad body', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      expect((await admin('/orders/NOPE')).status).toBe(404);
      await harness.checkout({
        orderToken: await harness.orderToken({
          order_number: 'ORD-7002',
          total_price: '10.00',
          products: [],
        }),
      });
      const unpaid = await admin('/orders/ORD-7002/capture', { method: 'POST' });
      expect(unpaid.status).toBe(409);
      expect(await unpaid.json()).toMatchObject({ code: 'order_not_at_points' });
      await paidOrder('ORD-7003');
      const bad = await admin('/orders/ORD-7003/refund', { method: 'POST', body: { amount: '1.234' } });
      // Our own check refused it before sending: Points was never called, so not `points_rejected`.
      expect(bad.status).toBe(422);
      expect(await bad.json()).toMatchObject({
        code: 'invalid_request',
        title: 'Invalid request',
        errors: expect.any(Object),
      });
      expect(
        harness.sandbox.getOrder((await findOrder(harness.store.db, 'ORD-7003'))!.points_uuid!),
      ).toMatchObject({ refunded_amount: 0 });
      const tooMuch = await admin('/orders/ORD-7003/refund', { method: 'POST', body: { amount: '500.00' } });
      expect(tooMuch.status).toBe(422);
      expect(await tooMuch.json()).toMatchObject({ code: 'points_rejected' });
      const notJson = await harness.edge.app.request('/admin/orders/ORD-7003/cancel', {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}` },
        body: '{',
      });
      expect(notJson.status).toBe(400);
      const badShip = await admin('/orders/ORD-7003/ship', { method: 'POST', body: { status: 'lost' } });
      expect(badShip.status).toBe(400);
      expect(await badShip.json()).toMatchObject({ code: 'validation_failed' });
    });

    it('refuses a bad order query: unknown state, limit out of range, unknown parameter', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      for (const query of ['?state=lost', '?limit=0', '?limit=201', '?limit=two', '?status=pending']) {
        const res = await admin(`/orders${query}`);
        expect(res.status, query).toBe(400);
        expect(await res.json(), query).toMatchObject({ code: 'validation_failed' });
      }
    });

    it('answers 400, never 500, to a control character in a path or query', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const requests: Array<[string, string]> = [
        ['GET', '/orders?order_number=%00'],
        ['GET', '/orders?reference_number=R%00'],
        ['GET', '/orders/%00'],
        ['POST', '/orders/A%00/refund'],
        ['POST', '/orders/A%00/capture'],
        ['POST', '/deliveries/%00/replay'],
        ['GET', '/connectors/orders?reference=%00'],
        ['GET', '/connectors/orders/shopify:a%00'],
        ['POST', '/connectors/orders/shopify:a%00/replay'],
        ['DELETE', '/webhooks/%00'],
      ];
      for (const [method, path] of requests) {
        const res = await admin(path, { method });
        expect([path, res.status]).toEqual([path, 400]);
        expect(await res.json()).toMatchObject({ code: 'validation_failed' });
      }
    });

    it('answers 503 when Points is down, as checkout does', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      await paidOrder('ORD-7004');
      harness.setPointsDown(true);
      const res = await admin('/orders/ORD-7004/capture', { method: 'POST' });
      expect(res.status).toBe(503);
      // The operator reads the Points client's own words: which call, and why.
      const body = await res.json();
      expect(body).toMatchObject({ code: 'points_unavailable' });
      expect(body.detail).toMatch(/ECONNRESET/);
    });
  });

  describe('security', () => {
    it('needs the bearer token: 401 without it or with a wrong one', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      expect((await admin('/deliveries', { token: null })).status).toBe(401);
      expect((await admin('/orders', { token: null })).status).toBe(401);
      const wrong = await admin('/deliveries', { token: `${adminToken}x` });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('is disabled (404) when no ADMIN_TOKEN is configured', async () => {
      harness = await createHarness(engine);
      expect((await admin('/deliveries')).status).toBe(404);
      expect((await admin('/deliveries', { token: '' })).status).toBe(404);
    });

    it('never shows webhook secrets', async () => {
      harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
      const text = await (await admin('/webhooks')).text();
      expect(text).toContain(`${edgeUrl}/webhooks/points`);
      expect(text).not.toContain(harness.sandbox.options.privateKey);
      expect(text).not.toMatch(/secret/i);
    });
  });
});
