import { describe, expect, it } from 'vitest';
import {
  buildDelivery,
  playScenario,
  scenarios,
  type BuiltDelivery,
  type PlatformName,
  type PlayerCredentials,
  type PlayerOrder,
  type PlayerStep,
} from '../../demo/sandbox/index.ts';
import type {
  Delivery,
  OrderFacts,
  ParsedDelivery,
  PlatformConnector,
  Verification,
} from '../../server/connectors/connector.ts';
import { mergeOrderFacts, refundedHalalas } from '../../server/connectors/facts.ts';
import { salla } from '../../server/connectors/salla/salla.ts';
import { shopify } from '../../server/connectors/shopify/shopify.ts';
import { woocommerce } from '../../server/connectors/woocommerce/woocommerce.ts';
import { zid } from '../../server/connectors/zid/zid.ts';

/** The edge server's environment, as config.ts would hand it to each connector. */
const env = {
  SALLA_WEBHOOK_SECRET: 'test-salla-secret-0000000000000000',
  ZID_WEBHOOK_USERNAME: 'points',
  ZID_WEBHOOK_PASSWORD: 'test-zid-password-000000000000000',
  SHOPIFY_API_SECRET: 'test-shopify-secret-00000000000000',
  WOOCOMMERCE_WEBHOOK_SECRET: 'test-woocommerce-secret-000000000',
  SALLA_EARN_ON: 'paid',
  ZID_EARN_ON: 'paid',
  SHOPIFY_EARN_ON: 'paid',
  WOOCOMMERCE_EARN_ON: 'paid',
};
const credentials: PlayerCredentials = {
  salla: { secret: env.SALLA_WEBHOOK_SECRET },
  zid: { username: env.ZID_WEBHOOK_USERNAME, password: env.ZID_WEBHOOK_PASSWORD },
  shopify: { secret: env.SHOPIFY_API_SECRET },
  woocommerce: { secret: env.WOOCOMMERCE_WEBHOOK_SECRET, webhookId: 7 },
};
// Each connector has settings of its own type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const connectors: Record<PlatformName, PlatformConnector<any>> = { salla, zid, shopify, woocommerce };
const platforms = Object.keys(connectors) as PlatformName[];
const stores: Record<PlatformName, string> = {
  salla: '1000000001',
  zid: '100001',
  shopify: 'sandbox-store.myshopify.com',
  woocommerce: 'shop.example',
};

function orderFor(platform: PlatformName, change: Partial<PlayerOrder> = {}): PlayerOrder {
  return {
    store: stores[platform],
    orderId: '5940139491234',
    totalSar: '199.00',
    phone: '0500000002',
    ...change,
  };
}

/** What the edge server does with a built delivery before storing it: verify, then parse. */
async function receive(
  platform: PlatformName,
  built: BuiltDelivery,
): Promise<{ verified: Verification; parsed?: ParsedDelivery }> {
  const connector = connectors[platform];
  const delivery: Delivery = {
    headers: new Headers(built.headers),
    rawBody: new TextEncoder().encode(built.body),
    text: built.body,
    pathEvent: /\/webhooks\/([^/]+)$/.exec(built.path)?.[1],
  };
  const verified = await connector.verify(delivery, connector.settings(env));
  if (!verified.ok) return { verified };
  return { verified, parsed: await connector.parse(delivery, JSON.parse(built.body)) };
}

async function parsedOf(platform: PlatformName, built: BuiltDelivery): Promise<ParsedDelivery> {
  const { verified, parsed } = await receive(platform, built);
  expect(verified).toEqual({ ok: true });
  expect(parsed!.type === 'order' || parsed!.type === 'review', JSON.stringify(parsed)).toBe(true);
  expect(parsed!.event).toBe(built.event);
  return parsed!;
}

/** Plays `steps` through playScenario into the real connector; the parsed deliveries, in the order sent. */
async function play(
  platform: PlatformName,
  steps: PlayerStep[],
  order: PlayerOrder,
  options: { duplicate?: boolean; shuffle?: boolean } = {},
) {
  const received: Array<{ path: string; parsed: ParsedDelivery }> = [];
  const results = await playScenario(platform, steps, order, credentials, {
    baseUrl: 'http://edge.test/',
    ...options,
    fetch: async (input, init) => {
      const url = new URL(String(input));
      const built: BuiltDelivery = {
        path: url.pathname,
        headers: init!.headers as Record<string, string>,
        body: init!.body as string,
        event: '',
      };
      const { verified, parsed } = await receive(platform, built);
      if (!verified.ok) return new Response('unauthorized', { status: 401 });
      received.push({ path: url.pathname, parsed: parsed! });
      return new Response('{"received":true}', { status: parsed!.type === 'invalid' ? 422 : 200 });
    },
  });
  return { results, received };
}

