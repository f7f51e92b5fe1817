import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogCheckout,
  confirmedOrder,
  freePort,
  payAndReturn,
  sandboxEdgeEnv,
  start,
  startSandbox,
  testSecrets,
  until,
  writeCatalog,
  type Running,
} from '../support/running-kit.ts';
import { migrationNames } from '../../server/store/migrations.ts';
import { installPackedKit, type InstalledKit } from './installed-kit.ts';

const repoPackage = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const guide = readFileSync(new URL('../../docs/integration-guide.md', import.meta.url), 'utf8');
const run = promisify(execFile);

let kit: InstalledKit;
const running: Running[] = [];
const bin = (name: string) => join(kit.dir, 'node_modules', '.bin', name);

beforeAll(() => {
  // The merchant's own app: its web framework, TypeScript and Node's types, beside the kit.
  const { typescript, '@types/node': nodeTypes, miniflare } = repoPackage.devDependencies;
  kit = installPackedKit([
    'hono',
    '@hono/node-server',
    `typescript@${typescript}`,
    `@types/node@${nodeTypes}`,
    // For points-edge workerd (an optional peer of the kit).
    `miniflare@${miniflare}`,
  ]);
});
afterAll(async () => {
  await Promise.all(running.map((process) => process.stop()));
  kit?.remove();
});

/** The installed `points-sandbox`, sending its webhook to `webhookUrl`; resolves with its base URL. */
async function installedSandbox(webhookUrl: string): Promise<string> {
  const { sandbox, url } = await startSandbox(bin('points-sandbox'), [], { cwd: kit.dir, webhookUrl });
  running.push(sandbox);
  return url;
}

/** The edge server's environment in the shop's project: PATH and HOME, the sandbox, a database in ./data. */
function edgeEnv(sandboxUrl: string, publicUrl: string, port: number, database: string): NodeJS.ProcessEnv {
  const databaseUrl = `sqlite:./data/${database}`;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...sandboxEdgeEnv({ sandboxUrl, publicUrl, port, databaseUrl }),
  };
}

