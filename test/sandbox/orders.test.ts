import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, earn, makeSandbox, products, publicKey, startCheckout, type TestSandbox } from './helpers.ts';

let sandbox: TestSandbox;
let clock = Date.parse('2026-04-20T07:00:00Z');
beforeEach(() => {
  clock = Date.parse('2026-04-20T07:00:00Z');
  sandbox = makeSandbox({ now: () => clock });
});
afterEach(() => sandbox.close());

describe('POST /v1/orders/checkout/{publicKey}', () => {
  it('happy: answers only checkout_url and creates a new replacing order', async () => {
    const res = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, {
      total_price: 150.75,
      order_number: '#ORD-2024-0001',
      phone_number: '0500000001',
      name: 'Sara',
      shipping_amount: 15,
      tax_amount: 19.66,
      discount_amount: 0,
      shipping_address: { city: 'Riyadh', line1: 'King Fahd Rd' },
      products,
      metadata: { cart: 'c-1' },
      callback_url: 'https://shop.example/return?order=ORD-2024-0001',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: true,
      message: '',
      appended_data: {},
      data: { checkout_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:4010\/session\/[\w-]+$/) },
    });
    const order = sandbox.findOrderByNumber('ORD-2024-0001');
    expect(order).toMatchObject({
      order_number: 'ORD-2024-0001',
      type: 2,
      total_price: 150.75,
      order_status: 'new',
      total_points: 0,
      items: products,
      metadata: { cart: 'c-1' },
    });
  });

  it('uses baseUrl for checkout_url', async () => {
    sandbox.close();
    sandbox = makeSandbox({ baseUrl: 'https://sandbox.local:9999/' });
    const res = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, {
      total_price: 1,
      order_number: 'B',
    });
    expect(res.body.data.checkout_url).toMatch(/^https:\/\/sandbox\.local:9999\/session\//);
  });

  it('dedupe: same order number and total while open → same session; new total → new session', async () => {
    const body = { total_price: 50, order_number: 'D-1' };
    const first = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, body);
    const again = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, {
      ...body,
      order_number: '#D-1',
    });
    expect(again.body.data.checkout_url).toBe(first.body.data.checkout_url);
    const changed = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, {
      ...body,
      total_price: 60,
    });
    expect(changed.body.data.checkout_url).not.toBe(first.body.data.checkout_url);
    const orders = [...sandbox.deliveries()];
    expect(orders).toEqual([]);
    expect(sandbox.findOrderByNumber('D-1')?.total_price).toBe(60);
  });

  it('dedupe: a paid order number is taken (422)', async () => {
    const { sessionId } = await startCheckout(sandbox, { order_number: 'PAID-1' });
    await sandbox.completeCheckout(sessionId);
    const res = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, {
      total_price: 100,
      order_number: 'PAID-1',
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ order_number: ['The order number has already been taken.'] });
  });

  it("checkoutDedupe 'always-new' creates a session per call", async () => {
    sandbox.close();
    sandbox = makeSandbox({ checkoutDedupe: 'always-new' });
    const body = { total_price: 50, order_number: 'N-1' };
    const a = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, body);
    const b = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, body);
    expect(a.body.data.checkout_url).not.toBe(b.body.data.checkout_url);
  });

  it('422 with a dot-notation errors map', async () => {
    const res = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, {
      total_price: -1,
      products: [{ product_name: 'A', product_price: 1, quantity: 0 }],
      callback_url: 'not a url',
      phone_number: '123',
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      status: false,
      message: 'The given data was invalid.',
      appended_data: {},
      errors: {
        total_price: ['The total price must be at least 0.'],
        order_number: ['The order number field is required.'],
        phone_number: ['The phone number format is invalid.'],
        'products.0.quantity': ['The quantity must be at least 1.'],
        callback_url: ['The callback url format is invalid.'],
      },
    });
  });

  it('a malformed JSON body is a 422, not a crash', async () => {
    const res = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, '{"total_price":');
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['total_price', 'order_number']);
  });

  it('403 when the checkout channel is off', async () => {
    sandbox.setChannel('checkout', false);
    const res = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, {
      total_price: 1,
      order_number: 'X',
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('Merchant is not allowed to create checkout orders');
  });
});

