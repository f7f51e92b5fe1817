import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { activate } from '../../server/connectors/registry.ts';
import { shopify } from '../../server/connectors/shopify/shopify.ts';
import { zid } from '../../server/connectors/zid/zid.ts';

const cli = fileURLToPath(new URL('../../demo/sandbox/cli.ts', import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGTERM');
  child = undefined;
});

/** Starts the CLI and resolves with its output once it printed the admin line (its last line). */
function start(args: string[], env: Record<string, string> = {}): Promise<string> {
  child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Admin:')) resolve(output);
    });
    child!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child!.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

function exitOf(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string; stdout: string }> {
  child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve) => {
    let output = '';
    let stdout = '';
    child!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stdout += chunk.toString();
    });
    child!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child!.on('exit', (code) => resolve({ code, output, stdout }));
  });
}

describe('points-sandbox CLI', () => {
  it('is an executable node script', () => {
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(() => accessSync(cli, constants.X_OK)).not.toThrow();
  });

  it('starts on a free port, prints what a developer needs and serves the API', async () => {
    const output = await start([
      '--port',
      '0',
      '--public-key',
      'test_public_key_cli',
      '--private-key',
      'test_private_key_cli',
    ]);
    const baseUrl = /Points sandbox: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(baseUrl).toBeDefined();
    expect(output).toContain(`API base:       ${baseUrl}/api`);
    expect(output).toContain('test_public_key_cli');
    expect(output).toContain('500000001');
    expect(output).toContain('123456');
    const checkout = await fetch(`${baseUrl}/api/v1/orders/checkout/test_public_key_cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ total_price: 10, order_number: 'CLI-1' }),
    });
    const body = (await checkout.json()) as { data: { checkout_url: string } };
    expect(body.data.checkout_url.startsWith(`${baseUrl}/session/`)).toBe(true);
    const page = await fetch(body.data.checkout_url);
    expect(page.status).toBe(200);
    const auth = await fetch(`${baseUrl}/api/v1/webhooks`, {
      headers: { 'x-api-key': 'test_private_key_cli' },
    });
    expect(auth.status).toBe(200);
  });

  it('reads environment variables; the earn rate applies', async () => {
    const output = await start([], {
      SANDBOX_PORT: '0',
      SANDBOX_EARN_RATE: '20',
      SANDBOX_PRIVATE_KEY: 'test_private_key_env',
    });
    const baseUrl = /Points sandbox: (\S+)/.exec(output)?.[1];
    const res = await fetch(`${baseUrl}/api/v1/orders/earning`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'test_private_key_env' },
      body: JSON.stringify({
        phone_number: '500000002',
        total_price: 10,
        order_number: 'CLI-E',
        products: [{ product_name: 'A', product_price: 10, quantity: 1 }],
      }),
    });
    expect(((await res.json()) as { data: { total_points: number } }).data.total_points).toBe(200);
  });

  it('prints the secret its webhook is sent with, random unless given, and lists it at /sandbox', async () => {
    const hook = 'http://127.0.0.1:9/webhooks/points';
    const output = await start(['--port', '0', '--webhook-url', hook]);
    const secret = /Webhook: +\S+ +\(secret (\w+):/.exec(output)?.[1];
    expect(secret).toMatch(/^[0-9a-f]{60}$/);
    const baseUrl = /Points sandbox: (\S+)/.exec(output)?.[1];
    const info = (await (await fetch(`${baseUrl}/sandbox`)).json()) as {
      webhooks: Array<{ url: string; secret: string }>;
    };
    expect(info.webhooks).toMatchObject([{ url: hook, secret }]);
    child?.kill('SIGTERM');
    const given = await start([
      '--port',
      '0',
      '--webhook-url',
      hook,
      '--webhook-secret',
      'test_given_secret',
    ]);
    expect(given).toContain('(secret test_given_secret:');
  });

  it('--help says what every option does and how to point the edge server at it', async () => {
    const help = await exitOf(['--help']);
    expect(help.code).toBe(0);
    for (const text of [
      '--webhook-secret',
      'SANDBOX_WEBHOOK_SECRET',
      'POINTS_API_BASE_URL',
      'GET /sandbox',
    ]) {
      expect(help.output).toContain(text);
    }
  });

  it('on a busy port prints one line naming the port and what moves it, and exits 1', async () => {
    const busy = createServer();
    await new Promise<void>((listening) => busy.listen(0, '127.0.0.1', listening));
    const port = (busy.address() as AddressInfo).port;
    try {
      const runs: Array<[string[], Record<string, string>]> = [
        [['--port', String(port)], {}],
        [[], { SANDBOX_PORT: String(port) }],
      ];
      for (const [args, env] of runs) {
        const { code, output } = await exitOf(args, env);
        expect(code).toBe(1);
        expect(output.trim().split('\n')).toEqual([
          `points-sandbox: port ${port} on 127.0.0.1 is in use; choose another with --port or SANDBOX_PORT (0 = any free port)`,
        ]);
      }
    } finally {
      await new Promise((closed) => busy.close(closed));
    }
  });

  it('--reset brings a running sandbox back to its fixtures, and fails when none answers', async () => {
    const output = await start(['--port', '0']);
    const baseUrl = /Points sandbox: (\S+)/.exec(output)![1]!;
    const running = child;
    const checkout = await fetch(`${baseUrl}/api/v1/orders/checkout/sandbox_public_key_demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ total_price: 100, order_number: 'CLI-R' }),
    });
    expect(checkout.status).toBe(200);
    await fetch(`${baseUrl}/sandbox/checkout/CLI-R/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '500000001', redeem_points: 1000 }),
    });
    const balance = async () =>
      ((await (await fetch(`${baseUrl}/sandbox/customers/500000001`)).json()) as { balance: number }).balance;
    expect(await balance()).toBe(4000);

    const port = new URL(baseUrl).port;
    const reset = await exitOf(['--reset', '--port', port]);
    expect(reset.code, reset.output).toBe(0);
    expect(reset.stdout).toContain(`Reset the sandbox at ${baseUrl}: fixture balances 500000001 5000,`);
    expect(await balance()).toBe(5000);
    running?.kill('SIGTERM');

    const nobody = await exitOf(['--reset', '--base-url', 'http://127.0.0.1:9']);
    expect(nobody.code).toBe(1);
    expect(nobody.output).toContain('could not reset the sandbox at http://127.0.0.1:9');
  });

  it('refuses bad flags with exit code 2', async () => {
    const unknown = await exitOf(['--nope']);
    expect(unknown.code).toBe(2);
    const port = await exitOf(['--port', 'abc']);
    expect(port.code).toBe(2);
    expect(port.output).toContain('--port must be an integer');
  });
});

/** Connector secrets as the edge would read them; cleared so a developer's own env does not leak in. */
const playEnv = {
  SALLA_WEBHOOK_SECRET: '',
  SHOPIFY_API_SECRET: 'test-shopify-secret-cli-0000000000',
  WOOCOMMERCE_WEBHOOK_SECRET: '',
  ZID_WEBHOOK_USERNAME: 'points',
  ZID_WEBHOOK_PASSWORD: 'test-zid-password-cli-00000000000',
};

/**
 * A stand-in edge server: it records every request and answers as the real intake would, 200 when the
 * real connector verifies it and 401 when not.
 */
async function recordingEdge() {
  const connectors = [
    activate(shopify, { ...playEnv, SHOPIFY_EARN_ON: 'paid' })!,
    activate(zid, { ...playEnv, ZID_EARN_ON: 'paid' })!,
  ];
  const requests: Array<{ path: string; headers: Headers; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', async () => {
      const headers = new Headers(req.headers as Record<string, string>);
      const path = req.url ?? '';
      requests.push({ path, headers, body });
      const match = /^\/connectors\/(\w+)\/webhooks(?:\/([^/]+))?$/.exec(path);
      const connector = connectors.find((c) => c.id === match?.[1]);
      const verified = await connector?.verify({
        headers,
        rawBody: new TextEncoder().encode(body),
        text: body,
        pathEvent: match?.[2],
      });
      res.writeHead(verified?.ok ? 200 : connector ? 401 : 404, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise((closed) => server.close(closed)) };
}

describe('points-sandbox play', () => {
  it('sends a Shopify scenario, signed with SHOPIFY_API_SECRET, one line per delivery', async () => {
    const edge = await recordingEdge();
    try {
      const run = await exitOf(
        ['play', 'shopify', 'partial-refund', '--to', edge.url, '--order', '5940139491234', '--duplicate'],
        playEnv,
      );
      expect(run.code, run.output).toBe(0);
      expect(run.stdout.trim().split('\n')).toEqual([
        'orders/create → 200',
        'orders/create → 200',
        'orders/paid → 200',
        'orders/paid → 200',
        'refunds/create → 200',
        'refunds/create → 200',
      ]);
      expect(edge.requests.map((r) => r.path)).toEqual(Array(6).fill('/connectors/shopify/webhooks'));
      const refund = edge.requests[4]!;
      expect(refund.headers.get('x-shopify-shop-domain')).toBe('sandbox-store.myshopify.com');
      expect(refund.headers.get('x-shopify-event-id')).toBe(
        edge.requests[5]!.headers.get('x-shopify-event-id'),
      );
      expect(JSON.parse(refund.body)).toMatchObject({
        order_id: 5940139491234,
        transactions: [{ kind: 'refund', status: 'success', amount: '50.00' }],
      });
    } finally {
      await edge.close();
    }
  });

  it('sends Zid to one URL per event with the Basic credentials from the environment', async () => {
    const edge = await recordingEdge();
    try {
      const run = await exitOf(
        ['play', 'zid', 'cod', '--to', `${edge.url}/`, '--store', '100002', '--phone', '+966500000002'],
        playEnv,
      );
      expect(run.code, run.output).toBe(0);
      expect(run.stdout).toContain('order.status.update → 200');
      expect(edge.requests.map((r) => r.path)).toEqual([
        '/connectors/zid/webhooks/order.create',
        '/connectors/zid/webhooks/order.status.update',
        '/connectors/zid/webhooks/order.status.update',
      ]);
      expect(JSON.parse(edge.requests[2]!.body)).toMatchObject({
        store_id: 100002,
        order_status: { code: 'delivered' },
        payment: { method: { code: 'zid_cod' } },
        customer: { mobile: '+966500000002' },
      });
    } finally {
      await edge.close();
    }
  });

  it('exits 1 when an answer is not 2xx (a wrong secret)', async () => {
    const edge = await recordingEdge();
    try {
      const run = await exitOf(['play', 'shopify', 'paid', '--to', edge.url, '--secret', 'wrong'], playEnv);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('orders/create → 401');
    } finally {
      await edge.close();
    }
  });

  it('refuses what it cannot play with exit code 2, and documents play in --help', async () => {
    const partial = await exitOf([
      'play',
      'salla',
      'partial-refund',
      '--to',
      'http://127.0.0.1:9',
      '--secret',
      's',
    ]);
    expect(partial.code).toBe(2);
    expect(partial.output).toContain('Salla sends no refund amount');
    const noSecret = await exitOf(['play', 'woocommerce', 'paid', '--to', 'http://127.0.0.1:9'], playEnv);
    expect(noSecret.code).toBe(2);
    expect(noSecret.output).toContain('WOOCOMMERCE_WEBHOOK_SECRET');
    const unknown = await exitOf(['play', 'magento', 'paid', '--to', 'http://127.0.0.1:9']);
    expect(unknown.code).toBe(2);
    const help = await exitOf(['--help']);
    for (const text of [
      'points-sandbox play',
      '--duplicate',
      '--shuffle',
      'out-of-order',
      'ZID_WEBHOOK_PASSWORD',
    ]) {
      expect(help.output).toContain(text);
    }
  });
});