describe('the packed kit installed in a fresh project outside the repository', () => {
  it('runs points-edge migrate, serve and doctor against the installed points-sandbox, and completes a checkout', async () => {
    const port = await freePort();
    const edgeUrl = `http://127.0.0.1:${port}`;
    const sandboxUrl = await installedSandbox(`${edgeUrl}/webhooks/points`);
    writeCatalog(kit.dir);
    const env = { ...edgeEnv(sandboxUrl, edgeUrl, port, 'points.db'), CATALOG_FILE: './catalog.json' };

    const migrated = await run(bin('points-edge'), ['migrate'], { cwd: kit.dir, env });
    expect(migrated.stdout).toMatch(/^Applied: /);

    const edge = start(bin('points-edge'), ['serve'], { cwd: kit.dir, env });
    running.push(edge);
    await edge.waitFor(/edge server listening/);

    const doctor = await run(bin('points-edge'), ['doctor', '--server', edgeUrl], {
      cwd: kit.dir,
      env,
    }).catch((error: { code: number; stdout: string }) => error);
    // Outside a git checkout the secret scan is skipped; the running server answers for its SQLite file.
    expect(doctor.stdout).toMatch(/SKIP\s+no secret in tracked files\s+skipped: not a git checkout/);
    expect(doctor.stdout).toMatch(/PASS\s+database reachable and migrated\s+asked the running server/);
    expect(doctor.stdout).toContain('Ready with 1 warning: public and return URLs are HTTPS.');

    // The widget bundle is inside the package: nothing was built by hand.
    const manifest = (await (await fetch(`${edgeUrl}/widgets.json`)).json()) as {
      url: string;
      integrity: string;
    };
    const entry = Buffer.from(await (await fetch(`${edgeUrl}${manifest.url}`)).arrayBuffer());
    expect(manifest.integrity).toBe(`sha384-${createHash('sha384').update(entry).digest('base64')}`);

    const orderNumber = await catalogCheckout(edgeUrl);
    const back = await payAndReturn(sandboxUrl, orderNumber);
    expect(back.status).toBe(303);

    // The webhook reaches the installed server and the order is confirmed from it.
    const order = await confirmedOrder(edgeUrl, orderNumber, testSecrets.admin).catch(() => {
      throw new Error(`The order was not confirmed. Edge server:\n${edge.output()}`);
    });
    expect(order.settledTotal).toBe('199.00');

    expect(await edge.stop()).toBe(0);
  });

  it("type-checks and runs the integration guide's §6 code: the edge mounted under /points in the shop's own Hono app", async () => {
    const snippet = /<!-- library-mode -->\n```ts\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(snippet).toBeDefined();
    writeFileSync(join(kit.dir, 'mount.ts'), `import { shop } from './shop.ts';\n${snippet}`);
    writeFileSync(
      join(kit.dir, 'shop.ts'),
      `interface ShopOrder {
  number: string;
  total: number;
  paid: boolean;
  customerPhone?: string;
  lines: Array<{ title: string; price: number; quantity: number }>;
}
const orders = new Map<string, ShopOrder>([
  ['1042', { number: '1042', total: 199, paid: false, lines: [{ title: 'Arabic coffee set', price: 199, quantity: 1 }] }],
]);
export const shop = {
  orders: {
    async find(orderNumber: string): Promise<ShopOrder | undefined> {
      return orders.get(orderNumber);
    },
    async markPaid(orderNumber: string, total: string | null): Promise<void> {
      orders.get(orderNumber)!.paid = true;
      console.log(\`shop: paid \${orderNumber} \${total}\`);
    },
    async markRefunded(orderNumber: string): Promise<void> {
      console.log(\`shop: refunded \${orderNumber}\`);
    },
  },
};
`,
    );
    // Every entry point's types, as a bundler user of the widgets and a user of the client and sandbox see them.
    writeFileSync(
      join(kit.dir, 'entries.ts'),
      `import type { PointsPayButton, PointsEventMap } from 'points-storefront-kit/widgets';
import { createPointsClient } from 'points-storefront-kit/points';
import { createSandbox } from 'points-storefront-kit/sandbox';
import { renderWidget } from 'points-storefront-kit/ssr';
import type { OrderUpdatedEvent } from 'points-storefront-kit';
export type Seen = [PointsPayButton, PointsEventMap, OrderUpdatedEvent, typeof createPointsClient, typeof createSandbox, typeof renderWidget];
`,
    );
    writeFileSync(
      join(kit.dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          types: ['node'],
        },
        include: ['mount.ts', 'shop.ts', 'entries.ts'],
      }),
    );
    await run(join(kit.dir, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: kit.dir }).catch(
      (error: { stdout: string }) => {
        throw new Error(`tsc failed:\n${error.stdout}`);
      },
    );

    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}/points`;
    const sandboxUrl = await installedSandbox(`${publicUrl}/webhooks/points`);
    const shop = start(process.execPath, ['mount.ts'], {
      cwd: kit.dir,
      env: edgeEnv(sandboxUrl, publicUrl, port, 'mounted.db'),
    });
    running.push(shop);
    await until(async () => ((await fetch(`${publicUrl}/readyz`)).ok ? true : undefined));

    const manifest = (await (await fetch(`${publicUrl}/widgets.json`)).json()) as { url: string };
    expect(manifest.url).toMatch(/^\/points\/widgets\.[\w-]+\.js$/);
    expect((await fetch(`http://127.0.0.1:${port}${manifest.url}`)).status).toBe(200);
    const fragment = await fetch(`${publicUrl}/widgets/render/points-product-message?amount=199&lang=en`);
    expect(fragment.status).toBe(200);
    expect(await fragment.text()).toContain('shadowrootmode="open"');

    const checkout = await fetch(`${publicUrl}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderNumber: '1042' }),
    });
    expect(checkout.status).toBe(200);
    const back = await payAndReturn(sandboxUrl, '1042');
    expect(back.headers.get('location')).toMatch(new RegExp(`^${publicUrl}/return\\?.*order=1042`));
    await shop.waitFor(/shop: paid 1042 199\.00/);

    expect(await shop.stop()).toBe(0);
  });

  it('holds no script npm would run or warn about at install: the tarball carries the build', () => {
    const installed = JSON.parse(
      readFileSync(join(kit.dir, 'node_modules', 'points-storefront-kit', 'package.json'), 'utf8'),
    ) as { scripts?: Record<string, string> };
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(installed.scripts?.[script], script).toBeUndefined();
    }
    // The clone's own package.json got its prepare back after packing.
    const source = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(source.scripts['prepare']).toContain('npm run build');
  });

  it('renders an element on the server from the installed package (points-storefront-kit/ssr)', async () => {
    writeFileSync(
      join(kit.dir, 'render.mjs'),
      "import { renderWidget } from 'points-storefront-kit/ssr';\n" +
        "console.log(await renderWidget('points-product-message', { amount: '199', 'earn-rate': '10', lang: 'en' }));\n",
    );
    const { stdout } = await run(process.execPath, ['render.mjs'], { cwd: kit.dir });
    expect(stdout).toMatch(
      /^<points-product-message amount="199"[^>]*><template shadowroot="open" shadowrootmode="open">/,
    );
    expect(stdout.replace(/<[^>]+>/g, '')).toContain('Earn 1,990 Points');
  });

  it('bundles the widgets from the package with Vite, as a store app would, without the edge serving them', async () => {
    writeFileSync(
      join(kit.dir, 'store.js'),
      "import { PointsPayButton } from 'points-storefront-kit/widgets';\nconsole.log(PointsPayButton.name);\n",
    );
    writeFileSync(join(kit.dir, 'index.html'), '<script type="module" src="./store.js"></script>\n');
    const vite = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));
    await run(process.execPath, [vite, 'build', '--outDir', 'store-dist', '--logLevel', 'error'], {
      cwd: kit.dir,
    });
    const assets = join(kit.dir, 'store-dist', 'assets');
    const code = readdirSync(assets)
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(join(assets, name), 'utf8'))
      .join('\n');
    expect(code).toContain('points-pay-button');
    expect(code).toContain('points-product-message');
  });

  it('runs the packed Worker in workerd (points-edge workerd) through a checkout against the installed sandbox', async () => {
    const port = await freePort();
    const edgeUrl = `http://127.0.0.1:${port}`;
    const sandboxUrl = await installedSandbox(`${edgeUrl}/webhooks/points`);
    writeCatalog(kit.dir);
    const env = { ...edgeEnv(sandboxUrl, edgeUrl, port, 'unused.db'), CATALOG_FILE: './catalog.json' };
    const worker = start(bin('points-edge'), ['workerd', '--persist-to', './data/d1'], { cwd: kit.dir, env });
    running.push(worker);
    await worker.waitFor(
      new RegExp(`edge server listening .*${migrationNames.length} migrations applied`),
      60_000,
    );

    const orderNumber = await catalogCheckout(edgeUrl);
    expect((await payAndReturn(sandboxUrl, orderNumber)).status).toBe(303);
    const order = await confirmedOrder(edgeUrl, orderNumber, testSecrets.admin).catch(() => {
      throw new Error(`The order was not confirmed. Worker:\n${worker.output()}`);
    });
    expect(order.settledTotal).toBe('199.00');
    expect(await worker.stop()).toBe(0);
  });

  it('deploys with the wrangler template: wrangler builds it and applies the migrations to a D1 the Worker finds up to date', async () => {
    const template = readFileSync(
      join(kit.dir, 'node_modules/points-storefront-kit/templates/wrangler.jsonc'),
      'utf8',
    );
    const databaseId = '00000000-0000-4000-8000-000000000000';
    writeFileSync(
      join(kit.dir, 'wrangler.jsonc'),
      template.replace('REPLACE_WITH_YOUR_DATABASE_ID', databaseId),
    );
    const wrangler = fileURLToPath(new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url));
    const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' };
    const migrated = await run(process.execPath, [wrangler, 'd1', 'migrations', 'apply', 'DB', '--local'], {
      cwd: kit.dir,
      env,
    });
    expect(migrated.stdout).toContain(`${migrationNames.at(-1)}.sql`);

    const built = await run(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', 'worker-out'], {
      cwd: kit.dir,
      env,
    });
    expect(built.stdout).toMatch(/env\.DB .*points-edge/);
    expect(built.stdout).toMatch(/env\.ASSETS/);
    expect(readdirSync(join(kit.dir, 'worker-out'))).toContain('worker.js');

    // The guide's own entry (§14, "Your own hooks") as main: wrangler bundles it with the kit's Worker.
    const ownEntry =
      /## 14\. Deploy to Cloudflare Workers[\s\S]*?```ts\n\/\/ src\/worker\.ts\n([\s\S]*?)```/.exec(
        guide,
      )?.[1];
    expect(ownEntry).toContain('createWorkerHandler');
    mkdirSync(join(kit.dir, 'src'), { recursive: true });
    writeFileSync(join(kit.dir, 'src/worker.ts'), ownEntry!);
    writeFileSync(
      join(kit.dir, 'wrangler.jsonc'),
      template
        .replace('REPLACE_WITH_YOUR_DATABASE_ID', databaseId)
        .replace('"node_modules/points-storefront-kit/dist/worker/worker.js"', '"src/worker.ts"'),
    );
    await run(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', 'own-out'], {
      cwd: kit.dir,
      env,
    });
    const bundled = readFileSync(join(kit.dir, 'own-out/worker.js'), 'utf8');
    expect(bundled).toContain('server_not_configured');
    expect(bundled).toContain('event.orderNumber');

    // The D1 file wrangler wrote, opened the way the Worker opens it: every migration recorded.
    const { Miniflare } = await import(join(kit.dir, 'node_modules/miniflare/dist/src/index.js'));
    const miniflare = new Miniflare({
      modules: true,
      script: 'export default { fetch() { return new Response(null); } };',
      d1Databases: { DB: databaseId },
      d1Persist: join(kit.dir, '.wrangler/state/v3/d1'),
    });
    try {
      const d1 = await miniflare.getD1Database('DB');
      const { results } = await d1.prepare('select name from points_migrations order by name').all();
      expect(results.map((row: { name: string }) => row.name)).toEqual(migrationNames);
    } finally {
      await miniflare.dispose();
    }
  });
});
