import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { halalasToSarText, halalasToSar, pointsAmountToHalalas, sarToHalalas } from '../../server/money.ts';
import { loadCatalog, priceCart, QuantityLimitError, UnknownSkuError } from '../../server/orders/catalog.ts';
import { OrderTokenError, verifyOrderToken } from '../../server/orders/order-token.ts';
import { signStatusToken, verifyStatusToken } from '../../server/orders/status-token.ts';
import {
  advanceState,
  orderStates,
  paymentStates,
  publicOrderState,
  stateForPointsStatus,
  type OrderState,
} from '../../server/orders/order-state.ts';

const tokenSecret = 'test-order-token-secret-not-real-0000';
const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('money', () => {
  it('parses SAR text and numbers into halalas', () => {
    expect(sarToHalalas('199')).toBe(19_900);
    expect(sarToHalalas('199.5')).toBe(19_950);
    expect(sarToHalalas('199.50')).toBe(19_950);
    expect(sarToHalalas(0.1)).toBe(10);
    expect(sarToHalalas(150.75)).toBe(15_075);
  });

  it('refuses negatives, 3 decimals, exponents, blanks and junk', () => {
    for (const bad of [
      '-1',
      '1.234',
      '1e3',
      '',
      ' ',
      'abc',
      '01',
      '1.',
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -5,
    ]) {
      expect(sarToHalalas(bad), String(bad)).toBeUndefined();
    }
  });

  it('formats and converts back', () => {
    expect(halalasToSarText(19_950)).toBe('199.50');
    expect(halalasToSarText(5)).toBe('0.05');
    expect(halalasToSar(19_950)).toBe(199.5);
    expect(pointsAmountToHalalas(150.75000000001)).toBe(15_075);
  });
});

describe('order state machine', () => {
  const all: OrderState[] = [
    'abandoned',
    'pending',
    'authorized',
    'confirmed',
    'amount_mismatch',
    'partially_refunded',
    'refunded',
    'cancelled',
  ];

  it('maps Points statuses, flagging a paid order whose total does not match', () => {
    expect(stateForPointsStatus('approved', true)).toBe('confirmed');
    expect(stateForPointsStatus('captured', true)).toBe('confirmed');
    expect(stateForPointsStatus('approved', false)).toBe('amount_mismatch');
    expect(stateForPointsStatus('new', true)).toBe('pending');
    expect(stateForPointsStatus('fully_refunded', true)).toBe('refunded');
  });

  it('never moves backwards: a late authorized does not undo confirmed', () => {
    expect(advanceState('confirmed', 'authorized')).toBe('confirmed');
    expect(advanceState('refunded', 'confirmed')).toBe('refunded');
    expect(advanceState('cancelled', 'pending')).toBe('cancelled');
    expect(advanceState('amount_mismatch', 'confirmed')).toBe('amount_mismatch');
    expect(advanceState('confirmed', 'amount_mismatch')).toBe('amount_mismatch');
  });

  it('lets any answer from Points override our own abandoned guess', () => {
    expect(advanceState('abandoned', 'confirmed')).toBe('confirmed');
    expect(advanceState('abandoned', 'pending')).toBe('pending');
  });

  it('shows the shopper a public state: a mismatch still pending, an abandoned session expired', () => {
    expect(Object.fromEntries(orderStates.map((state) => [state, publicOrderState(state)]))).toEqual({
      abandoned: { state: 'expired', final: true },
      pending: { state: 'pending', final: false },
      authorized: { state: 'authorized', final: false },
      confirmed: { state: 'confirmed', final: true },
      amount_mismatch: { state: 'pending', final: false },
      partially_refunded: { state: 'partially_refunded', final: true },
      refunded: { state: 'refunded', final: true },
      cancelled: { state: 'cancelled', final: true },
    });
  });

  it('counts an order as paid once money has moved, and never when unpaid', () => {
    expect(orderStates.filter((state) => paymentStates.has(state))).toEqual([
      'authorized',
      'confirmed',
      'amount_mismatch',
      'partially_refunded',
      'refunded',
    ]);
  });

  it('ends in the same state whatever order the observations arrive in', () => {
    const observations: OrderState[] = [
      'pending',
      'authorized',
      'confirmed',
      'partially_refunded',
      'refunded',
    ];
    const permutations = (items: OrderState[]): OrderState[][] =>
      items.length <= 1
        ? [items]
        : items.flatMap((item, i) =>
            permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
          );
    for (const start of all.filter((state) => state === 'pending' || state === 'abandoned')) {
      for (const order of permutations(observations)) {
        expect(order.reduce(advanceState, start)).toBe('refunded');
      }
    }
  });
});

