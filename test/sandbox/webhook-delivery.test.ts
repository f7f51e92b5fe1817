import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxOptions } from '../../demo/sandbox/index.ts';
import { api, earn, makeSandbox, startCheckout, startReceiver, type TestSandbox } from './helpers.ts';

const secret = 'test_webhook_secret_not_real';
let sandbox: TestSandbox | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

afterEach(async () => {
  sandbox?.close();
  await receiver?.close();
  sandbox = undefined;
  receiver = undefined;
});

async function setup(respond?: Parameters<typeof startReceiver>[0], options: SandboxOptions = {}) {
  receiver = await startReceiver(respond);
  sandbox = makeSandbox({ webhookUrl: receiver.url, webhookSecret: secret, ...options });
  return { sandbox, receiver };
}

const baseFields = [
  'id',
  'reference_number',
  'order_number',
  'type',
  'total_price',
  'total_points',
  'payment_status',
  'order_status',
  'metadata',
  'created_at',
  'updated_at',
];

describe('webhook delivery (§4) — every event to a real receiver', () => {
  it('sends all 8 events with headers, envelope and per-event extras', async () => {
    const { sandbox, receiver } = await setup();
    const post = (uuid: string, action: string, body: unknown = {}) =>
      api(sandbox, 'POST', `/v1/orders/${uuid}/${action}`, body);

    const earned = (await earn(sandbox, { total_price: 150.75, order_number: 'E-1', metadata: { pos: 1 } }))
      .body.data;
    const a = await startCheckout(sandbox, { total_price: 100 });
    await post(a.uuid, 'authorize');
    await post(a.uuid, 'capture');
    const b = await startCheckout(sandbox);
    await post(b.uuid, 'cancel', { reason: 'Customer asked' });
    const c = await startCheckout(sandbox);
    await post(c.uuid, 'complete', { payment_method: '2' });
    await post(c.uuid, 'status', { status: 'delivery_is_in_progress' });
    await post(earned.uuid, 'refund', { amount: 25, reason: 'Returned' });
    sandbox.fireAutoRefund(a.uuid);
    await sandbox.settleDeliveries();

    const bodies = receiver.bodies();
    expect(bodies.map((body) => body.event)).toEqual([
      'approved',
      'authorized',
      'captured',
      'cancelled',
      'approved',
      'completed',
      'shipping_status_updated',
      'refunded',
      'auto_refunded',
    ]);
    receiver.requests.forEach((request, i) => {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/webhooks/points');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-webhook-secret']).toBe(secret);
      expect(request.headers['x-webhook-event']).toBe(bodies[i].event);
      expect(Object.keys(bodies[i]).sort()).toEqual(['event', 'order', 'timestamp']);
      expect(bodies[i].timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      for (const field of baseFields) expect(bodies[i].order).toHaveProperty(field);
    });

    const [approved, authorized, captured, cancelled, completeApproved, completed, shipping, refunded, auto] =
      bodies;
    expect(approved.order).toMatchObject({
      id: earned.uuid,
      order_number: 'E-1',
      type: 'earning',
      total_price: 150.75,
      total_points: 1508,
      payment_status: 'fully_paid',
      order_status: 'approved',
      metadata: { pos: 1 },
    });
    expect(authorized.order).toMatchObject({ id: a.uuid, type: 'replacing', order_status: 'authorized' });
    expect(captured.order).toMatchObject({ id: a.uuid, order_status: 'captured' });
    expect(cancelled.order).toMatchObject({
      id: b.uuid,
      order_status: 'cancelled',
      reason: 'Customer asked',
      total_points: 0,
    });
    expect(completeApproved.order).toMatchObject({ id: c.uuid, order_status: 'approved' });
    expect(completed.order).toMatchObject({ id: c.uuid, order_status: 'approved' });
    expect(shipping.order).toMatchObject({
      id: c.uuid,
      order_status: 'approved',
      status: 'delivery_is_in_progress',
      status_label: 'Delivery in progress',
      custom_status: null,
    });
    expect(refunded.order).toMatchObject({
      id: earned.uuid,
      order_status: 'partially_refunded',
      refund_amount: 25,
      reason: 'Returned',
      type: 'earning',
      refund_points: 250,
      left_points: 1258,
      left_amount: 125.75,
    });
    expect(auto.order).toMatchObject({
      id: a.uuid,
      order_status: 'fully_refunded',
      refund_amount: 100,
      refund_points: 0,
      reason: 'auto_refund_missing_transaction',
      type: 'replacing',
    });
  });

  it('every webhook of the merchant gets every event, each with its own secret; other merchants none', async () => {
    const { sandbox, receiver } = await setup();
    const second = await api(sandbox, 'POST', '/v1/webhooks', {
      name: 'Second',
      url: `${receiver.url}?copy=2`,
    });
    await api(
      sandbox,
      'POST',
      '/v1/webhooks',
      { name: 'Other', url: `${receiver.url}?other=1` },
      'test_private_key_other_merchant',
    );
    await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(receiver.requests.map((r) => [r.path, r.headers['x-webhook-secret']]).sort()).toEqual(
      [
        ['/webhooks/points', secret],
        ['/webhooks/points?copy=2', second.body.data.secret],
      ].sort(),
    );
  });

  it('records every attempt in deliveries()', async () => {
    const { sandbox } = await setup();
    const { body } = await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(sandbox.deliveries()).toEqual([
      expect.objectContaining({
        url: receiver!.url,
        event: 'approved',
        orderUuid: body.data.uuid,
        attempt: 1,
        responseStatus: 200,
        error: null,
        duplicate: false,
        headers: {
          'Content-Type': 'application/json',
          'X-Webhook-Secret': secret,
          'X-Webhook-Event': 'approved',
        },
      }),
    ]);
  });
});

