#!/usr/bin/env node
/**
 * `points-sandbox`: serves the Points sandbox on 127.0.0.1.
 *
 *   npx points-sandbox --port 4010 --webhook-url http://127.0.0.1:8787/webhooks/points --webhook-secret test_secret
 *
 * Every flag also reads an environment variable (flag wins): SANDBOX_PORT, SANDBOX_HOST, SANDBOX_BASE_URL,
 * SANDBOX_PUBLIC_KEY, SANDBOX_PRIVATE_KEY, SANDBOX_WEBHOOK_URL, SANDBOX_WEBHOOK_SECRET, SANDBOX_EARN_RATE.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createSandbox, type Sandbox } from './index.ts';

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
  -h, --help             this help

Point the edge server at it with POINTS_API_BASE_URL=<base>/api, the keys above and
POINTS_WEBHOOK_SECRET=<the webhook secret it prints>. A webhook registered later (points-edge webhooks
register) gets a new random secret: GET /sandbox lists every webhook with its secret.
`;

function fail(message: string): never {
  console.error(`points-sandbox: ${message}`);
  process.exit(2);
}

function readConfig(): Partial<Record<Flag, string>> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        ...Object.fromEntries(Object.keys(flags).map((name) => [name, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
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
  const config: Partial<Record<Flag, string>> = {};
  for (const [flag, env] of Object.entries(flags) as Array<[Flag, string]>) {
    const values: Record<string, string | boolean | undefined> = parsed.values;
    const value = values[flag] ?? process.env[env];
    if (typeof value === 'string' && value !== '') config[flag] = value;
  }
  return config;
}

const config = readConfig();
const port = Number(config.port ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be an integer from 0 to 65535');
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

function stop() {
  sandbox?.close();
  server.close(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
