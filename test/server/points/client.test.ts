import { describe, it, expect, afterEach } from 'vitest';
import { createPointsClient, pointsBaseUrls, resolveBaseUrl } from '../../../server/points/client.ts';
import { PointsInputError } from '../../../server/points/errors.ts';
import { normalizeSaudiPhone } from '../../../server/shared/saudi-phone.ts';
import { PAYMENT_METHODS } from '../../../server/points/requests.ts';
import { startScriptedServer } from './scripted-server.ts';
import type { RecordedRequest, ScriptedAnswer } from './scripted-server.ts';
import { fixture } from './fixtures.ts';

const privateKey = 'test_private_key_client';
const publicKey = 'test_public_key_client';
const uuid = '550e8400-e29b-41d4-a716-446655440000';
const orderBody = fixture('order-show-spec');
const webhookBody = {
  status: true,
  message: '',
  appended_data: {},
  data: fixture<{ data: unknown[] }>('webhook-list').data[0],
};
const products = [{ product_name: 'Cappuccino', product_price: 18.5, quantity: 2 }];

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

/** A client against a server answering `answer` to everything; returns the recorded requests. */
async function setup(answer: (req: RecordedRequest) => ScriptedAnswer) {
  const server = await startScriptedServer(answer);
  closers.push(server.close);
  const client = createPointsClient({
    privateKey,
    publicKey,
    baseUrl: server.baseUrl,
    sleep: async () => {},
  });
  return { client, requests: server.requests };
}

type Client = ReturnType<typeof createPointsClient>;
interface EndpointCase {
  name: string;
  run: (client: Client) => Promise<unknown>;
  method: string;
  url: string;
  body?: unknown;
  answer: unknown;
  auth?: boolean;
}

const endpoints: EndpointCase[] = [
  {
    name: 'beginCheckout',
    run: (c) =>
      c.beginCheckout({
        order_number: '#ORD-2024-0001',
        total_price: 150.75,
        phone_number: '+966 50-000-0001',
        callback_url: 'https://shop.example/callback?order=ORD-2024-0001',
      }),
    method: 'POST',
    url: `/api/v1/orders/checkout/${publicKey}`,
    body: {
      order_number: '#ORD-2024-0001',
      total_price: 150.75,
      phone_number: '500000001',
      callback_url: 'https://shop.example/callback?order=ORD-2024-0001',
    },
    answer: {
      status: true,
      message: '',
      appended_data: {},
      data: { checkout_url: 'https://pay.papp.sa/session/abcd1234' },
    },
    auth: false,
  },
  {
    name: 'getOrder',
    run: (c) => c.getOrder(uuid),
    method: 'GET',
    url: `/api/v1/orders/${uuid}`,
    answer: orderBody,
  },
  {
    name: 'createEarning',
    run: (c) =>
      c.createEarning({ phone_number: '00966500000002', total_price: 115, order_number: 'SALE-1', products }),
    method: 'POST',
    url: '/api/v1/orders/earning',
    body: { phone_number: '500000002', total_price: 115, order_number: 'SALE-1', products },
    answer: orderBody,
  },
  {
    name: 'createStoreRatingEarning',
    run: (c) =>
      c.createStoreRatingEarning({ phone_number: '966500000002', review_reference: 'REV-1', rating: 5 }),
    method: 'POST',
    url: '/api/v1/orders/earning/store-rating',
    body: { phone_number: '500000002', review_reference: 'REV-1', rating: 5 },
    answer: orderBody,
  },
  {
    name: 'createProductRatingEarning',
    run: (c) =>
      c.createProductRatingEarning({
        phone_number: '500000002',
        review_reference: 'REV-2',
        product_id: 'SKU-9',
      }),
    method: 'POST',
    url: '/api/v1/orders/earning/product-rating',
    body: { phone_number: '500000002', review_reference: 'REV-2', product_id: 'SKU-9' },
    answer: orderBody,
  },
  {
    name: 'completeOrder',
    run: (c) => c.completeOrder(uuid, { payment_method: PAYMENT_METHODS.mada }),
    method: 'POST',
    url: `/api/v1/orders/${uuid}/complete`,
    body: { payment_method: '2' },
    answer: orderBody,
  },
  {
    name: 'authorizeOrder',
    run: (c) => c.authorizeOrder(uuid),
    method: 'POST',
    url: `/api/v1/orders/${uuid}/authorize`,
    answer: orderBody,
  },
  {
    name: 'captureOrder',
    run: (c) => c.captureOrder(uuid),
    method: 'POST',
    url: `/api/v1/orders/${uuid}/capture`,
    answer: orderBody,
  },
  {
    name: 'cancelOrder',
    run: (c) => c.cancelOrder(uuid, { reason: 'Customer asked' }),
    method: 'POST',
    url: `/api/v1/orders/${uuid}/cancel`,
    body: { reason: 'Customer asked' },
    answer: orderBody,
  },
  {
    name: 'updateShippingStatus',
    run: (c) => c.updateShippingStatus(uuid, { status: 'delivered', name_en: 'Out for delivery' }),
    method: 'POST',
    url: `/api/v1/orders/${uuid}/status`,
    body: { status: 'delivered', name_en: 'Out for delivery' },
    answer: orderBody,
  },
  {
    name: 'refundOrder',
    run: (c) => c.refundOrder(uuid, { amount: 25, reason: 'One item returned' }),
    method: 'POST',
    url: `/api/v1/orders/${uuid}/refund`,
    body: { amount: 25, reason: 'One item returned' },
    answer: orderBody,
  },
  {
    name: 'listWebhooks',
    run: (c) => c.listWebhooks({ per_page: 5 }),
    method: 'GET',
    url: '/api/v1/webhooks?per_page=5',
    answer: fixture('webhook-list'),
  },
  {
    name: 'createWebhook',
    run: (c) => c.createWebhook({ name: 'Orders', url: 'https://shop.example/webhooks/points' }),
    method: 'POST',
    url: '/api/v1/webhooks',
    body: { name: 'Orders', url: 'https://shop.example/webhooks/points' },
    answer: webhookBody,
  },
  {
    name: 'getWebhook',
    run: (c) => c.getWebhook(uuid),
    method: 'GET',
    url: `/api/v1/webhooks/${uuid}`,
    answer: webhookBody,
  },
  {
    name: 'replaceWebhook',
    run: (c) => c.replaceWebhook(uuid, { name: 'Orders v2' }),
    method: 'PUT',
    url: `/api/v1/webhooks/${uuid}`,
    body: { name: 'Orders v2' },
    answer: webhookBody,
  },
  {
    name: 'updateWebhook',
    run: (c) => c.updateWebhook(uuid, { url: 'https://shop.example/v2' }),
    method: 'PATCH',
    url: `/api/v1/webhooks/${uuid}`,
    body: { url: 'https://shop.example/v2' },
    answer: webhookBody,
  },
  {
    name: 'deleteWebhook',
    run: (c) => c.deleteWebhook(uuid),
    method: 'DELETE',
    url: `/api/v1/webhooks/${uuid}`,
    answer: { status: true, message: '', appended_data: {} },
  },
  {
    name: 'setIntegrationStatus',
    run: (c) => c.setIntegrationStatus({ active: false }),
    method: 'POST',
    url: '/api/v1/integration/status',
    body: { active: false },
    answer: {
      data: { active: false },
      status: true,
      message: 'Integration status updated',
      appended_data: [],
    },
  },
];

