import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import type { Edge } from '../../server/edge.ts';
import { createStoreRateLimiter } from '../../server/http/store-rate-limiter.ts';
import { createEdge } from '../../server/runtime/node/edge.ts';
import type { Store } from '../../server/store/db.ts';
import type { Harness } from '../server/edge-harness.ts';

/** Two handles on one database (two instances, or two isolates), and how to close both. */
export interface SharedDatabase {
  first: Store;
  second: Store;
  close(): Promise<void>;
}

/**
 * The store-backed rate limiter's cases, for each engine's test file (test/server on SQLite and Postgres,
 * test/workers on D1): call inside a `describe`.
 */
export function storeRateLimiterCases(open: () => Promise<SharedDatabase>): void {
  let shared: SharedDatabase | undefined;
  afterEach(async () => {
    await shared?.close();
    shared = undefined;
  });

  async function limiters(limit = 3) {
    shared = await open();
    const clock = { now: 1_000_000 };
    const on = (store: Store, name = 'checkouts') =>
      createStoreRateLimiter({ store, name, limit, windowMs: 60_000, now: () => clock.now });
    return { clock, a: on(shared.first), b: on(shared.second), on, db: shared.first.db };
  }

  it('lets a key go on up to the limit a window, then answers the seconds left', async () => {
    const { clock, a } = await limiters();
    for (let i = 0; i < 3; i++) expect(await a.take('198.51.100.1')).toBeUndefined();
    clock.now += 15_000;
    expect(await a.take('198.51.100.1')).toBe(45);
    expect(await a.blocked('198.51.100.1')).toBe(45);
    expect(await a.blocked('198.51.100.2')).toBeUndefined();
    expect(await a.take('198.51.100.2')).toBeUndefined();
  });

  it('counts with hit and looks with blocked, which counts nothing', async () => {
    const { a } = await limiters(2);
    expect(await a.blocked('198.51.100.1')).toBeUndefined();
    expect(await a.blocked('198.51.100.1')).toBeUndefined();
    await a.hit('198.51.100.1');
    expect(await a.blocked('198.51.100.1')).toBeUndefined();
    await a.hit('198.51.100.1');
    expect(await a.blocked('198.51.100.1')).toBe(60);
  });

  it('shares one count between two limiters on one database', async () => {
    const { a, b } = await limiters();
    expect(await a.take('198.51.100.1')).toBeUndefined();
    expect(await b.take('198.51.100.1')).toBeUndefined();
    expect(await a.take('198.51.100.1')).toBeUndefined();
    expect(await b.take('198.51.100.1')).toBe(60);
    expect(await a.take('198.51.100.1')).toBe(60);
    expect(await b.blocked('198.51.100.1')).toBe(60);
  });

  it('starts a new window once the last one ended, on either limiter', async () => {
    const { clock, a, b } = await limiters(2);
    await a.take('198.51.100.1');
    await b.take('198.51.100.1');
    expect(await a.take('198.51.100.1')).toBe(60);
    clock.now += 59_999;
    expect(await b.take('198.51.100.1')).toBe(0.001);
    clock.now += 1;
    expect(await b.blocked('198.51.100.1')).toBeUndefined();
    expect(await b.take('198.51.100.1')).toBeUndefined();
    expect(await a.take('198.51.100.1')).toBeUndefined();
    clock.now += 30_000;
    expect(await a.take('198.51.100.1')).toBe(30);
  });

  it('keeps limiters of other names apart', async () => {
    const { a, on } = await limiters(1);
    const callbacks = on(shared!.second, 'callbacks');
    expect(await a.take('198.51.100.1')).toBeUndefined();
    expect(await a.take('198.51.100.1')).toBe(60);
    expect(await callbacks.take('198.51.100.1')).toBeUndefined();
  });

  it('lets exactly the limit through when many take at once on two limiters', async () => {
    const { a, b } = await limiters(5);
    const waits = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).take('198.51.100.1')),
    );
    expect(waits.filter((wait) => wait === undefined)).toHaveLength(5);
  });

  it('deletes windows that ended, at most once a window per limiter, and stores no more than name and key', async () => {
    const { clock, a, db } = await limiters();
    for (let i = 0; i < 5; i++) await a.take(`198.51.100.${i}`);
    expect(await db.selectFrom('rate_windows').select('key').orderBy('key').execute()).toEqual(
      Array.from({ length: 5 }, (_, i) => ({ key: `checkouts:198.51.100.${i}` })),
    );
    clock.now += 30_000;
    await a.take('198.51.100.9');
    expect(await db.selectFrom('rate_windows').selectAll().execute()).toHaveLength(6);
    clock.now += 30_000;
    await a.take('198.51.100.9');
    expect(await db.selectFrom('rate_windows').selectAll().execute()).toEqual([
      { key: 'checkouts:198.51.100.9', hits: 2, ends_at: 1_000_000 + 90_000 },
    ]);
  });

  it('0 turns it off and writes nothing', async () => {
    const { a, db } = await limiters(0);
    for (let i = 0; i < 5; i++) expect(await a.take('198.51.100.1')).toBeUndefined();
    await a.hit('198.51.100.1');
    expect(await a.blocked('198.51.100.1')).toBeUndefined();
    expect(await db.selectFrom('rate_windows').selectAll().execute()).toEqual([]);
  });
}

