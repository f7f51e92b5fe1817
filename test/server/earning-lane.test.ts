import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../demo/sandbox/index.ts';
import { createEarningLane, earningLeaseName } from '../../server/earning/earning-lane.ts';
import { acquireLease } from '../../server/store/leases.ts';
import { createPointsClient, type FetchLike } from '../../server/points/client.ts';
import { PointsForbiddenError, PointsInputError } from '../../server/points/errors.ts';
import type { Store } from '../../server/store/db.ts';
import { storeEngines, freshStore } from '../support/databases.ts';

let sandbox: Sandbox | undefined;
let store: Store | undefined;
afterEach(async () => {
  sandbox?.close();
  await store?.close();
  sandbox = store = undefined;
});

function purchase(orderNumber: string, phone = '0500000002') {
  return {
    order_number: orderNumber,
    phone_number: phone,
    total_price: 115,
    products: [{ product_name: 'Coffee', product_price: 115, quantity: 1 }],
  };
}

/** A client over the in-process sandbox that records every HTTP status Points answered. */
function pointsOver(
  box: Sandbox,
  statuses: number[],
  before?: (...args: Parameters<FetchLike>) => Promise<Response | undefined>,
) {
  return createPointsClient({
    baseUrl: `${box.options.baseUrl}/api`,
    privateKey: box.options.privateKey,
    retries: 0,
    fetch: async (input, init) => {
      const early = before ? await before(input, init) : undefined;
      const response = early ?? (await box.app.fetch(new Request(input, init)));
      statuses.push(response.status);
      return response;
    },
  });
}

