import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConnectorEnv, demoSecrets } from '../../demo/demo.ts';
import { startDemoOnly } from './demo-harness.ts';

const run = promisify(execFile);
let started: Awaited<ReturnType<typeof startDemoOnly>>;

beforeAll(async () => {
  started = await startDemoOnly();
});
afterAll(async () => started?.close());

/** `points-sandbox play …` as a merchant runs it against the demo, with the demo's connector secrets. */
const play = (args: string[]) =>
  run(process.execPath, ['demo/sandbox/cli.ts', 'play', ...args, '--to', started.demo.edgeUrl], {
    env: { ...process.env, ...demoConnectorEnv },
  });

async function connectorOrders(platform: string) {
  const response = await fetch(`${started.demo.edgeUrl}/admin/connectors/orders?platform=${platform}`, {
    headers: { authorization: `Bearer ${demoSecrets.adminToken}` },
  });
  return (await response.json()) as Array<{ key: string; outcome: string; reversedTotal: string }>;
}

async function settled(platform: string, outcome: string) {
  for (let i = 0; i < 200; i++) {
    const orders = await connectorOrders(platform);
    if (orders[0]?.outcome === outcome) return orders[0];
    await new Promise((tick) => setTimeout(tick, 25));
  }
  throw new Error(`${platform}: no connector order reached ${outcome}`);
}

describe('the demo runs every connector: points-sandbox play reaches Points through the edge server', () => {
  it('Shopify: paid, then refunded in part', async () => {
    const { stdout } = await play([
      'shopify',
      'partial-refund',
      '--order',
      '5940139490001',
      '--phone',
      '0500000051',
    ]);
    expect(stdout.trim().split('\n')).toEqual([
      'orders/create → 200',
      'orders/paid → 200',
      'refunds/create → 200',
    ]);
    expect(await settled('shopify', 'reversed')).toMatchObject({ reversedTotal: '50.00' });
  });

  it('Salla: a paid order and a product review, each earning once though sent twice', async () => {
    await play(['salla', 'review', '--order', '2116149001', '--phone', '0500000052', '--duplicate']);
    let outcomes: string[] = [];
    for (let i = 0; i < 200 && outcomes.join() !== 'earned,earned'; i++) {
      await new Promise((tick) => setTimeout(tick, 25));
      outcomes = (await connectorOrders('salla')).map((order) => order.outcome).sort();
    }
    expect(outcomes).toEqual(['earned', 'earned']);
  });

  it('Zid: cash on delivery earns once delivered', async () => {
    await play(['zid', 'cod', '--order', '44834001', '--phone', '966500000053']);
    await settled('zid', 'earned');
  });

  it('WooCommerce: a refund that arrives before the payment never earns', async () => {
    await play(['woocommerce', 'out-of-order', '--order', '1052', '--phone', '050 000 0054']);
    expect(await settled('woocommerce', 'skipped')).toMatchObject({ outcome: 'skipped' });
  });

  it('a wrong secret is refused, and the CLI says so with exit 1', async () => {
    const wrong = run(
      process.execPath,
      [
        'demo/sandbox/cli.ts',
        'play',
        'shopify',
        'paid',
        '--to',
        started.demo.edgeUrl,
        '--secret',
        'wrong-secret',
      ],
      { env: process.env },
    );
    await expect(wrong).rejects.toMatchObject({ code: 1 });
  });
});
