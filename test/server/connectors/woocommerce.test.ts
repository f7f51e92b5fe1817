import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Delivery, ParsedDelivery } from '../../../server/connectors/connector.ts';
import {
  fetchChangedOrders,
  orderDeliveryFromRest,
} from '../../../server/connectors/woocommerce/catch-up.ts';
import {
  storeIdFromUrl,
  woocommerce,
  wpSpecialcharsDecode,
  type WooCommerceSettings,
} from '../../../server/connectors/woocommerce/woocommerce.ts';

const secret = 'test-woocommerce-secret-00000000000000000';
const settings = woocommerce.settings({
  WOOCOMMERCE_WEBHOOK_SECRET: secret,
  WOOCOMMERCE_EARN_ON: 'paid',
}) as WooCommerceSettings;

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/woocommerce/${name}`, import.meta.url), 'utf8');
}

function delivery(text: string, headers: Record<string, string>): Delivery {
  return {
    headers: new Headers(headers),
    rawBody: new TextEncoder().encode(text),
    text,
    pathEvent: undefined,
  };
}

/** The headers `WC_Webhook::deliver` sends, signed over `text` with `key`. */
function wooHeaders(text: string, topic: string, key = secret): Record<string, string> {
  const [resource, event] = topic.split('.');
  return {
    'content-type': 'application/json',
    'user-agent': 'WooCommerce/9.4.0 Hookshot (WordPress/6.7.1)',
    'x-wc-webhook-source': 'https://shop.example/',
    'x-wc-webhook-topic': topic,
    'x-wc-webhook-resource': resource!,
    'x-wc-webhook-event': event ?? '',
    'x-wc-webhook-signature': createHmac('sha256', key).update(text).digest('base64'),
    'x-wc-webhook-id': '12',
    'x-wc-webhook-delivery-id': 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  };
}

async function receive(
  text: string,
  topic: string,
  headers: Record<string, string> = {},
): Promise<ParsedDelivery> {
  const received = delivery(text, { ...wooHeaders(text, topic), ...headers });
  expect(await woocommerce.verify(received, settings)).toEqual({ ok: true });
  return woocommerce.parse(received, JSON.parse(text));
}

async function orderOf(name: string, topic = 'order.updated') {
  const parsed = await receive(fixture(name), topic);
  if (parsed.type !== 'order') throw new Error(`expected an order, got ${parsed.type}`);
  return parsed.order;
}

function withOrder(patch: (order: Record<string, unknown>) => void): string {
  const order = JSON.parse(fixture('order-created-processing.json')) as Record<string, unknown>;
  patch(order);
  return JSON.stringify(order);
}

describe('woocommerce connector: happy path', () => {
  it('reads a paid card order (order.created, processing) in full', async () => {
    expect(await orderOf('order-created-processing.json', 'order.created')).toEqual({
      storeId: 'shop.example',
      orderId: '1052',
      reference: '1052',
      paid: true,
      refunds: [],
      totalHalalas: 19600,
      currency: 'SAR',
      phone: '500000002',
      customerName: 'Test Customer',
      items: [
        { name: 'Arabic Coffee 1kg', priceHalalas: 6000, quantity: 2 },
        { name: 'Dates Box &ndash; Size: M', priceHalalas: 5100, quantity: 1 },
      ],
    });
  });

  it('reads completed, partially refunded, refunded and cancelled orders', async () => {
    const completed = await orderOf('order-updated-completed.json');
    expect(completed).toMatchObject({ paid: true, completed: true });
    expect(completed.cancelled).toBeUndefined();

    const partial = await orderOf('order-updated-partial-refund.json');
    expect(partial).toMatchObject({ paid: true, completed: true, refunds: [{ id: '1060', halalas: 5000 }] });
    expect(partial.fullyRefunded).toBeUndefined();

    const refunded = await orderOf('order-updated-refunded.json');
    expect(refunded).toMatchObject({
      paid: true,
      fullyRefunded: true,
      refunds: [
        { id: '1061', halalas: 14600 },
        { id: '1060', halalas: 5000 },
      ],
    });
    expect(refunded.completed).toBeUndefined();

    const cancelled = await orderOf('order-updated-cancelled.json');
    expect(cancelled).toMatchObject({ orderId: '1053', cancelled: true });
    expect(cancelled.paid).toBeUndefined();
  });

  it('says nothing of payment for an order on hold (bank transfer not yet received)', async () => {
    const order = await orderOf('order-updated-on-hold.json');
    expect(order).toMatchObject({ orderId: '1054', totalHalalas: 19600 });
    for (const fact of ['paid', 'completed', 'cancelled', 'fullyRefunded', 'cashOnDelivery'] as const)
      expect(order[fact]).toBeUndefined();
  });

  it('takes pending and failed as unpaid, and date_paid alone as paid', async () => {
    const unpaid = { status: 'pending', date_paid: null, date_paid_gmt: null };
    for (const status of ['pending', 'failed', 'on-hold', 'checkout-draft']) {
      const parsed = await receive(
        withOrder((o) => Object.assign(o, unpaid, { status })),
        'order.updated',
      );
      expect(parsed.type).toBe('order');
      expect(parsed.type === 'order' && parsed.order.paid).toBeUndefined();
    }
    const customStatus = await receive(
      withOrder((o) => (o.status = 'shipped-custom')),
      'order.updated',
    );
    expect(customStatus.type === 'order' && customStatus.order.paid).toBe(true);
  });

  it('marks cash on delivery, paid only once completed (whatever date_paid says)', async () => {
    const created = await orderOf('order-created-cod.json', 'order.created');
    expect(created).toMatchObject({ orderId: '1055', cashOnDelivery: true });
    expect(created.paid).toBeUndefined();
    // Where the COD gateway's filter is not loaded, WooCommerce sets date_paid on entering processing.
    const stamped = await receive(
      withOrder((o) => Object.assign(o, { payment_method: 'cod', payment_method_title: 'Cash on delivery' })),
      'order.updated',
    );
    expect(stamped).toMatchObject({ type: 'order', order: { cashOnDelivery: true } });
    expect(stamped.type === 'order' && stamped.order.paid).toBeUndefined();
    const completed = await orderOf('order-updated-cod-completed.json');
    expect(completed).toMatchObject({ cashOnDelivery: true, paid: true, completed: true });
  });

  it('keeps a foreign currency and refuses a foreign phone', async () => {
    const order = await orderOf('order-updated-foreign-currency.json');
    expect(order).toMatchObject({ orderId: '727', currency: 'USD', totalHalalas: 2935, phone: null });
  });

  it('never marks a test order (WooCommerce core has none)', async () => {
    for (const name of ['order-created-processing.json', 'order-created-cod.json'])
      expect((await orderOf(name)).test).toBeUndefined();
  });

  it('marks an order paid with Points', async () => {
    const parsed = await receive(
      withOrder((o) => Object.assign(o, { payment_method: 'points', payment_method_title: 'Points' })),
      'order.updated',
    );
    expect(parsed.type === 'order' && parsed.order.paidWithPoints).toBe(true);
  });

  it.each([
    ['0500000002', 'SA', '500000002'],
    ['+966 50 000 0003', 'SA', '500000003'],
    ['966500000004', 'SA', '500000004'],
    ['00966500000005', 'SA', '500000005'],
    ['500000006', 'SA', '500000006'],
    ['٠٥٠٠٠٠٠٠٠٧', 'SA', '500000007'],
    ['050-000-0008', 'SA', '500000008'],
    ['(050) 000 0009', 'SA', '500000009'],
    ['050.000.0010', '', '500000010'],
    ['+966500000011', 'AE', '500000011'],
    ['0500000012', 'AE', null],
    ['0112345678', 'SA', null],
    ['', 'SA', null],
  ])('reads billing phone %j (country %j) as %j', async (phone, country, expected) => {
    const parsed = await receive(
      withOrder((o) => Object.assign(o.billing as object, { phone, country })),
      'order.updated',
    );
    expect(parsed.type === 'order' && parsed.order.phone).toBe(expected);
  });

  it('falls back to the shipping phone when billing has none', async () => {
    const parsed = await receive(
      withOrder((o) => {
        (o.billing as Record<string, unknown>).phone = '';
        (o.shipping as Record<string, unknown>).phone = '+966 50 000 0013';
      }),
      'order.updated',
    );
    expect(parsed.type === 'order' && parsed.order.phone).toBe('500000013');
  });

  it('reads order.restored like an update', async () => {
    const parsed = await receive(fixture('order-updated-completed.json'), 'order.restored');
    expect(parsed).toMatchObject({ type: 'order', event: 'order.restored', order: { completed: true } });
  });

  it('ignores order.deleted (trash), custom action topics and other resources', async () => {
    expect(await receive(fixture('order-deleted.json'), 'order.deleted')).toMatchObject({
      type: 'ignored',
      event: 'order.deleted',
    });
    expect(
      await receive(fixture('action-payment-complete.json'), 'action.woocommerce_payment_complete'),
    ).toMatchObject({ type: 'ignored' });
    expect(await receive('{"id":93,"name":"Arabic Coffee 1kg"}', 'product.updated')).toMatchObject({
      type: 'ignored',
      reason: 'topic product.updated does not change earning',
    });
  });

  it('answers the creation ping without verifying it', () => {
    const ping = fixture('ping.txt');
    expect(woocommerce.isPing!(delivery(ping, { 'content-type': 'application/x-www-form-urlencoded' }))).toBe(
      true,
    );
    expect(woocommerce.isPing!(delivery(ping, {}))).toBe(true);
  });

  it('gives a retried or duplicated delivery the same dedupe key, and a new state a new one', async () => {
    const text = fixture('order-created-processing.json');
    const first = await receive(text, 'order.updated');
    const again = await receive(text, 'order.updated', { 'x-wc-webhook-delivery-id': 'ffffffffffffffff' });
    expect(first.type === 'order' && first.dedupeKey).toBe(
      'woocommerce:shop.example:12:order.updated:1052:2026-11-24T12:08:51',
    );
    expect(again.type !== 'invalid' && again.dedupeKey).toBe(first.type !== 'invalid' && first.dedupeKey);
    const later = await receive(fixture('order-updated-completed.json'), 'order.updated');
    const created = await receive(text, 'order.created');
    const keys = [first, later, created].map((parsed) => parsed.type !== 'invalid' && parsed.dedupeKey);
    expect(new Set(keys).size).toBe(3);
  });

  it('names the store by the site host, with its path when WordPress is not at the root', () => {
    expect(storeIdFromUrl('https://shop.example/')).toBe('shop.example');
    expect(storeIdFromUrl('https://Shop.Example')).toBe('shop.example');
    expect(storeIdFromUrl('https://example.com/shop/')).toBe('example.com/shop');
    expect(storeIdFromUrl('http://127.0.0.1:8080/')).toBe('127.0.0.1:8080');
    expect(storeIdFromUrl('shop.example')).toBeUndefined();
    expect(storeIdFromUrl('ftp://shop.example/')).toBeUndefined();
  });

  it('turns its variables into settings, REST credentials only when all three are set', () => {
    expect(woocommerce.settings({ WOOCOMMERCE_EARN_ON: 'paid' })).toBeUndefined();
    const rest = {
      WOOCOMMERCE_STORE_URL: 'https://shop.example',
      WOOCOMMERCE_CONSUMER_KEY: 'ck_test0000000000000000000000000000000000',
      WOOCOMMERCE_CONSUMER_SECRET: 'cs_test0000000000000000000000000000000000',
    };
    const full = woocommerce.settings({
      WOOCOMMERCE_WEBHOOK_SECRET: secret,
      WOOCOMMERCE_EARN_ON: 'completed',
      ...rest,
    })!;
    expect(full).toEqual({
      secret,
      earnOn: 'completed',
      rest: {
        storeUrl: rest.WOOCOMMERCE_STORE_URL,
        key: rest.WOOCOMMERCE_CONSUMER_KEY,
        secret: rest.WOOCOMMERCE_CONSUMER_SECRET,
      },
    });
    expect(woocommerce.earnOn(full)).toBe('completed');
    expect(woocommerce.secrets(full)).toEqual([
      secret,
      rest.WOOCOMMERCE_CONSUMER_KEY,
      rest.WOOCOMMERCE_CONSUMER_SECRET,
    ]);
    const partial = woocommerce.settings({
      WOOCOMMERCE_WEBHOOK_SECRET: secret,
      WOOCOMMERCE_EARN_ON: 'paid',
      WOOCOMMERCE_STORE_URL: rest.WOOCOMMERCE_STORE_URL,
    })!;
    expect(partial.rest).toBeUndefined();
    expect(woocommerce.secrets(partial)).toEqual([secret]);
  });

  it('validates its variables: EARN_ON defaults to paid, the store URL must be https', () => {
    const schema = z.object(woocommerce.configShape);
    expect(schema.parse({}).WOOCOMMERCE_EARN_ON).toBe('paid');
    expect(schema.safeParse({ WOOCOMMERCE_STORE_URL: 'https://shop.example' }).success).toBe(true);
    expect(schema.safeParse({ WOOCOMMERCE_STORE_URL: 'http://shop.example' }).success).toBe(false);
    expect(schema.safeParse({ WOOCOMMERCE_EARN_ON: 'shipped' }).success).toBe(false);
    expect(schema.safeParse({ WOOCOMMERCE_WEBHOOK_SECRET: '' }).success).toBe(false);
  });

  it('decodes the secret as wp_specialchars_decode(ENT_QUOTES) does', () => {
    expect(wpSpecialcharsDecode('plain-secret')).toBe('plain-secret');
    expect(wpSpecialcharsDecode('a&amp;b&lt;c&gt;d&quot;e&#039;f')).toBe('a&b<c>d"e\'f');
    expect(wpSpecialcharsDecode('&#39;&#0039;&#x27;&#X27;&#034;&#x22;&#38;&#x26;&#60;&#62;')).toBe(
      `''''""&&<>`,
    );
    // Only the five special characters, and named ones only in lower case, as WordPress does.
    expect(wpSpecialcharsDecode('&nbsp;&apos;&QUOT;&#x3c;&amp')).toBe('&nbsp;&apos;&QUOT;&#x3c;&amp');
    expect(wpSpecialcharsDecode('&amp;amp;')).toBe('&amp;');
  });
});

describe('woocommerce connector: errors', () => {
  it.each([
    ['an array', '[{"id":1}]'],
    ['a number', '42'],
    ['an order without id', withOrder((o) => delete o.id)],
    ['an order with an object id', withOrder((o) => (o.id = { value: 1 }))],
    ['line items that are not a list', withOrder((o) => (o.line_items = 'none'))],
    ['refunds without ids', withOrder((o) => (o.refunds = [{ total: '-5.00' }]))],
  ])('finds %s invalid', async (_, text) => {
    expect(await receive(text, 'order.updated')).toMatchObject({ type: 'invalid', event: 'order.updated' });
  });

  it('needs the topic and a source URL', async () => {
    const text = fixture('order-created-processing.json');
    for (const headers of [
      { 'x-wc-webhook-topic': '' } as Record<string, string>,
      { 'x-wc-webhook-source': '' },
      { 'x-wc-webhook-source': 'not a url' },
    ])
      expect(await receive(text, 'order.updated', headers)).toMatchObject({ type: 'invalid' });
  });

  it('does not take a form body with more than the webhook id, or a JSON body, for a ping', () => {
    expect(woocommerce.isPing!(delivery('webhook_id=12&topic=order.updated', {}))).toBe(false);
    expect(woocommerce.isPing!(delivery('webhook_id=abc', {}))).toBe(false);
    expect(woocommerce.isPing!(delivery('{"webhook_id":12}', {}))).toBe(false);
    expect(woocommerce.isPing!(delivery(fixture('order-deleted.json'), {}))).toBe(false);
  });
});

describe('woocommerce connector: security', () => {
  const text = fixture('order-created-processing.json');
  const verify = (headers: Record<string, string>, body = text) =>
    woocommerce.verify(delivery(body, { ...wooHeaders(text, 'order.updated'), ...headers }), settings);

  it('accepts the signature of the exact bytes', async () => {
    expect(await verify({})).toEqual({ ok: true });
  });

  it('refuses an unsigned delivery', async () => {
    const headers = wooHeaders(text, 'order.updated');
    delete (headers as Record<string, string | undefined>)['x-wc-webhook-signature'];
    expect(await woocommerce.verify(delivery(text, headers), settings)).toEqual({
      ok: false,
      detail: 'no X-WC-Webhook-Signature header',
    });
  });

  it('refuses a forged signature, another secret, and the right HMAC in hex', async () => {
    const hmac = createHmac('sha256', secret).update(text);
    for (const signature of [
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      createHmac('sha256', 'test-woocommerce-secret-11111111111111111').update(text).digest('base64'),
      hmac.digest('hex'),
      secret,
    ])
      expect(await verify({ 'x-wc-webhook-signature': signature })).toMatchObject({ ok: false });
  });

  it('refuses a signature over other bytes, and a body changed by one byte', async () => {
    const other = fixture('order-updated-completed.json');
    expect(
      await verify({ 'x-wc-webhook-signature': createHmac('sha256', secret).update(other).digest('base64') }),
    ).toMatchObject({ ok: false });
    expect(await verify({}, text.replace('"196.00"', '"196.01"'))).toMatchObject({ ok: false });
    expect(await verify({}, `${text} `)).toMatchObject({ ok: false });
  });

  it('does not answer a signed delivery as a ping', () => {
    expect(woocommerce.isPing!(delivery('webhook_id=12', { 'x-wc-webhook-signature': 'x' }))).toBe(false);
  });

  it('signs with the decoded secret, as WooCommerce does', async () => {
    const entitySecret = 'test-woocommerce-&amp;-secret-&#039;-000000';
    const wooSettings = { ...settings, secret: entitySecret };
    const decodedKey = "test-woocommerce-&-secret-'-000000";
    const signedBy = (key: string) =>
      delivery(text, {
        ...wooHeaders(text, 'order.updated'),
        ...{ 'x-wc-webhook-signature': createHmac('sha256', key).update(text).digest('base64') },
      });
    expect(await woocommerce.verify(signedBy(decodedKey), wooSettings)).toEqual({ ok: true });
    expect(await woocommerce.verify(signedBy(entitySecret), wooSettings)).toMatchObject({ ok: false });
  });

  it('refuses a signed order replayed under another site name', async () => {
    expect(
      await receive(text, 'order.updated', { 'x-wc-webhook-source': 'https://other.example/' }),
    ).toMatchObject({
      type: 'invalid',
      detail: 'X-WC-Webhook-Source is not the site the order links to',
    });
  });
});

/** A stand-in for `GET /wp-json/wc/v3/orders`: Basic auth, modified_after (GMT, strict), asc by modified, pages. */
function standInStore(
  count: number,
  credentials = { key: 'ck_test_key_0001', secret: 'cs_test_secret_0001' },
) {
  const start = Date.parse('2026-12-01T00:00:00Z');
  const template = JSON.parse(fixture('order-created-processing.json')) as Record<string, unknown>;
  const orders = Array.from({ length: count }, (_, index) => {
    const order = structuredClone(template);
    order.id = 2000 + index;
    order.number = String(2000 + index);
    order.date_modified_gmt = new Date(start + index * 60_000).toISOString().slice(0, 19);
    return order;
  });
  const requests: URL[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    requests.push(url);
    const expected = `Basic ${Buffer.from(`${credentials.key}:${credentials.secret}`).toString('base64')}`;
    if (new Headers(init?.headers).get('authorization') !== expected)
      return Response.json(
        { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.' },
        { status: 401 },
      );
    if (url.pathname.replace(/^\/shop/, '') !== '/wp-json/wc/v3/orders')
      return new Response('no route', { status: 404 });
    const query = url.searchParams;
    if (
      query.get('dates_are_gmt') !== 'true' ||
      query.get('orderby') !== 'modified' ||
      query.get('order') !== 'asc'
    )
      return new Response('unexpected query', { status: 400 });
    const after = Date.parse(`${query.get('modified_after')}Z`);
    const perPage = Number(query.get('per_page'));
    const page = Number(query.get('page'));
    const changed = orders.filter((order) => Date.parse(`${order.date_modified_gmt as string}Z`) > after);
    return Response.json(changed.slice((page - 1) * perPage, page * perPage));
  }) as typeof globalThis.fetch;
  return { orders, requests, fetch, credentials, start };
}

const restOf = (store: ReturnType<typeof standInStore>, storeUrl = 'https://shop.example') => ({
  storeUrl,
  key: store.credentials.key,
  secret: store.credentials.secret,
});

describe('woocommerce catch-up sweep', () => {
  it('reads every page of changed orders, oldest first, and where to start next time', async () => {
    const store = standInStore(250);
    const { orders, newest } = await fetchChangedOrders(restOf(store), store.start - 60_000, store.fetch);
    expect(orders).toHaveLength(250);
    expect(store.requests.map((url) => url.searchParams.get('page'))).toEqual(['1', '2', '3']);
    expect(store.requests[0]!.searchParams.get('per_page')).toBe('100');
    expect(store.requests[0]!.searchParams.get('modified_after')).toBe('2026-11-30T23:58:59');
    expect(newest).toBe(store.start + 249 * 60_000);
  });

  it('reads only what changed since, one second early, and keeps `since` when nothing did', async () => {
    const store = standInStore(10);
    const since = store.start + 5 * 60_000;
    const { orders } = await fetchChangedOrders(restOf(store), since, store.fetch);
    expect(orders.map((order) => (order as { id: number }).id)).toEqual([2005, 2006, 2007, 2008, 2009]);
    const later = store.start + 3_600_000;
    expect(await fetchChangedOrders(restOf(store), later, store.fetch)).toEqual({
      orders: [],
      newest: later,
    });
  });

  it('stops after 20 pages, and the next run goes on from there', async () => {
    const store = standInStore(2100);
    const first = await fetchChangedOrders(restOf(store), 0, store.fetch);
    expect(store.requests).toHaveLength(20);
    expect(first.orders).toHaveLength(2000);
    const second = await fetchChangedOrders(restOf(store), first.newest, store.fetch);
    const ids = new Set([...first.orders, ...second.orders].map((order) => (order as { id: number }).id));
    expect(ids.size).toBe(2100);
    expect(second.newest).toBe(store.start + 2099 * 60_000);
  });

  it('reads a site whose WordPress is not at the root', async () => {
    const store = standInStore(1);
    await fetchChangedOrders(restOf(store, 'https://example.com/shop/'), 0, store.fetch);
    expect(store.requests[0]!.origin + store.requests[0]!.pathname).toBe(
      'https://example.com/shop/wp-json/wc/v3/orders',
    );
  });

  it('throws naming the status, never the credentials', async () => {
    const store = standInStore(5);
    const wrong = { ...restOf(store), secret: 'cs_wrong_secret_9999' };
    const error = await fetchChangedOrders(wrong, 0, store.fetch).then(
      () => new Error('no error'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('WooCommerce orders page 1 answered HTTP 401');
    expect(error.message).not.toContain(wrong.key);
    expect(error.message).not.toContain(wrong.secret);
  });

  it('throws on a body that is not a list, and on a network failure', async () => {
    const notAList = (async () => new Response('<html>maintenance</html>')) as unknown as typeof fetch;
    await expect(fetchChangedOrders(restOf(standInStore(0)), 0, notAList)).rejects.toThrow(
      'WooCommerce orders page 1 is not a JSON list',
    );
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    await expect(fetchChangedOrders(restOf(standInStore(0)), 0, down)).rejects.toThrow(
      'WooCommerce orders page 1 could not be fetched',
    );
  });

  it('maps a REST order to the same facts a webhook gives, under a stable key', async () => {
    const text = fixture('order-updated-partial-refund.json');
    const webhook = await receive(text, 'order.updated');
    const swept = orderDeliveryFromRest('shop.example', JSON.parse(text));
    expect(swept.type === 'order' && swept.order).toEqual(webhook.type === 'order' && webhook.order);
    expect(swept).toMatchObject({
      event: 'rest.order',
      dedupeKey: 'woocommerce:shop.example:rest:1052:2026-11-28T06:30:00',
    });
    expect(orderDeliveryFromRest('shop.example', JSON.parse(text))).toEqual(swept);
    expect(orderDeliveryFromRest('shop.example', { number: '1' })).toMatchObject({ type: 'invalid' });
  });
});
