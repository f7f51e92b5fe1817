import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type SandboxOptions } from '../../demo/sandbox/index.ts';

export const publicKey = 'sandbox_public_key_demo';
export const privateKey = 'sandbox_private_key_demo';
export const otherPublicKey = 'test_public_key_other_merchant';
export const otherPrivateKey = 'test_private_key_other_merchant';

export type TestSandbox = ReturnType<typeof createSandbox>;

/** A sandbox with a second merchant and tiny webhook backoffs. */
export function makeSandbox(options: SandboxOptions = {}): TestSandbox {
  return createSandbox({
    webhookBackoffMs: () => 1,
    merchants: [{ publicKey: otherPublicKey, privateKey: otherPrivateKey, name: 'Other store' }],
    ...options,
  });
}

export interface ApiResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Calls the REST API as a merchant (default key: the default merchant's private key). */
export async function api(
  sandbox: TestSandbox,
  method: string,
  path: string,
  body?: unknown,
  key: string | null = privateKey,
): Promise<ApiResult> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key !== null) headers['x-api-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await sandbox.app.request(`/api${path}`, init);
  return { status: res.status, body: await res.json() };
}

export const products = [{ product_name: 'Cappuccino', product_price: 18.5, quantity: 2 }];

/** Starts a checkout; returns the session id and order uuid. */
export async function startCheckout(
  sandbox: TestSandbox,
  body: Record<string, unknown> = {},
  key = publicKey,
) {
  const orderNumber = `ORD-${Math.random().toString(36).slice(2, 10)}`;
  const res = await api(sandbox, 'POST', `/v1/orders/checkout/${key}`, {
    total_price: 100,
    order_number: orderNumber,
    ...body,
  });
  if (res.status !== 200) throw new Error(`checkout failed: ${JSON.stringify(res.body)}`);
  const url = new URL(res.body.data.checkout_url);
  const sessionId = url.pathname.split('/').pop() ?? '';
  // The uuid is not in the checkout response (as in Points); the sandbox control finds it.
  const order = sandbox.findOrderByNumber(String(body['order_number'] ?? orderNumber));
  return { url, sessionId, uuid: order?.uuid ?? '' };
}

/** An approved earning order for the default merchant. */
export async function earn(sandbox: TestSandbox, body: Record<string, unknown> = {}, key = privateKey) {
  return api(
    sandbox,
    'POST',
    '/v1/orders/earning',
    {
      phone_number: '500000002',
      total_price: 115,
      products,
      order_number: `SALE-${Math.random().toString(36).slice(2, 10)}`,
      ...body,
    },
    key,
  );
}

/** POSTs a hosted-page form (urlencoded, like a browser without JavaScript). */
export function postForm(sandbox: TestSandbox, path: string, fields: Record<string, string> = {}) {
  return sandbox.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real local HTTP receiver on 127.0.0.1:0. `respond` gives each answer's status (default 200), or
 * `'hang'` to never answer (the sender's timeout fires).
 */
export async function startReceiver(
  respond: (received: Received, index: number) => number | 'hang' = () => 200,
) {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      const status = respond(received, requests.length - 1);
      if (status !== 'hang') res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/points`,
    requests,
    /** Parsed bodies, in arrival order. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    bodies: (): any[] => requests.map((r) => JSON.parse(r.body)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
