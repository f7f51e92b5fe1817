import { afterEach, describe, expect, it } from 'vitest';
import { findOrder, saveCheckoutSession } from '../../server/orders/repository.ts';
import type { OrderUpdatedEvent } from '../../server/edge-context.ts';
import { storeEngines } from '../support/databases.ts';
import { createHarness, testSecrets, type Harness } from './edge-harness.ts';

let harness: Harness;
afterEach(() => harness?.close());

const claims = {
  order_number: 'ORD-2001',
  total_price: '100.00',
  products: [{ product_name: 'Cup set', product_price: '100.00', quantity: 1 }],
};

/** Starts a checkout through the edge and pays it on the sandbox's hosted flow. */
async function paidCheckout(h: Harness, redeemPoints = 100): Promise<string> {
  await h.checkout({ orderToken: await h.orderToken(claims) });
  const { order } = await h.sandbox.completeCheckout('ORD-2001', { phone: '500000001', redeemPoints });
  return order.uuid;
}

function postWebhook(h: Harness, body: string, headers: Record<string, string> = {}) {
  return h.edge.app.request('/webhooks/points', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-secret': testSecrets.webhook, ...headers },
    body,
  });
}

const receipts = (h: Harness) => h.store.db.selectFrom('webhook_receipts').selectAll().execute();

