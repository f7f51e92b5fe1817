import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from 'hono/jwt';
import { pino } from 'pino';
import { createSandbox, type Sandbox } from '../../demo/sandbox/index.ts';
import { loadConfig } from '../../server/runtime/node/config.ts';
import { createEdge, type NodeEdgeOptions as EdgeOptions } from '../../server/runtime/node/edge.ts';
import type { Edge } from '../../server/edge.ts';
import type { Store } from '../../server/store/db.ts';
import { freshStore, type StoreEngine } from '../support/databases.ts';

/** Obviously fake values for tests; never real secrets. */
export const testSecrets = {
  webhook: 'test-webhook-secret-current-0000000000',
  previousWebhook: 'test-webhook-secret-previous-000000000',
  orderToken: 'test-order-token-secret-0000000000000',
  merchantWebhook: 'test-merchant-webhook-secret-00000000',
};
export const edgeUrl = 'http://127.0.0.1:8787';
export const storeUrl = 'https://store.example';

/** One edge server wired to an in-process Points sandbox: webhooks and API calls never leave the process. */
export interface Harness {
  edge: Edge;
  sandbox: Sandbox;
  store: Store;
  /** Merchant notifications the edge sent (outbound webhooks). */
  notifications: Request[];
  /** Makes Points unreachable for the edge (an outage) until set back to false. */
  setPointsDown(down: boolean): void;
  /** Signs an order token as the merchant's backend would. */
  orderToken(claims: Record<string, unknown>, secret?: string): Promise<string>;
  /** Posts to /checkout as the store's page would. */
  checkout(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Lets the sandbox deliver its webhooks and the worker process them. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function createHarness(
  engine: StoreEngine,
  options: Partial<EdgeOptions> & { env?: Record<string, string> } = {},
): Promise<Harness> {
  const catalogDir = mkdtempSync(join(tmpdir(), 'points-harness-'));
  writeFileSync(
    join(catalogDir, 'catalog.json'),
    JSON.stringify({
      products: [
        { sku: 'COFFEE-SET', name: 'Arabic coffee set', price: '199.00' },
        { sku: 'CUP', name: 'Cup', price: '12.50' },
      ],
    }),
  );
  // Bound below; the sandbox only delivers webhooks after the edge exists.
  let edge: Edge | undefined = undefined as Edge | undefined;
  let pointsDown = false;
  const sandbox = createSandbox({
    baseUrl: 'http://127.0.0.1:4010',
    webhookUrl: `${edgeUrl}/webhooks/points`,
    webhookSecret: testSecrets.webhook,
    webhookBackoffMs: () => 1,
    webhookTimeoutMs: 2000,
    fetch: async (input, init) => edge!.app.fetch(new Request(input, init)),
  });
  // A store given in the options (e.g. D1, in test/workers/) replaces the engine's fresh one.
  const store = options.store ?? (await freshStore(engine));
  const config = loadConfig({
    POINTS_ENV: 'sandbox',
    POINTS_API_BASE_URL: `${sandbox.options.baseUrl}/api`,
    POINTS_PUBLIC_KEY: sandbox.options.publicKey,
    POINTS_PRIVATE_KEY: sandbox.options.privateKey,
    POINTS_WEBHOOK_SECRET: testSecrets.webhook,
    POINTS_WEBHOOK_SECRET_PREVIOUS: testSecrets.previousWebhook,
    ORDER_TOKEN_SECRET: testSecrets.orderToken,
    PUBLIC_URL: edgeUrl,
    STORE_ORIGINS: storeUrl,
    RETURN_URL_SUCCESS: `${storeUrl}/thanks`,
    RETURN_URL_PENDING: `${storeUrl}/pending`,
    RETURN_URL_FAILURE: `${storeUrl}/failed`,
    MERCHANT_WEBHOOK_URL: `${storeUrl}/hooks/points`,
    MERCHANT_WEBHOOK_SECRET: testSecrets.merchantWebhook,
    CATALOG_FILE: join(catalogDir, 'catalog.json'),
    ...options.env,
  });
  const notifications: Request[] = [];
  edge = await createEdge({
    config,
    store,
    logger: pino({ level: 'silent' }),
    widgetsDir: join(catalogDir, 'no-widgets'),
    pointsFetch: async (input, init) => {
      if (pointsDown)
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('down'), { code: 'ECONNRESET' }),
        });
      return sandbox.app.fetch(new Request(input, init));
    },
    merchantFetch: async (input, init) => {
      notifications.push(new Request(input as string, init));
      return new Response(null, { status: 204 });
    },
    ...options,
  });
  const harness: Harness = {
    edge,
    sandbox,
    store,
    notifications,
    setPointsDown(down) {
      pointsDown = down;
    },
    orderToken: (claims, secret = testSecrets.orderToken) =>
      sign({ exp: Math.floor(Date.now() / 1000) + 600, ...claims }, secret, 'HS256'),
    checkout: async (body, headers = {}) =>
      edge!.app.request('/checkout', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: storeUrl, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async settle() {
      await sandbox.settleDeliveries();
      await edge!.worker.drain();
    },
    async close() {
      sandbox.close();
      await edge!.worker.stop();
      await store.close();
    },
  };
  return harness;
}