describe('webhook delivery — retries', () => {
  it('retries on 500 until a 2xx', async () => {
    const { sandbox, receiver } = await setup((_r, i) => (i < 2 ? 500 : 204));
    await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(receiver.requests).toHaveLength(3);
    expect(sandbox.deliveries().map((d) => [d.attempt, d.responseStatus])).toEqual([
      [1, 500],
      [2, 500],
      [3, 204],
    ]);
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
  });

  it('gives up after 1 + 3 attempts', async () => {
    const { sandbox, receiver } = await setup(() => 503);
    await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(receiver.requests).toHaveLength(4);
  });

  it('retries a 4xx as well (any non-2xx)', async () => {
    const { sandbox } = await setup((_r, i) => (i === 0 ? 401 : 200));
    await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(sandbox.deliveries().map((d) => d.responseStatus)).toEqual([401, 200]);
  });

  it('times out a hanging attempt and retries it', async () => {
    const { sandbox, receiver } = await setup((_r, i) => (i === 0 ? 'hang' : 200), { webhookTimeoutMs: 100 });
    await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(receiver.requests).toHaveLength(2);
    expect(sandbox.deliveries().map((d) => [d.attempt, d.error, d.responseStatus])).toEqual([
      [1, 'timeout', null],
      [2, null, 200],
    ]);
  });

  it('retries network errors', async () => {
    const { sandbox, receiver } = await setup();
    await receiver.close();
    await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(sandbox.deliveries().map((d) => d.error)).toEqual(Array(4).fill('network error'));
  });

  it('uses the backoff function between attempts', async () => {
    const waits: number[] = [];
    const { sandbox } = await setup(() => 500, {
      webhookRetries: 2,
      webhookBackoffMs: (retry) => {
        waits.push(retry);
        return 1;
      },
    });
    await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(waits).toEqual([1, 2]);
    expect(sandbox.deliveries()).toHaveLength(3);
  });

  it('close() stops pending retries', async () => {
    const { sandbox } = await setup(() => 500, { webhookBackoffMs: () => 60_000 });
    await earn(sandbox);
    while (sandbox.deliveries().length === 0 || sandbox.deliveries()[0]!.responseStatus === null) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    sandbox.close();
    await sandbox.settleDeliveries();
    expect(sandbox.deliveries()).toHaveLength(1);
  });
});

describe('webhook delivery — misbehaviour knobs', () => {
  it('duplicateEvery: 1 sends every delivery twice', async () => {
    const { sandbox, receiver } = await setup(undefined, { duplicateEvery: 1 });
    await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[0]!.body).toBe(receiver.requests[1]!.body);
    expect(sandbox.deliveries().map((d) => d.duplicate)).toEqual([false, true]);
  });

  it('duplicateEvery: 2 duplicates every second delivery', async () => {
    const { sandbox, receiver } = await setup(undefined, { duplicateEvery: 2 });
    const { uuid } = await startCheckout(sandbox);
    await api(sandbox, 'POST', `/v1/orders/${uuid}/complete`);
    await sandbox.settleDeliveries();
    expect(receiver.bodies().map((b) => b.event)).toEqual(['approved', 'completed', 'completed']);
  });

  it('duplicateRate: 1 duplicates every delivery', async () => {
    const { sandbox, receiver } = await setup(undefined, { duplicateRate: 1 });
    await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(receiver.requests).toHaveLength(2);
  });

  it('reorder delivers a batch in reverse order', async () => {
    const { sandbox, receiver } = await setup(undefined, { reorder: true });
    const { uuid } = await startCheckout(sandbox);
    await api(sandbox, 'POST', `/v1/orders/${uuid}/complete`);
    await sandbox.settleDeliveries();
    expect(receiver.bodies().map((b) => b.event)).toEqual(['completed', 'approved']);
  });

  it('delayMs holds a batch back; settleDeliveries waits for it', async () => {
    const { sandbox, receiver } = await setup(undefined, { delayMs: 50 });
    await earn(sandbox);
    expect(receiver.requests).toHaveLength(0);
    await sandbox.settleDeliveries();
    expect(receiver.requests).toHaveLength(1);
  });

  it('setDelivery changes the knobs at run time and reset() restores them', async () => {
    const { sandbox, receiver } = await setup();
    expect(sandbox.setDelivery({ duplicateEvery: 1 })).toMatchObject({ duplicateEvery: 1, reorder: false });
    await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(receiver.requests).toHaveLength(2);
    sandbox.reset();
    expect(sandbox.deliveries()).toEqual([]);
    await earn(sandbox);
    await sandbox.settleDeliveries();
    expect(receiver.requests).toHaveLength(3);
  });
});