describe.each(storeEngines)('POST /webhooks/points on %s', (engine) => {
  describe('happy', () => {
    it('stores the receipt, processes it from the authoritative order, and tells the merchant', async () => {
      const updates: OrderUpdatedEvent[] = [];
      harness = await createHarness(engine, { onOrderUpdated: (event) => void updates.push(event) });
      const uuid = await paidCheckout(harness);
      await harness.settle();

      const row = await findOrder(harness.store.db, 'ORD-2001');
      expect(row).toMatchObject({ state: 'confirmed', points_uuid: uuid, settled_total_halalas: 10_000 });
      expect((await receipts(harness)).map((r) => [r.event, r.status])).toEqual([['approved', 'processed']]);
      expect(updates).toMatchObject([
        { orderNumber: 'ORD-2001', state: 'confirmed', previousState: 'pending' },
      ]);

      expect(harness.notifications).toHaveLength(1);
      const sent = harness.notifications[0]!;
      expect(sent.headers.get('webhook-signature')).toMatch(/^v1,/);
      expect(sent.headers.get('webhook-id')).toBeTruthy();
      expect(await sent.json()).toMatchObject({
        type: 'order.updated',
        data: { orderNumber: 'ORD-2001', state: 'confirmed' },
      });
    });

    it("works end to end with the base URL as Points' docs give it (…/api/v1)", async () => {
      harness = await createHarness(engine, { env: { POINTS_API_BASE_URL: 'http://127.0.0.1:4010/api/v1' } });
      const created = await harness.checkout({ orderToken: await harness.orderToken(claims) });
      expect(created.status).toBe(200);
      await harness.sandbox.completeCheckout('ORD-2001', { phone: '500000001', redeemPoints: 100 });
      await harness.settle();
      expect(await findOrder(harness.store.db, 'ORD-2001')).toMatchObject({ state: 'confirmed' });
      expect((await receipts(harness)).map((r) => r.status)).toEqual(['processed']);
    });

    it('accepts the previous secret during a rotation', async () => {
      harness = await createHarness(engine);
      await paidCheckout(harness);
      await harness.sandbox.settleDeliveries();
      const delivered = harness.sandbox.deliveries()[0]!;
      const res = await postWebhook(harness, delivered.body, {
        'x-webhook-secret': testSecrets.previousWebhook,
        'x-webhook-event': 'approved',
      });
      expect(res.status).toBe(200);
    });

    it("every arrival order of a lifecycle's deliveries ends in the same state", async () => {
      harness = await createHarness(engine);
      const uuid = await paidCheckout(harness);
      await harness.sandbox.settleDeliveries();
      const refund = (amount: number) =>
        harness.sandbox.app.request(`/api/v1/orders/${uuid}/refund`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': harness.sandbox.options.privateKey },
          body: JSON.stringify({ amount }),
        });
      expect((await refund(30)).status).toBe(200);
      expect((await refund(20)).status).toBe(200);
      await harness.sandbox.settleDeliveries();
      const bodies = harness.sandbox
        .deliveries()
        .map((d) => ({ body: d.body, event: d.headers['X-Webhook-Event']! }));
      expect(bodies.map((b) => b.event)).toEqual(['approved', 'refunded', 'refunded']);
      const original = harness;

      const permutations = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
      ];
      const outcomes = new Set<string>();
      try {
        for (const order of permutations) {
          // A fresh edge and database that asks the same sandbox, which now holds the order's final state.
          harness = await createHarness(engine, {
            pointsFetch: async (input, init) => original.sandbox.app.fetch(new Request(input, init)),
          });
          await saveCheckoutSession(
            harness.store.db,
            {
              order: { orderNumber: 'ORD-2001', totalHalalas: 10_000, products: [] },
              checkoutUrl: 'http://127.0.0.1:4010/session/x',
              expiresAt: Date.now() + 60_000,
              callbackNonceHashes: 'not-used-here',
            },
            Date.now(),
          );
          for (const index of order) {
            const { body, event } = bodies[index]!;
            expect((await postWebhook(harness, body, { 'x-webhook-event': event })).status).toBe(200);
          }
          await harness.edge.worker.drain();
          const row = await findOrder(harness.store.db, 'ORD-2001');
          outcomes.add(`${row?.state}:${row?.refunded_halalas}`);
          await harness.close();
        }
      } finally {
        await original.close();
      }
      expect([...outcomes]).toEqual(['partially_refunded:5000']);
    });

    it('two refunds of one order processed at once both land (the later one claimed first)', async () => {
      harness = await createHarness(engine);
      const uuid = await paidCheckout(harness);
      await harness.settle();
      const refund = (amount: number) =>
        harness.sandbox.app.request(`/api/v1/orders/${uuid}/refund`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': harness.sandbox.options.privateKey },
          body: JSON.stringify({ amount }),
        });
      expect((await refund(30)).status).toBe(200);
      expect((await refund(20)).status).toBe(200);
      // Both refunds queued before the worker looks, the later one first: it claims and runs them together.
      const { context } = harness.edge;
      const wake = context.wakeWorker;
      context.wakeWorker = () => {};
      const [first, second] = harness.sandbox.deliveries().slice(-2);
      for (const delivery of [second!, first!]) {
        const headers = { 'x-webhook-event': delivery.headers['X-Webhook-Event']! };
        expect((await postWebhook(harness, delivery.body, headers)).status).toBe(200);
      }
      await new Promise((done) => setTimeout(done, 50)); // the receipt writer's batch
      context.wakeWorker = wake;
      await harness.edge.worker.drain();
      expect(await findOrder(harness.store.db, 'ORD-2001')).toMatchObject({
        state: 'partially_refunded',
        refunded_halalas: 5000,
      });
    });
  });

  describe('all eight events', () => {
    it('applies every Points event to our orders, each from the authoritative order', async () => {
      harness = await createHarness(engine);
      const api = async (path: string, body: unknown = {}) => {
        const res = await harness.sandbox.app.request(`/api/v1/orders/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': harness.sandbox.options.privateKey },
          body: JSON.stringify(body),
        });
        expect(res.status, path).toBe(200);
      };
      const start = async (order_number: string) => {
        await harness.checkout({ orderToken: await harness.orderToken({ ...claims, order_number }) });
        return harness.sandbox.findOrderByNumber(order_number)!.uuid;
      };
      const a = await start('ORD-A'); // authorize, capture, ship, refund, auto-refund
      const b = await start('ORD-B'); // complete (approved + completed)
      const c = await start('ORD-C'); // cancel
      await api(`${a}/authorize`);
      await api(`${a}/capture`);
      await api(`${a}/status`, {
        status: 'delivery_is_in_progress',
        name_en: 'Out for delivery',
        name_ar: 'خرج للتوصيل',
      });
      await api(`${a}/refund`, { amount: 10, reason: 'damaged cup' });
      harness.sandbox.fireAutoRefund(a);
      await api(`${b}/complete`, { payment_method: '2' });
      await api(`${c}/cancel`, { reason: 'customer changed their mind' });
      await harness.settle();

      const events = (await receipts(harness)).map((r) => `${r.event}:${r.status}`).sort();
      expect(events).toEqual(
        [
          'approved:processed',
          'authorized:processed',
          'auto_refunded:processed',
          'cancelled:processed',
          'captured:processed',
          'completed:processed',
          'refunded:processed',
          'shipping_status_updated:processed',
        ].sort(),
      );
      expect(await findOrder(harness.store.db, 'ORD-A')).toMatchObject({
        state: 'refunded',
        refunded_halalas: 10_000,
        shipping_status: 'delivery_is_in_progress',
      });
      expect((await findOrder(harness.store.db, 'ORD-B'))?.state).toBe('confirmed');
      expect((await findOrder(harness.store.db, 'ORD-C'))?.state).toBe('cancelled');
    });
  });

  describe('errors', () => {
    it('stores broken JSON for audit and answers 400', async () => {
      harness = await createHarness(engine);
      const res = await postWebhook(harness, '{"event": "approved",');
      expect(res.status).toBe(400);
      expect((await receipts(harness)).map((r) => r.status)).toEqual(['malformed']);
    });

    it('stores an unknown event as ignored and answers 200', async () => {
      harness = await createHarness(engine);
      const res = await postWebhook(harness, JSON.stringify({ event: 'points_expired', order: {} }));
      expect(res.status).toBe(200);
      expect((await receipts(harness)).map((r) => [r.event, r.status])).toEqual([
        ['points_expired', 'ignored'],
      ]);
    });

    it('refuses bodies over 64 KB with 413', async () => {
      harness = await createHarness(engine);
      const res = await postWebhook(harness, JSON.stringify({ event: 'approved', pad: 'x'.repeat(70_000) }));
      expect(res.status).toBe(413);
      expect(await receipts(harness)).toEqual([]);
    });

    it('refuses a body whose declared length is over 64 KB before reading it', async () => {
      harness = await createHarness(engine);
      const res = await postWebhook(harness, '{}', { 'content-length': String(70_000) });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ code: 'payload_too_large' });
      expect(await receipts(harness)).toEqual([]);
    });

    it('refuses poison bodies (a lone surrogate, deep nesting) with 400 and stores them as malformed', async () => {
      harness = await createHarness(engine);
      const poison = [
        '{"event":"\\ud800approved","order":{}}',
        '{"event":"approved","order":{"id":"\\udfff"}}',
        `{"event":"points_expired","a":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        `{"event":"approved","order":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
      ];
      for (const body of poison) {
        const res = await postWebhook(harness, body);
        expect(res.status, body.slice(0, 40)).toBe(400);
        expect(await res.json()).toMatchObject({ code: 'validation_failed' });
      }
      expect((await receipts(harness)).map((r) => [r.event, r.status])).toEqual(
        poison.map(() => ['(malformed)', 'malformed']),
      );
      expect(harness.edge.webhookStats).toMatchObject({ malformed: 4, storageFailures: 0 });
    });

    it('an upload aborted without the secret is refused from its headers, its body never read', async () => {
      harness = await createHarness(engine);
      let pulled = false;
      const res = await harness.edge.app.request('/webhooks/points', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream(
          {
            pull() {
              pulled = true;
              throw new Error('client went away');
            },
          },
          { highWaterMark: 0 },
        ),
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(401);
      expect(pulled).toBe(false);
    });

    it('an upload aborted with the right secret is a 400, not a 500 or a webhook_5xx alert', async () => {
      harness = await createHarness(engine);
      for (const declared of [false, true]) {
        for (let i = 0; i < 3; i++) {
          const res = await harness.edge.app.request('/webhooks/points', {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-webhook-secret': testSecrets.webhook,
              ...(declared ? { 'content-length': '1000' } : {}),
            },
            body: new ReadableStream({
              start(controller) {
                controller.enqueue(new TextEncoder().encode('{"event":'));
              },
              pull(controller) {
                controller.error(new Error('aborted'));
              },
            }),
            duplex: 'half',
          } as RequestInit);
          expect(res.status).toBe(400);
          expect(await res.json()).toMatchObject({ code: 'bad_request' });
        }
      }
      await harness.edge.alerts.settled();
      expect(harness.edge.alerts.fired).toEqual([]);
      expect(await receipts(harness)).toEqual([]);
    });

    it('answers 503 when the receipt cannot be committed, so Points retries', async () => {
      harness = await createHarness(engine);
      await paidCheckout(harness);
      await harness.sandbox.settleDeliveries();
      const delivered = JSON.parse(harness.sandbox.deliveries()[0]!.body);
      delivered.order.updated_at = '2026-11-21T23:59:59Z'; // a new delivery, not a duplicate
      await harness.store.db.schema.dropTable('jobs').execute();
      const res = await postWebhook(harness, JSON.stringify(delivered));
      expect(res.status).toBe(503);
    });

    it('catches up after a Points outage: the job retries until Points answers', async () => {
      harness = await createHarness(engine);
      await harness.checkout({ orderToken: await harness.orderToken(claims) });
      harness.setPointsDown(true);
      await harness.sandbox.completeCheckout('ORD-2001', { phone: '500000001', redeemPoints: 100 });
      await harness.settle();
      expect((await findOrder(harness.store.db, 'ORD-2001'))?.state).toBe('pending');
      const job = await harness.store.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
      expect(job).toMatchObject({ state: 'queued', attempts: 1 });

      harness.setPointsDown(false);
      await harness.store.db.updateTable('jobs').set({ run_at: 0 }).execute(); // its backoff has passed
      await harness.edge.worker.drain();
      expect((await findOrder(harness.store.db, 'ORD-2001'))?.state).toBe('confirmed');
    });
  });

  describe('security', () => {
    it('refuses a wrong or missing secret with 401 and stores nothing', async () => {
      harness = await createHarness(engine);
      const body = JSON.stringify({ event: 'approved', order: {} });
      expect((await postWebhook(harness, body, { 'x-webhook-secret': 'guess' })).status).toBe(401);
      const res = await harness.edge.app.request('/webhooks/points', { method: 'POST', body });
      expect(res.status).toBe(401);
      expect(await receipts(harness)).toEqual([]);
      expect(harness.edge.webhookStats.badSecret).toBe(2);
    });

    it('a duplicate delivery answers 200 and changes nothing', async () => {
      harness = await createHarness(engine);
      await paidCheckout(harness);
      await harness.settle();
      const delivered = harness.sandbox.deliveries()[0]!;
      const res = await postWebhook(harness, delivered.body, { 'x-webhook-event': 'approved' });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ duplicate: true });
      expect(await receipts(harness)).toHaveLength(1);
      expect(harness.notifications).toHaveLength(1);
    });

    it('a forged body (right secret, false claims) cannot confirm an unpaid order', async () => {
      harness = await createHarness(engine);
      await harness.checkout({ orderToken: await harness.orderToken(claims) });
      const atPoints = harness.sandbox.findOrderByNumber('ORD-2001')!;
      const forged = {
        event: 'approved',
        order: {
          id: atPoints.uuid,
          order_number: 'ORD-2001',
          total_price: 100,
          total_points: 1000,
          payment_status: 'fully_paid',
          order_status: 'approved',
          created_at: '2026-11-21T12:00:00Z',
          updated_at: '2026-11-21T12:00:01Z',
        },
        timestamp: '2026-11-21T12:00:01Z',
      };
      expect((await postWebhook(harness, JSON.stringify(forged))).status).toBe(200);
      await harness.edge.worker.drain();
      expect((await findOrder(harness.store.db, 'ORD-2001'))?.state).toBe('pending');
    });

    it('flags a paid total that differs from the expected one instead of confirming', async () => {
      harness = await createHarness(engine);
      await harness.checkout({ orderToken: await harness.orderToken(claims) });
      // Someone with the public key starts a cheaper session for the same order number and pays it.
      await harness.sandbox.app.request(`/api/v1/orders/checkout/${harness.sandbox.options.publicKey}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order_number: 'ORD-2001', total_price: 1 }),
      });
      await harness.sandbox.completeCheckout('ORD-2001', {});
      await harness.settle();
      const row = await findOrder(harness.store.db, 'ORD-2001');
      expect(row).toMatchObject({ state: 'amount_mismatch', settled_total_halalas: 100 });
    });
  });
});
