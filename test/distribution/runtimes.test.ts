import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  catalogCheckout,
  confirmedOrder,
  freePort,
  payAndReturn,
  sandboxEdgeEnv,
  start,
  startSandbox,
  testSecrets,
  writeCatalog,
  type Running,
} from '../support/running-kit.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

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
    'runs the sandbox and the edge server (SQLite thread included) through a checkout and its webhook, and renders a widget on the server',
    async () => {
      const run = (file: string, args: string[], env: NodeJS.ProcessEnv) => {
        const child = start(runtime.bin, [...runtime.args(file), ...args], { cwd: repo, env });
        processes.push(child);
        return child;
      };
      const port = await freePort();
      const edgeUrl = `http://127.0.0.1:${port}`;
      const { sandbox, url: sandboxUrl } = await startSandbox(
        runtime.bin,
        runtime.args('demo/sandbox/cli.ts'),
        {
          cwd: repo,
          webhookUrl: `${edgeUrl}/webhooks/points`,
        },
      );
      processes.push(sandbox);

      dataDir = mkdtempSync(join(tmpdir(), 'points-runtime-'));
      const edge = run('server/main.ts', [], {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...sandboxEdgeEnv({
          sandboxUrl: sandboxUrl,
          publicUrl: edgeUrl,
          port,
          databaseUrl: `sqlite:${join(dataDir, 'points.db')}`,
        }),
        CATALOG_FILE: writeCatalog(dataDir),
      });
      await edge.waitFor(/edge server listening/);

      const orderNumber = await catalogCheckout(edgeUrl);
      expect((await payAndReturn(sandboxUrl, orderNumber)).status).toBe(303);
      const order = await confirmedOrder(edgeUrl, orderNumber, testSecrets.admin).catch(() => {
        throw new Error(`The order was not confirmed on ${runtime.name}. Edge server:\n${edge.output()}`);
      });
      expect(order.settledTotal).toBe('199.00');

      // Server rendering (Lit SSR) on this runtime, through the fragment route.
      const fragment = await fetch(
        `${edgeUrl}/widgets/render/points-product-message?amount=199&earn-rate=10&lang=en`,
      );
      expect(fragment.status).toBe(200);
      const html = await fragment.text();
      expect(html).toMatch(/^<points-product-message [^>]*amount="199"/);
      expect(html).toContain('shadowrootmode="open"');
      expect(html).toContain('1,990');
      expect((await fetch(`${edgeUrl}/widgets/render/points-product-message?amount=free`)).status).toBe(400);
      expect(await edge.stop()).toBe(0);
    },
  );
});