function merged(received: Array<{ parsed: ParsedDelivery }>): OrderFacts {
  return received.reduce<OrderFacts | undefined>(
    (facts, { parsed }) => (parsed.type === 'order' ? mergeOrderFacts(facts, parsed.order) : facts),
    undefined,
  )!;
}

const events: Record<PlatformName, Record<string, string[]>> = {
  salla: {
    paid: ['order.created', 'order.payment.updated'],
    completed: ['order.created', 'order.payment.updated', 'order.status.updated'],
    'full-refund': ['order.created', 'order.payment.updated', 'order.refunded'],
    cancel: ['order.created', 'order.payment.updated', 'order.cancelled'],
    review: ['order.created', 'order.payment.updated', 'order.status.updated', 'review.added'],
    'out-of-order': ['order.created', 'order.refunded', 'order.payment.updated'],
  },
  zid: {
    paid: ['order.create', 'order.payment_status.update'],
    completed: ['order.create', 'order.payment_status.update', 'order.status.update'],
    'full-refund': ['order.create', 'order.payment_status.update', 'order.status.update'],
    cancel: ['order.create', 'order.payment_status.update', 'order.status.update'],
    'out-of-order': ['order.create', 'order.status.update', 'order.payment_status.update'],
  },
  shopify: {
    paid: ['orders/create', 'orders/paid'],
    completed: ['orders/create', 'orders/paid', 'orders/fulfilled'],
    'partial-refund': ['orders/create', 'orders/paid', 'refunds/create'],
    'full-refund': ['orders/create', 'orders/paid', 'refunds/create'],
    cancel: ['orders/create', 'orders/paid', 'orders/cancelled'],
    'out-of-order': ['orders/create', 'refunds/create', 'orders/paid'],
  },
  woocommerce: {
    paid: ['order.created', 'order.updated'],
    completed: ['order.created', 'order.updated', 'order.updated'],
    'partial-refund': ['order.created', 'order.updated', 'order.updated'],
    'full-refund': ['order.created', 'order.updated', 'order.updated'],
    cancel: ['order.created', 'order.updated', 'order.updated'],
    'out-of-order': ['order.created', 'order.updated', 'order.updated'],
  },
};

