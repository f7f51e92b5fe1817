import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Delivery, ParsedDelivery } from '../../../server/connectors/connector.ts';
import { salla, type SallaSettings } from '../../../server/connectors/salla/salla.ts';

const secret = 'test-salla-secret-0000000000000000';
const settings: SallaSettings = { secret, earnOn: 'paid' };

/** A fixture's JSON, edited freely by the tests below. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/salla/${name}.json`, import.meta.url), 'utf8');
}

function fixture(name: string): Body {
  return JSON.parse(fixtureText(name)) as Body;
}

function delivery(text: string, headers: Record<string, string> = {}): Delivery {
  return {
    headers: new Headers(headers),
    rawBody: new TextEncoder().encode(text),
    text,
    pathEvent: undefined,
  };
}

/** Salla's Signature strategy, computed here with node:crypto, apart from the code under test. */
function signature(text: string, key = secret): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

function signed(text: string): Delivery {
  return delivery(text, { 'X-Salla-Security-Strategy': 'Signature', 'X-Salla-Signature': signature(text) });
}

async function parse(body: unknown): Promise<ParsedDelivery> {
  const text = JSON.stringify(body);
  return salla.parse(delivery(text), JSON.parse(text));
}

async function parseFixture(name: string): Promise<ParsedDelivery> {
  const text = fixtureText(name);
  return salla.parse(delivery(text), JSON.parse(text));
}

async function orderOf(body: unknown) {
  const parsed = await parse(body);
  if (parsed.type !== 'order') throw new Error(`expected an order, got ${JSON.stringify(parsed)}`);
  return parsed.order;
}

/** The `order.payment.updated` fixture with its order changed by `change`. */
function paymentUpdated(change: (order: Body) => void): Body {
  const body = fixture('order.payment.updated');
  change(body.data);
  return body;
}

