import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../server/http/rate-limit.ts';
import { engines } from '../support/databases.ts';
import { limitsAcrossInstancesCases, secondEdge } from '../support/rate-limiter-cases.ts';
import { createHarness, type Harness } from './edge-harness.ts';

const adminToken = 'test-admin-token-00000000000000000000';
let harness: Harness;
afterEach(() => harness?.close());

/** A harness on a fake clock, behind a proxy that sends the client's address in `x-forwarded-for`. */
async function throttled(engine: 'sqlite' | 'postgres', env: Record<string, string>) {
  const clock = { now: Date.now() };
  harness = await createHarness(engine, {
    now: () => clock.now,
    env: { ADMIN_TOKEN: adminToken, CLIENT_IP_HEADER: 'X-Forwarded-For', ...env },
  });
  return clock;
}

const from = (client: string) => ({ 'x-forwarded-for': `203.0.113.250, ${client}` });

function admin(client: string, token: string, path = '/admin/deliveries') {
  return harness.edge.app.request(path, { headers: { ...from(client), authorization: `Bearer ${token}` } });
}

async function expectThrottled(res: Response) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(await res.json()).toMatchObject({ status: 429, code: 'rate_limited' });
}

describe.each(engines)('rate limits on %s', (engine) => {
  it('admin: after 10 wrong tokens a minute a client is refused further wrong ones until the minute ends', async () => {
    const clock = await throttled(engine, {});
    for (let i = 0; i < 10; i++) expect((await admin('198.51.100.1', `wrong-${i}`)).status).toBe(401);
    await expectThrottled(await admin('198.51.100.1', 'wrong-10'));
    await expectThrottled(await admin('198.51.100.1', 'wrong-11', '/metrics'));
    // Another client, and a spoofed first entry of the header, are not this client.
    expect((await admin('198.51.100.2', 'wrong')).status).toBe(401);
    clock.now += 60_000;
    expect((await admin('198.51.100.1', 'wrong')).status).toBe(401);
  });

  it('admin: the right token always works, even from a client that is over the limit', async () => {
    await throttled(engine, {});
    for (let i = 0; i < 15; i++) await admin('198.51.100.1', `wrong-${i}`);
    await expectThrottled(await admin('198.51.100.1', 'wrong'));
    expect((await admin('198.51.100.1', adminToken)).status).toBe(200);
    expect((await admin('198.51.100.1', adminToken, '/metrics')).status).toBe(200);
    // A missing or malformed header is a wrong token too.
    const bare = await harness.edge.app.request('/admin/deliveries', { headers: from('198.51.100.1') });
    await expectThrottled(bare);
  });

  it('admin: behind a proxy without CLIENT_IP_HEADER, a scraper with a stale token does not lock support out', async () => {
    harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
    const request = (path: string, token: string) =>
      harness.edge.app.request(path, { headers: { authorization: `Bearer ${token}` } });
    // Every request here is the one client `unknown`, as behind a proxy nobody named.
    for (let i = 0; i < 30; i++) await request('/metrics', 'stale-token');
    await expectThrottled(await request('/metrics', 'stale-token'));
    expect((await request('/admin/deliveries', adminToken)).status).toBe(200);
    expect((await request('/metrics', adminToken)).status).toBe(200);
  });

  it('admin: right tokens never count', async () => {
    await throttled(engine, { RATE_LIMIT_ADMIN_FAILURES_PER_MINUTE: '2' });
    for (let i = 0; i < 20; i++) expect((await admin('198.51.100.1', adminToken)).status).toBe(200);
  });

  it('callback: the Points look-ups a client causes are throttled; the shopper still gets a page, never a 429', async () => {
    const clock = await throttled(engine, { RATE_LIMIT_CALLBACKS_PER_MINUTE: '3' });
    const token = await harness.orderToken({ order_number: 'ORD-C1', total_price: '80.00', products: [] });
    expect((await harness.checkout({ orderToken: token })).status).toBe(200);
    const lookups: string[] = [];
    const real = harness.edge.context.points;
    harness.edge.context.points = {
      beginCheckout: (input) => real.beginCheckout(input),
      getOrder: (uuid) => (lookups.push(uuid), real.getOrder(uuid)),
    };
    // The shopper's own return (the session's nonce), with a different order_uuid hint each time: each
    // would cost a Points GET.
    const bound = new URL(harness.sandbox.findOrderByNumber('ORD-C1')!.callback_url!).search;
    const callback = (client: string) =>
      harness.edge.app.request(`/callback${bound}&order_uuid=${crypto.randomUUID()}`, {
        headers: from(client),
      });
    for (let i = 0; i < 5; i++) {
      const res = await callback('198.51.100.1');
      expect(res.status).toBe(303);
      const target = new URL(res.headers.get('location')!);
      expect(target.pathname).toBe('/pending');
      expect(target.searchParams.get('token')).toBeTruthy();
    }
    expect(lookups).toHaveLength(3);
    expect((await callback('198.51.100.2')).status).toBe(303);
    expect(lookups).toHaveLength(4);
    clock.now += 60_000;
    expect((await callback('198.51.100.1')).status).toBe(303);
    expect(lookups).toHaveLength(5);
  });

  it('checkout: new Points sessions are throttled per client; reusing an open one is not', async () => {
    await throttled(engine, { RATE_LIMIT_CHECKOUTS_PER_MINUTE: '2' });
    const checkout = (client: string, body: unknown) => harness.checkout(body, from(client));
    const cart = { items: [{ sku: 'CUP', quantity: 1 }] };
    expect((await checkout('198.51.100.1', cart)).status).toBe(200);
    const token = await harness.orderToken({ order_number: 'ORD-R1', total_price: '10.00', products: [] });
    expect((await checkout('198.51.100.1', { orderToken: token })).status).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await checkout('198.51.100.1', { orderToken: token })).status).toBe(200);
    await expectThrottled(await checkout('198.51.100.1', cart));
    expect((await checkout('198.51.100.2', cart)).status).toBe(200);
    expect(await harness.store.db.selectFrom('orders').selectAll().execute()).toHaveLength(3);
  });

  it('served over a socket without CLIENT_IP_HEADER, the client is the connection address', async () => {
    harness = await createHarness(engine, {
      env: { ADMIN_TOKEN: adminToken, RATE_LIMIT_ADMIN_FAILURES_PER_MINUTE: '2' },
    });
    const server = serve({ fetch: harness.edge.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/deliveries`;
      const get = (token: string, forwarded = '192.0.2.1') =>
        fetch(url, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': forwarded } });
      expect((await get('wrong')).status).toBe(401);
      // A forwarded-for header is not trusted when none is configured: still the same client.
      expect((await get('wrong', '192.0.2.2')).status).toBe(401);
      await expectThrottled(await get('wrong', '192.0.2.3'));
      expect((await get(adminToken, '192.0.2.3')).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('0 turns a limit off', async () => {
    await throttled(engine, { RATE_LIMIT_ADMIN_FAILURES_PER_MINUTE: '0' });
    for (let i = 0; i < 30; i++) expect((await admin('198.51.100.1', 'wrong')).status).toBe(401);
  });
});

describe.skipIf(!engines.includes('postgres'))('rate limits across two instances on one Postgres', () => {
  limitsAcrossInstancesCases(async (env) => {
    const first = await createHarness('postgres', { env });
    const second = await secondEdge(first);
    return {
      harness: first,
      second,
      async close() {
        await second.worker.stop();
        await first.close();
      },
    };
  });
});

describe('rate limiter memory', () => {
  it('tracks a bounded number of clients', async () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, now: () => 0, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) await limiter.take(`client-${i}`);
    expect(await limiter.take('client-9999')).toBeGreaterThan(0);
    expect(limiter.size()).toBeLessThanOrEqual(100);
  });
});
