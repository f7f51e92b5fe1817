import { sign } from 'hono/jwt';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../demo/sandbox/index.ts';
import { loadConfig } from '../../server/runtime/node/config.ts';
import { createEdge } from '../../server/runtime/node/edge.ts';
import type { Edge } from '../../server/edge.ts';
import { openDatabase } from '../../server/runtime/node/store/open-database.ts';
import type { Store } from '../../server/store/db.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';
import { dropTestSchema, engines, freshDatabaseUrl } from '../support/databases.ts';
import { testSecrets } from './edge-harness.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.skipIf(!engines.includes('postgres'))('two edge instances on one Postgres', () => {
  it('share the webhook stream behind a load balancer without processing anything twice', async () => {
    const url = await freshDatabaseUrl('postgres');
    cleanups.push(() => dropTestSchema(url));
    const edges: Edge[] = [];
    const notifications: string[] = [];
    let next = 0;
    // The sandbox delivers each webhook to the instances in turn, like a round-robin load balancer.
    const sandbox = createSandbox({
      baseUrl: 'http://127.0.0.1:4010',
      webhookUrl: 'http://127.0.0.1:8787/webhooks/points',
      webhookSecret: testSecrets.webhook,
      webhookBackoffMs: () => 1,
      fetch: async (input, init) => edges[next++ % edges.length]!.app.fetch(new Request(input, init)),
    });
    cleanups.push(async () => sandbox.close());
    const config = loadConfig({
      POINTS_API_BASE_URL: `${sandbox.options.baseUrl}/api`,
      POINTS_PUBLIC_KEY: sandbox.options.publicKey,
      POINTS_PRIVATE_KEY: sandbox.options.privateKey,
      POINTS_WEBHOOK_SECRET: testSecrets.webhook,
      ORDER_TOKEN_SECRET: testSecrets.orderToken,
      DATABASE_URL: url,
      MERCHANT_WEBHOOK_URL: 'https://store.example/hooks/points',
      MERCHANT_WEBHOOK_SECRET: testSecrets.merchantWebhook,
    });
    const stores: Store[] = [await openDatabase(url), await openDatabase(url)];
    await Promise.all(stores.map((store) => migrateToLatest(store)));
    for (const [index, store] of stores.entries()) {
      cleanups.push(() => store.close());
      const edge = await createEdge({
        config,
        store,
        instanceId: `instance-${index}`,
        logger: pino({ level: 'silent' }),
        pointsFetch: async (input, init) => sandbox.app.fetch(new Request(input, init)),
        merchantFetch: async (_input, init) => {
          notifications.push(`${index}:${JSON.parse(String(init?.body)).data.orderNumber}`);
          return new Response(null, { status: 204 });
        },
      });
      // Workers are drained by hand below, both at once; nothing runs in the background.
      edge.context.wakeWorker = () => {};
      edges.push(edge);
      cleanups.push(() => edge.worker.stop());
    }

    const orderNumbers = Array.from({ length: 20 }, (_, i) => `ORD-LB-${i}`);
    for (const [i, order_number] of orderNumbers.entries()) {
      const orderToken = await sign(
        { order_number, total_price: '50.00', exp: Math.floor(Date.now() / 1000) + 600 },
        testSecrets.orderToken,
        'HS256',
      );
      const res = await edges[i % 2]!.app.request('/checkout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderToken }),
      });
      expect(res.status).toBe(200);
      await sandbox.completeCheckout(order_number, {});
    }
    await sandbox.settleDeliveries();
    // Duplicates of every delivery, sent to the other instance.
    for (const delivery of sandbox.deliveries()) {
      const res = await edges[(next + 1) % 2]!.app.request('/webhooks/points', {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      expect(res.status).toBe(200);
    }

    const ran = await Promise.all(edges.map((edge) => edge.worker.drain()));
    expect(ran[0]! + ran[1]!).toBe(40); // 20 receipts and 20 notifications, each run once
    expect(ran[0]).toBeGreaterThan(0);
    expect(ran[1]).toBeGreaterThan(0);

    const db = stores[0]!.db;
    const jobs = await db.selectFrom('jobs').select(['state', 'attempts']).execute();
    expect(jobs).toHaveLength(40);
    expect(jobs.every((job) => job.state === 'done' && job.attempts === 1)).toBe(true);
    const receipts = await db.selectFrom('webhook_receipts').select('status').execute();
    expect(receipts.map((receipt) => receipt.status)).toEqual(Array(20).fill('processed'));
    const states = await db.selectFrom('orders').select('state').execute();
    expect(states.map((row) => row.state)).toEqual(Array(20).fill('confirmed'));
    expect(new Set(notifications.map((entry) => entry.split(':')[1])).size).toBe(20);
    expect(notifications).toHaveLength(20);
  });
});
