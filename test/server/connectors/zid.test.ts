import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Delivery, ParsedDelivery } from '../../../server/connectors/connector.ts';
import { zid } from '../../../server/connectors/zid/zid.ts';

const username = 'test-zid-user-00000000000000000000';
const password = 'test-zid-secret-0000000000000000000';
const settings = zid.settings({
  ZID_WEBHOOK_USERNAME: username,
  ZID_WEBHOOK_PASSWORD: password,
  ZID_EARN_ON: 'paid',
})!;

function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
}

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/zid/${name}`, import.meta.url), 'utf8');
}

/** A fixture with some fields changed, as text. */
// Fixtures are free-form JSON here: each test changes the fields it is about.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function variant(name: string, change: (order: Record<string, any>) => void): string {
  const order = JSON.parse(fixture(name));
  change(order);
  return JSON.stringify(order);
}

function delivery(
  text: string,
  pathEvent: string | undefined,
  headers: Record<string, string> = {},
): Delivery {
  return {
    headers: new Headers({ 'content-type': 'application/json', ...headers }),
    rawBody: new TextEncoder().encode(text),
    text,
    pathEvent,
  };
}

function signed(text: string, pathEvent = 'order.status.update'): Delivery {
  return delivery(text, pathEvent, { authorization: basic(username, password) });
}

async function parse(text: string, pathEvent: string | undefined): Promise<ParsedDelivery> {
  return zid.parse(delivery(text, pathEvent), JSON.parse(text));
}

async function orderOf(text: string, pathEvent: string) {
  const parsed = await parse(text, pathEvent);
  if (parsed.type !== 'order') throw new Error(`expected an order, got ${JSON.stringify(parsed)}`);
  return parsed;
}

describe('zid settings', () => {
  const config = z.object(zid.configShape);

  it('is off unless both the username and the password are set', () => {
    expect(zid.settings(config.parse({}))).toBeUndefined();
    expect(zid.settings(config.parse({ ZID_WEBHOOK_USERNAME: username }))).toBeUndefined();
    expect(zid.settings(config.parse({ ZID_WEBHOOK_PASSWORD: password }))).toBeUndefined();
  });

  it('earns on paid by default, or on completed', () => {
    const on = zid.settings(
      config.parse({ ZID_WEBHOOK_USERNAME: username, ZID_WEBHOOK_PASSWORD: password }),
    )!;
    expect(zid.earnOn(on)).toBe('paid');
    const completed = config.parse({
      ZID_WEBHOOK_USERNAME: username,
      ZID_WEBHOOK_PASSWORD: password,
      ZID_EARN_ON: 'completed',
    });
    expect(zid.earnOn(zid.settings(completed)!)).toBe('completed');
    expect(() => config.parse({ ZID_EARN_ON: 'shipped' })).toThrow();
  });

  it('holds the password to the secret rules, and hands the logger every form of the credentials', () => {
    expect(zid.secretVariables).toEqual(['ZID_WEBHOOK_PASSWORD']);
    const secrets = zid.secrets(settings);
    expect(secrets).toContain(username);
    expect(secrets).toContain(password);
    expect(secrets).toContain(basic(username, password).slice('Basic '.length));
  });
});

describe('zid happy path', () => {
  it('reads order.create: a paid card order with its items', async () => {
    const parsed = await orderOf(fixture('order-create.json'), 'order.create');
    expect(parsed.event).toBe('order.create');
    expect(parsed.order).toEqual({
      storeId: '100001',
      orderId: '90000001',
      reference: 'TestOrd001',
      paid: true,
      totalHalalas: 19600,
      currency: 'SAR',
      phone: '500000002',
      customerName: 'Test Customer',
      items: [
        { name: 'Test Backpack', priceHalalas: 8050, quantity: 2 },
        { name: 'Test Bottle', priceHalalas: 2000, quantity: 1 },
      ],
    });
  });

  it('reads order.payment_status.update: paid', async () => {
    const parsed = await orderOf(fixture('order-payment-status-update.json'), 'order.payment_status.update');
    expect(parsed.order).toMatchObject({
      storeId: '100001',
      orderId: '90000002',
      reference: 'TestOrd002',
      paid: true,
      totalHalalas: 19600,
      phone: '500000003',
    });
    expect(parsed.order.completed).toBeUndefined();
  });

  it.each(['unpaid', 'pending', 'refunded', 'voided'])(
    'says nothing of payment when Zid says %s (unpaid covers pending, refunded and voided)',
    async (status) => {
      const text = variant('order-payment-status-update.json', (o) => (o.payment_status = status));
      const { order } = await orderOf(text, 'order.payment_status.update');
      expect([order.paid, order.fullyRefunded, order.cancelled]).toEqual([undefined, undefined, undefined]);
    },
  );

  it('reads payment status paid case-insensitively', async () => {
    const text = variant('order-payment-status-update.json', (o) => (o.payment_status = 'Paid'));
    expect((await orderOf(text, 'order.payment_status.update')).order.paid).toBe(true);
  });

  it('reads a delivered cash-on-delivery order as completed and COD', async () => {
    const { order } = await orderOf(fixture('order-status-update-delivered-cod.json'), 'order.status.update');
    expect(order).toEqual({
      storeId: '100001',
      orderId: '90000003',
      reference: 'TestOrd003',
      paid: true,
      completed: true,
      cashOnDelivery: true,
      totalHalalas: 19600,
      currency: 'SAR',
      phone: '500000004',
      customerName: 'Test Customer',
    });
  });

  it.each([
    [{ name: 'Cash On Delivery', code: 'cod', type: null }],
    [{ name: 'Cash On Delivery', code: null, type: null }],
    [{ name: null, code: 'zid_cod', type: null }],
    [{ name: 'الدفع عند الاستلام', code: null, type: null }],
    [{ name: null, code: null, type: 'cod' }],
    [{ name: 'Cash on Delivery', code: 'zid_cod', type: 'zid_cod' }],
  ])('knows cash on delivery by the method %j', async (method) => {
    const text = variant('order-create.json', (o) => (o.payment.method = method));
    expect((await orderOf(text, 'order.create')).order.cashOnDelivery).toBe(true);
  });

  it('does not take a card, bank transfer or missing method for cash on delivery', async () => {
    for (const method of [
      { name: 'بطاقة مدى البنكية', code: 'zidpay', type: 'cc' },
      { name: 'Bank Transfer', code: 'zid_bank_transfer', type: 'zid_bank_transfer' },
      { name: 'Codes Wallet', code: 'codeswallet', type: 'wallet' },
      null,
    ]) {
      const text = variant('order-create.json', (o) => (o.payment = method && { method }));
      expect((await orderOf(text, 'order.create')).order.cashOnDelivery).toBeUndefined();
    }
  });

  it('reads a canceled order as cancelled, and the other spelling too', async () => {
    const { order } = await orderOf(fixture('order-status-update-canceled.json'), 'order.status.update');
    expect(order).toMatchObject({ orderId: '90000004', cancelled: true, phone: '500000005' });
    expect(order.paid).toBeUndefined();
    const cancelled = variant(
      'order-status-update-canceled.json',
      (o) => (o.order_status.code = 'Cancelled'),
    );
    expect((await orderOf(cancelled, 'order.status.update')).order.cancelled).toBe(true);
  });

  it.each(['refunded', 'reversed', 'chargeback', 'REFUNDED'])(
    'reads status %s as fully refunded (the delivery carries no amount)',
    async (code) => {
      const text = variant('order-status-update-refunded.json', (o) => (o.order_status.code = code));
      const { order } = await orderOf(text, 'order.status.update');
      expect(order).toMatchObject({ orderId: '90000001', fullyRefunded: true });
      expect(order.refunds).toBeUndefined();
      expect(order.cancelled).toBeUndefined();
    },
  );

  it.each([
    'new',
    'preparing',
    'ready',
    'inDelivery',
    'indelivery',
    'voided',
    'failed',
    'canceledReversal',
    'reverse_in_progress',
    'partially_reversed',
  ])('reads status %s as none of completed, cancelled, refunded', async (code) => {
    const text = variant('order-create.json', (o) => (o.order_status.code = code));
    const { order } = await orderOf(text, 'order.status.update');
    expect([order.completed, order.cancelled, order.fullyRefunded]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('reads inDelivery/delivered case-insensitively', async () => {
    const text = variant('order-create.json', (o) => (o.order_status.code = 'Delivered'));
    expect((await orderOf(text, 'order.status.update')).order.completed).toBe(true);
  });

  it('keeps a foreign-currency order in its own currency for core to skip', async () => {
    const { order } = await orderOf(fixture('order-create-foreign-currency.json'), 'order.create');
    expect(order).toMatchObject({ orderId: '90000005', totalHalalas: 1550, currency: 'KWD', paid: true });
    expect(order.items).toBeUndefined();
  });

  it('gives a marketplace order with a masked phone no phone', async () => {
    const { order } = await orderOf(fixture('order-create-marketplace.json'), 'order.create');
    expect(order.phone).toBeNull();
    expect(order.orderId).toBe('90000006');
  });

  it('reads an envelope {event, data} like the bare order, with or without the URL event', async () => {
    const bare = await orderOf(fixture('order-status-update-refunded.json'), 'order.status.update');
    const text = fixture('envelope-order-status-update.json');
    const wrapped = await orderOf(text, 'order.status.update');
    expect(wrapped.order).toEqual(bare.order);
    expect(wrapped.dedupeKey).toBe(bare.dedupeKey);
    const noPathEvent = await parse(text, undefined);
    expect(noPathEvent).toMatchObject({ type: 'order', event: 'order.status.update' });
  });

  it('takes the store from the envelope when the order inside has none', async () => {
    const order = JSON.parse(fixture('order-create.json'));
    delete order.store_id;
    const text = JSON.stringify({ event: 'order.create', store_id: 100009, data: order });
    expect(await parse(text, 'order.create')).toMatchObject({ type: 'order', order: { storeId: '100009' } });
  });

  it('does not take a bare order with a data field for an envelope', async () => {
    const text = variant('order-create.json', (o) => (o.data = { note: 'merchant metadata' }));
    expect(await parse(text, 'order.create')).toMatchObject({
      type: 'order',
      order: { orderId: '90000001' },
    });
    const noStatus = variant('order-create.json', (o) => {
      delete o.order_status;
      o.payload = { id: 1, store_id: 2 };
    });
    expect(await parse(noStatus, 'order.create')).toMatchObject({
      type: 'order',
      order: { orderId: '90000001' },
    });
    const noId = variant('order-create.json', (o) => {
      delete o.id;
      o.data = { id: 1, store_id: 2 };
    });
    expect(await parse(noId, 'order.create')).toMatchObject({ type: 'invalid' });
  });

  it('reads an envelope {event, payload} too', async () => {
    const order = JSON.parse(fixture('order-create.json'));
    const text = JSON.stringify({ event: 'order.create', payload: order });
    expect(await parse(text, undefined)).toMatchObject({ type: 'order', order: { orderId: '90000001' } });
  });

  it('tells paid with Points by the payment method', async () => {
    const text = variant('order-create.json', (o) => (o.payment.method = { name: 'Points', code: 'points' }));
    expect((await orderOf(text, 'order.create')).order.paidWithPoints).toBe(true);
    expect(
      (await orderOf(fixture('order-create.json'), 'order.create')).order.paidWithPoints,
    ).toBeUndefined();
  });

  it('sets no test flag: Zid documents no test orders', async () => {
    for (const name of ['order-create.json', 'order-status-update-delivered-cod.json']) {
      const { order } = await orderOf(fixture(name), 'order.create');
      expect(order.test).toBeUndefined();
    }
  });

  it('reads ids and totals given as strings or numbers, and uses the id when there is no code', async () => {
    const text = variant('order-create.json', (o) => {
      o.id = '90000001';
      o.store_id = '100001';
      o.order_total = 196.5;
      delete o.code;
      delete o.products;
      delete o.customer;
    });
    const { order } = await orderOf(text, 'order.create');
    expect(order).toMatchObject({ storeId: '100001', orderId: '90000001', reference: '90000001' });
    expect(order.totalHalalas).toBe(19650);
    expect(order.phone).toBeNull();
    expect(order.customerName).toBeUndefined();
    expect(order.items).toBeUndefined();
  });

  it('keeps only items with a name, a price and a whole quantity of at least 1', async () => {
    const text = variant('order-create.json', (o) => {
      o.products = [
        { name: 'Good', price: '10.5', quantity: '3' },
        { name: 'No price', quantity: 1 },
        { name: 'Zero quantity', price: 5, quantity: 0 },
        { price: 5, quantity: 1 },
        { name: 'Half', price: 5, quantity: 1.5 },
      ];
    });
    expect((await orderOf(text, 'order.create')).order.items).toEqual([
      { name: 'Good', priceHalalas: 1050, quantity: 3 },
    ]);
  });
});

describe('zid phones', () => {
  it.each([
    ['+966500000002', '500000002'],
    ['966500000002', '500000002'],
    ['00966500000002', '500000002'],
    ['0500000002', '500000002'],
    ['500000002', '500000002'],
    ['+966 50 000 0002', '500000002'],
    ['٠٥٠٠٠٠٠٠٠٢', '500000002'],
    [966500000002, '500000002'],
  ])('normalises %j to %s', async (mobile, expected) => {
    const text = variant('order-create.json', (o) => (o.customer.mobile = mobile));
    expect((await orderOf(text, 'order.create')).order.phone).toBe(expected);
  });

  it.each(['+971500000002', '971500000002', '***02', '', '12345', null])(
    'gives %j no phone',
    async (mobile) => {
      const text = variant('order-create.json', (o) => (o.customer.mobile = mobile));
      expect((await orderOf(text, 'order.create')).order.phone).toBeNull();
    },
  );
});

describe('zid dedupe', () => {
  it('gives a retried or duplicated delivery the same key', async () => {
    const text = fixture('order-status-update-canceled.json');
    const first = await orderOf(text, 'order.status.update');
    const again = await orderOf(text, 'order.status.update');
    expect(again.dedupeKey).toBe(first.dedupeKey);
    expect(first.dedupeKey).toBe(
      'zid:100001:order.status.update:90000004:canceled:unpaid:2026-11-25 09:00:00',
    );
  });

  it('gives a new state of the order, another event or another store a new key', async () => {
    const text = fixture('order-create.json');
    const key = (await orderOf(text, 'order.create')).dedupeKey;
    const changes: Array<[string, string]> = [
      [variant('order-create.json', (o) => (o.order_status.code = 'preparing')), 'order.create'],
      [variant('order-create.json', (o) => (o.payment_status = 'unpaid')), 'order.create'],
      [variant('order-create.json', (o) => (o.updated_at = '2026-11-24 12:09:00')), 'order.create'],
      [variant('order-create.json', (o) => (o.store_id = 100002)), 'order.create'],
      [text, 'order.payment_status.update'],
    ];
    for (const [changed, event] of changes) expect((await orderOf(changed, event)).dedupeKey).not.toBe(key);
  });

  it('keys ignored events by store, event and body', async () => {
    const text = JSON.stringify({ id: 'prod-test-0001', store_id: 100001, name: { ar: 'حقيبة', en: 'Bag' } });
    const first = await parse(text, 'product.update');
    expect(first).toMatchObject({ type: 'ignored', event: 'product.update' });
    expect(first.type === 'ignored' && first.dedupeKey).toMatch(/^zid:100001:product\.update:[0-9a-f]{64}$/);
    expect(await parse(text, 'product.update')).toEqual(first);
  });
});

describe('zid errors', () => {
  it.each([
    'product.create',
    'product.update',
    'product.delete',
    'customer.create',
    'customer.update',
    'customer.login',
    'abandoned_cart.created',
    'abandoned_cart.completed',
    'category.create',
    'app.market.application.install',
  ])('ignores %s', async (event) => {
    const parsed = await parse('{"id":"x1","store_id":100001}', event);
    expect(parsed).toMatchObject({ type: 'ignored', event });
  });

  it('ignores an event it does not use whatever its body', async () => {
    expect(await parse('[1,2]', 'customer.update')).toMatchObject({ type: 'ignored' });
    expect(await parse('"text"', 'product.publish')).toMatchObject({ type: 'ignored', dedupeKey: /^zid::/ });
  });

  it.each([
    ['no id', variant('order-create.json', (o) => delete o.id)],
    ['no store_id', variant('order-create.json', (o) => delete o.store_id)],
    ['an empty id', variant('order-create.json', (o) => (o.id = ''))],
    ['an object for an id', variant('order-create.json', (o) => (o.id = { value: 1 }))],
    ['a number for the payment status', variant('order-create.json', (o) => (o.payment_status = 1))],
    ['a string for the customer', variant('order-create.json', (o) => (o.customer = '0500000002'))],
    ['an object for the products', variant('order-create.json', (o) => (o.products = { name: 'x' }))],
    ['an array', '[]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"order"'],
    ['an empty object', '{}'],
    ['an envelope without an order', '{"event":"order.create","data":null}'],
  ])('answers invalid for an order event with %s', async (_, text) => {
    const parsed = await parse(text, 'order.create');
    expect(parsed).toMatchObject({ type: 'invalid', event: 'order.create' });
  });

  it('answers invalid when the URL and the envelope name different events', async () => {
    const parsed = await parse(fixture('envelope-order-status-update.json'), 'order.create');
    expect(parsed).toMatchObject({ type: 'invalid', event: 'order.create' });
    expect(parsed.type === 'invalid' && parsed.detail).toContain('order.status.update');
  });

  it('answers invalid when neither the URL nor the body names the event', async () => {
    expect(await parse(fixture('order-create.json'), undefined)).toMatchObject({
      type: 'invalid',
      event: '(none)',
    });
    expect(await parse(fixture('order-create.json'), '')).toMatchObject({ type: 'invalid' });
  });
});

describe('zid security', () => {
  const text = fixture('order-status-update-canceled.json');

  it('accepts the Basic credentials of the subscription', async () => {
    expect(await zid.verify(signed(text), settings)).toEqual({ ok: true });
  });

  it('takes the scheme in any case and surrounding spaces', async () => {
    const token = basic(username, password).slice('Basic '.length);
    for (const header of [`basic ${token}`, `BASIC ${token}`, `  Basic ${token}  `, `Basic   ${token}`]) {
      expect(
        await zid.verify(delivery(text, 'order.status.update', { authorization: header }), settings),
      ).toEqual({
        ok: true,
      });
    }
  });

  it('refuses an unsigned delivery', async () => {
    const result = await zid.verify(delivery(text, 'order.status.update'), settings);
    expect(result).toEqual({ ok: false, detail: 'no Authorization header' });
    expect((await zid.verify(delivery(text, 'x', { authorization: '   ' }), settings)).ok).toBe(false);
  });

  it.each([
    ['a wrong password', basic(username, 'test-zid-secret-0000000000000000001')],
    ['a wrong username', basic('test-zid-user-00000000000000000001', password)],
    ['username and password swapped', basic(password, username)],
    ['the password alone', `Basic ${Buffer.from(password).toString('base64')}`],
    ['unencoded credentials', `Basic ${username}:${password}`],
    ['the secret as a bearer token', `Bearer ${password}`],
    ['the secret as Salla-style token', password],
    ['the right token under another scheme', `Token ${basic(username, password).slice(6)}`],
    ['the scheme alone', 'Basic'],
    ['the right credentials with more after them', `${basic(username, password)}x`],
    ['the right credentials cut short', basic(username, password).slice(0, -1)],
    ['a token one character off', basic(username, password).replace(/.$/, 'A')],
    [
      'a forged header with an HMAC-looking value',
      'Basic 3f1b9c0a7e2d4f6b8a1c3e5f7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d',
    ],
  ])('refuses %s', async (_, header) => {
    const result = await zid.verify(
      delivery(text, 'order.status.update', { authorization: header }),
      settings,
    );
    expect(result.ok).toBe(false);
  });

  it('refuses credentials made for other settings (another deployment)', async () => {
    const other = zid.settings({
      ZID_WEBHOOK_USERNAME: username,
      ZID_WEBHOOK_PASSWORD: 'test-zid-secret-other-000000000000',
      ZID_EARN_ON: 'paid',
    })!;
    expect((await zid.verify(signed(text), other)).ok).toBe(false);
  });

  it('checks only the header, before and without parsing: Zid signs no body', async () => {
    // Basic auth covers no bytes of the body, so a changed body or one that is not JSON verifies alike;
    // what stops a forged order is that the credentials are secret (TLS keeps them so on the way).
    const changed = text.replace('"canceled"', '"delivered"');
    expect(changed).not.toBe(text);
    expect(await zid.verify(signed(changed), settings)).toEqual({ ok: true });
    expect(await zid.verify(signed('{not json'), settings)).toEqual({ ok: true });
    // And a body changed by one byte under forged credentials is refused like any other.
    const forged = delivery(changed, 'order.status.update', { authorization: basic(username, 'forged') });
    expect((await zid.verify(forged, settings)).ok).toBe(false);
  });
});