describe('order tokens', () => {
  const claims = {
    order_number: '#ORD-1001',
    total_price: '199.50',
    products: [{ product_name: 'Coffee set', product_price: '199.50', quantity: 1 }],
    phone: '0500000001',
  };

  it('a maximum lifetime: exp may be at most that far from now (default a day)', async () => {
    const now = Date.now();
    const inDays = (days: number) => Math.floor(now / 1000) + days * 86_400;
    const nearlyADay = await sign({ ...claims, exp: inDays(1) - 60 }, tokenSecret, 'HS256');
    expect(await verifyOrderToken(nearlyADay, tokenSecret, { now })).toMatchObject({
      orderNumber: 'ORD-1001',
    });
    const twoDays = await sign({ ...claims, exp: inDays(2) }, tokenSecret, 'HS256');
    await expect(verifyOrderToken(twoDays, tokenSecret, { now })).rejects.toThrow(OrderTokenError);
    const week = { maxLifetimeSeconds: 7 * 86_400, now };
    expect(await verifyOrderToken(twoDays, tokenSecret, week)).toMatchObject({ orderNumber: 'ORD-1001' });
    const hour = { maxLifetimeSeconds: 3600, now };
    await expect(verifyOrderToken(nearlyADay, tokenSecret, hour)).rejects.toThrow(/more than 3600 s/);
  });

  it('happy: returns the order the merchant signed, in halalas, # stripped', async () => {
    const token = await sign({ ...claims, exp: inOneHour() }, tokenSecret, 'HS256');
    const order = await verifyOrderToken(token, tokenSecret);
    // The phone is normalised here, so a bad one is refused before Points is asked (and never sent raw).
    expect(order).toMatchObject({ orderNumber: 'ORD-1001', totalHalalas: 19_950, phone: '500000001' });
    expect(order.products).toEqual([{ name: 'Coffee set', priceHalalas: 19_950, quantity: 1 }]);
  });

  it('error: expired, wrong secret, no exp, bad amounts', async () => {
    const expired = await sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, tokenSecret, 'HS256');
    await expect(verifyOrderToken(expired, tokenSecret)).rejects.toThrow('token expired');
    const other = await sign({ ...claims, exp: inOneHour() }, 'another-secret-entirely-0000000000', 'HS256');
    await expect(verifyOrderToken(other, tokenSecret)).rejects.toThrow(OrderTokenError);
    const forever = await sign(claims, tokenSecret, 'HS256');
    await expect(verifyOrderToken(forever, tokenSecret)).rejects.toThrow(/claims invalid: exp/);
    const year9999 = await sign({ ...claims, exp: 253_402_300_799 }, tokenSecret, 'HS256');
    await expect(verifyOrderToken(year9999, tokenSecret)).rejects.toThrow(/more than 86400 s/);
    for (const total_price of ['0', '-5', '1.999', 'free']) {
      const bad = await sign({ ...claims, total_price, exp: inOneHour() }, tokenSecret, 'HS256');
      await expect(verifyOrderToken(bad, tokenSecret), total_price).rejects.toThrow(/total_price/);
    }
  });

  it('security: a tampered payload cannot change the amount', async () => {
    const token = await sign({ ...claims, exp: inOneHour() }, tokenSecret, 'HS256');
    const [header, , signature] = token.split('.');
    const cheaper = Buffer.from(
      JSON.stringify({ ...claims, total_price: '1.00', exp: inOneHour() }),
    ).toString('base64url');
    await expect(verifyOrderToken(`${header}.${cheaper}.${signature}`, tokenSecret)).rejects.toThrow(
      OrderTokenError,
    );
  });

  it('security: alg none and other algorithms are refused', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ ...claims, exp: inOneHour() })).toString('base64url');
    await expect(verifyOrderToken(`${header}.${body}.`, tokenSecret)).rejects.toThrow(OrderTokenError);
    const hs512 = await sign({ ...claims, exp: inOneHour() }, tokenSecret, 'HS512');
    await expect(verifyOrderToken(hs512, tokenSecret)).rejects.toThrow(OrderTokenError);
    await expect(verifyOrderToken('not-a-jwt', tokenSecret)).rejects.toThrow(OrderTokenError);
  });
});

