import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { workerCompatibility } from '../../server/runtime/node/workerd.ts';
import { demoConnectorEnv } from '../../demo/demo.ts';
import {
  catalogCheckout,
  confirmedOrder,
  freePort,
  payAndReturn,
  sandboxEdgeEnv,
  startSandbox,
  testSecrets,
  until,
  writeCatalog,
  type Running,
} from '../support/running-kit.ts';

/**
 * The built Worker (dist/worker/worker.js) in real workerd with a local D1, run by `points-edge workerd`
 * exactly as a merchant runs it, against the Points sandbox on Node. Points is reached through a proxy the
 * test can take down, to store a webhook that cannot be processed yet.
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const admin = { authorization: `Bearer ${testSecrets.admin}` };

let sandbox: Running;
let sandboxUrl: string;
let pointsProxy: Server;
let pointsDown = false;
let dataDir: string;
let port: number;
let edgeUrl: string;
let worker: WorkerdProcess;
/** What every `points-edge workerd` of this file printed, the Worker's log lines among it. */
let printed = '';

/** `points-edge workerd` in its own process group, so a crash (SIGKILL) takes workerd down with it. */
interface WorkerdProcess {
  child: ChildProcess;
  output(): string;
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/** The environment `points-edge workerd` gets here, as `serve` would: Points through the proxy. */
function workerdEnv(): Record<string, string> {
  const proxyAddress = pointsProxy.address();
  const proxyUrl = `http://127.0.0.1:${typeof proxyAddress === 'object' && proxyAddress ? proxyAddress.port : 0}`;
  return {
    ...sandboxEdgeEnv({ sandboxUrl: proxyUrl, publicUrl: edgeUrl, port, databaseUrl: 'sqlite::memory:' }),
    CATALOG_FILE: writeCatalog(dataDir),
    ...demoConnectorEnv,
  };
}

async function startWorkerd(cronEverySeconds: number): Promise<WorkerdProcess> {
  const child = spawn(
    process.execPath,
    [
      'bin/points-edge.js',
      'workerd',
      '--persist-to',
      join(dataDir, 'd1'),
      '--cron-every',
      String(cronEverySeconds),
    ],
    {
      cwd: repo,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...workerdEnv() },
    },
  );
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    printed += chunk.toString();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await until(async () => (/edge server listening/.test(output) ? true : undefined), 60_000).catch(() => {
    throw new Error(`points-edge workerd did not start:\n${output}`);
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, name);
    await exited;
  };
  return { child, output: () => output, crash: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

async function adminJson<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${edgeUrl}${path}`, {
    ...init,
    headers: { ...admin, 'content-type': 'application/json', ...init.headers },
  });
  return { status: response.status, body: (await response.json()) as T };
}

type OrderView = { state: string; settledTotal: string; refundedTotal: string; pointsUuid: string };
const orderView = async (orderNumber: string) =>
  (await adminJson<{ order: OrderView }>(`/admin/orders/${orderNumber}`)).body.order;

/** The sandbox's delivery of the webhook that paid `orderNumber`, as it went out. */
async function sandboxDelivery(pointsUuid: string) {
  const deliveries = (await (await fetch(`${sandboxUrl}/sandbox/deliveries`)).json()) as Array<{
    orderUuid: string;
    event: string;
    headers: Record<string, string>;
    body: string;
    responseStatus: number | null;
  }>;
  return deliveries.find((item) => item.orderUuid === pointsUuid && item.responseStatus === 200);
}

/** Jobs by lane and state, from the Worker's `/metrics` (read from D1). */
async function jobCounts(): Promise<Record<string, number>> {
  const text = await (await fetch(`${edgeUrl}/metrics`, { headers: admin })).text();
  const counts: Record<string, number> = {};
  for (const [, lane, state, value] of text.matchAll(
    /^points_edge_jobs\{lane="(\w+)",state="(\w+)"\} (\d+)$/gm,
  )) {
    counts[`${lane}:${state}`] = Number(value);
  }
  return counts;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'points-workerd-'));
  port = await freePort();
  edgeUrl = `http://127.0.0.1:${port}`;
  ({ sandbox, url: sandboxUrl } = await startSandbox(process.execPath, ['demo/sandbox/cli.ts'], {
    cwd: repo,
    webhookUrl: `${edgeUrl}/webhooks/points`,
  }));
  // Points as the Worker sees it: the sandbox, or a 503 while "down".
  pointsProxy = createServer(async (request, response) => {
    if (pointsDown) {
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"down"}');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = await fetch(`${sandboxUrl}${request.url}`, {
      method: request.method,
      headers: Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length'),
      ) as Record<string, string>,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((listening) => pointsProxy.listen(0, '127.0.0.1', listening));
  // No cron while the tests below run: only the drain after each response moves jobs, which the crash
  // test relies on (its job must wait for the next Worker's cron).
  worker = await startWorkerd(3600);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.stop();
  await new Promise((closed) => pointsProxy?.close(closed));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the built Worker in workerd with a local D1', () => {
  let orderNumber: string;

  it('serves the widget bundle with its caching and SRI manifest, and answers /healthz and /readyz', async () => {
    expect((await fetch(`${edgeUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${edgeUrl}/readyz`)).json()).toEqual({ status: 'ready' });
    const manifest = (await (await fetch(`${edgeUrl}/widgets.json`)).json()) as {
      url: string;
      integrity: string;
    };
    expect(manifest.integrity).toMatch(/^sha384-/);
    const entry = await fetch(`${edgeUrl}${manifest.url}`);
    expect(entry.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const bytes = new Uint8Array(await entry.arrayBuffer());
    const digest = Buffer.from(await crypto.subtle.digest('SHA-384', bytes)).toString('base64');
    expect(`sha384-${digest}`).toBe(manifest.integrity);
    const loader = await fetch(`${edgeUrl}/widgets.js`);
    expect(loader.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate');
    // The console, from the same assets, under its own strict CSP.
    const consolePage = await fetch(`${edgeUrl}/console`);
    expect(consolePage.status).toBe(200);
    expect(consolePage.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${edgeUrl}/console/assets/console.js`)).status).toBe(200);
  });

  it('renders an element on the server (Lit SSR in workerd) for the fragment route', async () => {
    const fragment = await fetch(
      `${edgeUrl}/widgets/render/points-product-message?amount=199&earn-rate=10&lang=en&nonce=n0nce`,
    );
    expect(fragment.status).toBe(200);
    expect(fragment.headers.get('cache-control')).toBe('public, max-age=300');
    const html = await fragment.text();
    expect(html).toMatch(/^<points-product-message [^>]*amount="199"/);
    expect(html).toContain('shadowrootmode="open"');
    expect(html).toContain('<style nonce="n0nce">');
    expect(html).toContain('1,990');
    const refused = await fetch(`${edgeUrl}/widgets/render/points-product-message?amount=free`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
  });

  it('takes a full checkout: session, hosted page, callback, webhook, final status', async () => {
    orderNumber = await catalogCheckout(edgeUrl);
    const back = await payAndReturn(sandboxUrl, orderNumber);
    expect(back.status).toBe(303);
    const order = await confirmedOrder(edgeUrl, orderNumber, testSecrets.admin).catch(() => {
      throw new Error(`not confirmed; the Worker said:\n${worker.output()}`);
    });
    expect(order.settledTotal).toBe('199.00');
    // The shopper's return page, and the order status its element polls with the page's token.
    const returnPage = await fetch(new URL(back.headers.get('location')!, edgeUrl));
    expect(returnPage.status).toBe(200);
    const token = /token="([^"]+)"/.exec(await returnPage.text())?.[1];
    expect(token).toBeTruthy();
    const status = await fetch(`${edgeUrl}/orders/${orderNumber}/status?token=${encodeURIComponent(token!)}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ state: 'confirmed' });
  });

  it('takes a duplicate webhook once and refuses a forged one', async () => {
    const { pointsUuid } = await orderView(orderNumber);
    const delivery = await until(() => sandboxDelivery(pointsUuid));
    // With Points down, a stored webhook's job would wait in the queue for seconds: none must appear.
    pointsDown = true;
    try {
      const again = await fetch(`${edgeUrl}/webhooks/points`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      expect(again.status).toBe(200);
      const forged = await fetch(`${edgeUrl}/webhooks/points`, {
        method: 'POST',
        headers: { ...delivery.headers, 'X-Webhook-Secret': 'not-the-webhook-secret-at-all' },
        body: delivery.body,
      });
      expect(forged.status).toBe(401);
      const jobs = await jobCounts();
      expect([jobs['webhooks:queued'] ?? 0, jobs['webhooks:running'] ?? 0]).toEqual([0, 0]);
    } finally {
      pointsDown = false;
    }
    expect((await orderView(orderNumber)).state).toBe('confirmed');
  });

  it('refunds part of the order at Points and shows the new total', async () => {
    const refund = await adminJson(`/admin/orders/${orderNumber}/refund`, {
      method: 'POST',
      body: JSON.stringify({ amount: '50.00' }),
    });
    expect(refund.status).toBe(200);
    const refunded = await until(async () => {
      const order = await orderView(orderNumber);
      return order.refundedTotal === '50.00' ? order : undefined;
    });
    expect(refunded.refundedTotal).toBe('50.00');
  });

  it('earns on a WooCommerce order delivery, once', async () => {
    const play = spawn(
      process.execPath,
      [
        'demo/sandbox/cli.ts',
        'play',
        'woocommerce',
        'paid',
        '--order',
        '7301',
        '--phone',
        '0500000061',
        '--duplicate',
        '--to',
        edgeUrl,
      ],
      { cwd: repo, env: { ...process.env, ...demoConnectorEnv }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    play.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    play.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    expect(await new Promise((exited) => play.once('exit', exited))).toBe(0);
    expect(output).toMatch(/→ 200/);
    const earned = await until(async () => {
      const orders = (
        await adminJson<Array<{ outcome: string }>>('/admin/connectors/orders?platform=woocommerce')
      ).body;
      return orders[0]?.outcome === 'earned' ? orders : undefined;
    });
    expect(earned).toHaveLength(1);
  });

  it('finishes on the next cron run a webhook stored before a crash and never processed', async () => {
    const crashOrder = await catalogCheckout(edgeUrl);
    pointsDown = true;
    // The sandbox pays and delivers its webhook: stored (200), but processing cannot reach Points.
    await payAndReturn(sandboxUrl, crashOrder);
    await until(async () => {
      const jobs = await jobCounts();
      return jobs['webhooks:queued'] === 1 && !jobs['webhooks:running'] ? true : undefined;
    });
    expect((await orderView(crashOrder)).state).toBe('pending');
    await worker.crash();

    pointsDown = false;
    worker = await startWorkerd(1);
    const order = await confirmedOrder(edgeUrl, crashOrder, testSecrets.admin).catch(() => {
      throw new Error(`not confirmed after the restart; the Worker said:\n${worker.output()}`);
    });
    expect(order.settledTotal).toBe('199.00');
    // The stored job itself ran (the sweep on the same cron run may have confirmed the order first).
    await until(async () => {
      const jobs = await jobCounts();
      return (jobs['webhooks:queued'] ?? 0) + (jobs['webhooks:running'] ?? 0) === 0 ? true : undefined;
    });
    expect((await jobCounts())['webhooks:dead'] ?? 0).toBe(0);
  }, 90_000);

  it('passes points-edge doctor --server, which asks the Worker about its D1 database', async () => {
    // Asynchronously: Points is reached through this process's proxy.
    const doctor = await promisify(execFile)(
      process.execPath,
      [join(repo, 'bin/points-edge.js'), 'doctor', '--server', edgeUrl, '--json'],
      { cwd: dataDir, env: { ...process.env, ...workerdEnv(), DATABASE_URL: 'd1:DB' } },
    ).catch((failed: { stdout: string }) => failed);
    const report = JSON.parse(doctor.stdout) as {
      checks: Array<{ check: string; status: string; detail: string }>;
    };
    expect(report.checks.find((row) => row.check === 'database reachable and migrated')).toMatchObject({
      status: 'pass',
      detail: `asked the running server: ${edgeUrl}/readyz is ready`,
    });
    expect(report.checks.filter((row) => row.status === 'fail')).toEqual([]);
  });

  it('writes JSON log lines with no secret and no phone number', () => {
    const lines = printed.split('\n').filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const text = printed;
    for (const secret of [
      testSecrets.admin,
      testSecrets.webhook,
      demoConnectorEnv.WOOCOMMERCE_WEBHOOK_SECRET,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/0500000061|500000001/);
  });
});

describe('the built Worker with a bad configuration', () => {
  it('answers /readyz and every route 503 naming each problem as the Node CLI does, never a stack trace', async () => {
    const env = {
      POINTS_PUBLIC_KEY: 'pk_test_public',
      POINTS_WEBHOOK_SECRET: 'short',
      PUBLIC_URL: 'http://127.0.0.1:8787',
    };
    const miniflare = new Miniflare({
      modules: true,
      scriptPath: join(repo, 'dist/worker/worker.js'),
      compatibilityDate: workerCompatibility.date,
      compatibilityFlags: workerCompatibility.flags,
      bindings: env,
      d1Databases: ['DB'],
    });
    try {
      const expected = (() => {
        try {
          loadConfig({ ...env, DATABASE_URL: 'd1:DB' });
        } catch (error) {
          if (error instanceof ConfigError) return error;
        }
        throw new Error('expected this configuration to be refused');
      })();
      const ready = await miniflare.dispatchFetch('http://edge.test/readyz');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('content-type')).toBe('application/problem+json');
      const body = (await ready.json()) as {
        code: string;
        detail: string;
        errors: { configuration: string[] };
      };
      expect(body.code).toBe('server_not_configured');
      expect(body.detail).toBe(expected.message);
      expect(body.errors.configuration).toEqual(expected.problems);
      expect(body.errors.configuration.join('\n')).toMatch(/POINTS_PRIVATE_KEY: is required/);
      expect(JSON.stringify(body)).not.toMatch(/at .*worker\.js|short/);
      expect((await miniflare.dispatchFetch('http://edge.test/checkout', { method: 'POST' })).status).toBe(
        503,
      );
      expect((await miniflare.dispatchFetch('http://edge.test/healthz')).status).toBe(200);
    } finally {
      await miniflare.dispose();
    }
  });
});
