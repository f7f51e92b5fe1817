import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import '@shopify/shopify-api/adapters/web-api';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../../server/connectors/connector.ts';
import { shopify, type ShopifySettings } from '../../../server/connectors/shopify/shopify.ts';

const secret = 'test-shopify-secret-0000000000000000';
const previous = 'test-shopify-secret-previous-00000000';
const settings: ShopifySettings = shopify.settings({
  SHOPIFY_API_SECRET: secret,
  SHOPIFY_API_SECRET_PREVIOUS: previous,
  SHOPIFY_EARN_ON: 'paid',
})!;
const shop = 'coffee-house.myshopify.com';

const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/shopify/${name}.json`, import.meta.url), 'utf8');
const sign = (body: string, key = secret) => createHmac('sha256', key).update(body, 'utf8').digest('base64');

function delivery(topic: string, body: string, headers: Record<string, string> = {}): Delivery {
  return {
    headers: new Headers({
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': shop,
      'x-shopify-hmac-sha256': sign(body),
      'x-shopify-api-version': '2025-10',
      'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
      'x-shopify-triggered-at': '2026-11-24T09:08:51.000Z',
      ...headers,
    }),
    rawBody: new TextEncoder().encode(body),
    text: body,
    pathEvent: undefined,
  };
}

describe('shopify connector', () => {
  describe('happy', () => {
    it('reads orders/paid as a paid SAR order with its lines and the customer phone', async () => {
      const body = fixture('orders-paid');
      const parsed = await shopify.parse(delivery('orders/paid', body), JSON.parse(body));
      expect(parsed).toMatchObject({ type: 'order', event: 'orders/paid' });
      if (parsed.type !== 'order') throw new Error('not an order');
      expect(parsed.order).toEqual({
        storeId: shop,
        orderId: '5940139491234',
        reference: '#9999',
        paid: true,
        refunds: [],
        totalHalalas: 19_900,
        currency: 'SAR',
        phone: '500000002',
        customerName: 'John Smith',
        items: [
          { name: 'Arabic coffee set', priceHalalas: 18_400, quantity: 1 },
          { name: 'Cup', priceHalalas: 750, quantity: 2 },
        ],
      });
    });

    it('reads refunds/create as one refund of its successful refund transactions', async () => {
      const body = fixture('refunds-create');
      const parsed = await shopify.parse(delivery('refunds/create', body), JSON.parse(body));
      expect(parsed).toMatchObject({
        type: 'order',
        order: { storeId: shop, orderId: '5940139491234', refunds: [{ id: '929361462', halalas: 4975 }] },
      });
    });

    it('reads orders/cancelled as cancelled and fully refunded, with every refund', async () => {
      const body = fixture('orders-cancelled');
      const parsed = await shopify.parse(delivery('orders/cancelled', body), JSON.parse(body));
      if (parsed.type !== 'order') throw new Error('not an order');
      expect(parsed.order).toMatchObject({ cancelled: true, fullyRefunded: true, paid: true });
      expect(parsed.order.refunds).toEqual([
        { id: '929361462', halalas: 4975 },
        { id: '929361463', halalas: 14_925 },
      ]);
    });

    it('takes a phone from the address when the customer has none, and null when nobody has one', async () => {
      const order = JSON.parse(fixture('orders-paid'));
      order.customer.phone = null;
      const fromAddress = await shopify.parse(delivery('orders/paid', JSON.stringify(order)), order);
      expect(fromAddress).toMatchObject({ order: { phone: '500000002' } });
      order.billing_address.phone = '+971 50 000 0002';
      const none = await shopify.parse(delivery('orders/paid', JSON.stringify(order)), order);
      expect(none).toMatchObject({ order: { phone: null } });
    });

    it('marks test orders, foreign currencies and orders paid with Points as such', async () => {
      const order = {
        ...JSON.parse(fixture('orders-paid')),
        test: true,
        currency: 'USD',
        payment_gateway_names: ['points'],
      };
      const parsed = await shopify.parse(delivery('orders/paid', JSON.stringify(order)), order);
      expect(parsed).toMatchObject({ order: { test: true, currency: 'USD', paidWithPoints: true } });
    });

    it('keeps topics that do not change earning as ignored, and gives a retried delivery the same key', async () => {
      const body = '{"id":1}';
      expect(await shopify.parse(delivery('products/update', body), { id: 1 })).toMatchObject({
        type: 'ignored',
      });
      const first = await shopify.parse(
        delivery('orders/paid', fixture('orders-paid')),
        JSON.parse(fixture('orders-paid')),
      );
      const again = await shopify.parse(
        delivery('orders/paid', fixture('orders-paid')),
        JSON.parse(fixture('orders-paid')),
      );
      expect(first.type === 'order' && again.type === 'order' && first.dedupeKey === again.dedupeKey).toBe(
        true,
      );
    });
  });

  describe('errors', () => {
    it('calls a delivery without topic or shop, or an order without id, invalid', async () => {
      const body = fixture('orders-paid');
      const noShop = delivery('orders/paid', body);
      noShop.headers.delete('x-shopify-shop-domain');
      expect(await shopify.parse(noShop, JSON.parse(body))).toMatchObject({ type: 'invalid' });
      expect(await shopify.parse(delivery('orders/paid', '{}'), {})).toMatchObject({ type: 'invalid' });
      expect(await shopify.parse(delivery('refunds/create', '{"id":1}'), { id: 1 })).toMatchObject({
        type: 'invalid',
      });
    });
  });

  describe('security', () => {
    it('accepts the current and the previous secret, and nothing else', async () => {
      const body = fixture('orders-paid');
      expect(await shopify.verify(delivery('orders/paid', body), settings)).toEqual({ ok: true });
      const old = delivery('orders/paid', body, { 'x-shopify-hmac-sha256': sign(body, previous) });
      expect(await shopify.verify(old, settings)).toEqual({ ok: true });
      const other = delivery('orders/paid', body, {
        'x-shopify-hmac-sha256': sign(body, 'another-app-secret'),
      });
      expect((await shopify.verify(other, settings)).ok).toBe(false);
    });

    it('refuses an unsigned delivery, a hex signature, and a body changed by one byte', async () => {
      const body = fixture('orders-paid');
      const unsigned = delivery('orders/paid', body);
      unsigned.headers.delete('x-shopify-hmac-sha256');
      expect((await shopify.verify(unsigned, settings)).ok).toBe(false);
      const hex = delivery('orders/paid', body, {
        'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('hex'),
      });
      expect((await shopify.verify(hex, settings)).ok).toBe(false);
      const changed = body.replace('199.00', '999.00');
      const tampered = {
        ...delivery('orders/paid', changed),
        headers: delivery('orders/paid', body).headers,
      };
      expect((await shopify.verify(tampered, settings)).ok).toBe(false);
    });

    // Shopify's own library (`@shopify/shopify-api`, webhooks.validate) is the reference: for every
    // delivery here, it and our check must agree.
    it("agrees with Shopify's own webhooks.validate on every delivery", async () => {
      const library = shopifyApi({
        apiKey: 'test-api-key',
        apiSecretKey: secret,
        scopes: [],
        hostName: 'edge.example',
        apiVersion: ApiVersion.October25 ?? ApiVersion.July25,
        isEmbeddedApp: false,
        logger: { level: 0, log: () => {} },
      });
      const paid = fixture('orders-paid');
      const unicode = JSON.stringify({ ...JSON.parse(paid), note: 'قهوة عربية ☕' });
      const cases: Array<[string, Delivery]> = [
        ['signed', delivery('orders/paid', paid)],
        ['signed, unicode body', delivery('orders/paid', unicode)],
        ['other secret', delivery('orders/paid', paid, { 'x-shopify-hmac-sha256': sign(paid, 'nope') })],
        [
          'tampered',
          {
            ...delivery('orders/paid', paid.replace('199.00', '1.00')),
            headers: delivery('orders/paid', paid).headers,
          },
        ],
        ['garbage signature', delivery('orders/paid', paid, { 'x-shopify-hmac-sha256': 'AAAA' })],
      ];
      for (const [name, item] of cases) {
        const request = new Request('https://edge.example/connectors/shopify/webhooks', {
          method: 'POST',
          headers: item.headers,
          body: item.text,
        });
        const theirs = await library.webhooks.validate({ rawBody: item.text, rawRequest: request });
        const ours = await shopify.verify(item, { ...settings, secrets: [secret] });
        expect(ours.ok, name).toBe(theirs.valid);
      }
    });
  });
});
