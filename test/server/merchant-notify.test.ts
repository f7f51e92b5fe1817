import { afterEach, describe, expect, it } from 'vitest';
import { notifyMaxAttempts } from '../../server/jobs/notify-merchant.ts';
import { engines } from '../support/databases.ts';
import { createHarness, type Harness } from './edge-harness.ts';

let harness: Harness;
afterEach(() => harness?.close());

describe.each(engines)('outbound merchant notifications on %s', (engine) => {
  it('retries with backoff for about a day, then dead-letters', async () => {
    let clock = Date.UTC(2026, 10, 21, 12);
    let calls = 0;
    harness = await createHarness(engine, {
      now: () => clock,
      merchantFetch: async () => {
        calls++;
        return new Response('down', { status: 500 });
      },
    });
    await harness.checkout({
      orderToken: await harness.orderToken({ order_number: 'ORD-9', total_price: '10.00' }),
    });
    await harness.sandbox.completeCheckout('ORD-9', {});
    await harness.settle();

    const started = clock;
    for (let i = 0; i < notifyMaxAttempts + 5; i++) {
      const job = await harness.store.db
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', 'notify-merchant')
        .executeTakeFirstOrThrow();
      if (job.state === 'dead') break;
      clock = Math.max(clock, job.run_at);
      await harness.edge.worker.drain();
    }
    const job = await harness.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'notify-merchant')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({
      state: 'dead',
      attempts: notifyMaxAttempts,
      last_error: 'merchant webhook answered 500',
    });
    expect(calls).toBe(notifyMaxAttempts);
    const hours = (clock - started) / 3_600_000;
    expect(hours).toBeGreaterThan(24);
    expect(hours).toBeLessThan(36);
  });
});