describe('salla connector: happy path', () => {
  it('reads order.created (bank transfer under review: not paid yet)', async () => {
    const parsed = await parseFixture('order.created');
    expect(parsed).toMatchObject({ type: 'order', event: 'order.created' });
    if (parsed.type !== 'order') return;
    expect(parsed.order).toEqual({
      storeId: '1000000001',
      orderId: '2000000001',
      reference: '41000001',
      totalHalalas: 19600,
      currency: 'SAR',
      phone: '500000002',
      customerName: 'Test Customer',
      items: [{ name: 'بيتزا', priceHalalas: 18600, quantity: 1 }],
    });
  });

  it('reads order.payment.updated (card, under review: paid)', async () => {
    const parsed = await parseFixture('order.payment.updated');
    if (parsed.type !== 'order') throw new Error(parsed.type);
    expect(parsed.order).toEqual({
      storeId: '1000000001',
      orderId: '2000000002',
      reference: '41000002',
      paid: true,
      totalHalalas: 26968,
      currency: 'SAR',
      phone: '500000003',
      customerName: 'Test Buyer',
      items: [
        { name: 'تنورة', priceHalalas: 7975, quantity: 2 },
        { name: 'وشاح', priceHalalas: 6000, quantity: 1 },
      ],
    });
  });

  it('reads order.updated while the payment is pending (not paid)', async () => {
    const parsed = await parseFixture('order.updated');
    if (parsed.type !== 'order') throw new Error(parsed.type);
    expect(parsed.order.paid).toBeUndefined();
    expect(parsed.order).toMatchObject({
      orderId: '2000000003',
      totalHalalas: 10000,
      phone: '500000004',
      customerName: 'Test Shopper',
    });
  });

  it('reads order.status.updated from data.order, not the status change around it', async () => {
    const parsed = await parseFixture('order.status.updated');
    if (parsed.type !== 'order') throw new Error(parsed.type);
    expect(parsed.order).toEqual({
      storeId: '1000000002',
      orderId: '2000000004',
      reference: '42264',
      completed: true,
      totalHalalas: 15400,
      currency: 'SAR',
      cashOnDelivery: true,
      phone: '500000005',
      customerName: 'Test Salla',
      items: [
        { name: 'عطر', priceHalalas: 12000, quantity: 1 },
        { name: 'عطر مجاني', priceHalalas: 12600, quantity: 1 },
      ],
    });
  });

  it('reads order.cancelled as cancelled', async () => {
    const parsed = await parseFixture('order.cancelled');
    if (parsed.type !== 'order') throw new Error(parsed.type);
    expect(parsed.order).toMatchObject({ orderId: '2000000002', cancelled: true, items: [] });
    expect(parsed.order.paid).toBeUndefined();
  });

  it('reads order.refunded as fully refunded (Salla tells no amount)', async () => {
    const parsed = await parseFixture('order.refunded');
    if (parsed.type !== 'order') throw new Error(parsed.type);
    expect(parsed.order).toMatchObject({ orderId: '2000000002', fullyRefunded: true });
    expect(parsed.order.refunds).toBeUndefined();
    expect(parsed.order.items).toBeUndefined();
  });

  it('reads order.deleted as cancelled', async () => {
    const parsed = await parseFixture('order.deleted');
    if (parsed.type !== 'order') throw new Error(parsed.type);
    expect(parsed.order).toMatchObject({ orderId: '2000000001', cancelled: true });
  });

  it('reads review.added as a product review with an id made of its order, product and customer', async () => {
    const parsed = await parseFixture('review.added');
    expect(parsed).toMatchObject({ type: 'review', event: 'review.added' });
    if (parsed.type !== 'review') return;
    expect(parsed.review).toEqual({
      storeId: '1000000001',
      reviewId: 'order-2000000002-1653503260-customer-3000000002',
      productId: '1653503260',
      productName: 'FW180017',
      rating: 5,
      comment: 'Nice',
      phone: '500000003',
    });
  });

  it('uses the review id when Salla sends one, and reads a review without a product as a store review', async () => {
    const body = fixture('review.added');
    body.data.id = 777000001;
    delete body.data.product;
    const parsed = await parse(body);
    if (parsed.type !== 'review') throw new Error(parsed.type);
    expect(parsed.review.reviewId).toBe('777000001');
    expect(parsed.review.productId).toBeUndefined();
    expect(parsed.review.productName).toBeUndefined();
  });

  it('names a review with neither an id nor its order and customer by its bytes', async () => {
    const body = fixture('review.added');
    delete body.data.order;
    const parsed = await parse(body);
    if (parsed.type !== 'review') throw new Error(parsed.type);
    expect(parsed.review.reviewId).toMatch(/^body-[0-9a-f]{64}$/);
    expect(parsed.dedupeKey.endsWith(parsed.review.reviewId.slice('body-'.length))).toBe(true);
  });

  it('reads a testimonial as a review of the store', async () => {
    const body = fixture('review.added');
    body.data.type = 'testimonial';
    const parsed = await parse(body);
    if (parsed.type !== 'review') throw new Error(parsed.type);
    expect(parsed.review).toMatchObject({ reviewId: expect.stringContaining('-store-'), rating: 5 });
    expect(parsed.review.productId).toBeUndefined();
  });

  it.each(['ask', 'shipping'])('ignores feedback of type %s', async (type) => {
    const body = fixture('review.added');
    body.data.type = type;
    expect(await parse(body)).toMatchObject({ type: 'ignored', event: 'review.added' });
  });

  it('keeps a review with neither rating nor content, and no Saudi phone', async () => {
    const body = fixture('review.added');
    delete body.data.rating;
    delete body.data.content;
    body.data.customer.mobile = '+28364687236547523745'; // the docs sample's own value
    const parsed = await parse(body);
    if (parsed.type !== 'review') throw new Error(parsed.type);
    expect(parsed.review.rating).toBeUndefined();
    expect(parsed.review.comment).toBeUndefined();
    expect(parsed.review.phone).toBeNull();
  });

  it('ignores events that do not change earning', async () => {
    expect(await parseFixture('abandoned.cart')).toMatchObject({ type: 'ignored', event: 'abandoned.cart' });
    for (const event of [
      'app.store.authorize',
      'order.shipment.created',
      'product.updated',
      'customer.login',
    ]) {
      expect(await parse({ event, merchant: 1000000001, created_at: 'x', data: { id: 1 } })).toMatchObject({
        type: 'ignored',
        event,
      });
    }
  });

  it.each([
    ['in_progress', 'credit_card', { paid: true }],
    ['shipped', 'mada', { paid: true }],
    ['delivering', 'apple_pay', { paid: true }],
    ['delivered', 'stc_pay', { paid: true, completed: true }],
    ['completed', 'bank', { paid: true, completed: true }],
    ['in_progress', 'bank', { paid: true }],
    ['under_review', 'mada', { paid: true }],
    ['under_review', 'bank', {}],
    ['payment_pending', 'credit_card', {}],
    ['canceled', 'credit_card', { cancelled: true }],
    ['cancelled', 'credit_card', { cancelled: true }],
    ['restored', 'credit_card', { fullyRefunded: true }],
    ['restoring', 'credit_card', {}],
    ['in_progress', 'cod', { cashOnDelivery: true }],
    ['delivered', 'cod', { cashOnDelivery: true, completed: true }],
  ])('maps status %s paid by %s', async (slug, method, expected) => {
    const order = await orderOf(
      paymentUpdated((data) => {
        data.status = { id: 1, name: 'x', slug };
        data.payment_method = method;
      }),
    );
    const flags = ['paid', 'completed', 'cancelled', 'fullyRefunded', 'cashOnDelivery'] as const;
    expect(Object.fromEntries(flags.filter((flag) => order[flag]).map((flag) => [flag, true]))).toEqual(
      expected,
    );
  });

  it('is not paid while Salla says the payment is pending, whatever the status', async () => {
    const order = await orderOf(
      paymentUpdated((data) => {
        data.status.slug = 'in_progress';
        data.is_pending_payment = true;
      }),
    );
    expect(order.paid).toBeUndefined();
  });

  it('is not paid when the delivery does not say how the order is paid (it may be cash on delivery)', async () => {
    const order = await orderOf(
      paymentUpdated((data) => {
        data.status.slug = 'in_progress';
        delete data.payment_method;
      }),
    );
    expect(order.paid).toBeUndefined();
    expect(order.cashOnDelivery).toBeUndefined();
  });

  it('keeps a foreign currency as it is (core skips non-SAR orders)', async () => {
    const order = await orderOf(
      paymentUpdated((data) => {
        data.currency = 'USD';
        data.amounts.total = { amount: 71.92, currency: 'usd' };
      }),
    );
    expect(order).toMatchObject({ currency: 'USD', totalHalalas: 7192 });
  });

  it('falls back to data.currency when the total has none', async () => {
    const order = await orderOf(
      paymentUpdated((data) => {
        data.currency = 'AED';
        data.amounts.total = { amount: '50.5' };
      }),
    );
    expect(order).toMatchObject({ currency: 'AED', totalHalalas: 5050 });
  });

  it('marks an order paid with Points', async () => {
    const order = await orderOf(paymentUpdated((data) => (data.payment_method = 'points')));
    expect(order.paidWithPoints).toBe(true);
  });

  it('never marks a test order: Salla demo-store orders carry no test flag', async () => {
    for (const name of ['order.created', 'order.payment.updated', 'order.status.updated']) {
      const parsed = await parseFixture(name);
      expect(parsed.type === 'order' && parsed.order.test).toBeFalsy();
    }
  });

  it.each<[string, unknown, unknown, string | null]>([
    ['a number with mobile_code (docs)', 500000010, '+966', '500000010'],
    ['a string with mobile_code', '500000011', '+966', '500000011'],
    ['mobile_code without the plus', 500000012, '966', '500000012'],
    ['a string with its own +966 (docs)', '+966500000013', undefined, '500000013'],
    ['a string with its own +966 beside mobile_code', '+966500000014', '+966', '500000014'],
    ['a local 05 number', '0500000015', undefined, '500000015'],
    ['966 without the plus', '966500000016', undefined, '500000016'],
    ['spaces and Arabic digits', '+966 ٥٠ ٠٠٠ ٠٠١٧', undefined, '500000017'],
    ['an Emirati number (docs)', '+971500000018', undefined, null],
    ['an Emirati mobile_code', 500000019, '+971', null],
    ['a landline', 110000000, '+966', null],
    ['no mobile', undefined, undefined, null],
    ['null mobile', null, '+966', null],
  ])('reads the phone from %s', async (_, mobile, code, expected) => {
    const order = await orderOf(
      paymentUpdated((data) => {
        data.customer = { id: 1, first_name: 'Test', mobile, mobile_code: code };
      }),
    );
    expect(order.phone).toBe(expected);
  });

  it('leaves out items it cannot price or count', async () => {
    const order = await orderOf(
      paymentUpdated((data) => {
        data.items = [
          { name: 'ok', quantity: '2', price: { amount: '10.00', currency: 'SAR' } },
          { name: 'no price', quantity: 1 },
          { name: 'zero', quantity: 0, amounts: { price_without_tax: { amount: 5 } } },
          { quantity: 1, amounts: { price_without_tax: { amount: 5 } } },
        ];
      }),
    );
    expect(order.items).toEqual([{ name: 'ok', priceHalalas: 1000, quantity: 2 }]);
  });

  it('settings: off without a secret, earning on paid by default', () => {
    const values = z.object(salla.configShape).parse({});
    expect(salla.settings(values)).toBeUndefined();
    const on = salla.settings(z.object(salla.configShape).parse({ SALLA_WEBHOOK_SECRET: secret }))!;
    expect(on).toEqual({ secret, earnOn: 'paid' });
    expect(salla.secrets(on)).toEqual([secret]);
    const completed = z
      .object(salla.configShape)
      .parse({ SALLA_WEBHOOK_SECRET: secret, SALLA_EARN_ON: 'completed' });
    expect(salla.earnOn(salla.settings(completed)!)).toBe('completed');
    expect(salla.secretVariables).toEqual(['SALLA_WEBHOOK_SECRET']);
    expect(() => z.object(salla.configShape).parse({ SALLA_EARN_ON: 'shipped' })).toThrow();
  });
});

