import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { notifyMaxAttempts } from '../../server/jobs/notify-merchant.ts';
import { storeEngines, type StoreEngine } from '../support/databases.ts';
import { createHarness, testSecrets, type Harness } from './edge-harness.ts';

let harness: Harness;
afterEach(() => harness?.close());

/** The first notification the edge sent for a paid order, as it went out: body and signature headers. */
async function sentNotification(engine: StoreEngine, env: Record<string, string> = {}) {
  harness = await createHarness(engine, { env });
  await harness.checkout({
    orderToken: await harness.orderToken({ order_number: 'ORD-8', total_price: '10.00' }),
  });
  await harness.sandbox.completeCheckout('ORD-8', {});
  await harness.settle();
  const sent = harness.notifications[0]!;
  const headers = Object.fromEntries(
    ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, sent.headers.get(name)!]),
  );
  return { body: await sent.text(), headers };
}

/** The body with one byte changed (the first digit of the total). */
const oneByteChanged = (body: string) => body.replace('"10.00"', '"19.00"');

describe.each(storeEngines)('outbound merchant notifications on %s', (engine) => {
  it('verify with the official standardwebhooks library (plain secret as raw bytes), and fail once a byte changes', async () => {
    const { body, headers } = await sentNotification(engine);
    const receiver = new Webhook(testSecrets.merchantWebhook, { format: 'raw' });
    expect(receiver.verify(body, headers)).toMatchObject({
      type: 'order.updated',
      data: { orderNumber: 'ORD-8', state: 'confirmed' },
    });
    expect(oneByteChanged(body)).not.toBe(body);
    expect(() => receiver.verify(oneByteChanged(body), headers)).toThrow(WebhookVerificationError);
    expect(() => receiver.verify(body, { ...headers, 'webhook-id': `${headers['webhook-id']}x` })).toThrow(
      WebhookVerificationError,
    );
    const otherSecond = String(Number(headers['webhook-timestamp']) - 1);
    expect(() => receiver.verify(body, { ...headers, 'webhook-timestamp': otherSecond })).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook('whsec_b3RoZXItc2VjcmV0').verify(body, headers)).toThrow(
      WebhookVerificationError,
    );
  });

  it('verify with the official library given a whsec_ secret, as the library expects it', async () => {
    const secret = `whsec_${Buffer.from('test-merchant-whsec-key-000000000').toString('base64')}`;
    const { body, headers } = await sentNotification(engine, { MERCHANT_WEBHOOK_SECRET: secret });
    const receiver = new Webhook(secret);
    expect(receiver.verify(body, headers)).toMatchObject({ type: 'order.updated' });
    expect(() => receiver.verify(oneByteChanged(body), headers)).toThrow(WebhookVerificationError);
  });

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