describe('platform player: every scenario verifies and parses with the real connector', () => {
  for (const platform of platforms) {
    for (const [name, expected] of Object.entries(events[platform])) {
      it(`${platform} ${name}: ${expected.join(', ')}`, async () => {
        const { results, received } = await play(platform, scenarios[name]!, orderFor(platform));
        expect(results.map((r) => r.status)).toEqual(expected.map(() => 200));
        expect(results.map((r) => r.event)).toEqual(expected);
        expect(received.map((r) => r.parsed.event)).toEqual(expected);
        const facts = merged(received);
        expect(facts).toMatchObject({
          storeId: stores[platform],
          orderId: '5940139491234',
          paid: true,
          totalHalalas: 19900,
          currency: 'SAR',
          phone: '500000002',
        });
        if (name === 'completed' || name === 'review') expect(facts.completed).toBe(true);
        else expect(facts.completed).toBeUndefined();
        expect(facts.cancelled).toBe(name === 'cancel' ? true : undefined);
        const refunded = name === 'full-refund' || name === 'out-of-order';
        if (platform === 'salla' || platform === 'zid') {
          expect(facts.fullyRefunded).toBe(refunded ? true : undefined);
        } else {
          expect(refundedHalalas(facts)).toBe(refunded ? 19900 : name === 'partial-refund' ? 5000 : 0);
        }
        if (name === 'review') {
          const review = received.at(-1)!.parsed;
          expect(review).toMatchObject({
            type: 'review',
            review: {
              storeId: '1000000001',
              reviewId: '7001',
              productId: '1653503260',
              rating: 5,
              phone: '500000002',
            },
          });
        }
      });
    }
  }

  it('the first delivery (created) is not paid, on every platform', async () => {
    for (const platform of platforms) {
      const parsed = await parsedOf(
        platform,
        buildDelivery(platform, { type: 'created' }, orderFor(platform), credentials),
      );
      expect(parsed.type === 'order' && parsed.order.paid, platform).toBeUndefined();
    }
  });

  it('cash on delivery: not paid when accepted, paid (cash collected) once completed', async () => {
    for (const platform of platforms) {
      const { received } = await play(platform, scenarios.cod!, orderFor(platform, { cod: true }));
      const [created, accepted, completed] = received.map((r) =>
        r.parsed.type === 'order' ? r.parsed.order : undefined,
      );
      expect(created?.paid, platform).toBeUndefined();
      expect(accepted?.paid, platform).toBeUndefined();
      expect(completed?.completed, platform).toBe(true);
      // Salla says "cod" as its payment method; the others say paid as well once the cash is in.
      if (platform === 'salla') expect(completed?.cashOnDelivery).toBe(true);
      else expect(completed?.paid, platform).toBe(true);
      if (platform !== 'shopify') expect(merged(received).cashOnDelivery, platform).toBe(true);
    }
  });

  it('normalises the phone as the platform holds it, and none when the order has none', async () => {
    for (const platform of platforms) {
      for (const [phone, expected] of [
        ['+966500000002', '500000002'],
        ['966500000002', '500000002'],
        ['0500000002', '500000002'],
        [null, null],
      ] as const) {
        const built = buildDelivery(platform, { type: 'paid' }, orderFor(platform, { phone }), credentials, [
          { type: 'created' },
        ]);
        const parsed = await parsedOf(platform, built);
        expect(parsed.type === 'order' && parsed.order.phone, `${platform} ${phone}`).toBe(expected);
      }
    }
  });

  it('derives the number people see from the order id, unless given', async () => {
    const shop = buildDelivery('shopify', { type: 'created' }, orderFor('shopify'), credentials);
    expect(JSON.parse(shop.body)).toMatchObject({ name: '#492234', order_number: 492234 });
    const woo = buildDelivery(
      'woocommerce',
      { type: 'created' },
      orderFor('woocommerce', { orderId: '1052' }),
      credentials,
    );
    expect(JSON.parse(woo.body).number).toBe('1052');
    const given = buildDelivery(
      'salla',
      { type: 'created' },
      orderFor('salla', { reference: '41000001' }),
      credentials,
    );
    const parsed = await parsedOf('salla', given);
    expect(parsed.type === 'order' && parsed.order.reference).toBe('41000001');
  });

  it('carries the items and their prices', async () => {
    const items = [
      { name: 'Arabic Coffee 1kg', priceSar: '60.00', quantity: 2 },
      { name: 'Dates Box', priceSar: '79.00', quantity: 1 },
    ];
    for (const platform of platforms) {
      const built = buildDelivery(platform, { type: 'created' }, orderFor(platform, { items }), credentials);
      const parsed = await parsedOf(platform, built);
      expect(parsed.type === 'order' && parsed.order.items, platform).toEqual([
        { name: 'Arabic Coffee 1kg', priceHalalas: 6000, quantity: 2 },
        { name: 'Dates Box', priceHalalas: 7900, quantity: 1 },
      ]);
    }
  });
});

describe('platform player: duplicates, tampering, ordering', () => {
  it('a duplicate is the same delivery, with the same dedupe key; the steps have different keys', async () => {
    for (const platform of platforms) {
      const steps = events[platform]['partial-refund']
        ? scenarios['partial-refund']!
        : scenarios['full-refund']!;
      const { results, received } = await play(platform, steps, orderFor(platform), { duplicate: true });
      expect(results).toHaveLength(6);
      const keys = received.map((r) => (r.parsed.type === 'order' ? r.parsed.dedupeKey : ''));
      expect(keys[0]).toBe(keys[1]);
      expect(keys[2]).toBe(keys[3]);
      expect(keys[4]).toBe(keys[5]);
      expect(new Set(keys).size, platform).toBe(3);
      const again = buildDelivery(platform, steps[1]!, orderFor(platform), credentials, [steps[0]!]);
      expect(again).toEqual(buildDelivery(platform, steps[1]!, orderFor(platform), credentials, [steps[0]!]));
    }
  });

  it('a tampered body fails verification (Zid signs no body: wrong credentials fail instead)', async () => {
    for (const platform of platforms) {
      const built = buildDelivery(platform, { type: 'paid' }, orderFor(platform), credentials, [
        { type: 'created' },
      ]);
      const tampered = { ...built, body: built.body.replace('199.00', '999.00').replace('199', '999') };
      expect(tampered.body).not.toBe(built.body);
      const { verified } = await receive(platform, tampered);
      expect(verified.ok, platform).toBe(platform === 'zid');
    }
    const wrong = buildDelivery('zid', { type: 'paid' }, orderFor('zid'), {
      zid: { username: 'points', password: 'not-the-password' },
    });
    expect((await receive('zid', wrong)).verified.ok).toBe(false);
    const wrongSecret = buildDelivery('shopify', { type: 'paid' }, orderFor('shopify'), {
      shopify: { secret: 'not-the-secret' },
    });
    expect((await receive('shopify', wrongSecret)).verified.ok).toBe(false);
  });

  it('shuffled, every delivery still verifies and the order ends paid and refunded', async () => {
    for (const platform of platforms) {
      const { results, received } = await play(platform, scenarios['full-refund']!, orderFor(platform), {
        shuffle: true,
        duplicate: true,
      });
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(results).toHaveLength(6);
      const facts = merged(received);
      expect(facts.paid).toBe(true);
      if (platform === 'salla' || platform === 'zid') expect(facts.fullyRefunded).toBe(true);
      else expect(refundedHalalas(facts)).toBe(19900);
    }
  });

  it('out of order: the refund that arrives first is built as the order after the payment', async () => {
    const { received } = await play('woocommerce', scenarios['out-of-order']!, orderFor('woocommerce'));
    const refund = received[1]!.parsed;
    expect(refund.type === 'order' && refund.order).toMatchObject({ paid: true, fullyRefunded: true });
    const stale = received[2]!.parsed;
    expect(stale.type === 'order' && stale.order).toMatchObject({ paid: true });
    expect(stale.type === 'order' && stale.order.fullyRefunded).toBeUndefined();
  });
});

