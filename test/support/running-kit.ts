import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { defaults as sandboxDefaults } from '../../demo/sandbox/options.ts';

/** Helpers for tests that run the kit's servers as processes (the package, runtime and container tests). */

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  await new Promise((closed) => server.close(closed));
  return typeof address === 'object' && address ? address.port : 0;
}

/** A child process with its output kept, to wait for a line. */
export interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(): Promise<number | null>;
}

export function start(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Running {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  child.on('exit', () => {
    for (const listener of listeners) listener();
  });
  return {
    child,
    output: () => output,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) done(() => resolve(match));
          else if (child.exitCode !== null || child.signalCode !== null)
            done(() => reject(new Error(`${command} exited before ${pattern}:\n${output}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${pattern} in:\n${output}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((stopped) => {
        child.once('exit', (code) => stopped(code));
        child.kill('SIGTERM');
      });
    },
  };
}

/** Polls `read` until it gives a value (errors count as not yet). */
export async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((wait) => setTimeout(wait, 200));
  }
}

/**
 * Pays `orderNumber` on the sandbox's hosted checkout (1,000 points, the rest by card), then follows the
 * shopper back to the edge server's /callback. Resolves with the callback's answer (a 303).
 */
export async function payAndReturn(sandboxUrl: string, orderNumber: string): Promise<Response> {
  const paid = await fetch(`${sandboxUrl}/sandbox/checkout/${orderNumber}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: '500000001', redeem_points: 1000 }),
  });
  if (paid.status !== 200) throw new Error(`sandbox checkout: ${paid.status} ${await paid.text()}`);
  const { redirectUrl } = (await paid.json()) as { redirectUrl: string };
  return fetch(redirectUrl, { redirect: 'manual' });
}

/** Waits until the edge server's admin API shows the order confirmed (by the webhook); resolves with it. */
export function confirmedOrder(
  edgeUrl: string,
  orderNumber: string,
  adminToken: string,
): Promise<{ state: string; settledTotal: string }> {
  return until(async () => {
    const res = await fetch(`${edgeUrl}/admin/orders/${orderNumber}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const { order } = (await res.json()) as { order: { state: string; settledTotal: string } };
    return order.state === 'confirmed' ? order : undefined;
  });
}

/** The secrets these tests give the sandbox and the edge server. */
export const testSecrets = {
  webhook: 'test_webhook_secret_distribution',
  admin: 'test-admin-token-distribution-00000000',
  orderToken: 'test_order_token_secret_distribution_0',
};

/** The edge server's environment against a sandbox at `sandboxUrl` (the sandbox's default demo keys and {@link testSecrets}). */
export function sandboxEdgeEnv(options: {
  sandboxUrl: string;
  publicUrl: string;
  port: number;
  databaseUrl: string;
}): Record<string, string> {
  return {
    POINTS_API_BASE_URL: `${options.sandboxUrl}/api`,
    POINTS_PUBLIC_KEY: sandboxDefaults.publicKey,
    POINTS_PRIVATE_KEY: sandboxDefaults.privateKey,
    POINTS_WEBHOOK_SECRET: testSecrets.webhook,
    ADMIN_TOKEN: testSecrets.admin,
    DATABASE_URL: options.databaseUrl,
    PUBLIC_URL: options.publicUrl,
    PORT: String(options.port),
  };
}

/** Writes a one-product catalog (COFFEE-SET, 199.00 SAR) into `dir`; returns its path. */
export function writeCatalog(dir: string): string {
  const path = join(dir, 'catalog.json');
  writeFileSync(
    path,
    JSON.stringify({ products: [{ sku: 'COFFEE-SET', name: 'Arabic coffee set', price: '199.00' }] }),
  );
  return path;
}

/** Starts a catalog checkout of one COFFEE-SET on the edge server; resolves with its order number. */
export async function catalogCheckout(edgeUrl: string): Promise<string> {
  const checkout = await fetch(`${edgeUrl}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: [{ sku: 'COFFEE-SET', quantity: 1 }] }),
  });
  if (checkout.status !== 200) throw new Error(`POST /checkout: ${checkout.status} ${await checkout.text()}`);
  return ((await checkout.json()) as { orderNumber: string }).orderNumber;
}

/**
 * Starts a sandbox (`command …args` is its CLI: the installed bin, or `demo/sandbox/cli.ts` on some runtime)
 * on a free port, sending its webhook to `webhookUrl` with {@link testSecrets}; resolves once it listens.
 */
export async function startSandbox(
  command: string,
  args: string[],
  options: { cwd: string; webhookUrl: string },
): Promise<{ sandbox: Running; url: string }> {
  const sandbox = start(
    command,
    [...args, '--port', '0', '--webhook-url', options.webhookUrl, '--webhook-secret', testSecrets.webhook],
    { cwd: options.cwd, env: process.env },
  );
  const [, url] = await sandbox.waitFor(/Points sandbox: (\S+)/);
  await sandbox.waitFor(/Admin:/);
  return { sandbox, url: url! };
}
