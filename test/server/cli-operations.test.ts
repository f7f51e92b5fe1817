import { afterEach, describe, expect, it } from 'vitest';
import { runOperationsCommand } from '../../server/admin/cli-commands.ts';
import { openDatabase } from '../../server/runtime/node/store/open-database.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';
import { engines, freshDatabaseUrl } from '../support/databases.ts';
import { createHarness, edgeUrl, type Harness } from './edge-harness.ts';

const adminToken = 'test-admin-token-00000000000000000000';
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Runs a CLI command against the harness's admin API (`--server`), capturing its output. */
async function cli(args: string[], env: Record<string, string | undefined> = { ADMIN_TOKEN: adminToken }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOperationsCommand(args, {
    env,
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    fetch: async (input, init) => harness!.edge.app.fetch(new Request(input, init)),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function paidOrder(h: Harness, orderNumber: string) {
  await h.checkout({
    orderToken: await h.orderToken({ order_number: orderNumber, total_price: '80.00', products: [] }),
  });
  await h.sandbox.completeCheckout(orderNumber, { phone: '500000002' });
  await h.settle();
}

const directEnv = (databaseUrl: string) => ({
  POINTS_ENV: 'sandbox',
  POINTS_API_BASE_URL: 'http://127.0.0.1:9/api',
  POINTS_PUBLIC_KEY: 'test_public_key',
  POINTS_PRIVATE_KEY: 'test_private_key_cli',
  POINTS_WEBHOOK_SECRET: 'test_webhook_secret_cli',
  DATABASE_URL: databaseUrl,
});

describe('points-edge operations over --server', () => {
  it('refunds, ships and gets an order with human output', async () => {
    harness = await createHarness('sqlite', { env: { ADMIN_TOKEN: adminToken } });
    await paidOrder(harness, 'ORD-9001');
    const refund = await cli([
      'refund',
      'ORD-9001',
      '--amount',
      '30.00',
      '--reason',
      'damaged',
      '--server',
      edgeUrl,
    ]);
    expect(refund).toMatchObject({ code: 0 });
    expect(refund.out).toMatch(/^refund: done\. Points now holds for ORD-9001: .+ partially_refunded\.$/m);
    const ship = await cli([
      'ship',
      'ORD-9001',
      '--status',
      'delivered',
      '--ar',
      'تم التوصيل',
      '--en',
      'Delivered',
      '--server',
      edgeUrl,
    ]);
    expect(ship.code).toBe(0);
    const get = await cli(['get', 'ORD-9001', '--server', edgeUrl]);
    expect(get.out).toMatch(/state\s+partially_refunded/);
    const latest = await cli(['find', '--state', 'partially_refunded', '--limit', '5', '--server', edgeUrl]);
    expect(latest).toMatchObject({ code: 0, out: expect.stringContaining('ORD-9001  partially_refunded') });
    const none = await cli(['find', '--state', 'cancelled', '--server', edgeUrl]);
    expect(none).toMatchObject({ code: 1, out: 'No matching order.' });
    expect(get.out).toMatch(/shipping\s+delivered/);
  });

  it('gives JSON with --json, and earns', async () => {
    harness = await createHarness('sqlite', { env: { ADMIN_TOKEN: adminToken } });
    const data = JSON.stringify({ phone_number: '500000002', review_reference: 'REV-1', rating: 5 });
    const earned = await cli(['earn', 'store-rating', '--data', data, '--json', '--server', edgeUrl]);
    expect(earned.code).toBe(0);
    expect(JSON.parse(earned.out)).toMatchObject({
      kind: 'store_rating',
      reference: 'REV-1',
      state: 'awarded',
    });
    const again = await cli(['earn', 'store-rating', '--data', data, '--server', edgeUrl]);
    expect(again.out).toContain('Points not called again');
  });

  it('fails non-zero with the reason and the HTTP problem code: unknown order, bad usage, no token', async () => {
    harness = await createHarness('sqlite', { env: { ADMIN_TOKEN: adminToken } });
    const missing = await cli(['get', 'NOPE', '--server', edgeUrl]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('points-edge get: No order NOPE on this server. [order_not_found]');
    const json = await cli(['capture', 'NOPE', '--json', '--server', edgeUrl]);
    expect(JSON.parse(json.out)).toEqual({
      error: { code: 'order_not_found', detail: 'No order NOPE on this server.' },
    });
    expect((await cli(['refund', '--server', edgeUrl])).code).toBe(2);
    expect((await cli(['complete', 'X', '--method', 'barter', '--server', edgeUrl])).code).toBe(2);
    const bogus = await cli(['get', 'X', '--bogus', '--json']);
    expect(bogus.code).toBe(2);
    expect(JSON.parse(bogus.out)).toMatchObject({ error: { code: 'validation_failed' } });
    const badState = await cli(['find', '--state', 'lost', '--server', edgeUrl]);
    expect(badState).toMatchObject({ code: 2, err: expect.stringContaining('--state must be one of') });
    expect((await cli(['find', '--limit', '0', '--server', edgeUrl])).code).toBe(2);
    expect((await cli(['find', '--limit', '1.5', '--server', edgeUrl])).code).toBe(2);
    const noToken = await cli(['get', 'X', '--server', edgeUrl], {});
    expect(noToken).toMatchObject({ code: 78, err: expect.stringContaining('ADMIN_TOKEN') });
    const wrong = await cli(['get', 'X', '--server', edgeUrl], { ADMIN_TOKEN: 'test-wrong-token' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('admin bearer token');
    expect(wrong.err).toContain('[unauthorized]');
  });

  it('ship without a flag names --status, --ar and --en, and the help says one is needed', async () => {
    harness = await createHarness('sqlite', { env: { ADMIN_TOKEN: adminToken } });
    await paidOrder(harness, 'ORD-9002');
    const ship = await cli(['ship', 'ORD-9002', '--server', edgeUrl]);
    expect(ship.code).toBe(2);
    expect(ship.err).toContain('ship needs at least one of --status');
    expect(ship.err).toMatch(/--ar or --en/);
    expect(ship.err).not.toMatch(/nameAr|\(body\)/);
    const help = await cli(['ship', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('at least one of --status, --ar, --en');
    expect(help.out).toContain('Exit codes: 0 done, 1 the operation failed');
    expect(help.out).toMatch(/2 bad usage.*\n?.*78 invalid configuration/);
  });

  it("names our flags, not the API's fields, in a validation error", async () => {
    harness = await createHarness('sqlite', { env: { ADMIN_TOKEN: adminToken } });
    const url = await cli(['webhooks', 'register', '--url', 'not a url', '--json', '--server', edgeUrl]);
    expect(url.code).toBe(2);
    expect(JSON.parse(url.out)).toMatchObject({
      error: { code: 'validation_failed', errors: { '--url': [expect.any(String)] } },
    });
    expect(url.err).toMatch(/\(--url: .+\) \[validation_failed\]$/);
    const uuid = await cli(['adopt', 'not-a-uuid', '--server', edgeUrl]);
    expect(uuid).toMatchObject({ code: 2, err: expect.stringContaining('(<Points uuid>: ') });
    await paidOrder(harness, 'ORD-9003');
    const amount = await cli(['refund', 'ORD-9003', '--amount', '1.234', '--server', edgeUrl]);
    expect(amount.code).not.toBe(0);
    expect(amount.err).toContain('(--amount: Must be a SAR amount > 0');
  });

  it('refund prints what Points now holds for the order, read again after the refund', async () => {
    harness = await createHarness('sqlite', { env: { ADMIN_TOKEN: adminToken } });
    await paidOrder(harness, 'ORD-9004');
    const h = harness;
    // Points' refund webhook arrives before the CLI reads the order again (the refund's answer predates it).
    const fetchAndDeliver = async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await h.edge.app.fetch(new Request(input, init));
      if (new Request(input, init).url.endsWith('/refund')) await h.settle();
      return response;
    };
    const out: string[] = [];
    const code = await runOperationsCommand(
      ['refund', 'ORD-9004', '--amount', '30.00', '--server', edgeUrl],
      {
        env: { ADMIN_TOKEN: adminToken },
        out: (text) => out.push(text),
        err: () => {},
        fetch: fetchAndDeliver,
      },
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toContain(
      'refund: done. Points now holds for ORD-9004: 30.00 SAR refunded, 50.00 SAR remaining, partially_refunded.',
    );
    const json = await cli(['refund', 'ORD-9004', '--amount', '50.00', '--json', '--server', edgeUrl]);
    expect(JSON.parse(json.out)).toMatchObject({
      pointsStatus: 'fully_refunded',
      order: { state: 'refunded', refundedTotal: '80.00' },
      remainingTotal: '0.00',
    });
  });

  it('lists and replays dead letters, and reconciles', async () => {
    harness = await createHarness('sqlite', { env: { ADMIN_TOKEN: adminToken } });
    expect((await cli(['deliveries', 'list', '--server', edgeUrl])).out).toContain(
      'No dead-lettered deliveries',
    );
    expect((await cli(['deliveries', 'replay', 'nope', '--server', edgeUrl])).code).toBe(1);
    const reconciled = await cli(['reconcile', '--full', '--server', edgeUrl]);
    expect(reconciled).toMatchObject({ code: 0 });
    expect(reconciled.out).toContain('Reconciled (full)');
  });
});

describe.each(engines)('points-edge operations on the database directly (%s)', (engine) => {
  it('reads orders and reconciles with progress; a locked SQLite file points to --server', async () => {
    const url = await freshDatabaseUrl(engine);
    const store = await openDatabase(url);
    await migrateToLatest(store);
    await store.db
      .insertInto('orders')
      .values({
        order_number: 'ORD-9100',
        type: 'replacing',
        state: 'pending',
        points_uuid: null,
        reference_number: null,
        points_status: null,
        points_updated_at: null,
        shipping_status: null,
        expected_total_halalas: 1000,
        settled_total_halalas: null,
        refunded_halalas: 0,
        total_points: null,
        checkout_url: null,
        checkout_expires_at: 1,
        details: '{}',
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    if (engine === 'sqlite') {
      const locked = await cli(['get', 'ORD-9100'], directEnv(url));
      expect(locked.code).toBe(1);
      expect(locked.err).toContain('--server');
    }
    await store.close();
    const get = await cli(['find', '--order', 'ORD-9100'], directEnv(url));
    expect(get).toMatchObject({ code: 0 });
    expect(get.out).toContain('ORD-9100  pending  10.00 SAR');
    const reconciled = await cli(['reconcile'], directEnv(url));
    expect(reconciled.out).toContain('1 abandoned');
    const after = await cli(['get', 'ORD-9100', '--json'], directEnv(url));
    expect(JSON.parse(after.out)).toMatchObject({ order: { state: 'abandoned' } });
  });
});
