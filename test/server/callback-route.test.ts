import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createEdge } from '../../server/runtime/node/edge.ts';
import { findOrder } from '../../server/orders/repository.ts';
import { storeEngines } from '../support/databases.ts';
import { createHarness, storeUrl, type Harness } from './edge-harness.ts';

let harness: Harness;
afterEach(() => harness?.close());

const claims = { order_number: 'ORD-3001', total_price: '80.00', products: [] };

async function startCheckout(h: Harness, orderNumber = 'ORD-3001') {
  await h.checkout({ orderToken: await h.orderToken({ ...claims, order_number: orderNumber }) });
}

function callback(h: Harness, query: string) {
  return h.edge.app.request(`/callback${query}`);
}

/** The query of the `callback_url` /checkout gave Points for the order's current session, plus `extra`. */
function returnQuery(h: Harness, orderNumber = 'ORD-3001', extra = ''): string {
  return new URL(h.sandbox.findOrderByNumber(orderNumber)!.callback_url!).search + extra;
}

function location(res: Response): URL {
  return new URL(res.headers.get('location')!);
}

describe.each(storeEngines)('GET /callback and GET /orders/:n/status on %s', (engine) => {
  describe('happy', () => {
    it('asks Points when the webhook has not arrived yet, then sends the shopper to the success page', async () => {
      harness = await createHarness(engine);
      await startCheckout(harness);
      // Pay, but keep the webhook from being processed: only the callback can learn the outcome.
      const { redirectUrl } = await harness.sandbox.completeCheckout('ORD-3001', {
        phone: '500000001',
        redeemPoints: 50,
      });
      const res = await callback(harness, new URL(redirectUrl).search);
      expect(res.status).toBe(303);
      const target = location(res);
      expect(target.origin + target.pathname).toBe(`${storeUrl}/thanks`);
      expect(target.searchParams.get('order')).toBe('ORD-3001');
      expect((await findOrder(harness.store.db, 'ORD-3001'))?.state).toBe('confirmed');

      const status = await harness.edge.app.request(
        `/orders/ORD-3001/status?token=${encodeURIComponent(target.searchParams.get('token')!)}`,
      );
      expect(status.status).toBe(200);
      expect(await status.json()).toMatchObject({
        orderNumber: 'ORD-3001',
        state: 'confirmed',
        final: true,
        amount: '80.00',
      });
    });

    it('a status link still works after the Points private key is rotated and the server restarts', async () => {
      harness = await createHarness(engine);
      await startCheckout(harness);
      const token = location(await callback(harness, returnQuery(harness))).searchParams.get('token')!;
      await harness.edge.worker.stop();
      // The restarted server, same database, new private key (status keys were once derived from it).
      const restarted = await createEdge({
        config: {
          ...harness.edge.context.config,
          points: { ...harness.edge.context.config.points, privateKey: 'test_private_key_rotated' },
        },
        store: harness.store,
        logger: pino({ level: 'silent' }),
      });
      const status = await restarted.app.request(
        `/orders/ORD-3001/status?token=${encodeURIComponent(token)}`,
      );
      expect(status.status).toBe(200);
      expect(await status.json()).toMatchObject({ orderNumber: 'ORD-3001', state: 'pending' });
      await restarted.worker.stop();
    });

    it("speaks the order-status widget's vocabulary: abandoned is expired, a flagged mismatch is pending", async () => {
      harness = await createHarness(engine);
      await startCheckout(harness);
      const token = location(await callback(harness, returnQuery(harness))).searchParams.get('token')!;
      const status = async () =>
        (await harness.edge.app.request(`/orders/ORD-3001/status?token=${encodeURIComponent(token)}`)).json();
      expect(await status()).toMatchObject({ state: 'pending', final: false });
      await harness.store.db.updateTable('orders').set({ state: 'abandoned' }).execute();
      expect(await status()).toMatchObject({ state: 'expired', final: true });
      await harness.store.db.updateTable('orders').set({ state: 'amount_mismatch' }).execute();
      expect(await status()).toMatchObject({ state: 'pending', final: false });
    });

    it('sends a shopper who cancelled to the failure page', async () => {
      harness = await createHarness(engine);
      await startCheckout(harness);
      const session = (await findOrder(harness.store.db, 'ORD-3001'))!.checkout_url!;
      const cancel = await harness.sandbox.app.request(`${new URL(session).pathname}/cancel`, {
        method: 'POST',
      });
      const back = cancel.headers.get('location') ?? '/callback?order=ORD-3001';
      const res = await callback(harness, new URL(back, 'http://x').search);
      expect(location(res).pathname).toBe('/failed');
    });

    it('shows the pending page while Points has not settled', async () => {
      harness = await createHarness(engine);
      await startCheckout(harness);
      const res = await callback(harness, returnQuery(harness));
      expect(location(res).pathname).toBe('/pending');
    });

    it('uses the built-in return page when no return URLs are configured', async () => {
      harness = await createHarness(engine, {
        env: { RETURN_URL_SUCCESS: '', RETURN_URL_PENDING: '', RETURN_URL_FAILURE: '' },
      });
      await startCheckout(harness);
      const target = location(await callback(harness, returnQuery(harness)));
      expect(target.origin + target.pathname).toBe('http://127.0.0.1:8787/return');
      const page = await harness.edge.app.request(target.pathname + target.search);
      expect(await page.text()).toContain('<points-order-status order-number="ORD-3001"');
    });
  });

  describe('errors', () => {
    it('tolerates missing and garbage parameters', async () => {
      harness = await createHarness(engine);
      for (const query of [
        '',
        '?order=',
        '?order=%00%ff',
        '?order=NOPE-1',
        '?order_uuid=not-a-uuid',
        '?order=a&order=b',
      ]) {
        const res = await callback(harness, query);
        expect(res.status, query).toBe(303);
        expect(location(res).pathname).toBe('/failed');
      }
    });

    it('still answers when Points is down: pending, to be settled by the webhook', async () => {
      harness = await createHarness(engine);
      await startCheckout(harness);
      const { redirectUrl } = await harness.sandbox.completeCheckout('ORD-3001', { phone: '500000002' });
      harness.setPointsDown(true);
      const res = await callback(harness, new URL(redirectUrl).search);
      expect(location(res).pathname).toBe('/pending');
    });

    it('refuses a status request without a valid token, without saying whether the order exists', async () => {
      harness = await createHarness(engine);
      await startCheckout(harness);
      for (const path of [
        '/orders/ORD-3001/status',
        '/orders/ORD-3001/status?token=1.abc',
        '/orders/NOPE/status?token=x',
      ]) {
        const res = await harness.edge.app.request(path);
        expect(res.status, path).toBe(401);
      }
    });
  });

  describe('security', () => {
    it('never redirects off the configured pages (no open redirect)', async () => {
      harness = await createHarness(engine);
      await startCheckout(harness);
      const res = await callback(
        harness,
        returnQuery(harness, 'ORD-3001', '&return_url=https://evil.example&next=//evil.example'),
      );
      expect(location(res).origin).toBe(storeUrl);
    });

    it('does not trust a status claimed in the query', async () => {
      harness = await createHarness(engine);
      await startCheckout(harness);
      const res = await callback(
        harness,
        returnQuery(harness, 'ORD-3001', '&status=approved&order_status=approved'),
      );
      expect(location(res).pathname).toBe('/pending');
      expect((await findOrder(harness.store.db, 'ORD-3001'))?.state).toBe('pending');
    });

    it('ignores a uuid hint that belongs to another order', async () => {
      harness = await createHarness(engine);
      await startCheckout(harness, 'ORD-3001');
      await startCheckout(harness, 'ORD-3002');
      const { order: paidOther } = await harness.sandbox.completeCheckout('ORD-3002', { phone: '500000002' });
      const res = await callback(harness, returnQuery(harness, 'ORD-3001', `&order_uuid=${paidOther.uuid}`));
      expect(location(res).pathname).toBe('/pending');
      expect((await findOrder(harness.store.db, 'ORD-3001'))?.state).toBe('pending');
    });

    it('without the session nonce a known order gets what an unknown one gets: no token, no Points look-up', async () => {
      harness = await createHarness(engine);
      // Points' webhooks for the paid order wait: the worker's own look-up is not the callback's.
      harness.sandbox.setDelivery({ delayMs: 60_000 });
      await startCheckout(harness, 'ORD-3001');
      await startCheckout(harness, 'ORD-3002');
      const { order: paid } = await harness.sandbox.completeCheckout('ORD-3001', { phone: '500000001' });
      const lookups: string[] = [];
      const real = harness.edge.context.points;
      harness.edge.context.points = {
        beginCheckout: (input) => real.beginCheckout(input),
        getOrder: (uuid) => (lookups.push(uuid), real.getOrder(uuid)),
      };
      const nonceOf = (n: string) => new URL(`http://x${returnQuery(harness, n)}`).searchParams.get('nonce')!;
      const unknown = location(await callback(harness, `?order=NOPE-1&order_uuid=${paid.uuid}`));
      for (const query of [
        `?order=ORD-3001&order_uuid=${paid.uuid}`,
        `?order=ORD-3001&order_uuid=${paid.uuid}&nonce=`,
        `?order=ORD-3001&order_uuid=${paid.uuid}&nonce=${nonceOf('ORD-3001').replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
        `?order=ORD-3001&order_uuid=${paid.uuid}&nonce=${nonceOf('ORD-3002')}`,
        `?order_number=ORD-3001&order_uuid=${paid.uuid}&nonce=${'x'.repeat(5000)}`,
      ]) {
        const target = location(await callback(harness, query));
        expect(target.toString(), query).toBe(unknown.toString());
        expect(target.searchParams.has('token')).toBe(false);
        expect(target.searchParams.has('order')).toBe(false);
      }
      expect(lookups).toEqual([]);
      expect((await findOrder(harness.store.db, 'ORD-3001'))?.state).toBe('pending');

      // The shopper Points sends back (the nonce in callback_url) gets the order and its token.
      const back = location(
        await callback(harness, returnQuery(harness, 'ORD-3001', `&order_uuid=${paid.uuid}`)),
      );
      expect(back.pathname).toBe('/thanks');
      expect(back.searchParams.get('token')).toBeTruthy();
      expect(lookups).toContain(paid.uuid);
    });

    it('an order with no stored nonce (adopted, or from before the nonce migration) never gets a token, whatever the nonce', async () => {
      harness = await createHarness(engine);
      // Adopted: a checkout Points has under our keys that never went through this edge.
      const res = await harness.sandbox.app.request(
        `/api/v1/orders/checkout/${harness.sandbox.options.publicKey}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ order_number: 'OLD-3001', total_price: 80 }),
        },
      );
      expect(res.status).toBe(200);
      const { order: adopted } = await harness.sandbox.completeCheckout('OLD-3001', { phone: '500000001' });
      await harness.settle();
      // From before the migration: a paid order whose hashes column was never written.
      await startCheckout(harness, 'ORD-3001');
      const { order: older } = await harness.sandbox.completeCheckout('ORD-3001', { phone: '500000001' });
      await harness.settle();
      const realNonce = new URL(`http://x${returnQuery(harness, 'ORD-3001')}`).searchParams.get('nonce')!;
      await harness.store.db
        .updateTable('orders')
        .set({ callback_nonce_hashes: null })
        .where('order_number', '=', 'ORD-3001')
        .execute();
      expect(await findOrder(harness.store.db, 'ORD-3001')).toMatchObject({
        state: 'confirmed',
        callback_nonce_hashes: null,
      });
      expect(await findOrder(harness.store.db, 'OLD-3001')).toMatchObject({
        callback_nonce_hashes: null,
        adopted_at: expect.any(Number),
      });

      const unknown = location(await callback(harness, `?order=NOPE-1&nonce=x`)).toString();
      // The placeholder is what the code compares against when no hash is stored; it opens nothing.
      const nonces = ['', 'no nonce stored', realNonce, 'x'.repeat(100)];
      for (const [orderNumber, uuid] of [
        ['OLD-3001', adopted.uuid],
        ['ORD-3001', older.uuid],
      ]) {
        for (const nonce of nonces) {
          const query = `?order=${orderNumber}&order_uuid=${uuid}&nonce=${encodeURIComponent(nonce)}`;
          const target = location(await callback(harness, query));
          expect(target.toString(), query).toBe(unknown);
          expect(target.searchParams.has('token')).toBe(false);
        }
      }
    });

    it("each session has its own nonce; a replaced session's shopper still gets back to the order", async () => {
      harness = await createHarness(engine);
      await startCheckout(harness);
      const old = returnQuery(harness);
      await harness.checkout({ orderToken: await harness.orderToken({ ...claims, total_price: '90.00' }) });
      const current = returnQuery(harness);
      expect(current).not.toBe(old);
      for (const query of [old, current]) {
        const target = location(await callback(harness, query));
        expect(target.pathname).toBe('/pending');
        expect(target.searchParams.get('order')).toBe('ORD-3001');
      }
      // One order's nonces never open another.
      await startCheckout(harness, 'ORD-3002');
      const crossed = returnQuery(harness, 'ORD-3002').replace('ORD-3002', 'ORD-3001');
      expect(location(await callback(harness, crossed)).searchParams.has('token')).toBe(false);
    });

    it('a status token for one order does not open another', async () => {
      harness = await createHarness(engine);
      await startCheckout(harness, 'ORD-3001');
      await startCheckout(harness, 'ORD-3002');
      const token = location(await callback(harness, returnQuery(harness))).searchParams.get('token')!;
      const res = await harness.edge.app.request(
        `/orders/ORD-3002/status?token=${encodeURIComponent(token)}`,
      );
      expect(res.status).toBe(401);
    });
  });
});
