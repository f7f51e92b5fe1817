#!/usr/bin/env node
/**
 * `points-sandbox`: serves the Points sandbox on 127.0.0.1.
 *
 *   npx points-sandbox --port 4010 --webhook-url http://127.0.0.1:8787/webhooks/points --webhook-secret test_secret
 *
 * Every flag also reads an environment variable (flag wins): SANDBOX_PORT, SANDBOX_HOST, SANDBOX_BASE_URL,
 * SANDBOX_PUBLIC_KEY, SANDBOX_PRIVATE_KEY, SANDBOX_WEBHOOK_URL, SANDBOX_WEBHOOK_SECRET, SANDBOX_EARN_RATE.
 *
 * `points-sandbox play <platform> <scenario> --to <edge base URL>` plays a store platform instead: it sends
 * signed Salla, Zid, Shopify or WooCommerce deliveries to the edge server's connector routes.
 *
 *   npx points-sandbox play shopify partial-refund --to http://127.0.0.1:8787 --secret "$SHOPIFY_API_SECRET"
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import {
  createSandbox,
  platformNames,
  playScenario,
  scenarios,
  type PlatformName,
  type PlayerCredentials,
  type Sandbox,
} from './index.ts';

const flags = {
  port: 'SANDBOX_PORT',
  host: 'SANDBOX_HOST',
  'base-url': 'SANDBOX_BASE_URL',
  'public-key': 'SANDBOX_PUBLIC_KEY',
  'private-key': 'SANDBOX_PRIVATE_KEY',
  'webhook-url': 'SANDBOX_WEBHOOK_URL',
  'webhook-secret': 'SANDBOX_WEBHOOK_SECRET',
  'earn-rate': 'SANDBOX_EARN_RATE',
} as const;
type Flag = keyof typeof flags;

const usage = `Usage: points-sandbox [options]
       points-sandbox --reset [--port <n> | --base-url <url>]
       points-sandbox play <platform> <scenario> --to <edge base URL> [play options]

A local simulator of the Points API (/api/v1/…), its hosted checkout pages and its webhook delivery,
with the demo keys, fixture customers and test controls at /sandbox. In memory: a restart resets it.

Options (each also read from the environment variable shown; a flag wins):
  --port <n>             SANDBOX_PORT            port to listen on (default 4010; 0 = a free port)
  --host <host>          SANDBOX_HOST            address to listen on (default 127.0.0.1)
  --base-url <url>       SANDBOX_BASE_URL        URL it is reached at (default http://<host>:<port>)
  --public-key <key>     SANDBOX_PUBLIC_KEY      the merchant's public key (default sandbox_public_key_demo)
  --private-key <key>    SANDBOX_PRIVATE_KEY     the merchant's private key (default sandbox_private_key_demo)
  --webhook-url <url>    SANDBOX_WEBHOOK_URL     register a webhook to this URL at start
                                                 (e.g. http://127.0.0.1:8787/webhooks/points)
  --webhook-secret <s>   SANDBOX_WEBHOOK_SECRET  the secret that webhook is sent with in X-Webhook-Secret
                                                 (default: a random one, printed at start)
  --earn-rate <n>        SANDBOX_EARN_RATE       points per SAR (default 10)
  --reset                reset the sandbox already running at --base-url (or --host and --port) to its
                         fixtures: 500000001 has 5,000 points again; orders and later webhooks are gone
  -h, --help             this help

Point the edge server at it with POINTS_API_BASE_URL=<base>/api, the keys above and
POINTS_WEBHOOK_SECRET=<the webhook secret it prints>. A webhook registered later (points-edge webhooks
register) gets a new random secret: GET /sandbox lists every webhook with its secret.

play: be a store platform and send its signed webhook deliveries to the edge server's connector route
(/connectors/<platform>/webhooks), one line per delivery: "<event> → <HTTP status>". Exits 1 if any
answer is not 2xx.
  <platform>             ${platformNames.join(', ')}
  <scenario>             ${Object.keys(scenarios).join(', ')}
                         (cod is a cash on delivery order; review is Salla only; partial-refund Shopify
                         and WooCommerce only; out-of-order: the refund arrives before the payment)
  --to <url>             the edge server's base URL, e.g. http://127.0.0.1:8787
  --secret <s>           Salla, Shopify, WooCommerce: the secret the edge checks (default: the env
                         variable the edge reads: SALLA_WEBHOOK_SECRET, SHOPIFY_API_SECRET,
                         WOOCOMMERCE_WEBHOOK_SECRET)
  --strategy <s>         Salla: signature (default) or token
  --username <u>         Zid: Basic credentials (default ZID_WEBHOOK_USERNAME)
  --password <p>         Zid: (default ZID_WEBHOOK_PASSWORD)
  --store <id>           Salla merchant id, Zid store id, Shopify shop domain or WooCommerce site host
  --order <id>           the platform's order id, digits (default: a new one each run)
  --phone <p>            the customer's phone as the platform holds it (default 0500000001, the fixture
                         customer with points); none = an order without one
  --total <sar>          the order total (default 199.00)
  --cod                  cash on delivery (implied by the cod scenario)
  --duplicate            send every delivery twice
  --shuffle              send the deliveries in a random order
`;

function fail(message: string): never {
  console.error(`points-sandbox: ${message}`);
  process.exit(2);
}

function readConfig(): Partial<Record<Flag | 'reset', string>> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        ...Object.fromEntries(Object.keys(flags).map((name) => [name, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
        reset: { type: 'boolean' },
      },
      strict: true,
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  const config: Partial<Record<Flag | 'reset', string>> = parsed.values.reset ? { reset: 'yes' } : {};
  for (const [flag, env] of Object.entries(flags) as Array<[Flag, string]>) {
    const values: Record<string, string | boolean | undefined> = parsed.values;
    const value = values[flag] ?? process.env[env];
    if (typeof value === 'string' && value !== '') config[flag] = value;
  }
  return config;
}

/**
 * `--reset`: the sandbox already running (npm start's, or another points-sandbox) back to its fixtures, so a
 * second demo run can pay with points again. Its state is in memory, so this is the only way short of a restart.
 */
