/**
 * `npm start`: builds the widgets, then runs the Points sandbox, the edge server and the demo store on
 * 127.0.0.1 (ports from STORE_PORT, EDGE_PORT, SANDBOX_PORT). Ctrl-C stops everything.
 */
import { createLogger } from '../server/observability/logger.ts';
import { demoConnectorEnv, demoSecrets, startDemo } from './demo.ts';
import { fixturePhones, goodCard } from './sandbox/index.ts';

function portFrom(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name} must be a port number (0-65535).`);
    process.exit(64);
  }
  return port;
}

const ports = {
  STORE_PORT: portFrom('STORE_PORT', 3000),
  EDGE_PORT: portFrom('EDGE_PORT', 8787),
  SANDBOX_PORT: portFrom('SANDBOX_PORT', 4010),
};

/** One line for a failed start: a busy port names its variable, so the reader knows what to set. */
function startFailure(error: NodeJS.ErrnoException & { port?: number }): string {
  if (error.code !== 'EADDRINUSE') return error.message;
  const variable = Object.entries(ports).find(([, port]) => port === error.port)?.[0];
  return variable
    ? `port ${error.port} is in use; set ${variable} to another port (0 = any free port)`
    : `${error.message} (set STORE_PORT, EDGE_PORT or SANDBOX_PORT)`;
}

console.log('Building the widgets…');
const demo = await startDemo({
  storePort: ports.STORE_PORT,
  edgePort: ports.EDGE_PORT,
  sandboxPort: ports.SANDBOX_PORT,
  build: 'always',
  logger: createLogger({
    level: process.env['LOG_LEVEL'] ?? 'warn',
    secrets: [...Object.values(demoSecrets), ...Object.values(demoConnectorEnv)],
  }),
}).catch((error: NodeJS.ErrnoException) => {
  // A busy port or a data folder another demo holds: say which, without a stack trace.
  console.error(`Could not start the demo: ${startFailure(error)}`);
  process.exit(1);
});
const info = demo.sandbox.info();

console.log(`
Qahwa House, the demo store, is running.

  Store (Arabic)    ${demo.storeUrl}/ar/
  Store (English)   ${demo.storeUrl}/en/
  Merchant orders   ${demo.storeUrl}/en/orders.html
  Edge server       ${demo.edgeUrl}  (widgets.js, /config, /checkout, /webhooks/points; SQLite in ./data)
  Points sandbox    ${demo.sandboxUrl}/sandbox  (state, keys, knobs)
  Webhook log       ${demo.sandboxUrl}/sandbox/deliveries

Test customers (hosted Points checkout):
  ${fixturePhones.withBalance}  5,000 points (150.00 SAR): pay fully or partly with points
  ${fixturePhones.zeroBalance}  zero balance: pays by card
  ${fixturePhones.noAccount}  no Points account
  OTP ${info.otp}
Cards: ${goodCard} (approved), ${info.cards.declined} (declined); any MM/YY expiry and 3-digit CVC.

Store platforms (Salla, Zid, Shopify, WooCommerce): every connector is on. Play an order, e.g.
  SHOPIFY_API_SECRET=${demoConnectorEnv.SHOPIFY_API_SECRET} \\
    npx points-sandbox play shopify partial-refund --to ${demo.edgeUrl} --phone 0500000002
  then: ADMIN_TOKEN=${demoSecrets.adminToken} npx points-edge connectors list --server ${demo.edgeUrl}

Press Ctrl-C to stop.`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await demo.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