describe('salla connector: errors', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'order.created'],
    ['an empty object', {}],
  ])('refuses %s as invalid', async (_, body) => {
    expect(await parse(body)).toMatchObject({ type: 'invalid', event: '(none)' });
  });

  it('refuses an envelope without merchant', async () => {
    const body = fixture('order.created');
    delete body.merchant;
    expect(await parse(body)).toMatchObject({ type: 'invalid', event: 'order.created' });
  });

  it('refuses an envelope whose data is not an object', async () => {
    expect(await parse({ event: 'order.created', merchant: 1, data: 'x' })).toMatchObject({
      type: 'invalid',
    });
    expect(await parse({ event: 'order.created', merchant: 1 })).toMatchObject({ type: 'invalid' });
  });

  it('refuses an order without an id', async () => {
    const body = fixture('order.created');
    delete body.data.id;
    expect(await parse(body)).toMatchObject({ type: 'invalid', event: 'order.created' });
  });

  it('refuses an order whose fields have the wrong types', async () => {
    const body = fixture('order.created');
    body.data.items = 'pizza';
    expect(await parse(body)).toMatchObject({ type: 'invalid' });
    const other = fixture('order.created');
    other.data.amounts = { total: { amount: { value: 1 } } };
    expect(await parse(other)).toMatchObject({ type: 'invalid' });
  });

  it('refuses order.status.updated without data.order', async () => {
    const body = fixture('order.status.updated');
    delete body.data.order;
    expect(await parse(body)).toMatchObject({ type: 'invalid', event: 'order.status.updated' });
  });

  it('refuses a review whose fields have the wrong types', async () => {
    const body = fixture('review.added');
    body.data.product = 'FW180017';
    expect(await parse(body)).toMatchObject({ type: 'invalid', event: 'review.added' });
  });

  it('reads a total that is not a plain decimal as unknown', async () => {
    const order = await orderOf(
      paymentUpdated((data) => (data.amounts.total = { amount: '1e3', currency: 'SAR' })),
    );
    expect(order.totalHalalas).toBeUndefined();
  });
});