async function resetRunning(baseUrl: string): Promise<void> {
  let info: { customers: Array<{ phone: string; balance: number }> };
  try {
    const reset = await fetch(`${baseUrl}/sandbox/reset`, { method: 'POST' });
    if (!reset.ok) throw new Error(`POST /sandbox/reset answered ${reset.status}`);
    info = (await (await fetch(`${baseUrl}/sandbox`)).json()) as typeof info;
  } catch (error) {
    console.error(
      `points-sandbox: could not reset the sandbox at ${baseUrl} (${error instanceof Error ? error.message : String(error)}); ` +
        'is it running? Pick it with --port or --base-url.',
    );
    process.exit(1);
  }
  const balances = info.customers.map((customer) => `${customer.phone} ${customer.balance}`).join(', ');
  console.log(`Reset the sandbox at ${baseUrl}: fixture balances ${balances} points.`);
  process.exit(0);
}

/** Serves the sandbox until SIGINT or SIGTERM (or, with --reset, resets the one already running). */
async function serveSandbox(): Promise<void> {
  const config = readConfig();
  const port = Number(config.port ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be an integer from 0 to 65535');
  if (config.reset) {
    const host = config.host ?? '127.0.0.1';
    return resetRunning((config['base-url'] ?? `http://${host}:${port}`).replace(/\/$/, ''));
  }
  const earnRate = config['earn-rate'] === undefined ? undefined : Number(config['earn-rate']);
  if (earnRate !== undefined && !(earnRate > 0)) fail('--earn-rate must be a positive number');
  if (config['webhook-url'] && !URL.canParse(config['webhook-url'])) fail('--webhook-url must be a URL');
  const hostname = config.host ?? '127.0.0.1';

  // The base URL is only known once the port is (port 0 picks a free one), so the sandbox is created on listen.
  let sandbox: Sandbox | undefined;
  const server = serve(
    {
      fetch: (request) => sandbox?.app.fetch(request) ?? new Response('Starting', { status: 503 }),
      port,
      hostname,
    },
    (info: AddressInfo) => {
      const baseUrl = config['base-url'] ?? `http://${hostname}:${info.port}`;
      sandbox = createSandbox({
        baseUrl,
        publicKey: config['public-key'],
        privateKey: config['private-key'],
        webhookUrl: config['webhook-url'],
        webhookSecret: config['webhook-secret'],
        earnRate,
      });
      const about = sandbox.info();
      console.log(`Points sandbox: ${about.baseUrl}`);
      console.log(`API base:       ${about.apiBase}   (paths /v1/…)`);
      console.log(`Public key:     ${about.publicKey}`);
      console.log(`Private key:    ${about.privateKey}   (demo key, header x-api-key)`);
      console.log(
        `Fixture phones: ${about.fixturePhones.withBalance} (${about.fixtureBalance} points), ` +
          `${about.fixturePhones.zeroBalance} (zero balance), ${about.fixturePhones.noAccount} (no account), ` +
          `${about.fixturePhones.pendingActivation} (pending activation)`,
      );
      console.log(`OTP:            ${about.otp}`);
      console.log(`Cards:          any 16 digits; ${about.cards.declined} is declined`);
      const webhook = about.webhooks[0];
      console.log(
        webhook
          ? `Webhook:        ${webhook.url}   (secret ${webhook.secret}: the edge server's POINTS_WEBHOOK_SECRET)`
          : 'Webhook:        none registered (GET /sandbox lists the ones registered later, with their secrets)',
      );
      console.log(`Admin:          ${about.baseUrl}/sandbox`);
    },
  );

  // A busy port is the usual reason a second sandbox cannot start (an older one still runs): one line, no stack.
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `points-sandbox: port ${port} on ${hostname} is in use; choose another with --port or SANDBOX_PORT (0 = any free port)`
        : `points-sandbox: cannot listen on ${hostname}:${port}: ${error.message}`,
    );
    process.exit(1);
  });

  function stop() {
    sandbox?.close();
    server.close(() => process.exit(0));
  }
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Defaults that look like each platform's: a Salla merchant id, a Zid store id, a shop domain, a site. */
const defaultStores: Record<PlatformName, string> = {
  salla: '1000000001',
  zid: '100001',
  shopify: 'sandbox-store.myshopify.com',
  woocommerce: 'shop.example',
};

