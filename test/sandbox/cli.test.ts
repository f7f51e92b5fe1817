import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

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

function exitOf(args: string[]): Promise<{ code: number | null; output: string }> {
  child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve) => {
    let output = '';
    child!.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child!.on('exit', (code) => resolve({ code, output }));
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

  it('refuses bad flags with exit code 2', async () => {
    const unknown = await exitOf(['--nope']);
    expect(unknown.code).toBe(2);
    const port = await exitOf(['--port', 'abc']);
    expect(port.code).toBe(2);
    expect(port.output).toContain('--port must be an integer');
  });
});