describe('catalog pricing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'points-catalog-'));
  const write = (name: string, value: unknown) => {
    writeFileSync(join(dir, name), JSON.stringify(value));
    return join(dir, name);
  };
  const readText = (path: string) => readFile(path, 'utf8');

  it('prices SKUs × quantities, merging repeats', async () => {
    const catalog = await loadCatalog(
      write('ok.json', {
        products: [
          { sku: 'COFFEE', name: 'Coffee set', price: '199.00' },
          { sku: 'CUP', name: 'Cup', price: 12.5 },
        ],
      }),
      readText,
    );
    const order = priceCart(catalog, 'ORD-7', [
      { sku: 'COFFEE', quantity: 1 },
      { sku: 'CUP', quantity: 2 },
      { sku: 'CUP', quantity: 1 },
    ]);
    expect(order.totalHalalas).toBe(19_900 + 3 * 1_250);
    expect(order.products).toHaveLength(2);
    expect(() => priceCart(catalog, 'ORD-8', [{ sku: 'NOPE', quantity: 1 }])).toThrow(UnknownSkuError);
  });

  it('holds the merged quantity of a SKU to 1,000, however many lines repeat it', async () => {
    const catalog = await loadCatalog(
      write('cap.json', { products: [{ sku: 'CUP', name: 'Cup', price: '12.50' }] }),
      readText,
    );
    expect(priceCart(catalog, 'ORD-9', [{ sku: 'CUP', quantity: 1000 }]).products[0]?.quantity).toBe(1000);
    const repeated = Array.from({ length: 100 }, () => ({ sku: 'CUP', quantity: 1000 }));
    expect(() => priceCart(catalog, 'ORD-10', repeated)).toThrow(QuantityLimitError);
    expect(() =>
      priceCart(catalog, 'ORD-11', [
        { sku: 'CUP', quantity: 600 },
        { sku: 'CUP', quantity: 401 },
      ]),
    ).toThrow(QuantityLimitError);
  });

  it('refuses bad catalogs with a message naming the entry', async () => {
    await expect(
      loadCatalog(write('neg.json', { products: [{ sku: 'A', name: 'A', price: '-1' }] }), readText),
    ).rejects.toThrow(/products.0.price/);
    await expect(
      loadCatalog(
        write('dup.json', {
          products: [
            { sku: 'A', name: 'A', price: '1' },
            { sku: 'A', name: 'B', price: '2' },
          ],
        }),
        readText,
      ),
    ).rejects.toThrow(/appears twice/);
  });
});

describe('status tokens', async () => {
  const key = 'test-status-key';
  const now = Date.UTC(2026, 10, 21);

  it('verifies for its order until it expires', async () => {
    const token = await signStatusToken(key, 'ORD-1', now, 60_000);
    expect(await verifyStatusToken(key, 'ORD-1', token, now)).toBe(true);
    expect(await verifyStatusToken(key, 'ORD-1', token, now + 61_000)).toBe(false);
  });

  it('refuses another order, another key, tampering and junk', async () => {
    const token = await signStatusToken(key, 'ORD-1', now);
    expect(await verifyStatusToken(key, 'ORD-2', token, now)).toBe(false);
    expect(await verifyStatusToken('other-key', 'ORD-1', token, now)).toBe(false);
    const [expires, mac] = token.split('.');
    expect(await verifyStatusToken(key, 'ORD-1', `${Number(expires) + 999}.${mac}`, now)).toBe(false);
    for (const junk of ['', '.', 'abc', `${expires}.`, `${expires}.${mac}x`]) {
      expect(await verifyStatusToken(key, 'ORD-1', junk, now)).toBe(false);
    }
  });
});
