import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from './run.ts';
import { benchSecrets, edgeEnv, sandboxKeys, scratchDir } from './support/env.ts';
import { freePort, root, startSandbox, waitForHealthy } from './support/processes.ts';
import { percentile, round } from './support/stats.ts';
import { approvedWebhookBody } from './support/webhook-bodies.ts';

const startRuns = 5;
const webhooks = 400;
const webhookConcurrency = 8;
const checkoutRounds = 200;
const checkoutWarmUp = 300;

/** The two ways the edge server runs here: `points-edge serve` on Node, `points-edge workerd` (the built Worker). */
const runtimes = [
  { name: 'Node', args: ['serve'] },
  { name: 'workerd', args: ['workerd', '--cron-every', '3600'] },
] as const;

interface Started {
  url: string;
  startedMs: number;
  stop(): Promise<void>;
}

/** Spawns the edge server and polls `/healthz`: the time to its first 200 is what is measured. */
async function startEdge(
  runtime: (typeof runtimes)[number],
  extra: Record<string, string> = {},
  sandboxApi?: string,
): Promise<Started> {
  const dir = scratchDir(`bench-${runtime.name}`);
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      'bin/points-edge.js',
      ...runtime.args,
      ...(runtime.name === 'workerd' ? ['--persist-to', join(dir, 'd1')] : []),
    ],
    {
      cwd: root,
      env: { ...process.env, ...edgeEnv({ dir, port, ...(sandboxApi ? { sandboxApi } : {}), extra }) },
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthy(`${url}/healthz`, () => child.exitCode !== null);
  return {
    url,
    startedMs: performance.now() - started,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Time of one request, in ms. */
async function timed(url: string, init: RequestInit): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status}`);
  return performance.now() - started;
}

/**
 * The Worker under workerd (`points-edge workerd`, local D1) beside the Node server (`points-edge serve`,
 * SQLite) in the same run: start to first 200 on `/healthz` and the first request of a fresh isolate, webhook
 * intake latency, and the latency `POST /checkout` adds over the sandbox's own checkout. Local workerd is not
 * Cloudflare's network: these compare our code on the two runtimes on one machine, nothing more.
 */
export async function workersBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const sandbox = await startSandbox();
  const sandboxApi = `${sandbox.url}/api`;
  try {
    for (const runtime of runtimes) {
      // Start: a fresh database each run, migrations included; then the first request that builds the edge.
      const starts: number[] = [];
      const firstRequests: number[] = [];
      for (let run = 0; run < startRuns; run++) {
        const edge = await startEdge(runtime);
        starts.push(edge.startedMs);
        firstRequests.push(await timed(`${edge.url}/readyz`, {}));
        await edge.stop();
      }
      rows.push(
        {
          name: `${runtime.name}: start to first 200 on /healthz`,
          value: round(percentile(starts, 50), 0),
          unit: 'ms',
          note: `median of ${startRuns}; fresh database, migrations included (range ${round(Math.min(...starts), 0)}–${round(Math.max(...starts), 0)})`,
        },
        {
          name: `${runtime.name}: first /readyz after start`,
          value: round(percentile(firstRequests, 50), 1),
          unit: 'ms',
          note: `median of ${startRuns}; on workerd the isolate builds the edge here (config, key, assets)`,
        },
      );

      const catalogDir = scratchDir('bench-catalog');
      const catalog = join(catalogDir, 'catalog.json');
      writeFileSync(catalog, JSON.stringify({ products: [{ sku: 'CUP', name: 'Cup', price: '12.50' }] }));
      const edge = await startEdge(
        runtime,
        { CATALOG_FILE: catalog, RATE_LIMIT_CHECKOUTS_PER_MINUTE: '0' },
        sandboxApi,
      );
      try {
        // Webhook intake: each delivery stored before its 200 (then processed after it).
        const acks: number[] = [];
        let next = 0;
        await Promise.all(
          Array.from({ length: webhookConcurrency }, async () => {
            while (next < webhooks) {
              const n = next++;
              acks.push(
                await timed(`${edge.url}/webhooks/points`, {
                  method: 'POST',
                  headers: {
                    'content-type': 'application/json',
                    'x-webhook-secret': benchSecrets.webhook,
                    'x-webhook-event': 'approved',
                  },
                  body: approvedWebhookBody(runtime.name === 'Node' ? n : n + webhooks),
                }),
              );
            }
          }),
        );
        const webhookNote = `${webhooks} distinct deliveries, ${webhookConcurrency} at a time`;
        rows.push(
          {
            name: `${runtime.name}: webhook intake p50`,
            value: round(percentile(acks, 50)),
            unit: 'ms',
            note: webhookNote,
          },
          {
            name: `${runtime.name}: webhook intake p99`,
            value: round(percentile(acks, 99)),
            unit: 'ms',
            note: webhookNote,
          },
        );

        // Checkout: the edge's POST /checkout against the sandbox's checkout called directly, alternating.
        const direct: number[] = [];
        const viaEdge: number[] = [];
        for (let i = 0; i < checkoutWarmUp + checkoutRounds; i++) {
          const directMs = await timed(`${sandboxApi}/v1/orders/checkout/${sandboxKeys.publicKey}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              order_number: `DIRECT-${runtime.name}-${i}`,
              total_price: 12.5,
              callback_url: `${edge.url}/callback?order=DIRECT-${i}`,
              products: [{ product_name: 'Cup', product_price: 12.5, quantity: 1 }],
            }),
          });
          const edgeMs = await timed(`${edge.url}/checkout`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ items: [{ sku: 'CUP', quantity: 1 }] }),
          });
          if (i >= checkoutWarmUp) {
            direct.push(directMs);
            viaEdge.push(edgeMs);
          }
        }
        rows.push({
          name: `${runtime.name}: checkout added latency, p50`,
          value: round(percentile(viaEdge, 50) - percentile(direct, 50)),
          unit: 'ms',
          note: `${checkoutRounds} alternating calls after ${checkoutWarmUp} warm-up; p99 added ${round(percentile(viaEdge, 99) - percentile(direct, 99))} ms`,
        });
      } finally {
        await edge.stop();
      }
    }
  } finally {
    await sandbox.child.stop();
  }
  return rows;
}

if (import.meta.main) console.table(await workersBench());
