import { serve, type ServerType } from '@hono/node-server';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { loadConfig } from '../server/runtime/node/config.ts';
import { startEdge, type RunningEdge } from '../server/runtime/node/serve.ts';
import type { OrderUpdatedEvent } from '../server/edge-context.ts';
import { createSandbox, type Sandbox, type SandboxOptions } from './sandbox/index.ts';
import { createStoreApp } from './store/app.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Demo-only secrets: obviously fake, never for production. */
export const demoSecrets = {
  webhookSecret: 'demo_webhook_secret_not_for_production',
  orderTokenSecret: 'demo_order_token_secret_not_for_production',
  adminToken: 'demo_admin_token_not_for_production',
  /** The console's demo viewer, `support` (`CONSOLE_OPERATORS`): reads everything, does nothing. */
  viewerToken: 'demo_viewer_token_not_for_production',
};

/**
 * The demo's store platform connectors: every one is on, so `points-sandbox play <platform> …` can show
 * one (the CLI reads these same variables). Obviously fake, never for production.
 */
export const demoConnectorEnv = {
  SALLA_WEBHOOK_SECRET: 'demo_salla_webhook_secret_not_for_production',
  ZID_WEBHOOK_USERNAME: 'demo-zid',
  ZID_WEBHOOK_PASSWORD: 'demo_zid_password_not_for_production',
  SHOPIFY_API_SECRET: 'demo_shopify_api_secret_not_for_production',
  WOOCOMMERCE_WEBHOOK_SECRET: 'demo_woocommerce_secret_not_for_production',
};

/** Options for {@link startDemo}. Ports default to 3000 / 8787 / 4010; `0` picks a free one. */
export interface DemoOptions {
  storePort?: number;
  edgePort?: number;
  sandboxPort?: number;
  /** Folder for the edge server's SQLite file; default `./data`. */
  dataDir?: string;
  /** `always` rebuilds the widgets (npm start); `if-missing` only when `dist/widgets` has no bundle. */
  build?: 'always' | 'if-missing';
  /** The edge server's logger (default: its own JSON logger on stdout). */
  logger?: Logger;
  /** More sandbox options (tests: `callbackParams`, `delayMs`…); URLs and the webhook are set by the demo. */
  sandbox?: Omit<SandboxOptions, 'baseUrl' | 'webhookUrl' | 'webhookSecret'>;
}

/** A running demo: three servers on 127.0.0.1 and the sandbox's controls. */
export interface RunningDemo {
  storeUrl: string;
  edgeUrl: string;
  sandboxUrl: string;
  sandbox: Sandbox;
  edge: RunningEdge;
  /** Emits `updated` with each {@link OrderUpdatedEvent} of the edge server (its `onOrderUpdated` hook). */
  orders: EventEmitter<{ updated: [OrderUpdatedEvent] }>;
  /** Stops the store, the edge (jobs finish, database closes) and the sandbox. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (asked of the OS, then released) so every URL is known before start. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function listen(fetch: (request: Request) => Response | Promise<Response>, port: number) {
  const server = serve({ fetch, port, hostname: '127.0.0.1' });
  await new Promise<void>((ready, fail) => {
    server.once('listening', ready);
    server.once('error', fail);
  });
  return server;
}

function close(server: ServerType): Promise<void> {
  return new Promise((done) => server.close(() => done()));
}

async function buildWidgets(mode: 'always' | 'if-missing'): Promise<void> {
  const { existsSync } = await import('node:fs');
  if (mode === 'if-missing' && existsSync(join(root, 'dist/widgets/points-widgets.js'))) return;
  const { build } = await import('vite');
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

/**
 * Starts the whole demo in this process: the Points sandbox, the edge server configured against it (webhook
 * registered, catalog pricing, return pages on the store) and the demo store. `npm start` and the
 * end-to-end tests both use it.
 *
 * @example
 * const demo = await startDemo({ storePort: 0, edgePort: 0, sandboxPort: 0, dataDir: tmp });
 * console.log(demo.storeUrl);
 * await demo.stop();
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  await buildWidgets(options.build ?? 'if-missing');
  const port = async (wanted: number | undefined, fallback: number) => {
    const chosen = wanted ?? fallback;
    return chosen === 0 ? freePort() : chosen;
  };
  const [storePort, edgePort, sandboxPort] = [
    await port(options.storePort, 3000),
    await port(options.edgePort, 8787),
    await port(options.sandboxPort, 4010),
  ];
  const storeUrl = `http://127.0.0.1:${storePort}`;
  const edgeUrl = `http://127.0.0.1:${edgePort}`;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const dataDir = options.dataDir ?? join(process.cwd(), 'data');
  mkdirSync(dataDir, { recursive: true });

  const orders = new EventEmitter<{ updated: [OrderUpdatedEvent] }>();
  const sandbox = createSandbox({
    // Short backoff: a webhook refused while the edge starts is retried within seconds, not minutes.
    webhookBackoffMs: (retry) => 500 * retry,
    ...options.sandbox,
    baseUrl: sandboxUrl,
    webhookUrl: `${edgeUrl}/webhooks/points`,
    webhookSecret: demoSecrets.webhookSecret,
  });
  const started: Array<() => Promise<void>> = [async () => sandbox.close()];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const step of started.reverse()) await step();
    })());

  try {
    const sandboxServer = await listen(sandbox.app.fetch, sandboxPort);
    started.push(() => close(sandboxServer));

    const config = loadConfig({
      POINTS_ENV: 'sandbox',
      POINTS_API_BASE_URL: `${sandboxUrl}/api`,
      POINTS_PUBLIC_KEY: sandbox.options.publicKey,
      POINTS_PRIVATE_KEY: sandbox.options.privateKey,
      POINTS_WEBHOOK_SECRET: demoSecrets.webhookSecret,
      ORDER_TOKEN_SECRET: demoSecrets.orderTokenSecret,
      ADMIN_TOKEN: demoSecrets.adminToken,
      CONSOLE_OPERATORS: `support:viewer:${demoSecrets.viewerToken}`,
      DATABASE_URL: `sqlite:${join(dataDir, 'points.db')}`,
      PUBLIC_URL: edgeUrl,
      STORE_ORIGINS: storeUrl,
      RETURN_URL_SUCCESS: `${storeUrl}/return?outcome=success`,
      RETURN_URL_PENDING: `${storeUrl}/return?outcome=pending`,
      RETURN_URL_FAILURE: `${storeUrl}/return?outcome=failure`,
      CATALOG_FILE: fileURLToPath(new URL('./store/catalog.json', import.meta.url)),
      EARN_RATE: String(sandbox.options.earnRate),
      PORT: String(edgePort),
      HOST: '127.0.0.1',
      ...demoConnectorEnv,
    });
    const edge = await startEdge({
      config,
      widgetsDir: join(root, 'dist/widgets'),
      onOrderUpdated: (event) => void orders.emit('updated', event),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    started.push(() => edge.stop());

    const store = createStoreApp({ edgeUrl, adminToken: demoSecrets.adminToken });
    const storeServer = await listen(store.fetch, storePort);
    started.push(() => close(storeServer));

    return { storeUrl, edgeUrl, sandboxUrl, sandbox, edge, orders, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