describe.each(storeEngines)('earning lane on %s', (engine) => {
  it('serializes a storm of concurrent earnings from two instances: no 429, none lost', async () => {
    sandbox = createSandbox({ earningLatencyMs: 15 });
    store = await freshStore(engine);
    const statuses: number[] = [];
    const lanes = ['a', 'b'].map((holder) =>
      createEarningLane({ store: store!, points: pointsOver(sandbox!, statuses), holder, pollMs: 5 }),
    );
    const calls = Array.from({ length: 12 }, (_, index) =>
      lanes[index % 2]!.earn(
        index % 3 === 0 ? 'store_rating' : 'purchase',
        index % 3 === 0
          ? { phone_number: '500000002', review_reference: `R-${index}`, rating: 5 }
          : purchase(`E-${index}`),
      ),
    );
    const outcomes = await Promise.all(calls);
    expect(outcomes.every((outcome) => outcome.state === 'awarded')).toBe(true);
    expect(statuses).toHaveLength(12);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
    const rows = await store.db.selectFrom('earnings').select('state').execute();
    expect(rows).toHaveLength(12);
    const order = await store.db
      .selectFrom('orders')
      .selectAll()
      .where('order_number', '=', 'E-1')
      .executeTakeFirst();
    expect(order).toMatchObject({ type: 'earning', state: 'confirmed', expected_total_halalas: 11_500 });
  });

  it('is idempotent on the order number: a repeat returns the stored answer without calling Points', async () => {
    sandbox = createSandbox();
    store = await freshStore(engine);
    const statuses: number[] = [];
    const lane = createEarningLane({ store, points: pointsOver(sandbox, statuses) });
    const first = await lane.earn('purchase', purchase('E-100'));
    const again = await lane.earn('purchase', purchase('E-100'));
    expect(first).toMatchObject({ state: 'awarded', replayed: false, totalPoints: 1150 });
    expect(again).toMatchObject({ state: 'awarded', replayed: true, pointsUuid: first.pointsUuid });
    expect(statuses).toEqual([200]);
  });

  it('stores the pending-activation answer as such', async () => {
    sandbox = createSandbox();
    store = await freshStore(engine);
    const lane = createEarningLane({ store, points: pointsOver(sandbox, []) });
    const outcome = await lane.earn('purchase', purchase('E-200', '500000004'));
    expect(outcome).toMatchObject({ state: 'pending_activation', pointsUuid: null, totalPoints: 1150 });
    expect(outcome.pendingId).toEqual(expect.any(Number));
    expect(await lane.earn('purchase', purchase('E-200', '500000004'))).toMatchObject({ replayed: true });
  });

  it('waits Retry-After on a 429 (lease released meanwhile) and then earns', async () => {
    sandbox = createSandbox();
    store = await freshStore(engine);
    const statuses: number[] = [];
    const waits: number[] = [];
    let limited = 2;
    const lane = createEarningLane({
      store,
      points: pointsOver(sandbox, statuses, async () =>
        limited-- > 0
          ? new Response(
              JSON.stringify({ status: false, message: 'Another earning request is being processed.' }),
              {
                status: 429,
                headers: { 'content-type': 'application/json', 'retry-after': '7' },
              },
            )
          : undefined,
      ),
      sleep: async (ms) => {
        waits.push(ms);
        // While we wait, the lease is free for another instance.
        expect(await acquireLease(store!, earningLeaseName, 'other', 1000, Date.now())).toBe(true);
        await store!.db.deleteFrom('leases').execute();
      },
    });
    const outcome = await lane.earn('purchase', purchase('E-300'));
    expect(outcome.state).toBe('awarded');
    expect(waits).toEqual([7000, 7000]);
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('waits while another instance holds the lease', async () => {
    sandbox = createSandbox();
    store = await freshStore(engine);
    expect(await acquireLease(store, earningLeaseName, 'other', 60_000, Date.now())).toBe(true);
    let polls = 0;
    const lane = createEarningLane({
      store,
      points: pointsOver(sandbox, []),
      sleep: async () => {
        if (++polls === 3) await store!.db.deleteFrom('leases').execute();
      },
    });
    expect((await lane.earn('purchase', purchase('E-400'))).state).toBe('awarded');
    expect(polls).toBe(3);
  });

  it('rejects bad input before any call, and records a refusal it may retry later', async () => {
    sandbox = createSandbox();
    store = await freshStore(engine);
    const statuses: number[] = [];
    const lane = createEarningLane({ store, points: pointsOver(sandbox, statuses) });
    await expect(lane.earn('purchase', { ...purchase('E-500'), phone_number: '12' })).rejects.toBeInstanceOf(
      PointsInputError,
    );
    sandbox.setChannel('earning', false);
    await expect(lane.earn('purchase', purchase('E-501'))).rejects.toBeInstanceOf(PointsForbiddenError);
    sandbox.setChannel('earning', true);
    expect((await lane.earn('purchase', purchase('E-501'))).state).toBe('awarded');
    expect(statuses).toEqual([403, 200]);
  });
});

describe.each(storeEngines)('earning lane retries on %s', (engine) => {
  it('an earning left queued by a 429 storm (or with an unknown outcome) is sent again by retryStale', async () => {
    sandbox = createSandbox();
    store = await freshStore(engine);
    let clock = 1_000_000;
    let limited = true;
    const statuses: number[] = [];
    const lane = createEarningLane({
      store,
      now: () => clock,
      maxRateLimited: 1,
      sleep: async () => {},
      points: pointsOver(sandbox, statuses, async () =>
        limited ? new Response('{"status":false,"message":"busy"}', { status: 429 }) : undefined,
      ),
    });
    await expect(lane.earn('purchase', purchase('E-600'))).rejects.toThrow();
    // An earlier attempt whose answer never came back, though Points did award it.
    await sandbox.app.request('/api/v1/orders/earning', {
      method: 'POST',
      headers: { 'x-api-key': sandbox.options.privateKey, 'content-type': 'application/json' },
      body: JSON.stringify(purchase('E-601')),
    });
    await store.db
      .insertInto('earnings')
      .values({
        key: 'purchase:E-601',
        kind: 'purchase',
        reference: 'E-601',
        state: 'unknown',
        request: JSON.stringify(purchase('E-601', '500000002')),
        points_uuid: null,
        total_points: null,
        pending_id: null,
        attempts: 1,
        last_error: 'timeout',
        created_at: clock,
        updated_at: clock,
      })
      .execute();
    limited = false;
    expect(await lane.retryStale(60_000)).toBe(0); // not stale yet
    clock += 60_000;
    expect(await lane.retryStale(60_000)).toBe(2);
    const rows = await store.db
      .selectFrom('earnings')
      .select(['reference', 'state'])
      .orderBy('reference')
      .execute();
    expect(rows).toEqual([
      { reference: 'E-600', state: 'awarded' },
      { reference: 'E-601', state: 'awarded' },
    ]);
  });
});
