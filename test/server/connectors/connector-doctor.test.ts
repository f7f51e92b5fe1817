import { afterEach, describe, expect, it } from 'vitest';
import { connectorChecks, staleDeliveryMs } from '../../../server/doctor/connector-checks.ts';
import { buildDelivery } from '../../../demo/sandbox/platforms/index.ts';
import { createHarness, edgeUrl, type Harness } from '../edge-harness.ts';

const secret = 'test-woocommerce-secret-000000000000';

describe('doctor: connector checks', () => {
  let harness: Harness;
  afterEach(async () => harness?.close());

  const run = (now = Date.now()) =>
    connectorChecks({
      config: harness.edge.context.config,
      serverUrl: edgeUrl,
      serverFetch: async (input, init) => harness.edge.app.fetch(new Request(input, init)),
      store: harness.store,
      now: () => now,
    });

  it('checks nothing when no connector is on', async () => {
    harness = await createHarness('sqlite');
    expect(await run()).toEqual([]);
  });

  it('passes an enabled connector with a long secret, a guarded route and a recent delivery', async () => {
    harness = await createHarness('sqlite', { env: { WOOCOMMERCE_WEBHOOK_SECRET: secret } });
    const before = await run();
    expect(before.map((row) => [row.check, row.status])).toEqual([
      ['WooCommerce connector secret', 'pass'],
      ['WooCommerce connector route', 'pass'],
      ['WooCommerce last delivery', 'warn'],
    ]);
    expect(before[2]!.fix).toContain('points-sandbox play woocommerce paid');

    const delivery = buildDelivery(
      'woocommerce',
      { type: 'created' },
      { store: 'shop.example', orderId: '1052', totalSar: '199.00', phone: '0500000041' },
      { woocommerce: { secret } },
    );
    const res = await harness.edge.app.request(delivery.path, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(res.status).toBe(200);
    expect((await run()).at(-1)).toMatchObject({ check: 'WooCommerce last delivery', status: 'pass' });
    expect((await run(Date.now() + staleDeliveryMs + 60_000)).at(-1)).toMatchObject({ status: 'warn' });
  });

  it('warns about a short secret and fails a route the running server does not serve', async () => {
    harness = await createHarness('sqlite', { env: { SHOPIFY_API_SECRET: 'short' } });
    const rows = await connectorChecks({
      config: harness.edge.context.config,
      serverUrl: edgeUrl,
      // Another server answers at that URL, with this connector off.
      serverFetch: async () => new Response('{}', { status: 404 }),
      store: harness.store,
    });
    expect(rows[0]).toMatchObject({
      status: 'warn',
      detail: 'SHOPIFY_API_SECRET shorter than 32 characters',
    });
    expect(rows[0]!.detail).not.toContain('short ');
    expect(rows[1]).toMatchObject({ status: 'fail' });
    expect(rows[1]!.detail).toContain('404');
  });
});
