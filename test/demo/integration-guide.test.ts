import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../demo/sandbox/index.ts';
import { loadConfig } from '../../server/runtime/node/config.ts';
import type { OrderUpdatedEvent } from '../../server/edge-context.ts';
import { createEdge } from '../../server/runtime/node/edge.ts';
import type { Edge } from '../../server/edge.ts';
import { signStandardWebhook, type StandardWebhookHeaders } from '../../server/notify/standard-webhooks.ts';
import { orderStates } from '../../server/orders/order-state.ts';
import { verifyOrderToken } from '../../server/orders/order-token.ts';
import { orderEventNames } from '../../server/points/webhook.ts';
import { openDatabase } from '../../server/runtime/node/store/open-database.ts';
import type { Store } from '../../server/store/db.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';

const guide = readFileSync(new URL('../../docs/integration-guide.md', import.meta.url), 'utf8');
const secret = 'test_order_token_secret_for_the_guide_snippets';
/** The order actions of the admin API and CLI (server/admin/operations.ts), each a cause `admin:<action>`. */
const adminActions = ['authorize', 'cancel', 'capture', 'complete', 'refund', 'ship', 'adopt'];
const workDir = mkdtempSync(join(tmpdir(), 'points-guide-'));

/** The fenced code block right after `<!-- <marker> -->` in the guide (`order-token:node`…). */
function block(marker: string): string {
  const match = new RegExp(`<!-- ${marker} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(guide);
  if (!match) throw new Error(`No ${marker} snippet in the guide`);
  return match[1]!;
}
const snippet = (name: string) => block(`order-token:${name}`);

function run(command: string, file: string, code: string): string {
  const path = join(workDir, file);
  writeFileSync(path, code);
  return execFileSync(command, [path], { env: { ...process.env, ORDER_TOKEN_SECRET: secret } })
    .toString()
    .trim();
}

const has = (command: string) => spawnSync(command, ['--version']).status === 0;

describe('integration guide: library mode reads a .env file only when told to', () => {
  it('the env-file snippet loads .env into process.env, and the environment wins over the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'points-guide-env-'));
    writeFileSync(join(dir, '.env'), 'POINTS_PUBLIC_KEY=from_file\nPOINTS_ENV=production\n');
    const code = `${block('library-mode:env-file')}\nconsole.log(process.env.POINTS_PUBLIC_KEY, process.env.POINTS_ENV);`;
    writeFileSync(join(dir, 'load.ts'), code);
    const env: NodeJS.ProcessEnv = { ...process.env, POINTS_ENV: 'sandbox' };
    delete env['POINTS_PUBLIC_KEY'];
    const output = execFileSync(process.execPath, ['load.ts'], { cwd: dir, env }).toString().trim();
    expect(output).toBe('from_file sandbox');
    writeFileSync(join(dir, '.env'), '');
    expect(execFileSync(process.execPath, ['load.ts'], { cwd: dir, env }).toString().trim()).toBe(
      'undefined sandbox',
    );
  });
});

describe('integration guide: order token snippets', () => {
  const expected = {
    orderNumber: '1042',
    totalHalalas: 19_900,
    products: [{ name: 'Arabic coffee set', priceHalalas: 19_900, quantity: 1 }],
  };

  it('the Node snippet signs a token the edge server accepts', async () => {
    const token = run(process.execPath, 'sign.mjs', snippet('node'));
    expect(await verifyOrderToken(token, secret)).toEqual({
      ...expected,
      phone: '500000001',
      metadata: { cart_id: 'c_981' },
    });
  });

  it.skipIf(!has('python3'))('the Python snippet signs a token the edge server accepts', async () => {
    const token = run('python3', 'sign.py', snippet('python'));
    expect(await verifyOrderToken(token, secret)).toEqual(expected);
  });

  it.skipIf(!has('php'))('the PHP snippet signs a token the edge server accepts', async () => {
    const token = run('php', 'sign.php', snippet('php'));
    expect(await verifyOrderToken(token, secret)).toEqual(expected);
  });

  it('a token signed with another secret is refused', async () => {
    const token = run(
      process.execPath,
      'sign-other.mjs',
      snippet('node').replace('process.env.ORDER_TOKEN_SECRET', "'x'"),
    );
    await expect(verifyOrderToken(token, secret)).rejects.toThrow(/signature/);
  });
});

describe('integration guide: merchant webhook verification snippets', () => {
  const event = {
    type: 'order.updated',
    timestamp: new Date().toISOString(),
    data: { orderNumber: '1042', state: 'confirmed', previousState: 'pending', cause: 'approved' },
  };
  const body = JSON.stringify(event);
  const now = () => Math.floor(Date.now() / 1000);
  const languages = [
    { name: 'Node', command: process.execPath, file: 'verify.mjs', marker: 'node' },
    { name: 'Python', command: 'python3', file: 'verify.py', marker: 'python' },
    { name: 'PHP', command: 'php', file: 'verify.php', marker: 'php' },
  ];

  /** Runs a snippet on one delivery: the headers in its environment, the raw body on stdin. */
  function verify(
    language: (typeof languages)[number],
    secret: string,
    headers: StandardWebhookHeaders,
    raw: string,
  ) {
    const path = join(workDir, language.file);
    writeFileSync(path, block(`merchant-webhook:${language.marker}`));
    return execFileSync(language.command, [path], {
      input: raw,
      env: {
        ...process.env,
        MERCHANT_WEBHOOK_SECRET: secret,
        WEBHOOK_ID: headers['webhook-id'],
        WEBHOOK_TIMESTAMP: headers['webhook-timestamp'],
        WEBHOOK_SIGNATURE: headers['webhook-signature'],
      },
    })
      .toString()
      .trim();
  }

  it('the guide names every state and every cause an event can carry', () => {
    const section = guide.slice(guide.indexOf('### The merchant webhook'), guide.indexOf('## 7.'));
    const causes = [
      ...orderEventNames,
      'callback',
      'reconcile',
      ...adminActions.map((action) => `admin:${action}`),
    ];
    for (const value of [...orderStates, ...causes]) expect(section).toContain(`\`${value}\``);
  });

  describe.each(languages)('$name', (language) => {
    it.skipIf(!has(language.command))(
      'accepts what the edge server signs, with a whsec_ and a plain secret, and refuses a changed body, another secret or an old timestamp',
      async () => {
        const whsec = `whsec_${Buffer.from('test merchant webhook key 0123456789').toString('base64')}`;
        const plain = 'test_plain_merchant_webhook_secret_0000';
        for (const secret of [whsec, plain]) {
          const headers = await signStandardWebhook(secret, 'job_01JDELIVERY', now(), body);
          expect(verify(language, secret, headers, body)).toBe('verified');
          expect(verify(language, secret, headers, body.replace('1042', '1043'))).toBe('rejected');
        }
        const headers = await signStandardWebhook(plain, 'job_01JDELIVERY', now(), body);
        expect(verify(language, `${plain}x`, headers, body)).toBe('rejected');
        const old = await signStandardWebhook(plain, 'job_01JDELIVERY', now() - 3600, body);
        expect(verify(language, plain, old, body)).toBe('rejected');
      },
    );
  });
});

