import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from './run.ts';
import { edgeEnv, sandboxKeys, scratchDir } from './support/env.ts';
import { startNode, startSandbox } from './support/processes.ts';
import { percentile, round } from './support/stats.ts';

const rounds = 300;
/**
 * Calls before the measured ones: a merchant's server has run long enough for V8 to optimise its code, so
 * the steady state is what counts. On a 2-core VM the added p50 was 2.8 ms after 30 warm-up calls, 2.4 after
 * 300, and 2.05–2.2 after 1,000 or 3,000.
 */
const warmUp = 1000;

/**
 * Added latency of `POST /checkout` (validate, price from the catalog, read and save the order, call
 * Points) over calling the sandbox's checkout endpoint directly with the same body. Both servers run
 * as their own processes; calls alternate one at a time so both see the same machine load.
 */
export async function checkoutOverhead(): Promise<BenchRow[]> {
  const dir = scratchDir('bench-checkout');
  const catalog = join(dir, 'catalog.json');
  writeFileSync(catalog, JSON.stringify({ products: [{ sku: 'CUP', name: 'Cup', price: '12.50' }] }));
  const sandbox = await startSandbox();
  const edge = await startNode(
    'bench/support/edge-bench-server.ts',
    [],
    // A thousand checkouts from one client: without this the throttle would answer most of them 429.
    edgeEnv({
      dir,
      sandboxApi: `${sandbox.url}/api`,
      extra: { CATALOG_FILE: catalog, RATE_LIMIT_CHECKOUTS_PER_MINUTE: '0' },
    }),
    /edge bench server: (http\S+)/,
  );
  const edgeUrl = edge.match[1]!;
  const direct: number[] = [];
  const viaEdge: number[] = [];
  try {
    for (let i = 0; i < warmUp + rounds; i++) {
      const directMs = await timed(`${sandbox.url}/api/v1/orders/checkout/${sandboxKeys.publicKey}`, {
        order_number: `DIRECT-${i}`,
        total_price: 12.5,
        callback_url: `${edgeUrl}/callback?order=DIRECT-${i}`,
        products: [{ product_name: 'Cup', product_price: 12.5, quantity: 1 }],
      });
      const edgeMs = await timed(`${edgeUrl}/checkout`, { items: [{ sku: 'CUP', quantity: 1 }] });
      if (i >= warmUp) {
        direct.push(directMs);
        viaEdge.push(edgeMs);
      }
    }
  } finally {
    await Promise.all([edge.child.stop(), sandbox.child.stop()]);
  }
  const added = percentile(viaEdge, 50) - percentile(direct, 50);
  const note = `${rounds} sequential calls each, alternating, after ${warmUp} warm-up calls each`;
  return [
    {
      name: 'checkout: sandbox checkout direct, p50',
      value: round(percentile(direct, 50)),
      unit: 'ms',
      note,
    },
    {
      name: 'checkout: POST /checkout via edge, p50',
      value: round(percentile(viaEdge, 50)),
      unit: 'ms',
      note,
    },
    {
      name: 'checkout: added latency, p50',
      value: round(added),
      unit: 'ms',
      note: `target ≤ 3 ms: ${added <= 3 ? 'met' : 'NOT met'}`,
    },
    {
      name: 'checkout: added latency, p99',
      value: round(percentile(viaEdge, 99) - percentile(direct, 99)),
      unit: 'ms',
      note: 'p99 via edge − p99 direct',
    },
  ];
}

async function timed(url: string, body: unknown): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`checkout bench: ${url} answered ${response.status}: ${text}`);
  return ms;
}