describe('salla connector: security', () => {
  const text = fixtureText('order.payment.updated');

  it('accepts the Signature strategy over the raw bytes', async () => {
    expect(await salla.verify(signed(text), settings)).toEqual({ ok: true });
  });

  it('accepts an upper-case hex signature and a lower-case strategy name', async () => {
    const headers = {
      'X-Salla-Security-Strategy': 'signature',
      'X-Salla-Signature': signature(text).toUpperCase(),
    };
    expect(await salla.verify(delivery(text, headers), settings)).toEqual({ ok: true });
  });

  it('refuses a forged signature (another secret)', async () => {
    const headers = {
      'X-Salla-Security-Strategy': 'Signature',
      'X-Salla-Signature': signature(text, 'test-salla-secret-1111111111111111'),
    };
    expect(await salla.verify(delivery(text, headers), settings)).toMatchObject({ ok: false });
  });

  it('refuses a signature over other bytes', async () => {
    const other = fixtureText('order.created');
    const headers = { 'X-Salla-Security-Strategy': 'Signature', 'X-Salla-Signature': signature(other) };
    expect(await salla.verify(delivery(text, headers), settings)).toMatchObject({ ok: false });
  });

  it('refuses a body changed by one byte', async () => {
    const headers = { 'X-Salla-Security-Strategy': 'Signature', 'X-Salla-Signature': signature(text) };
    const changed = text.replace('"amount": 269.68', '"amount": 269.69');
    expect(changed).not.toBe(text);
    expect(await salla.verify(delivery(changed, headers), settings)).toMatchObject({ ok: false });
    const reformatted = JSON.stringify(JSON.parse(text));
    expect(await salla.verify(delivery(reformatted, headers), settings)).toMatchObject({ ok: false });
  });

  it('refuses a signature that is not hex, or empty', async () => {
    for (const value of ['not-hex', '', Buffer.from(signature(text), 'hex').toString('base64')]) {
      const headers = { 'X-Salla-Security-Strategy': 'Signature', 'X-Salla-Signature': value };
      expect(await salla.verify(delivery(text, headers), settings)).toMatchObject({ ok: false });
    }
  });

  it('refuses an unsigned delivery', async () => {
    expect(await salla.verify(delivery(text), settings)).toMatchObject({ ok: false });
    expect(
      await salla.verify(delivery(text, { 'X-Salla-Security-Strategy': 'Signature' }), settings),
    ).toMatchObject({ ok: false });
  });

  it('refuses the strategy none, even with valid credentials beside it', async () => {
    const headers = {
      'X-Salla-Security-Strategy': 'none',
      'X-Salla-Signature': signature(text),
      Authorization: secret,
    };
    expect(await salla.verify(delivery(text, headers), settings)).toMatchObject({ ok: false });
  });

  it('refuses a strategy it does not know', async () => {
    for (const strategy of ['Basic', '', 'Signature,Token']) {
      const headers = { 'X-Salla-Security-Strategy': strategy, 'X-Salla-Signature': signature(text) };
      expect(await salla.verify(delivery(text, headers), settings)).toMatchObject({ ok: false });
    }
  });

  it('accepts the Token strategy: the secret as Authorization, verbatim or after Bearer', async () => {
    for (const authorization of [secret, `Bearer ${secret}`, `bearer ${secret}`]) {
      const headers = { 'X-Salla-Security-Strategy': 'Token', Authorization: authorization };
      expect(await salla.verify(delivery(text, headers), settings)).toEqual({ ok: true });
    }
  });

  it('refuses wrong Token credentials', async () => {
    for (const authorization of [
      'test-salla-secret-1111111111111111',
      secret.slice(0, -1),
      `${secret}0`,
      `Basic ${secret}`,
      `Bearer`,
    ]) {
      const headers = { 'X-Salla-Security-Strategy': 'Token', Authorization: authorization };
      expect(await salla.verify(delivery(text, headers), settings)).toMatchObject({ ok: false });
    }
  });

  it('holds each strategy to its own credentials', async () => {
    const tokenWithSignature = { 'X-Salla-Security-Strategy': 'Token', 'X-Salla-Signature': signature(text) };
    expect(await salla.verify(delivery(text, tokenWithSignature), settings)).toMatchObject({ ok: false });
    const signatureWithToken = { 'X-Salla-Security-Strategy': 'Signature', Authorization: secret };
    expect(await salla.verify(delivery(text, signatureWithToken), settings)).toMatchObject({ ok: false });
  });

  it('without a strategy header, goes by the credentials present', async () => {
    expect(await salla.verify(delivery(text, { 'X-Salla-Signature': signature(text) }), settings)).toEqual({
      ok: true,
    });
    expect(await salla.verify(delivery(text, { Authorization: secret }), settings)).toEqual({ ok: true });
    // A signature present decides the strategy: a valid token beside a bad signature does not pass.
    const both = { 'X-Salla-Signature': signature('other'), Authorization: secret };
    expect(await salla.verify(delivery(text, both), settings)).toMatchObject({ ok: false });
    expect(await salla.verify(delivery(text, { Authorization: 'wrong' }), settings)).toMatchObject({
      ok: false,
    });
  });

  it('gives a duplicate delivery the same dedupe key, and another delivery another', async () => {
    const first = await salla.parse(signed(text), JSON.parse(text));
    const again = await salla.parse(signed(text), JSON.parse(text));
    expect(first.type).toBe('order');
    if (first.type === 'invalid' || again.type === 'invalid') throw new Error('invalid');
    expect(again.dedupeKey).toBe(first.dedupeKey);
    expect(first.dedupeKey).toMatch(/^salla:1000000001:order\.payment\.updated:[0-9a-f]{64}$/);

    const later = text.replace('12:25:02', '12:25:03');
    const next = await salla.parse(delivery(later), JSON.parse(later));
    if (next.type === 'invalid') throw new Error('invalid');
    expect(next.dedupeKey).not.toBe(first.dedupeKey);

    const otherStore = text.replace('1000000001', '1000000009');
    const other = await salla.parse(delivery(otherStore), JSON.parse(otherStore));
    if (other.type === 'invalid') throw new Error('invalid');
    expect(other.dedupeKey.startsWith('salla:1000000009:')).toBe(true);
  });

  it('gives ignored events and reviews dedupe keys too', async () => {
    for (const name of ['abandoned.cart', 'review.added']) {
      const parsed = await parseFixture(name);
      if (parsed.type === 'invalid') throw new Error('invalid');
      expect(parsed.dedupeKey).toMatch(
        new RegExp(`^salla:1000000001:${name.replace('.', '\\.')}:[0-9a-f]{64}$`),
      );
    }
  });
});
