import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../demo/sandbox/index.ts';
import { createEarningLane } from '../../server/earning/earning-lane.ts';
import { createPointsClient, type FetchLike } from '../../server/points/client.ts';
import type { Store } from '../../server/store/db.ts';
import { freshStore } from '../support/databases.ts';
import { seededRandom } from './chaos-support.ts';

type PointsMode = 'down' | 'storm' | 'up';

let sandbox: Sandbox | undefined;
let store: Store | undefined;
afterEach(async () => {
  sandbox?.close();
  await store?.close();
});

const earnings = 20;
const phone = '500000002';
const purchase = (index: number) => ({
  order_number: `E-${index}`,
  phone_number: phone,
  total_price: 115,
  products: [{ product_name: 'Coffee', product_price: 115, quantity: 1 }],
});

describe('earning lane through a Points outage and a 429 storm', () => {
  it('two instances never overlap an earning call, and every earning is awarded exactly once', async () => {
    const box = createSandbox({ earningLatencyMs: 3 });
    sandbox = box;
    const db = await freshStore('sqlite');
    store = db;
    const random = seededRandom(7);
    let mode: PointsMode = 'down';
    let inFlight = 0;
    let maxInFlight = 0;
    const sandboxStatuses: number[] = [];
    const injected = { down: 0, rateLimited: 0 };

    // Points behind a switch; counts overlapping earning calls as Points itself would see them.
    const fetch: FetchLike = async (input, init) => {
      if (mode === 'down') {
        injected.down++;
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
        });
      }
      if (mode === 'storm' && random() < 0.5) {
        injected.rateLimited++;
        return Response.json(
          { status: false, message: 'Another earning request is being processed. Please retry shortly.' },
          { status: 429, headers: { 'retry-after': '0' } },
        );
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const response = await box.app.fetch(new Request(input, init));
        sandboxStatuses.push(response.status);
        return response;
      } finally {
        inFlight--;
      }
    };
    const lanes = ['instance-a', 'instance-b'].map((holder) =>
      createEarningLane({
        store: db,
        holder,
        pollMs: 2,
        sleep: (ms) => new Promise((done) => setTimeout(done, Math.min(ms, 5))),
        points: createPointsClient({
          baseUrl: `${box.options.baseUrl}/api`,
          privateKey: box.options.privateKey,
          retries: 0,
          fetch,
        }),
      }),
    );
    // Like a job queue: every earning not yet settled is sent again, from either instance, all at once.
    const settled = new Set<number>();
    const round = () =>
      Promise.allSettled(
        Array.from({ length: earnings }, (_, index) => index)
          .filter((index) => !settled.has(index))
          .map(async (index) => {
            const outcome = await lanes[index % 2]!.earn('purchase', purchase(index));
            if (outcome.state === 'awarded') settled.add(index);
          }),
      );

    await round();
    expect(settled.size).toBe(0);
    expect(injected.down).toBeGreaterThanOrEqual(earnings);

    mode = 'storm';
    await round();
    expect(injected.rateLimited).toBeGreaterThan(0);

    mode = 'up';
    for (let attempt = 0; attempt < 5 && settled.size < earnings; attempt++) await round();

    expect(settled.size).toBe(earnings);
    expect(maxInFlight).toBe(1);
    expect(sandboxStatuses.filter((status) => status === 429)).toEqual([]);
    // Exactly once in Points: one order per number and the balance of 20 awards, not more.
    for (let index = 0; index < earnings; index++) expect(box.findOrderByNumber(`E-${index}`)).toBeDefined();
    expect(box.customer(phone)?.balance).toBe(earnings * 115 * 10);
  });
});