/** A second edge server beside `harness`'s, on `store` (default: the harness's own), with the same Points sandbox. */
export function secondEdge(harness: Harness, store: Store = harness.store): Promise<Edge> {
  return createEdge({
    config: harness.edge.context.config,
    store,
    logger: pino({ level: 'silent' }),
    pointsFetch: async (input, init) => harness.sandbox.app.fetch(new Request(input, init)),
  });
}

/** Two edge servers (instances, or isolates) on one database. */
export interface TwoEdges {
  harness: Harness;
  second: Edge;
  close(): Promise<void>;
}

const adminToken = 'test-admin-token-00000000000000000000';

/**
 * The request limits across two edge servers on one shared database (Postgres, D1): each limit holds for
 * the two together, as it would for one. `open` builds the two with these extra variables.
 */
export function limitsAcrossInstancesCases(open: (env: Record<string, string>) => Promise<TwoEdges>): void {
  let edges: TwoEdges | undefined;
  afterEach(async () => {
    await edges?.close();
    edges = undefined;
  });
  const from = (client: string) => ({ 'x-forwarded-for': client });
  const admin = (edge: Edge, client: string, token: string, path = '/admin/deliveries') =>
    edge.app.request(path, { headers: { ...from(client), authorization: `Bearer ${token}` } });

  it('admin: wrong tokens sent to either count together; the right token still works on both', async () => {
    edges = await open({ ADMIN_TOKEN: adminToken, CLIENT_IP_HEADER: 'x-forwarded-for' });
    const { harness, second } = edges;
    for (let i = 0; i < 10; i++) {
      const res = await admin(i % 2 === 0 ? harness.edge : second, '198.51.100.1', `wrong-${i}`);
      expect(res.status).toBe(401);
    }
    expect((await admin(second, '198.51.100.1', 'wrong')).status).toBe(429);
    expect((await admin(harness.edge, '198.51.100.1', 'wrong', '/metrics')).status).toBe(429);
    expect((await admin(harness.edge, '198.51.100.1', adminToken)).status).toBe(200);
    expect((await admin(second, '198.51.100.1', adminToken, '/metrics')).status).toBe(200);
    expect((await admin(second, '198.51.100.2', 'wrong')).status).toBe(401);
    // The address and the limiter's name are kept, never a token.
    const keys = await harness.store.db.selectFrom('rate_windows').select('key').orderBy('key').execute();
    expect(keys).toEqual([{ key: 'admin-failures:198.51.100.1' }, { key: 'admin-failures:198.51.100.2' }]);
  });

  it('checkout: new sessions started on either count together', async () => {
    edges = await open({ CLIENT_IP_HEADER: 'x-forwarded-for', RATE_LIMIT_CHECKOUTS_PER_MINUTE: '2' });
    const { harness, second } = edges;
    const checkout = (edge: Edge, client: string) =>
      edge.app.request('/checkout', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...from(client) },
        body: JSON.stringify({ items: [{ sku: 'CUP', quantity: 1 }] }),
      });
    expect((await checkout(harness.edge, '198.51.100.1')).status).toBe(200);
    expect((await checkout(second, '198.51.100.1')).status).toBe(200);
    expect((await checkout(harness.edge, '198.51.100.1')).status).toBe(429);
    expect((await checkout(second, '198.51.100.1')).status).toBe(429);
    expect((await checkout(second, '198.51.100.2')).status).toBe(200);
  });
}