function credentialsFor(platform: PlatformName, values: Record<string, string | boolean | undefined>) {
  const flag = (name: string, env: string) => {
    const value = values[name] ?? process.env[env];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const secretOf = (env: string) =>
    flag('secret', env) ?? fail(`play ${platform} needs --secret or ${env} (the secret the edge checks)`);
  const credentials: PlayerCredentials = {};
  if (platform === 'salla') {
    const strategy = values.strategy ?? 'signature';
    if (strategy !== 'signature' && strategy !== 'token') fail('--strategy must be signature or token');
    credentials.salla = { secret: secretOf('SALLA_WEBHOOK_SECRET'), strategy };
  } else if (platform === 'zid') {
    const username = flag('username', 'ZID_WEBHOOK_USERNAME');
    const password = flag('password', 'ZID_WEBHOOK_PASSWORD');
    if (!username || !password)
      fail('play zid needs --username and --password, or ZID_WEBHOOK_USERNAME and ZID_WEBHOOK_PASSWORD');
    credentials.zid = { username, password };
  } else if (platform === 'shopify') {
    credentials.shopify = { secret: secretOf('SHOPIFY_API_SECRET') };
  } else {
    credentials.woocommerce = { secret: secretOf('WOOCOMMERCE_WEBHOOK_SECRET') };
  }
  return credentials;
}

/** `points-sandbox play <platform> <scenario> --to <url> …`: sends the deliveries, prints each answer. */
async function play(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(
          ['to', 'secret', 'strategy', 'username', 'password', 'store', 'order', 'phone', 'total'].map(
            (name) => [name, { type: 'string' as const }],
          ),
        ),
        cod: { type: 'boolean' },
        duplicate: { type: 'boolean' },
        shuffle: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const values: Record<string, string | boolean | undefined> = parsed.values;
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const [platform, scenario, ...extra] = parsed.positionals;
  if (!platformNames.includes(platform as PlatformName))
    fail(`play needs a platform: ${platformNames.join(', ')}`);
  const steps = scenario === undefined ? undefined : scenarios[scenario];
  if (!steps) fail(`play needs a scenario: ${Object.keys(scenarios).join(', ')}`);
  if (extra.length > 0) fail(`unexpected argument ${extra[0]}`);
  const to = values.to;
  if (typeof to !== 'string' || !URL.canParse(to)) fail('play needs --to <the edge server base URL>');
  const name = platform as PlatformName;
  const credentials = credentialsFor(name, values);
  const phone = typeof values.phone === 'string' ? values.phone : '0500000001';
  const order = {
    store: typeof values.store === 'string' ? values.store : defaultStores[name],
    orderId: typeof values.order === 'string' ? values.order : String(Date.now()),
    totalSar: typeof values.total === 'string' ? values.total : '199.00',
    phone: phone === 'none' ? null : phone,
    cod: values.cod === true || scenario === 'cod',
    // Now, to the second: each run is a new order with believable times.
    placedAt: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
  };
  let results;
  try {
    results = await playScenario(name, steps, order, credentials, {
      baseUrl: to,
      duplicate: values.duplicate === true,
      shuffle: values.shuffle === true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A step the platform cannot send, or a bad --order/--total, is a usage error; a refused connection is not.
    if (error instanceof TypeError) {
      console.error(`points-sandbox: could not reach ${to}: ${message}`);
      process.exit(1);
    }
    fail(message);
  }
  console.error(
    `points-sandbox: ${name} ${scenario}, order ${order.orderId} of store ${order.store}, to ${to}`,
  );
  for (const result of results) console.log(`${result.event} → ${result.status}`);
  process.exit(results.every((result) => result.status >= 200 && result.status < 300) ? 0 : 1);
}

if (process.argv[2] === 'play') await play(process.argv.slice(3));
else await serveSandbox();
