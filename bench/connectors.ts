import { createHmac } from 'node:crypto';
import { Agent } from 'node:http';
import { pino } from 'pino';
import { createSandbox } from '../demo/sandbox/index.ts';
import { buildDelivery } from '../demo/sandbox/platforms/index.ts';
import { loadConfig } from '../server/runtime/node/config.ts';
import { createEdge } from '../server/runtime/node/edge.ts';
import { openDatabase } from '../server/runtime/node/store/open-database.ts';
import { migrateToLatest } from '../server/store/migrations.ts';
import type { BenchRow } from './run.ts';
import { benchSecrets, edgeEnv, scratchDir } from './support/env.ts';
import type { LoadResult } from './support/load.ts';
import { runPaced } from './support/paced.ts';
import { startNode } from './support/processes.ts';
import { percentile, round } from './support/stats.ts';

/** Obviously fake; the bench server's Shopify connector checks deliveries with it. */
const shopifySecret = 'test-shopify-secret-bench-0000000000';
const shop = 'bench-store.myshopify.com';
const rate = 200;
const rounds = 3;
const seconds = 4;
const endToEndOrders = 100;

/** A signed Shopify `orders/paid` delivery of order `n` (distinct, so none is a duplicate). */
function paidOrder(n: number): string {
  return JSON.stringify({
    id: 6_000_000_000_000 + n,
    name: `#${1000 + n}`,
    financial_status: 'paid',
    total_price: '199.00',
    currency: 'SAR',
    customer: { phone: `+9665${String(n % 100_000_000).padStart(8, '0')}`, first_name: 'Bench' },
    line_items: [{ title: 'Arabic coffee set', price: '199.00', quantity: 1 }],
  });
}

/**
 * Connector intake beside the Points webhook row: `POST /connectors/shopify/webhooks` (HMAC over the raw
 * body, parse, durable SQLite commit of receipt + job) at an evenly paced 200 deliveries/s; and the time
 * from a delivery's arrival to the earning being at Points (intake, the job queue, the earning lane and
 * an in-process sandbox), one order after another.
 */
export async function connectorsLoad(): Promise<BenchRow[]> {
  return [...(await intakeLatency()), ...(await endToEnd())];
}

async function intakeLatency(): Promise<BenchRow[]> {
  const dir = scratchDir('bench-connectors');
  const { child, match } = await startNode(
    'bench/support/edge-bench-server.ts',
    [],
    edgeEnv({ dir, extra: { SHOPIFY_API_SECRET: shopifySecret } }),
    /edge bench server: (http\S+)/,
  );
  const base = match[1]!;
  let n = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const run = (secs: number) =>
    runPaced({
      url: `${base}/connectors/shopify/webhooks`,
      rate,
      seconds: secs,
      agent,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/paid',
        'x-shopify-shop-domain': shop,
      },
      body: () => paidOrder(n++),
      headersFor: (body) => ({
        'x-shopify-hmac-sha256': createHmac('sha256', shopifySecret).update(body).digest('base64'),
        'x-shopify-event-id': `bench-${n}`,
      }),
    });
  try {
    await run(1);
    const results: LoadResult[] = [];
    for (let round = 0; round < rounds; round++) results.push(await run(seconds));
    for (const result of results) {
      const refused = Object.entries(result.statuses).filter(([status]) => status !== '200');
      if (refused.length > 0) throw new Error(`connector intake answered ${JSON.stringify(result.statuses)}`);
    }
    const median = [...results].sort((a, b) => a.p99Ms - b.p99Ms)[Math.floor(results.length / 2)]!;
    const note = `${rate} signed Shopify deliveries/s evenly paced, median of ${rounds} rounds of ${seconds} s`;
    return [
      { name: 'connectors: p50 ack latency at 200 req/s', value: round(median.p50Ms), unit: 'ms', note },
      {
        name: 'connectors: p99 ack latency at 200 req/s',
        value: round(median.p99Ms),
        unit: 'ms',
        note: `rounds: ${results.map((r) => round(r.p99Ms, 1)).join(' / ')} ms; Shopify's limit is 5 s`,
      },
    ];
  } finally {
    agent.destroy();
    await child.stop();
  }
}

async function endToEnd(): Promise<BenchRow[]> {
  const dir = scratchDir('bench-connectors-e2e');
  const sandbox = createSandbox({ baseUrl: 'http://127.0.0.1:4010', webhookUrl: 'http://127.0.0.1:9/none' });
  const config = loadConfig({
    ...edgeEnv({ dir, sandboxApi: 'http://127.0.0.1:4010/api' }),
    POINTS_PUBLIC_KEY: sandbox.options.publicKey,
    POINTS_PRIVATE_KEY: sandbox.options.privateKey,
    POINTS_WEBHOOK_SECRET: benchSecrets.webhook,
    SHOPIFY_API_SECRET: shopifySecret,
  });
  const store = await openDatabase(config.databaseUrl);
  await migrateToLatest(store);
  const edge = await createEdge({
    config,
    store,
    logger: pino({ level: 'silent' }),
    pointsFetch: async (input, init) => sandbox.app.fetch(new Request(input, init)),
  });
  edge.worker.start();
  const times: number[] = [];
  try {
    for (let i = 0; i < endToEndOrders; i++) {
      const order = {
        store: shop,
        orderId: String(7_000_000 + i),
        totalSar: '199.00',
        phone: '+966500000002',
      };
      const delivery = buildDelivery('shopify', { type: 'paid' }, order, {
        shopify: { secret: shopifySecret },
      });
      const started = performance.now();
      const answer = await edge.app.request(delivery.path, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      if (answer.status !== 200) throw new Error(`delivery answered ${answer.status}`);
      const key = `shopify:${shop}:${order.orderId}`;
      while (!sandbox.findOrderByNumber(key)) await new Promise((tick) => setTimeout(tick, 1));
      times.push(performance.now() - started);
    }
  } finally {
    await edge.worker.stop();
    sandbox.close();
    await store.close();
  }
  const note = `${endToEndOrders} Shopify orders/paid one after another: intake, job, earning lane, in-process sandbox`;
  return [
    {
      name: 'connectors: delivery to Points earning, p50',
      value: round(percentile(times, 50)),
      unit: 'ms',
      note,
    },
    {
      name: 'connectors: delivery to Points earning, p99',
      value: round(percentile(times, 99)),
      unit: 'ms',
      note,
    },
  ];
}
