/**
 * The Points client against the real local sandbox (`demo/sandbox`), in process: every endpoint, every
 * error class the sandbox produces, and the webhooks it delivers read back by `parsePointsWebhook`.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createSandbox } from '../../../demo/sandbox/index.ts';
import type { SandboxOptions } from '../../../demo/sandbox/index.ts';
import { createPointsClient } from '../../../server/points/client.ts';
import type { PointsClientOptions } from '../../../server/points/client.ts';
import {
  PointsAuthError,
  PointsBadRequestError,
  PointsForbiddenError,
  PointsNotFoundError,
  PointsRateLimitError,
  PointsValidationError,
} from '../../../server/points/errors.ts';
import { PAYMENT_METHODS } from '../../../server/points/requests.ts';
import { parsePointsWebhook, pointsWebhookDedupeKey } from '../../../server/points/webhook.ts';
import type { PointsOrderWebhook } from '../../../server/points/webhook.ts';
import { failure } from './failure.ts';

type Sandbox = ReturnType<typeof createSandbox>;

const webhookSecret = 'test_webhook_secret_sandbox';
const products = [{ product_name: 'Cappuccino', product_price: 18.5, quantity: 2 }];
let sandbox: Sandbox;
let sequence = 0;
const unique = (prefix: string) => `${prefix}-${++sequence}`;

function startSandbox(options: SandboxOptions = {}): Sandbox {
  sandbox?.close();
  sandbox = createSandbox({
    webhookUrl: 'https://shop.test/webhooks/points',
    webhookSecret,
    webhookBackoffMs: () => 1,
    // The store's webhook receiver: accepts everything; the deliveries log keeps what was sent.
    fetch: async () => new Response(null, { status: 204 }),
    merchants: [{ publicKey: 'test_public_key_other', privateKey: 'test_private_key_other' }],
    ...options,
  });
  return sandbox;
}

function clientFor(options: Partial<PointsClientOptions> = {}) {
  return createPointsClient({
    privateKey: sandbox.options.privateKey,
    publicKey: sandbox.options.publicKey,
    baseUrl: 'http://127.0.0.1:4010/api',
    fetch: (input, init) => sandbox.app.fetch(new Request(input, init)),
    sleep: async () => {},
    ...options,
  });
}

/** A checkout order (type 2, `new`); the uuid comes from the sandbox control, as the API does not return it. */
async function checkoutOrder(points = clientFor()) {
  const orderNumber = unique('ORD');
  const session = await points.beginCheckout({
    order_number: `#${orderNumber}`,
    total_price: 150.75,
    products,
  });
  const order = sandbox.findOrderByNumber(orderNumber);
  if (!order) throw new Error('checkout order missing');
  return { session, uuid: order.uuid, orderNumber };
}

async function awardedEarning(points = clientFor(), total = 115) {
  const result = await points.createEarning({
    phone_number: '0500000002',
    total_price: total,
    order_number: unique('SALE'),
    products,
  });
  if (result.status !== 'awarded') throw new Error('expected an awarded earning');
  return result.order;
}

beforeEach(() => {
  startSandbox();
});
afterEach(() => {
  sandbox.close();
});

