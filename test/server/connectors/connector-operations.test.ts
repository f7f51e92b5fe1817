import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runOperationsCommand } from '../../../server/admin/cli-commands.ts';
import { findConnectorOrder } from '../../../server/connectors/connector-orders.ts';
import { storeEngines } from '../../support/databases.ts';
import { createHarness, edgeUrl, type Harness } from '../edge-harness.ts';

const adminToken = 'test-admin-token-00000000000000000000';
const shopifySecret = 'test-shopify-secret-0000000000000000';
const shop = 'coffee-house.myshopify.com';
const key = `shopify:${shop}:5940139491234`;
const rest = {
  WOOCOMMERCE_WEBHOOK_SECRET: 'test-woocommerce-secret-000000000000',
  WOOCOMMERCE_STORE_URL: 'https://shop.example',
  WOOCOMMERCE_CONSUMER_KEY: 'ck_test_00000000000000000000000000000000',
  WOOCOMMERCE_CONSUMER_SECRET: 'cs_test_00000000000000000000000000000000',
};
const env = { ADMIN_TOKEN: adminToken, SHOPIFY_API_SECRET: shopifySecret, ...rest };

const fixture = (platform: string, name: string) =>
  JSON.parse(readFileSync(new URL(`fixtures/${platform}/${name}.json`, import.meta.url), 'utf8'));

