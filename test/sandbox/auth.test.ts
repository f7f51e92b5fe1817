import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  api,
  earn,
  makeSandbox,
  otherPrivateKey,
  privateKey,
  products,
  startCheckout,
  type TestSandbox,
} from './helpers.ts';

const uuid = '00000000-0000-4000-8000-000000000000';

/** Every endpoint that takes `x-api-key` (§2, rows 2–18). */
const privateEndpoints: Array<[string, string]> = [
  ['GET', `/v1/orders/${uuid}`],
  ['POST', '/v1/orders/earning'],
  ['POST', '/v1/orders/earning/store-rating'],
  ['POST', '/v1/orders/earning/product-rating'],
  ['POST', `/v1/orders/${uuid}/complete`],
  ['POST', `/v1/orders/${uuid}/authorize`],
  ['POST', `/v1/orders/${uuid}/capture`],
  ['POST', `/v1/orders/${uuid}/cancel`],
  ['POST', `/v1/orders/${uuid}/status`],
  ['POST', `/v1/orders/${uuid}/refund`],
  ['GET', '/v1/webhooks'],
  ['POST', '/v1/webhooks'],
  ['GET', `/v1/webhooks/${uuid}`],
  ['PUT', `/v1/webhooks/${uuid}`],
  ['PATCH', `/v1/webhooks/${uuid}`],
  ['DELETE', `/v1/webhooks/${uuid}`],
  ['POST', '/v1/integration/status'],
];

let sandbox: TestSandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => sandbox.close());

describe('authentication (§1.3)', () => {
  it.each(privateEndpoints)('%s %s without x-api-key → 400 API key is required', async (method, path) => {
    const res = await api(sandbox, method, path, method === 'GET' ? undefined : {}, null);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: false, message: 'API key is required', appended_data: {} });
  });

  it.each(privateEndpoints)(
    '%s %s with an unknown key → 400 Invalid or inactive API key',
    async (method, path) => {
      const res = await api(
        sandbox,
        method,
        path,
        method === 'GET' ? undefined : {},
        'test_private_key_unknown',
      );
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ status: false, message: 'Invalid or inactive API key', appended_data: {} });
    },
  );

  it('rejects a public key used as x-api-key', async () => {
    const res = await api(sandbox, 'GET', '/v1/webhooks', undefined, 'sandbox_public_key_demo');
    expect(res.status).toBe(400);
  });

  it('rejects a private key in the checkout path (public key only)', async () => {
    const res = await api(sandbox, 'POST', `/v1/orders/checkout/${privateKey}`, {
      total_price: 10,
      order_number: 'A',
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Invalid or inactive API key');
  });

  it('accepts the header name in any case', async () => {
    const res = await sandbox.app.request('/api/v1/webhooks', { headers: { 'X-API-KEY': privateKey } });
    expect(res.status).toBe(200);
  });

  it('answers an unknown API path with a 404 envelope', async () => {
    const res = await api(sandbox, 'GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.status).toBe(false);
  });
});

describe('other merchants’ resources are 404 (§1.5)', () => {
  it('orders: read and every operation', async () => {
    const { uuid: checkoutUuid } = await startCheckout(sandbox);
    const earned = await earn(sandbox);
    for (const id of [checkoutUuid, earned.body.data.uuid]) {
      expect((await api(sandbox, 'GET', `/v1/orders/${id}`, undefined, otherPrivateKey)).status).toBe(404);
      for (const action of ['authorize', 'capture', 'complete', 'cancel', 'refund']) {
        const res = await api(sandbox, 'POST', `/v1/orders/${id}/${action}`, {}, otherPrivateKey);
        expect(res.status, action).toBe(404);
        expect(res.body).toEqual({ status: false, message: 'Order not found', appended_data: {} });
      }
      const status = await api(
        sandbox,
        'POST',
        `/v1/orders/${id}/status`,
        { status: 'delivered' },
        otherPrivateKey,
      );
      expect(status.status).toBe(404);
    }
    expect((await api(sandbox, 'GET', `/v1/orders/${checkoutUuid}`)).status).toBe(200);
  });

  it('webhooks: read, update and delete', async () => {
    const created = await api(sandbox, 'POST', '/v1/webhooks', {
      name: 'A',
      url: 'https://shop.example/hook',
    });
    const id = created.body.data.uuid;
    expect((await api(sandbox, 'GET', `/v1/webhooks/${id}`, undefined, otherPrivateKey)).status).toBe(404);
    expect((await api(sandbox, 'PATCH', `/v1/webhooks/${id}`, { name: 'B' }, otherPrivateKey)).status).toBe(
      404,
    );
    expect((await api(sandbox, 'PUT', `/v1/webhooks/${id}`, { name: 'B' }, otherPrivateKey)).status).toBe(
      404,
    );
    expect((await api(sandbox, 'DELETE', `/v1/webhooks/${id}`, undefined, otherPrivateKey)).status).toBe(404);
    const list = await api(sandbox, 'GET', '/v1/webhooks', undefined, otherPrivateKey);
    expect(list.body.data).toEqual([]);
    expect((await api(sandbox, 'GET', `/v1/webhooks/${id}`)).body.data.name).toBe('A');
  });

  it('unknown and malformed uuids are 404', async () => {
    expect((await api(sandbox, 'GET', `/v1/orders/${uuid}`)).status).toBe(404);
    expect((await api(sandbox, 'GET', '/v1/orders/not-a-uuid')).status).toBe(404);
  });

  it('earning keeps merchants apart: the same order number is fine for another merchant', async () => {
    expect((await earn(sandbox, { order_number: 'SAME-1', products })).status).toBe(200);
    expect((await earn(sandbox, { order_number: 'SAME-1' }, otherPrivateKey)).status).toBe(200);
  });
});

describe('request size', () => {
  it('a body over 1 MB is refused with 413, not parsed', async () => {
    const res = await api(sandbox, 'POST', '/v1/orders/earning', { comment: 'x'.repeat(1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ status: false, message: 'Payload Too Large', appended_data: {} });
  });
});