describe('platform player: platform details', () => {
  it('Salla: the Token strategy sends the secret as Authorization', async () => {
    const built = buildDelivery('salla', { type: 'paid' }, orderFor('salla'), {
      salla: { secret: env.SALLA_WEBHOOK_SECRET, strategy: 'token' },
    });
    expect(built.headers).toMatchObject({
      'X-Salla-Security-Strategy': 'Token',
      Authorization: env.SALLA_WEBHOOK_SECRET,
    });
    expect(built.headers['X-Salla-Signature']).toBeUndefined();
    await parsedOf('salla', built);
  });

  it('Salla: the envelope, and order.status.updated with the order nested', () => {
    const created = JSON.parse(
      buildDelivery('salla', { type: 'created' }, orderFor('salla'), credentials).body,
    );
    expect(created).toMatchObject({
      event: 'order.created',
      merchant: 1000000001,
      data: {
        id: 5940139491234,
        status: { slug: 'payment_pending' },
        is_pending_payment: true,
        customer: { mobile: 500000002, mobile_code: '+966' },
      },
    });
    expect(created.created_at).toMatch(/^\w{3} \w{3} \d\d \d{4} \d\d:\d\d:\d\d GMT\+0300$/);
    const completed = JSON.parse(
      buildDelivery('salla', { type: 'completed' }, orderFor('salla'), credentials, scenarios.paid).body,
    );
    expect(completed.data).toMatchObject({ status: 'تم التنفيذ', order: { status: { slug: 'completed' } } });
  });

  it('Salla and Zid refuse a partial refund; only Salla has reviews', () => {
    const partial: PlayerStep = { type: 'partial_refund', amountSar: '10.00' };
    for (const platform of ['salla', 'zid'] as const) {
      expect(() => buildDelivery(platform, partial, orderFor(platform), credentials)).toThrow(
        /sends no refund amount/,
      );
    }
    const review: PlayerStep = { type: 'review', reviewId: '1', rating: 4 };
    for (const platform of ['zid', 'shopify', 'woocommerce'] as const) {
      expect(() => buildDelivery(platform, review, orderFor(platform), credentials)).toThrow(/no review/);
    }
    expect(() => buildDelivery('shopify', { type: 'paid' }, orderFor('shopify'), {})).toThrow(
      /SHOPIFY_API_SECRET/,
    );
  });

  it('Salla: a review without a product is a review of the store', async () => {
    const built = buildDelivery(
      'salla',
      { type: 'review', reviewId: '8001', rating: 4 },
      orderFor('salla'),
      credentials,
      scenarios.completed,
    );
    const parsed = await parsedOf('salla', built);
    expect(parsed).toMatchObject({ type: 'review', review: { reviewId: '8001', rating: 4 } });
    expect(parsed.type === 'review' && parsed.review.productId).toBeUndefined();
  });

  it('Zid: one URL per event, the bare order, Basic credentials', () => {
    const built = buildDelivery('zid', { type: 'completed' }, orderFor('zid'), credentials, scenarios.paid);
    expect(built.path).toBe('/connectors/zid/webhooks/order.status.update');
    expect(built.headers.Authorization).toBe(
      `Basic ${Buffer.from(`points:${env.ZID_WEBHOOK_PASSWORD}`).toString('base64')}`,
    );
    expect(JSON.parse(built.body)).toMatchObject({
      id: 5940139491234,
      store_id: 100001,
      order_status: { code: 'delivered' },
      payment_status: 'paid',
      order_total: '199.00000000000000',
      updated_at: '2026-11-24 12:28:00',
    });
  });

  it('Shopify: headers, refunds/create transactions, and a full refund of what is left', async () => {
    const steps: PlayerStep[] = [
      { type: 'created' },
      { type: 'paid' },
      { type: 'partial_refund', amountSar: '50.00', refundId: '9001' },
      { type: 'full_refund' },
    ];
    const full = buildDelivery('shopify', steps[3]!, orderFor('shopify'), credentials, steps.slice(0, 3));
    expect(Object.keys(full.headers)).toEqual(
      expect.arrayContaining([
        'X-Shopify-Topic',
        'X-Shopify-Hmac-Sha256',
        'X-Shopify-Shop-Domain',
        'X-Shopify-API-Version',
        'X-Shopify-Webhook-Id',
        'X-Shopify-Event-Id',
        'X-Shopify-Triggered-At',
      ]),
    );
    expect(JSON.parse(full.body).transactions).toMatchObject([
      { kind: 'refund', status: 'success', amount: '149.00' },
    ]);
    const { received } = await play('shopify', steps, orderFor('shopify'));
    expect(merged(received).refunds).toEqual([
      { id: '9001', halalas: 5000 },
      { id: '594013949123402', halalas: 14900 },
    ]);
    // A later order delivery says so too.
    const cancelled = buildDelivery(
      'shopify',
      { type: 'cancelled' },
      orderFor('shopify'),
      credentials,
      steps,
    );
    expect(JSON.parse(cancelled.body)).toMatchObject({
      financial_status: 'refunded',
      cancel_reason: 'customer',
    });
    expect(() =>
      buildDelivery(
        'shopify',
        { type: 'partial_refund', amountSar: '500.00' },
        orderFor('shopify'),
        credentials,
      ),
    ).toThrow(/does not fit/);
  });

  it('WooCommerce: the whole current order, a new date_modified_gmt each step, negative refunds, PHP JSON', () => {
    const order = orderFor('woocommerce', {
      items: [{ name: 'Café / Qahwa', priceSar: '199.00', quantity: 1 }],
    });
    const steps = scenarios['partial-refund']!;
    const bodies = steps.map((step, i) => {
      const built = buildDelivery('woocommerce', step, order, credentials, steps.slice(0, i));
      expect(built.headers).toMatchObject({
        'X-WC-Webhook-Source': 'https://shop.example/',
        'X-WC-Webhook-Topic': i === 0 ? 'order.created' : 'order.updated',
        'X-WC-Webhook-Resource': 'order',
        'X-WC-Webhook-Event': i === 0 ? 'created' : 'updated',
        'X-WC-Webhook-ID': '7',
      });
      expect(built.headers['X-WC-Webhook-Delivery-ID']).toMatch(/^[0-9a-f]{32}$/);
      expect(built.body).toContain('Caf\\u00e9 \\/ Qahwa');
      return JSON.parse(built.body);
    });
    expect(bodies.map((b) => b.status)).toEqual(['pending', 'processing', 'processing']);
    expect(bodies.map((b) => b.date_paid_gmt)).toEqual([null, '2026-11-24T09:18:00', '2026-11-24T09:18:00']);
    expect(new Set(bodies.map((b) => b.date_modified_gmt)).size).toBe(3);
    expect(bodies[2].refunds).toEqual([{ id: 594013949123401, reason: '', total: '-50.00' }]);
  });

  it('WooCommerce: a secret with HTML special characters signs as WooCommerce does', async () => {
    const secret = 'a&amp;b-0000000000000000000000000000';
    const built = buildDelivery('woocommerce', { type: 'created' }, orderFor('woocommerce'), {
      woocommerce: { secret },
    });
    const delivery: Delivery = {
      headers: new Headers(built.headers),
      rawBody: new TextEncoder().encode(built.body),
      text: built.body,
      pathEvent: undefined,
    };
    const settings = woocommerce.settings({
      WOOCOMMERCE_WEBHOOK_SECRET: secret,
      WOOCOMMERCE_EARN_ON: 'paid',
    })!;
    expect(await woocommerce.verify(delivery, settings)).toEqual({ ok: true });
  });
});