function paid(phone: string | null) {
  const order = fixture('shopify', 'orders-paid');
  order.customer.phone = phone;
  order.billing_address.phone = null;
  const text = JSON.stringify(order);
  return new Request(`${edgeUrl}/connectors/shopify/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/paid',
      'x-shopify-shop-domain': shop,
      'x-shopify-event-id': crypto.randomUUID(),
      'x-shopify-hmac-sha256': createHmac('sha256', shopifySecret).update(text).digest('base64'),
    },
    body: text,
  });
}

/**
 * A stand-in of WooCommerce's REST API (`GET /wp-json/wc/v3/orders`), holding `orders` and checking the
 * REST keys, as the catch-up sweep reads it.
 */
function wooApi(orders: Array<Record<string, unknown>>) {
  const calls: URL[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    calls.push(url);
    const expected = `Basic ${btoa(`${rest.WOOCOMMERCE_CONSUMER_KEY}:${rest.WOOCOMMERCE_CONSUMER_SECRET}`)}`;
    if (request.headers.get('authorization') !== expected)
      return new Response('{"code":"unauthorized"}', { status: 401 });
    if (url.origin !== 'https://shop.example' || url.pathname !== '/wp-json/wc/v3/orders')
      return new Response('', { status: 404 });
    const after = Date.parse(`${url.searchParams.get('modified_after')}Z`.replace('ZZ', 'Z'));
    const page = orders.filter((order) => Date.parse(`${order.date_modified_gmt}Z`) > after);
    return Response.json(page);
  };
  return { fetch, calls };
}

for (const engine of storeEngines) {
  describe(`connector operations on ${engine}`, () => {
    let harness: Harness;
    afterEach(async () => harness?.close());

    const send = async (request: Request) => {
      const response = await harness.edge.app.fetch(request);
      await harness.edge.worker.drain();
      return response;
    };
    const admin = (path: string, init: RequestInit = {}) =>
      harness.edge.app.request(`/admin${path}`, {
        ...init,
        headers: { authorization: `Bearer ${adminToken}`, ...init.headers },
      });
    async function cli(args: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runOperationsCommand([...args, '--server', edgeUrl], {
        env: { ADMIN_TOKEN: adminToken },
        out: (text) => out.push(text),
        err: (text) => err.push(text),
        fetch: async (input, init) => harness.edge.app.fetch(new Request(input, init)),
      });
      return { code, out: out.join('\n'), err: err.join('\n') };
    }

    describe('happy', () => {
      it('lists connector orders by outcome and shows one with its deliveries, the phone masked', async () => {
        harness = await createHarness(engine, { env });
        await send(paid('0500000031'));
        const list = await admin('/connectors/orders?outcome=earned');
        expect(list.status).toBe(200);
        expect(await list.json()).toMatchObject([
          { key, platform: 'shopify', outcome: 'earned', earnedTotal: '199.00' },
        ]);
        expect(await (await admin('/connectors/orders?outcome=skipped')).json()).toEqual([]);

        const show = await admin(`/connectors/orders/${encodeURIComponent(key)}`);
        const body = await show.json();
        expect(body.order.facts.phone).toBe('+96650*****31');
        expect(JSON.stringify(body)).not.toContain('500000031');
        expect(body.deliveries).toMatchObject([{ event: 'orders/paid', status: 'processed' }]);
      });

      it('replays a failed order once Points accepts it again, from the CLI', async () => {
        harness = await createHarness(engine, { env });
        harness.sandbox.setChannel('earning', false);
        await send(paid('0500000032'));
        const listed = await cli(['connectors', 'list', '--outcome', 'failed']);
        expect(listed.code).toBe(0);
        expect(listed.out).toContain(`${key}  failed: Points refused (403)`);

        harness.sandbox.setChannel('earning', true);
        const replay = await cli(['connectors', 'replay', key]);
        expect(replay.code).toBe(0);
        expect(replay.out).toMatch(new RegExp(`^${key}  earned \\d+ points on 199.00 SAR$`));
        const shown = await cli(['connectors', 'show', key, '--json']);
        expect(JSON.parse(shown.out).order).toMatchObject({ outcome: 'earned' });
      });

      it('catches up a WooCommerce order whose delivery never came, once', async () => {
        const order = fixture('woocommerce', 'order-created-processing');
        order.billing.phone = '0500000033';
        order.date_modified_gmt = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
        const api = wooApi([order]);
        harness = await createHarness(engine, { env, platformFetch: api.fetch });
        const swept = await cli(['connectors', 'sweep']);
        expect(swept).toMatchObject({ code: 0, out: 'woocommerce: 1 read, 1 new' });
        await harness.edge.worker.drain();
        const wooKey = `woocommerce:shop.example:${order.id}`;
        expect(await findConnectorOrder(harness.store.db, wooKey)).toMatchObject({ outcome: 'earned' });
        const earned = harness.sandbox.customer('0500000033')!.balance;

        // The next pass starts where this one ended (less a second: WooCommerce keeps whole seconds, so
        // it reads that order again): nothing new, nothing earned twice.
        expect((await cli(['connectors', 'sweep'])).out).toBe('woocommerce: 1 read, 0 new');
        await harness.edge.worker.drain();
        expect(harness.sandbox.customer('0500000033')!.balance).toBe(earned);
        expect(api.calls.at(-1)!.searchParams.get('modified_after')).not.toBe(
          api.calls[0]!.searchParams.get('modified_after'),
        );
      });
    });

    describe('errors', () => {
      it('answers 404 for an unknown key and 400 for a bad filter; the CLI says so in our words', async () => {
        harness = await createHarness(engine, { env });
        expect((await admin('/connectors/orders/shopify%3Anope%3A1')).status).toBe(404);
        expect((await admin('/connectors/orders?outcome=lost')).status).toBe(400);
        const bad = await cli(['connectors', 'list', '--outcome', 'lost']);
        expect(bad.code).toBe(2);
        expect(bad.err).toContain(
          '--outcome must be one of: waiting, earned, pending, skipped, reversed, failed',
        );
        const missing = await cli(['connectors', 'replay', 'shopify:nope:1']);
        expect(missing).toMatchObject({ code: 1 });
        expect(missing.err).toContain('No connector order shopify:nope:1');
      });

      it('reports a catch-up the platform refuses, and reads the same window again next time', async () => {
        harness = await createHarness(engine, {
          env: { ...env, WOOCOMMERCE_CONSUMER_SECRET: 'cs_wrong_000000000000000000000000000000' },
          platformFetch: wooApi([]).fetch,
        });
        const swept = await cli(['connectors', 'sweep']);
        expect(swept.code).toBe(1);
        expect(swept.out).toMatch(/^woocommerce: 0 read, 0 new; failed: .*401/);
        expect(swept.out).not.toContain('cs_wrong');
        const cursor = await harness.store.db.selectFrom('connector_cursors').selectAll().execute();
        expect(cursor).toEqual([]);
      });
    });

    describe('security', () => {
      it('keeps the connector routes of the admin API behind the admin token', async () => {
        harness = await createHarness(engine, { env });
        const anonymous = await harness.edge.app.request('/admin/connectors/orders');
        expect(anonymous.status).toBe(401);
        const replay = await harness.edge.app.request(
          `/admin/connectors/orders/${encodeURIComponent(key)}/replay`,
          {
            method: 'POST',
            headers: { authorization: 'Bearer wrong' },
          },
        );
        expect(replay.status).toBe(401);
      });
    });
  });
}
