import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Edge } from '../../server/edge.ts';
import { createEdge } from '../../server/runtime/node/edge.ts';
import type { D1Database } from '../../server/store/d1-dialect.ts';
import { openD1Store } from '../../server/store/d1-store.ts';
import { acquireLease } from '../../server/store/leases.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';
import { createHarness, storeUrl, type Harness } from '../server/edge-harness.ts';
import { startD1 } from './miniflare-d1.ts';

// Checkouts of one order in two isolates: each isolate is its own process, so only a lease row in D1
// keeps them to one Points session.
let harness: Harness | undefined;
let second: Edge | undefined;
let dispose: (() => Promise<void>) | undefined;
afterEach(async () => {
  await second?.worker.stop();
  await harness?.close();
  await dispose?.();
  harness = second = dispose = undefined;
});

const claims = { order_number: 'ORD-5001', total_price: '80.00', products: [] };

/** Two edge servers, each on its own store handle over one D1 database; Points answers checkouts slowly. */
async function twoIsolates(checkoutWaitMs = 10_000) {
  const started = await startD1();
  dispose = started.dispose;
  // Every statement either store sends, to count what a checkout costs of the invocation's budget.
  const statements: string[] = [];
  const d1: D1Database = {
    prepare: (text) => (statements.push(text), started.d1.prepare(text)),
    batch: (list) => started.d1.batch(list),
  };
  const first = openD1Store(d1);
  await migrateToLatest(first);
  const calls: string[] = [];
  /** The `callback_url` of each session asked for, with its nonce. */
  const callbackUrls: string[] = [];
  const pointsFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname.includes('/orders/checkout/')) {
      calls.push(request.url);
      callbackUrls.push(((await request.clone().json()) as { callback_url: string }).callback_url);
      await delay(300);
    }
    return harness!.sandbox.app.fetch(request);
  };
  harness = await createHarness('sqlite', { store: first, pointsFetch, checkoutWaitMs });
  second = await createEdge({
    config: harness.edge.context.config,
    store: openD1Store(d1),
    logger: pino({ level: 'silent' }),
    pointsFetch,
    checkoutWaitMs,
  });
  return { calls, callbackUrls, statements, edges: [harness.edge, second] as const };
}

function checkoutOn(edge: Edge, body: unknown) {
  return edge.app.request('/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: storeUrl },
    body: JSON.stringify(body),
  });
}

describe('concurrent checkouts of one order on D1', () => {
  it('in two isolates at once make one Points call, and all get its session', async () => {
    const { calls, edges } = await twoIsolates();
    const token = await harness!.orderToken(claims);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => checkoutOn(edges[i % 2]!, { orderToken: token })),
    );
    expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200));
    const urls = new Set(await Promise.all(answers.map(async (res) => (await res.json()).checkoutUrl)));
    expect(urls.size).toBe(1);
    expect(calls).toHaveLength(1);
    expect(await harness!.store.db.selectFrom('leases').selectAll().execute()).toEqual([]);
  }, 30_000);

  it('waits on a lease held elsewhere for 10 looks at most, then answers 429, within the query budget', async () => {
    const { calls, statements, edges } = await twoIsolates();
    const token = await harness!.orderToken(claims);
    await acquireLease(harness!.store, 'checkout:ORD-5001', 'crashed-isolate', 60_000, Date.now());
    statements.length = 0;
    const res = await checkoutOn(edges[1], { orderToken: token });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ code: 'checkout_in_progress' });
    expect(calls).toHaveLength(0);
    expect(statements.filter((text) => text.startsWith('insert into "leases"'))).toHaveLength(11);
    // The free plan allows 50 queries an invocation.
    expect(statements.length).toBeLessThanOrEqual(30);
  }, 30_000);

  it('a lease wait that fails leaves no turn behind: the next checkout of the order goes ahead', async () => {
    const { calls, edges } = await twoIsolates(2_000);
    const token = await harness!.orderToken(claims);
    await sql`alter table leases rename to leases_away`.execute(harness!.store.db);
    expect((await checkoutOn(edges[0], { orderToken: token })).status).toBe(500);
    await sql`alter table leases_away rename to leases`.execute(harness!.store.db);
    expect((await checkoutOn(edges[0], { orderToken: token })).status).toBe(200);
    expect(calls).toHaveLength(1);
  }, 30_000);
});

describe('callback nonces across isolates on D1', () => {
  /** Whether `edge` recognises the shopper of this callback URL: a status token only for the session's own nonce. */
  async function recognised(edge: Edge, callbackUrl: string): Promise<boolean> {
    const url = new URL(callbackUrl);
    const res = await edge.app.request(`/callback${url.search}`);
    expect(res.status).toBe(303);
    return new URL(res.headers.get('location')!).searchParams.has('token');
  }

  it('a session started in one isolate is its shopper’s in the other; a wrong nonce is nobody’s', async () => {
    const { callbackUrls, edges } = await twoIsolates();
    expect((await checkoutOn(edges[0], { orderToken: await harness!.orderToken(claims) })).status).toBe(200);
    expect(await recognised(edges[1], callbackUrls[0]!)).toBe(true);
    const forged = new URL(callbackUrls[0]!);
    forged.searchParams.set('nonce', 'A'.repeat(22));
    expect(await recognised(edges[1], forged.toString())).toBe(false);
  }, 30_000);

  it('two sessions of one order started at once in two isolates (the cart changed) keep both nonces', async () => {
    const { calls, callbackUrls, edges } = await twoIsolates();
    const [first, changed] = await Promise.all([
      checkoutOn(edges[0], { orderToken: await harness!.orderToken(claims) }),
      checkoutOn(edges[1], { orderToken: await harness!.orderToken({ ...claims, total_price: '90.00' }) }),
    ]);
    expect([first.status, changed.status]).toEqual([200, 200]);
    expect(calls).toHaveLength(2);
    // Before the lease on D1, both read the order before either saved, and the later save dropped the other's nonce.
    for (const url of callbackUrls) expect(await recognised(edges[1], url)).toBe(true);
    const row = await harness!.store.db
      .selectFrom('orders')
      .select('callback_nonce_hashes')
      .executeTakeFirst();
    expect(row?.callback_nonce_hashes?.split(' ')).toHaveLength(2);
  }, 30_000);
});
