import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { confirmedOrder, freePort, payAndReturn, start, type Running } from '../support/running-kit.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const adminToken = 'test-admin-token-runtimes-00000000000';
const webhookSecret = 'test_webhook_secret_runtimes';

/** Bun and Deno, from BUN_BIN / DENO_BIN (`.ci/use-runtimes.sh` installs both from the npm registry) or PATH. */
const runtimes = [
  { name: 'Bun', bin: process.env.BUN_BIN ?? 'bun', args: (file: string) => [file] },
  {
    name: 'Deno',
    bin: process.env.DENO_BIN ?? 'deno',
    args: (file: string) => ['run', '-A', '--no-lock', file],
  },
].map((runtime) => ({ ...runtime, present: spawnSync(runtime.bin, ['--version']).status === 0 }));

for (const runtime of runtimes.filter((item) => !item.present)) {
  console.warn(
    `${runtime.name} not found (${runtime.bin}): its smoke test is skipped; .ci/use-runtimes.sh installs it`,
  );
}

let processes: Running[] = [];
let dataDir: string | undefined;
afterEach(async () => {
  await Promise.all(processes.map((child) => child.stop()));
  processes = [];
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.each(runtimes)('the kit from source on $name', (runtime) => {
  it.skipIf(!runtime.present)(
    'runs the sandbox and the edge server (SQLite thread included) through a checkout and its webhook',
    async () => {
      const run = (file: string, args: string[], env: NodeJS.ProcessEnv) => {
        const child = start(runtime.bin, [...runtime.args(file), ...args], { cwd: repo, env });
        processes.push(child);
        return child;
      };
      const port = await freePort();
      const edgeUrl = `http://127.0.0.1:${port}`;
      const sandbox = run(
        'demo/sandbox/cli.ts',
        ['--port', '0', '--webhook-url', `${edgeUrl}/webhooks/points`, '--webhook-secret', webhookSecret],
        process.env,
      );
      const [, sandboxUrl] = await sandbox.waitFor(/Points sandbox: (\S+)/);
      await sandbox.waitFor(/Admin:/);

      dataDir = mkdtempSync(join(tmpdir(), 'points-runtime-'));
      writeFileSync(
        join(dataDir, 'catalog.json'),
        JSON.stringify({ products: [{ sku: 'COFFEE-SET', name: 'Arabic coffee set', price: '199.00' }] }),
      );
      const edge = run('server/main.ts', [], {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        POINTS_API_BASE_URL: `${sandboxUrl}/api`,
        POINTS_PUBLIC_KEY: 'sandbox_public_key_demo',
        POINTS_PRIVATE_KEY: 'sandbox_private_key_demo',
        POINTS_WEBHOOK_SECRET: webhookSecret,
        ADMIN_TOKEN: adminToken,
        DATABASE_URL: `sqlite:${join(dataDir, 'points.db')}`,
        CATALOG_FILE: join(dataDir, 'catalog.json'),
        PUBLIC_URL: edgeUrl,
        PORT: String(port),
      });
      await edge.waitFor(/edge server listening/);

      const checkout = await fetch(`${edgeUrl}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ sku: 'COFFEE-SET', quantity: 1 }] }),
      });
      expect(checkout.status).toBe(200);
      const { orderNumber } = (await checkout.json()) as { orderNumber: string };
      expect((await payAndReturn(sandboxUrl!, orderNumber)).status).toBe(303);
      const order = await confirmedOrder(edgeUrl, orderNumber, adminToken).catch(() => {
        throw new Error(`The order was not confirmed on ${runtime.name}. Edge server:\n${edge.output()}`);
      });
      expect(order.settledTotal).toBe('199.00');
      expect(await edge.stop()).toBe(0);
    },
  );
});
