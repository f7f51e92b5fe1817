import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countSubrequests,
  jobsWithinLimit,
  subrequestsPerJob,
  subrequestsPerUncontendedJob,
  type Subrequests,
} from '../../server/runtime/workers/subrequest-limit.ts';
import { reconcileOrders, subrequestsPerReconciledOrder } from '../../server/reconcile/reconcile.ts';
import { openD1Store } from '../../server/store/d1-store.ts';
import { ExclusiveBusyError, withExclusive } from '../../server/store/exclusive.ts';
import { acquireLease } from '../../server/store/leases.ts';
import { migrateToLatest } from '../../server/store/migrations.ts';
import { createHarness, type Harness } from '../server/edge-harness.ts';
import { startD1 } from './miniflare-d1.ts';

// A Worker invocation may send 50 subrequests (D1 queries and fetches) on the Free plan. A drain claims only
// the jobs that still fit; this measures what each kind of job really sends, so the allowance cannot go stale.
let harness: Harness | undefined;
let dispose: (() => Promise<void>) | undefined;
afterEach(async () => {
  await harness?.close();
  await dispose?.();
  harness = dispose = undefined;
});

const shopifySecret = 'test-shopify-secret-0000000000000000';
const shop = 'coffee-house.myshopify.com';
const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../server/connectors/fixtures/shopify/${name}.json`, import.meta.url), 'utf8'),
  );

function shopifyRequest(topic: string, body: unknown) {
  const text = JSON.stringify(body);
  return new Request('http://127.0.0.1:8787/connectors/shopify/webhooks', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': shop,
      'x-shopify-event-id': crypto.randomUUID(),
      'x-shopify-webhook-id': crypto.randomUUID(),
      'x-shopify-hmac-sha256': createHmac('sha256', shopifySecret).update(text).digest('base64'),
    },
    body: text,
  });
}

/** An edge on D1 whose D1 statements and fetches to Points and the merchant are counted, as the Worker's are. */
async function countedHarness(): Promise<{ h: Harness; queries: Subrequests }> {
  const started = await startD1();
  dispose = started.dispose;
  const queries = countSubrequests();
  const store = openD1Store(queries.d1(started.d1));
  await migrateToLatest(store);
  harness = await createHarness('sqlite', {
    store,
    env: { SHOPIFY_API_SECRET: shopifySecret },
    // As in the Worker, nothing runs a job until a drain does.
    wakeWorker: () => {},
    pointsFetch: queries.fetch(async (input: string, init: RequestInit) =>
      harness!.sandbox.app.fetch(new Request(input, init)),
    ),
    merchantFetch: queries.fetch(async () => new Response(null, { status: 204 })),
  });
  return { h: harness, queries };
}

/** Runs due jobs one at a time; for each, its kind and the statements it sent (not counting its claim). */
async function drainOneByOne(
  h: Harness,
  queries: Subrequests,
): Promise<Array<{ kind: string; sent: number }>> {
  const runs: Array<{ kind: string; sent: number }> = [];
  for (;;) {
    const before = queries.sent();
    const finishedBefore = await finishedIds(h);
    let claims = 0;
    const ran = await h.edge.worker.drain({ claimLimit: () => (claims++ === 0 ? 1 : 0) });
    if (ran === 0) return runs;
    const sent = queries.sent() - before;
    const finished = (await finishedIds(h)).filter(
      (job) => !finishedBefore.some((seen) => seen.id === job.id),
    );
    runs.push({ kind: finished.map((job) => job.kind).join(',') || 'retried', sent: sent - 2 });
  }
}

/** Jobs that ended. Each run's count above takes off one of these reads and the claim. */
const finishedIds = (h: Harness) =>
  h.store.db.selectFrom('jobs').select(['id', 'kind']).where('state', 'in', ['done', 'dead']).execute();

describe('subrequests per job', () => {
  it('every kind of job sends at most subrequestsPerUncontendedJob when no lease is busy', async () => {
    const { h, queries } = await countedHarness();

    // A card checkout paid at Points: its webhook, then the merchant's notification.
    await h.checkout({
      orderToken: await h.orderToken({ order_number: 'ORD-7001', total_price: '80.00', products: [] }),
    });
    await h.sandbox.completeCheckout('ORD-7001', { phone: '500000002' });
    await h.sandbox.settleDeliveries();
    const order = await drainOneByOne(h, queries);

    // A store platform's paid order earned at Points, then its refund reversed.
    const paid = fixture('orders-paid');
    paid.customer.phone = '0500000011';
    paid.billing_address.phone = null;
    await h.edge.app.fetch(shopifyRequest('orders/paid', paid));
    const earned = await drainOneByOne(h, queries);
    await h.edge.app.fetch(shopifyRequest('refunds/create', fixture('refunds-create')));
    const reversed = await drainOneByOne(h, queries);

    const runs = [...order, ...earned, ...reversed];
    const kinds = new Set(runs.map((run) => run.kind));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(['notify-merchant', 'process-connector-delivery', 'process-receipt']),
    );
    console.info('subrequests per job:', runs.map((run) => `${run.kind} ${run.sent}`).join('; '));
    expect(Math.max(...runs.map((run) => run.sent))).toBeLessThanOrEqual(subrequestsPerUncontendedJob);
  }, 60_000);
});

describe('subrequests per reconciled order', () => {
  it('a pass sends at most subrequestsPerReconciledOrder an order, drift or none', async () => {
    const { h, queries } = await countedHarness();
    for (const number of ['ORD-7301', 'ORD-7302']) {
      await h.checkout({
        orderToken: await h.orderToken({ order_number: number, total_price: '40.00', products: [] }),
      });
      await h.sandbox.completeCheckout(number, { phone: '500000002' });
    }
    await h.sandbox.settleDeliveries();
    await h.edge.worker.drain();
    // One refunded at Points while its webhook was lost: the pass repairs it and queues the notification.
    const uuid = (await h.store.db
      .selectFrom('orders')
      .select('points_uuid')
      .where('order_number', '=', 'ORD-7301')
      .executeTakeFirst())!.points_uuid!;
    h.sandbox.fireAutoRefund(uuid);
    await h.sandbox.settleDeliveries();
    await h.store.db.deleteFrom('jobs').where('state', '=', 'queued').execute();
    await h.store.db.updateTable('webhook_receipts').set({ status: 'processed' }).execute();

    const perOrder: number[] = [];
    for (;;) {
      const before = queries.sent();
      let allowed = 1;
      const report = await reconcileOrders(h.edge.context, h.edge.context.points, {
        keepGoing: () => allowed-- > 0,
      });
      if (report.checked + report.failed === 0) break;
      // Less the pass's own two reads (open orders, expired checkouts).
      perOrder.push(queries.sent() - before - 2);
      if (perOrder.length > 2) break;
    }
    console.info('subrequests per reconciled order:', perOrder.join(', '));
    expect(perOrder.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...perOrder)).toBeLessThanOrEqual(subrequestsPerReconciledOrder);
  }, 60_000);
});

describe('a drain within the invocation’s subrequest limit', () => {
  it('claims no more jobs than the queries left cover, and the rest wait for the next run', async () => {
    const { h, queries } = await countedHarness();
    for (let n = 0; n < 6; n++) {
      await h.checkout({
        orderToken: await h.orderToken({ order_number: `ORD-72${n}`, total_price: '10.00', products: [] }),
      });
      await h.sandbox.completeCheckout(`ORD-72${n}`, { phone: '500000002' });
    }
    await h.sandbox.settleDeliveries();
    const queued = () => h.store.db.selectFrom('jobs').select('id').where('state', '=', 'queued').execute();
    const waiting = (await queued()).length;
    expect(waiting).toBeGreaterThanOrEqual(6);

    const startedAt = queries.sent();
    const ran = await h.edge.worker.drain({ claimLimit: () => jobsWithinLimit(queries, startedAt, 50) });
    expect(queries.sent() - startedAt).toBeLessThanOrEqual(50);
    expect(ran).toBeGreaterThan(0);
    expect(ran).toBeLessThan(waiting);
    const done = await h.store.db.selectFrom('jobs').select('id').where('state', '=', 'done').execute();
    expect(done).toHaveLength(ran);
    expect((await queued()).length).toBeGreaterThan(0);
    const dead = await h.store.db.selectFrom('jobs').select('id').where('state', '=', 'dead').execute();
    expect(dead).toEqual([]);

    // A Paid plan's limit drains everything left in one invocation.
    const next = queries.sent();
    await h.edge.worker.drain({ claimLimit: () => jobsWithinLimit(queries, next, 1000) });
    expect(await queued()).toEqual([]);
  }, 60_000);

  it('looks at a busy lease at most five times on D1, then lets the job retry', async () => {
    const started = await startD1();
    dispose = started.dispose;
    const counted = countSubrequests();
    const store = openD1Store(counted.d1(started.d1));
    await migrateToLatest(store);
    await acquireLease(store, 'order:ORD-1', 'another isolate', 60_000, Date.now());
    const before = counted.sent();
    await expect(withExclusive(store, 'order:ORD-1', async () => 'never')).rejects.toThrow(
      ExclusiveBusyError,
    );
    expect(counted.sent() - before).toBeLessThanOrEqual(5);
  });

  it('counts every statement of a batch and every fetch, none twice', async () => {
    const started = await startD1();
    dispose = started.dispose;
    const counted = countSubrequests();
    const d1 = counted.d1(started.d1);
    await d1.prepare('create table t (n integer)').run();
    await d1.batch([
      d1.prepare('insert into t values (?)').bind(1),
      d1.prepare('insert into t values (?)').bind(2),
    ]);
    const rows = await d1.prepare('select n from t order by n').all<{ n: number }>();
    expect(rows.results.map((row) => row.n)).toEqual([1, 2]);
    expect(counted.sent()).toBe(4);
    const send = counted.fetch(async (url: string) => new Response(url));
    expect(await (await send('https://points.example/x')).text()).toBe('https://points.example/x');
    expect(counted.sent()).toBe(5);
    // Five sent since the invocation began: one claim and one job need 5 + 1 + subrequestsPerJob.
    expect(jobsWithinLimit(counted, 0, 5 + 1 + subrequestsPerJob)).toBe(1);
    expect(jobsWithinLimit(counted, 0, 5 + subrequestsPerJob)).toBe(0);
    expect(jobsWithinLimit(counted, 0, 5 + 1 + 3 * subrequestsPerJob)).toBe(3);
  });
});