describe('client × sandbox — happy paths, all 18 endpoints', () => {
  it('beginCheckout answers a hosted checkout URL; the order is new and replacing', async () => {
    const points = clientFor();
    const { session, uuid, orderNumber } = await checkoutOrder(points);
    expect(session.checkout_url).toMatch(/^http:\/\/127\.0\.0\.1:4010\/session\//);
    const order = await points.getOrder(uuid);
    expect(order).toMatchObject({
      uuid,
      order_number: orderNumber,
      order_status: 'new',
      type: 2,
      total_price: 150.75,
    });
  });

  it('createEarning awards points, or queues them for a customer who has not activated', async () => {
    const points = clientFor();
    const order = await awardedEarning(points);
    expect(order).toMatchObject({ order_status: 'approved', type: 1, total_price: 115, total_points: 1150 });
    const pending = await points.createEarning({
      phone_number: '+966500000004',
      total_price: 10,
      order_number: unique('SALE'),
      products,
    });
    expect(pending).toMatchObject({ status: 'pending_client_activation', pending: { total_points: 100 } });
  });

  it('createStoreRatingEarning and createProductRatingEarning award the flat amounts', async () => {
    const points = clientFor();
    const store = await points.createStoreRatingEarning({
      phone_number: '500000002',
      review_reference: unique('REV'),
      rating: 5,
    });
    expect(store).toMatchObject({ status: 'awarded', order: { total_points: 25, total_price: 0, type: 1 } });
    const product = await points.createProductRatingEarning({
      phone_number: '500000002',
      review_reference: unique('REV'),
      product_id: 'SKU-1',
      product_name: 'Cappuccino',
    });
    expect(product).toMatchObject({ status: 'awarded', order: { total_points: 10 } });
  });

  it('completeOrder approves a checkout order', async () => {
    const points = clientFor();
    const { uuid } = await checkoutOrder(points);
    const order = await points.completeOrder(uuid, { payment_method: PAYMENT_METHODS.mada });
    expect(order.order_status).toBe('approved');
  });

  it('authorizeOrder then captureOrder, then refundOrder partially and fully', async () => {
    const points = clientFor();
    const { uuid } = await checkoutOrder(points);
    expect((await points.authorizeOrder(uuid)).order_status).toBe('authorized');
    expect((await points.captureOrder(uuid)).order_status).toBe('captured');
    expect((await points.refundOrder(uuid, { amount: 50.75, reason: 'Item returned' })).order_status).toBe(
      'partially_refunded',
    );
    expect((await points.refundOrder(uuid)).order_status).toBe('fully_refunded');
  });

  it('cancelOrder cancels a new order', async () => {
    const points = clientFor();
    const { uuid } = await checkoutOrder(points);
    const order = await points.cancelOrder(uuid, { reason: 'Customer asked' });
    expect(order).toMatchObject({ order_status: 'cancelled', total_points: 0 });
  });

  it('updateShippingStatus sets the status and custom labels', async () => {
    const points = clientFor();
    const { uuid } = await checkoutOrder(points);
    const order = await points.updateShippingStatus(uuid, {
      status: 'delivery_is_in_progress',
      name_ar: 'خرج للتوصيل',
      name_en: 'Out for delivery',
    });
    expect(order).toMatchObject({
      status: 'delivery_is_in_progress',
      status_label: 'Out for delivery',
      custom_status: { ar: 'خرج للتوصيل', en: 'Out for delivery' },
    });
  });

  it('manages webhooks: create, list, get, replace (PUT), update (PATCH), delete', async () => {
    const points = clientFor();
    const created = await points.createWebhook({ name: 'Orders', url: 'https://shop.test/hooks/a' });
    expect(created).toMatchObject({ name: 'Orders', url: 'https://shop.test/hooks/a' });
    expect(created.secret).toMatch(/^[0-9a-f]{60}$/);

    const list = await points.listWebhooks({ per_page: 1, page: 2 });
    expect(list.meta).toMatchObject({ current_page: 2, per_page: 1, total: 2, last_page: 2 });
    expect(list.data.map((w) => w.uuid)).toEqual([created.uuid]);

    expect(await points.getWebhook(created.uuid)).toMatchObject({
      uuid: created.uuid,
      secret: created.secret,
    });
    expect(await points.replaceWebhook(created.uuid, { name: 'Orders v2' })).toMatchObject({
      name: 'Orders v2',
    });
    expect(await points.updateWebhook(created.uuid, { url: 'https://shop.test/hooks/b' })).toMatchObject({
      name: 'Orders v2',
      url: 'https://shop.test/hooks/b',
    });
    await points.deleteWebhook(created.uuid);
    await expect(points.getWebhook(created.uuid)).rejects.toBeInstanceOf(PointsNotFoundError);
  });

  it('setIntegrationStatus switches the key on and off', async () => {
    const points = clientFor();
    expect(await points.setIntegrationStatus({ active: false })).toEqual({ active: false });
    expect(await points.setIntegrationStatus({ active: true })).toEqual({ active: true });
  });
});

describe('client × sandbox — every error class the sandbox produces', () => {
  it('400 auth: unknown private key, and unknown public key on checkout', async () => {
    const wrong = clientFor({ privateKey: 'test_private_key_wrong', publicKey: 'test_public_key_wrong' });
    const read = await failure(wrong.getOrder(crypto.randomUUID()));
    expect(read).toBeInstanceOf(PointsAuthError);
    expect(read).toMatchObject({ status: 400, message: 'Invalid or inactive API key' });
    const checkout = await failure(wrong.beginCheckout({ order_number: unique('ORD'), total_price: 1 }));
    expect(checkout).toBeInstanceOf(PointsAuthError);
  });

  it('400 business rule: an illegal transition and a duplicate webhook URL', async () => {
    const points = clientFor();
    const { uuid } = await checkoutOrder(points);
    const capture = await failure(points.captureOrder(uuid));
    expect(capture).toBeInstanceOf(PointsBadRequestError);
    expect(capture).toMatchObject({ status: 400, code: 'bad_request', outcomeUnknown: false });

    const earned = await awardedEarning(points);
    const complete = await failure(points.completeOrder(earned.uuid));
    expect(complete.message).toBe('Only replacing orders can be completed');

    await points.createWebhook({ name: 'A', url: 'https://shop.test/hooks/dup' });
    const duplicate = await failure(points.createWebhook({ name: 'B', url: 'https://shop.test/hooks/dup' }));
    expect(duplicate).toBeInstanceOf(PointsBadRequestError);
  });

  it('403: earning channel switched off, checkout switched off, unverified merchant', async () => {
    const points = clientFor();
    sandbox.setChannel('earning', false);
    const earning = await failure(
      points.createEarning({
        phone_number: '500000002',
        total_price: 1,
        order_number: unique('S'),
        products,
      }),
    );
    expect(earning).toBeInstanceOf(PointsForbiddenError);
    expect(earning.message).toBe('Merchant is not allowed to create earning orders');

    sandbox.setChannel('checkout', false);
    await expect(
      points.beginCheckout({ order_number: unique('ORD'), total_price: 1 }),
    ).rejects.toBeInstanceOf(PointsForbiddenError);

    sandbox.setChannel('verified', false);
    await expect(points.createWebhook({ name: 'A', url: 'https://shop.test/x' })).rejects.toBeInstanceOf(
      PointsForbiddenError,
    );
  });

  it("404: an unknown uuid, and another merchant's order", async () => {
    const points = clientFor();
    await expect(points.getOrder(crypto.randomUUID())).rejects.toBeInstanceOf(PointsNotFoundError);
    const other = clientFor({ privateKey: 'test_private_key_other', publicKey: 'test_public_key_other' });
    const { uuid } = await checkoutOrder(other);
    const error = await failure(points.refundOrder(uuid));
    expect(error).toBeInstanceOf(PointsNotFoundError);
    expect(error.outcomeUnknown).toBe(false);
  });

  it('422: a duplicate order number, and a field the client does not limit', async () => {
    const points = clientFor();
    const input = { phone_number: '500000002', total_price: 5, order_number: unique('SALE'), products };
    await points.createEarning(input);
    const duplicate = await failure(points.createEarning(input));
    expect(duplicate).toBeInstanceOf(PointsValidationError);
    expect((duplicate as PointsValidationError).fieldErrors.order_number).toEqual([
      'The order number has already been taken.',
    ]);

    const tooLong = await failure(
      points.createStoreRatingEarning({
        phone_number: '500000002',
        review_reference: unique('REV'),
        comment: 'x'.repeat(5001),
      }),
    );
    expect(Object.keys((tooLong as PointsValidationError).fieldErrors)).toEqual(['comment']);
  });

  it('429: overlapping earning calls; without retries one is refused, with retries both succeed', async () => {
    startSandbox({ earningLatencyMs: 150 });
    const earn = (points: ReturnType<typeof clientFor>) =>
      points.createEarning({
        phone_number: '500000002',
        total_price: 1,
        order_number: unique('S'),
        products,
      });

    const noRetry = clientFor({ retries: 0 });
    const results = await Promise.allSettled([earn(noRetry), earn(noRetry)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.reason).toBeInstanceOf(PointsRateLimitError);
    expect(refused?.reason).toMatchObject({ status: 429, outcomeUnknown: false });

    // The retry waits until the call holding the lock is done (event-driven, no fixed sleep).
    let first: Promise<unknown> = Promise.resolve();
    let waits = 0;
    const retrying = clientFor({
      sleep: async () => {
        waits++;
        await first;
      },
    });
    first = earn(retrying);
    const second = earn(retrying);
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    expect(waits).toBe(1);
  });

  it('429: more than 30 integration-status calls a minute', async () => {
    startSandbox({ now: () => 1_700_000_000_000 });
    const points = clientFor({ retries: 0 });
    for (let i = 0; i < 30; i++) await points.setIntegrationStatus({ active: true });
    const error = await failure(points.setIntegrationStatus({ active: true }));
    expect(error).toBeInstanceOf(PointsRateLimitError);
  });
});

describe('client × sandbox — webhooks it delivers', () => {
  async function deliveredEvents() {
    await sandbox.settleDeliveries();
    return sandbox.deliveries().map((attempt) => {
      const result = parsePointsWebhook({
        rawBody: attempt.body,
        headers: attempt.headers,
        secrets: [webhookSecret],
      });
      if (!result.ok || result.event === 'unknown' || !('order' in result.payload)) {
        throw new Error(`delivery not accepted: ${JSON.stringify(result)}`);
      }
      return result as PointsOrderWebhook;
    });
  }

  it('every event the sandbox fires passes the parser, and dedupe keys separate what differs', async () => {
    const points = clientFor();
    await awardedEarning(points, 150.75); // approved
    const paid = await checkoutOrder(points);
    await points.completeOrder(paid.uuid); // approved + completed
    const twoStep = await checkoutOrder(points);
    await points.authorizeOrder(twoStep.uuid); // authorized
    await points.captureOrder(twoStep.uuid); // captured
    await points.updateShippingStatus(twoStep.uuid, { status: 'ready_shipping' }); // shipping_status_updated
    await points.updateShippingStatus(twoStep.uuid, { status: 'delivered' });
    await points.refundOrder(twoStep.uuid, { amount: 25 }); // refunded (partial)
    await points.refundOrder(twoStep.uuid, { amount: 25 }); // refunded again
    const dropped = await checkoutOrder(points);
    await points.cancelOrder(dropped.uuid); // cancelled
    const reversed = await checkoutOrder(points);
    await points.completeOrder(reversed.uuid);
    sandbox.fireAutoRefund(reversed.uuid); // auto_refunded

    const events = await deliveredEvents();
    expect(new Set(events.map((e) => e.event))).toEqual(
      new Set([
        'approved',
        'completed',
        'authorized',
        'captured',
        'shipping_status_updated',
        'refunded',
        'cancelled',
        'auto_refunded',
      ]),
    );
    const keys = await Promise.all(events.map(pointsWebhookDedupeKey));
    expect(new Set(keys).size).toBe(keys.length);
    const cancelled = events.find((e) => e.event === 'cancelled');
    expect(cancelled?.payload.order).toMatchObject({ reason: 'Order cancelled via API' });
  });

  it('a duplicated delivery gets the same dedupe key', async () => {
    startSandbox({ duplicateEvery: 1 });
    await awardedEarning(clientFor());
    const events = await deliveredEvents();
    expect(events).toHaveLength(2);
    const [first, second] = await Promise.all(events.map(pointsWebhookDedupeKey));
    expect(first).toBe(second);
  });

  it('a delivery for a rotated-out secret is refused', async () => {
    await awardedEarning(clientFor());
    await sandbox.settleDeliveries();
    const [attempt] = sandbox.deliveries();
    if (!attempt) throw new Error('no delivery');
    const result = parsePointsWebhook({
      rawBody: attempt.body,
      headers: attempt.headers,
      secrets: ['test_new_secret'],
    });
    expect(result).toMatchObject({ ok: false, reason: 'bad_secret' });
  });
});