describe('client — every endpoint on the wire', () => {
  it('covers all 18 endpoints', () => {
    expect(new Set(endpoints.map((e) => e.name)).size).toBe(18);
  });

  it.each(endpoints)('$name sends $method $url', async (endpoint) => {
    const { client, requests } = await setup(() => ({ status: 200, body: endpoint.answer }));
    await endpoint.run(client);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe(endpoint.method);
    expect(request?.url).toBe(endpoint.url);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^points-storefront-kit\//);
    expect(request?.headers['x-api-key']).toBe(endpoint.auth === false ? undefined : privateKey);
    if (endpoint.body === undefined) {
      expect(request?.body).toBe('');
    } else {
      expect(request?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request?.body ?? '')).toEqual(endpoint.body);
    }
  });
});

describe('client — responses', () => {
  it('reads an order in the spec shape (int shipping status, ISO date)', async () => {
    const { client } = await setup(() => ({ status: 200, body: orderBody }));
    const order = await client.getOrder(uuid);
    expect(order).toMatchObject({ uuid, order_status: 'approved', type: 2, total_price: 150.75, status: 1 });
  });

  it('reads an order in the SDK fixture shape (display date/time, no updated_at)', async () => {
    const { client } = await setup(() => ({ status: 200, body: fixture('order-show-sdk') }));
    const order = await client.getOrder(uuid);
    expect(order).toMatchObject({
      order_status: 'authorized',
      type: 1,
      date: 'Monday,23 Dec',
      time: '05:50 am',
    });
  });

  it('reads an order at top level, without the data wrapper', async () => {
    const { data } = fixture<{ data: object }>('order-show-sdk');
    const { client } = await setup(() => ({ status: 200, body: data }));
    await expect(client.captureOrder(uuid)).resolves.toMatchObject({ uuid, total_points: 3010 });
  });

  it('tolerates unknown fields, decimal strings, a string shipping status and PHP empty metadata', async () => {
    const data = {
      ...fixture<{ data: object }>('order-show-spec').data,
      total_price: '150.75',
      status: 'delivery_is_in_progress',
      metadata: [],
      future_field: true,
    };
    const { client } = await setup(() => ({ status: 200, body: { status: true, data } }));
    const order = await client.getOrder(uuid);
    expect(order).toMatchObject({ total_price: 150.75, status: 'delivery_is_in_progress', metadata: {} });
    expect(order).toHaveProperty('future_field', true);
  });

  it('tells an awarded earning from a pending one', async () => {
    const answers = [fixture('order-show-spec'), fixture('earning-pending')];
    const { client } = await setup(() => ({ status: 200, body: answers.shift() }));
    const input = { phone_number: '500000002', total_price: 115, order_number: 'S-1', products };
    const awarded = await client.createEarning(input);
    expect(awarded.status).toBe('awarded');
    const pending = await client.createEarning(input);
    expect(pending).toEqual({
      status: 'pending_client_activation',
      pending: { id: 99, merchant_order_number: 'SALE-2024-0021', total_price: 115, total_points: 1150 },
    });
  });

  it('reads the paginated webhook list with links and meta', async () => {
    const { client } = await setup(() => ({ status: 200, body: fixture('webhook-list') }));
    const list = await client.listWebhooks();
    expect(list.data[0]?.secret).toBe('test_webhook_secret_one');
    expect(list.meta).toMatchObject({ current_page: 1, per_page: 15, total: 1 });
  });
});