describe('integration guide: the server as a library under a prefix', () => {
  const publicUrl = 'http://127.0.0.1:3000/points';
  const events: OrderUpdatedEvent[] = [];
  const host = new Hono();
  let edge: Edge;
  let store: Store;
  const sandbox = createSandbox({
    webhookUrl: `${publicUrl}/webhooks/points`,
    webhookSecret: 'test_webhook_secret',
    webhookBackoffMs: () => 1,
    fetch: async (input, init) => host.fetch(new Request(input, init)),
  });

  beforeAll(async () => {
    store = await openDatabase('sqlite::memory:');
    await migrateToLatest(store);
    edge = await createEdge({
      config: loadConfig({
        POINTS_API_BASE_URL: `${sandbox.options.baseUrl}/api`,
        POINTS_PUBLIC_KEY: sandbox.options.publicKey,
        POINTS_PRIVATE_KEY: sandbox.options.privateKey,
        POINTS_WEBHOOK_SECRET: 'test_webhook_secret',
        PUBLIC_URL: publicUrl,
      }),
      store,
      logger: pino({ level: 'silent' }),
      pointsFetch: async (input, init) => sandbox.app.fetch(new Request(input, init)),
      resolveOrder: async (orderNumber) =>
        orderNumber === '1042'
          ? {
              orderNumber,
              totalHalalas: 19_900,
              products: [{ name: 'Coffee set', priceHalalas: 19_900, quantity: 1 }],
            }
          : undefined,
      onOrderUpdated: (event) => void events.push(event),
    });
    host.route('/points', edge.app);
  });
  afterAll(async () => {
    sandbox.close();
    await edge?.worker.stop();
    await store?.close();
  });

  it('answers under the prefix, resolves the order with resolveOrder and reports the paid order to onOrderUpdated', async () => {
    expect((await host.request('/points/config')).status).toBe(200);
    const res = await host.request('/points/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderNumber: '1042' }),
    });
    expect(res.status).toBe(200);
    const { checkoutUrl } = (await res.json()) as { checkoutUrl: string };
    expect(checkoutUrl).toContain('/session/');

    const { redirectUrl } = await sandbox.completeCheckout('1042');
    expect(redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:3000\/points\/callback\?/);
    await sandbox.settleDeliveries();
    await edge.worker.drain();
    expect(events.at(-1)).toMatchObject({ orderNumber: '1042', state: 'confirmed', expectedTotal: '199.00' });
  });

  it('an order resolveOrder does not know is a 404', async () => {
    const res = await host.request('/points/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderNumber: '9999' }),
    });
    expect(res.status).toBe(404);
  });
});
