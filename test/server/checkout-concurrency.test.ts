import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createEdge } from '../../server/runtime/node/edge.ts';
import type { Edge } from '../../server/edge.ts';
import { acquireLease } from '../../server/store/leases.ts';
import { storeEngines, type StoreEngine } from '../support/databases.ts';
import { createHarness, storeUrl, type Harness } from './edge-harness.ts';

let harness: Harness;
let second: Edge | undefined;
afterEach(async () => {
  await second?.worker.stop();
  second = undefined;
  await harness?.close();
});

const claims = { order_number: 'ORD-5001', total_price: '80.00', products: [] };

/** A harness whose Points answers checkouts slowly, counting the checkout calls it gets. */
async function slowPoints(engine: StoreEngine, slowMs = 150, checkoutWaitMs = 10_000) {
  const calls: string[] = [];
  const sandbox: { fetch?: (request: Request) => Promise<Response> } = {};
  const pointsFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname.includes('/orders/checkout/')) {
      calls.push(request.url);
      await delay(slowMs);
    }
    return sandbox.fetch!(request);
  };
  harness = await createHarness(engine, { pointsFetch, checkoutWaitMs });
  sandbox.fetch = (request) => Promise.resolve(harness.sandbox.app.fetch(request));
  return { calls, pointsFetch };
}

function checkoutOn(edge: Edge, body: unknown) {
  return edge.app.request('/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: storeUrl },
    body: JSON.stringify(body),
  });
}

describe.each(storeEngines)('concurrent checkouts of one order on %s', (engine) => {
  it('20 at once make one Points call, and all get its session', async () => {
    const { calls } = await slowPoints(engine);
    const token = await harness.orderToken(claims);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => harness.checkout({ orderToken: token })),
    );
    expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200));
    const urls = new Set(await Promise.all(answers.map(async (res) => (await res.json()).checkoutUrl)));
    expect(urls.size).toBe(1);
    expect(calls).toHaveLength(1);
    expect(await harness.store.db.selectFrom('leases').selectAll().execute()).toEqual([]);
  });

  it.skipIf(engine !== 'postgres')(
    'across two instances on one database: still one Points call',
    async () => {
      const { calls, pointsFetch } = await slowPoints(engine);
      second = await createEdge({
        config: harness.edge.context.config,
        store: harness.store,
        logger: pino({ level: 'silent' }),
        pointsFetch,
      });
      const token = await harness.orderToken(claims);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          checkoutOn(i % 2 === 0 ? harness.edge : second!, { orderToken: token }),
        ),
      );
      expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200));
      expect(calls).toHaveLength(1);
    },
  );

  it('a checkout still waiting when its wait runs out answers 429 checkout_in_progress with Retry-After', async () => {
    const { calls } = await slowPoints(engine, 1500, 300);
    const token = await harness.orderToken(claims);
    const first = harness.checkout({ orderToken: token });
    await delay(50);
    const started = performance.now();
    const res = await harness.checkout({ orderToken: token });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toMatchObject({ code: 'checkout_in_progress' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect((await first).status).toBe(200);
    expect(calls).toHaveLength(1);
  });

  it.skipIf(engine !== 'postgres')(
    'waits on a lease another instance holds, then answers 429 when it is not given back in time',
    async () => {
      const { calls } = await slowPoints(engine, 150, 300);
      await acquireLease(harness.store, 'checkout:ORD-5001', 'crashed-instance', 60_000, Date.now());
      const res = await harness.checkout({ orderToken: await harness.orderToken(claims) });
      expect(res.status).toBe(429);
      expect(calls).toHaveLength(0);
    },
  );

  it.skipIf(engine !== 'postgres')(
    'a lease wait that fails leaves no turn behind: the next checkout of the order goes ahead',
    async () => {
      const { calls } = await slowPoints(engine, 150, 300);
      const token = await harness.orderToken(claims);
      await sql`alter table leases rename to leases_away`.execute(harness.store.db);
      expect((await harness.checkout({ orderToken: token })).status).toBe(500);
      await sql`alter table leases_away rename to leases`.execute(harness.store.db);
      // Before: it waited for the failed checkout's turn in this process, then answered 429.
      expect((await harness.checkout({ orderToken: token })).status).toBe(200);
      expect(calls).toHaveLength(1);
    },
  );
});