describe('GET /v1/orders/{uuid}', () => {
  it('answers the full §3.1 OrderResource', async () => {
    const created = await earn(sandbox, {
      order_number: '#SALE-1',
      total_price: 115,
      metadata: { branch: 'R1' },
    });
    clock += 2 * 3600_000;
    const res = await api(sandbox, 'GET', `/v1/orders/${created.body.data.uuid}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: 1,
      uuid: created.body.data.uuid,
      reference_number: 'REF-2026-000001',
      order_number: 'SALE-1',
      type: 1,
      total_price: 115,
      total_points: 1150,
      order_status: 'approved',
      status: 'new',
      status_label: 'New',
      custom_status: null,
      metadata: { branch: 'R1' },
      items: products,
      date: '2026-04-20',
      time: '10:00:00',
      since: '2 hours ago',
      settlement_status: null,
      created_at: '2026-04-20T07:00:00.000000Z',
      updated_at: '2026-04-20T07:00:00.000000Z',
    });
  });

  it('status_label follows ?lang= and Accept-Language', async () => {
    const created = await earn(sandbox);
    const id = created.body.data.uuid;
    expect((await api(sandbox, 'GET', `/v1/orders/${id}?lang=ar`)).body.data.status_label).toBe('جديد');
    const res = await sandbox.app.request(`/api/v1/orders/${id}`, {
      headers: { 'x-api-key': 'sandbox_private_key_demo', 'accept-language': 'ar-SA,ar;q=0.9' },
    });
    expect(((await res.json()) as { data: { status_label: string } }).data.status_label).toBe('جديد');
  });
});

describe('POST /v1/orders/earning', () => {
  it('approves and awards round(total × earn rate) points to the customer', async () => {
    const res = await earn(sandbox, { total_price: 150.55, phone_number: '500000002' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ type: 1, order_status: 'approved', total_points: 1506 });
    expect(sandbox.customer('500000002')?.balance).toBe(1506);
  });

  it('follows setEarnRate', async () => {
    sandbox.setEarnRate(20);
    expect((await earn(sandbox, { total_price: 115 })).body.data.total_points).toBe(2300);
  });

  it('pending activation phone → pending_client_activation variant, no uuid', async () => {
    const res = await earn(sandbox, {
      phone_number: '500000004',
      order_number: 'SALE-2024-0021',
      total_price: 115,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      pending_client_activation: true,
      pending_earning_order: {
        id: 1,
        merchant_order_number: 'SALE-2024-0021',
        total_price: 115,
        total_points: 1150,
      },
    });
  });

  it('duplicate order_number → 422 on order_number (default)', async () => {
    await earn(sandbox, { order_number: 'DUP-1' });
    const res = await earn(sandbox, { order_number: '#DUP-1' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ order_number: ['The order number has already been taken.'] });
  });

  it("duplicateEarning 'existing' returns the first order; 'bad-request' answers 400", async () => {
    sandbox.close();
    sandbox = makeSandbox({ duplicateEarning: 'existing' });
    const first = await earn(sandbox, { order_number: 'DUP-2' });
    const again = await earn(sandbox, { order_number: 'DUP-2' });
    expect(again.status).toBe(200);
    expect(again.body.data.uuid).toBe(first.body.data.uuid);
    sandbox.close();
    sandbox = makeSandbox({ duplicateEarning: 'bad-request' });
    await earn(sandbox, { order_number: 'DUP-3' });
    const refused = await earn(sandbox, { order_number: 'DUP-3' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('The order number has already been taken.');
  });

  it('422 for a missing body, with every required field', async () => {
    const res = await api(sandbox, 'POST', '/v1/orders/earning');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({
      total_price: ['The total price field is required.'],
      order_number: ['The order number field is required.'],
      phone_number: ['The phone number field is required.'],
      products: ['The products field is required.'],
    });
  });

  it('422 for wrong types and empty products', async () => {
    const res = await earn(sandbox, { total_price: '10', products: [], name: 'x'.repeat(256) });
    expect(res.body.errors).toEqual({
      total_price: ['The total price must be a number.'],
      name: ['The name may not be greater than 255 characters.'],
      products: ['The products must have at least 1 items.'],
    });
  });

  it('403 when the earning channel is off', async () => {
    sandbox.setChannel('earning', false);
    const res = await earn(sandbox);
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('Merchant is not allowed to create earning orders');
  });
});

describe('rating earning', () => {
  it('store rating: flat 25 points, order_number = review_reference, total 0', async () => {
    const res = await api(sandbox, 'POST', '/v1/orders/earning/store-rating', {
      phone_number: '0500000002',
      review_reference: 'REV-1',
      rating: 5,
      comment: 'ممتاز',
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ order_number: 'REV-1', type: 1, total_price: 0, total_points: 25 });
  });

  it('product rating: flat 10 points; product_id required', async () => {
    const body = { phone_number: '500000002', review_reference: 'PREV-1', product_id: 'SKU-1' };
    const res = await api(sandbox, 'POST', '/v1/orders/earning/product-rating', body);
    expect(res.body.data).toMatchObject({ total_points: 10, order_number: 'PREV-1' });
    const missing = await api(sandbox, 'POST', '/v1/orders/earning/product-rating', {
      phone_number: '500000002',
      review_reference: 'PREV-2',
      rating: 6,
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual({
      rating: ['The rating may not be greater than 5.'],
      product_id: ['The product id field is required.'],
    });
  });

  it('duplicate review_reference → 422 on review_reference', async () => {
    const body = { phone_number: '500000002', review_reference: 'REV-2' };
    await api(sandbox, 'POST', '/v1/orders/earning/store-rating', body);
    const res = await api(sandbox, 'POST', '/v1/orders/earning/store-rating', body);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ review_reference: ['The review reference has already been taken.'] });
  });

  it('pending activation works for ratings too', async () => {
    const res = await api(sandbox, 'POST', '/v1/orders/earning/store-rating', {
      phone_number: '500000004',
      review_reference: 'REV-3',
    });
    expect(res.body.data.pending_client_activation).toBe(true);
    expect(res.body.data.pending_earning_order.total_points).toBe(25);
  });

  it.each([
    ['store_rating', '/v1/orders/earning/store-rating', 'store rating earning orders'],
    ['product_rating', '/v1/orders/earning/product-rating', 'product rating earning orders'],
  ] as const)('403 when %s is off', async (channel, path, what) => {
    sandbox.setChannel(channel, false);
    const res = await api(sandbox, 'POST', path, {
      phone_number: '500000002',
      review_reference: 'R',
      product_id: 'P',
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(`Merchant is not allowed to create ${what}`);
  });
});

describe('earning lock (429)', () => {
  it('a second earning call while one is in flight gets 429, across the three endpoints', async () => {
    sandbox.close();
    sandbox = makeSandbox({ earningLatencyMs: 150 });
    const first = earn(sandbox, { order_number: 'LOCK-1' });
    const second = earn(sandbox, { order_number: 'LOCK-2' });
    const rating = api(sandbox, 'POST', '/v1/orders/earning/store-rating', {
      phone_number: '500000002',
      review_reference: 'LOCK-R',
    });
    const [a, b, c] = await Promise.all([first, second, rating]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(429);
    expect(c.status).toBe(429);
    expect(b.body.status).toBe(false);
    expect((await earn(sandbox, { order_number: 'LOCK-2' })).status).toBe(200);
  });

  it('the lock is per merchant', async () => {
    sandbox.close();
    sandbox = makeSandbox({ earningLatencyMs: 100 });
    const [a, b] = await Promise.all([
      earn(sandbox, { order_number: 'M-1' }),
      earn(sandbox, { order_number: 'M-1' }, 'test_private_key_other_merchant'),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
  });
});

describe('POST /v1/orders/{uuid}/status (shipping)', () => {
  it('sets status and labels; a single label fills both locales', async () => {
    const { uuid } = await startCheckout(sandbox);
    const res = await api(sandbox, 'POST', `/v1/orders/${uuid}/status`, { status: 'ready_shipping' });
    expect(res.body.data).toMatchObject({
      status: 'ready_shipping',
      status_label: 'Ready for shipping',
      custom_status: null,
    });
    const labelled = await api(sandbox, 'POST', `/v1/orders/${uuid}/status?lang=ar`, {
      name_ar: 'خرج للتوصيل',
    });
    expect(labelled.body.data).toMatchObject({
      status: 'ready_shipping',
      status_label: 'خرج للتوصيل',
      custom_status: { ar: 'خرج للتوصيل', en: 'خرج للتوصيل' },
      order_status: 'new',
    });
  });

  it('blank body → 422', async () => {
    const { uuid } = await startCheckout(sandbox);
    const res = await api(sandbox, 'POST', `/v1/orders/${uuid}/status`, {});
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['status']);
  });

  it('unknown status and long labels → 422', async () => {
    const { uuid } = await startCheckout(sandbox);
    const res = await api(sandbox, 'POST', `/v1/orders/${uuid}/status`, {
      status: 'lost',
      name_en: 'x'.repeat(121),
    });
    expect(res.body.errors).toEqual({
      status: ['The selected status is invalid.'],
      name_en: ['The name en may not be greater than 120 characters.'],
    });
  });
});

describe('POST /v1/integration/status', () => {
  it('answers its own envelope and is idempotent', async () => {
    for (const active of [false, false, true]) {
      const res = await api(sandbox, 'POST', '/v1/integration/status', { active });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: { active },
        status: true,
        message: 'Integration status updated',
        appended_data: [],
      });
    }
  });

  it('422 without a boolean', async () => {
    const res = await api(sandbox, 'POST', '/v1/integration/status', { active: 'yes' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ active: ['The active must be a boolean.'] });
  });

  it('429 after 30 calls in a minute, then recovers', async () => {
    for (let i = 0; i < 30; i++) {
      expect((await api(sandbox, 'POST', '/v1/integration/status', { active: true })).status).toBe(200);
    }
    expect((await api(sandbox, 'POST', '/v1/integration/status', { active: true })).status).toBe(429);
    clock += 61_000;
    expect((await api(sandbox, 'POST', '/v1/integration/status', { active: true })).status).toBe(200);
  });
});

describe('odd bodies never crash', () => {
  it.each(['[]', '"text"', 'null', '42'])('a %s body is validated as an empty object (422)', async (raw) => {
    const res = await api(sandbox, 'POST', `/v1/orders/checkout/${publicKey}`, raw);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['total_price', 'order_number']);
  });

  it('an absurd amount is a 422', async () => {
    const res = await earn(sandbox, { total_price: 1e300 });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({
      total_price: ['The total price may not be greater than 99999999.99.'],
    });
  });
});