describe('client — input checks before any request', () => {
  it.each([
    ['+966500000001', '500000001'],
    ['00966500000001', '500000001'],
    ['966500000001', '500000001'],
    ['0500000001', '500000001'],
    ['500000001', '500000001'],
    ['050 000-0001', '500000001'],
    ['+9660500000001', undefined],
    ['0096605', undefined],
    ['400000001', undefined],
    ['5000000011', undefined],
    ['+1 555 0100', undefined],
    ['', undefined],
  ])('normalizeSaudiPhone(%s) → %s', (input, expected) => {
    expect(normalizeSaudiPhone(input)).toBe(expected);
  });

  const valid = { phone_number: '500000002', total_price: 115, order_number: 'S-1', products };
  it.each([
    ['a malformed phone', { ...valid, phone_number: '12345' }, 'phone_number'],
    ['a negative total', { ...valid, total_price: -1 }, 'total_price'],
    ['three decimals', { ...valid, total_price: 10.005 }, 'total_price'],
    ['NaN', { ...valid, total_price: Number.NaN }, 'total_price'],
    ['no products', { ...valid, products: [] }, 'products'],
    ['a zero quantity', { ...valid, products: [{ ...products[0], quantity: 0 }] }, 'products.0.quantity'],
    ['an unknown field', { ...valid, phone: '500000002' }, '(root)'],
    ['an empty order number', { ...valid, order_number: '  ' }, 'order_number'],
  ])('rejects an earning with %s', async (_label, input, field) => {
    const { client, requests } = await setup(() => ({ status: 200, body: orderBody }));
    const error = await client.createEarning(input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PointsInputError);
    expect(Object.keys((error as PointsInputError).fieldErrors)).toContain(field);
    expect(requests).toHaveLength(0);
  });

  it('rejects a uuid that is not one, so nothing odd reaches the path', async () => {
    const { client, requests } = await setup(() => ({ status: 200, body: orderBody }));
    await expect(client.getOrder('../webhooks')).rejects.toBeInstanceOf(PointsInputError);
    await expect(client.deleteWebhook('123')).rejects.toBeInstanceOf(PointsInputError);
    expect(requests).toHaveLength(0);
  });

  it('rejects an empty shipping update and an empty webhook update', async () => {
    const { client, requests } = await setup(() => ({ status: 200, body: orderBody }));
    await expect(client.updateShippingStatus(uuid, {})).rejects.toBeInstanceOf(PointsInputError);
    await expect(client.updateWebhook(uuid, {})).rejects.toBeInstanceOf(PointsInputError);
    await expect(client.completeOrder(uuid, { payment_method: '11' as never })).rejects.toBeInstanceOf(
      PointsInputError,
    );
    expect(requests).toHaveLength(0);
  });

  it('sends bodyless refund and cancel as {} (full refund, default reason)', async () => {
    const { client, requests } = await setup(() => ({ status: 200, body: orderBody }));
    await client.refundOrder(uuid);
    await client.cancelOrder(uuid);
    expect(requests.map((r) => r.body)).toEqual(['{}', '{}']);
  });

  it('needs the public key for checkout only', async () => {
    const client = createPointsClient({ privateKey, environment: 'sandbox' });
    await expect(client.beginCheckout({ order_number: 'A', total_price: 1 })).rejects.toThrow(/publicKey/);
  });
});

describe('client — base URLs', () => {
  it('maps environments to the documented hosts', () => {
    expect(resolveBaseUrl({ environment: 'production' })).toBe(pointsBaseUrls.production);
    expect(resolveBaseUrl({ environment: 'sandbox' })).toBe('https://sandbox.papp.sa/api');
    expect(resolveBaseUrl({ environment: 'production', baseUrl: 'https://points.test/api/' })).toBe(
      'https://points.test/api',
    );
    expect(resolveBaseUrl({ baseUrl: 'https://business.papp.sa/api/v1' })).toBe(
      'https://business.papp.sa/api',
    );
  });
});
