import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, makeSandbox, type TestSandbox } from './helpers.ts';

let sandbox: TestSandbox;
beforeEach(() => {
  sandbox = makeSandbox({ now: () => Date.parse('2024-12-23T10:00:00Z') });
});
afterEach(() => sandbox.close());

async function create(name: string, url: string) {
  return api(sandbox, 'POST', '/v1/webhooks', { name, url });
}

describe('webhook management (§2.13) — happy', () => {
  it('creates with a 60-character hex secret and reads it back', async () => {
    const res = await create('Order Notification', 'https://merchant.example.com/webhooks/orders');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: true,
      message: '',
      appended_data: {},
      data: {
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        merchant_id: 1,
        name: 'Order Notification',
        url: 'https://merchant.example.com/webhooks/orders',
        secret: expect.stringMatching(/^[0-9a-f]{60}$/),
        created_at: '2024-12-23T10:00:00.000000Z',
        updated_at: '2024-12-23T10:00:00.000000Z',
      },
    });
    const read = await api(sandbox, 'GET', `/v1/webhooks/${res.body.data.uuid}`);
    expect(read.body.data).toEqual(res.body.data);
  });

  it('lists with Laravel links and meta', async () => {
    for (let i = 1; i <= 3; i++) await create(`Hook ${i}`, `https://shop.example/hook/${i}`);
    const res = await api(sandbox, 'GET', '/v1/webhooks?per_page=2&page=2');
    expect(res.status).toBe(200);
    expect(res.body.data.map((w: { name: string }) => w.name)).toEqual(['Hook 3']);
    expect(res.body.links).toEqual({
      first: 'http://127.0.0.1:4010/api/v1/webhooks?per_page=2&page=1',
      last: 'http://127.0.0.1:4010/api/v1/webhooks?per_page=2&page=2',
      prev: 'http://127.0.0.1:4010/api/v1/webhooks?per_page=2&page=1',
      next: null,
    });
    expect(res.body.meta).toEqual({
      current_page: 2,
      from: 3,
      last_page: 2,
      path: 'http://127.0.0.1:4010/api/v1/webhooks',
      per_page: 2,
      to: 3,
      total: 3,
    });
  });

  it('lists 15 per page by default and an empty list has from/to null', async () => {
    const empty = await api(sandbox, 'GET', '/v1/webhooks');
    expect(empty.body.data).toEqual([]);
    expect(empty.body.meta).toMatchObject({ per_page: 15, total: 0, from: null, to: null, last_page: 1 });
  });

  it('PUT and PATCH change only the given fields', async () => {
    const { body } = await create('A', 'https://shop.example/a');
    const id = body.data.uuid;
    const put = await api(sandbox, 'PUT', `/v1/webhooks/${id}`, { name: 'B' });
    expect(put.body.data).toMatchObject({
      name: 'B',
      url: 'https://shop.example/a',
      secret: body.data.secret,
    });
    const patch = await api(sandbox, 'PATCH', `/v1/webhooks/${id}`, { url: 'https://shop.example/b' });
    expect(patch.body.data).toMatchObject({ name: 'B', url: 'https://shop.example/b' });
  });

  it('DELETE answers the bare envelope', async () => {
    const { body } = await create('A', 'https://shop.example/a');
    const res = await api(sandbox, 'DELETE', `/v1/webhooks/${body.data.uuid}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: true, message: '', appended_data: {} });
    expect((await api(sandbox, 'GET', `/v1/webhooks/${body.data.uuid}`)).status).toBe(404);
  });

  it('registers the start webhook from options, with the given secret', async () => {
    sandbox.close();
    sandbox = makeSandbox({ webhookUrl: 'http://127.0.0.1:1/hook', webhookSecret: 'test_webhook_secret' });
    const res = await api(sandbox, 'GET', '/v1/webhooks');
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({ url: 'http://127.0.0.1:1/hook', secret: 'test_webhook_secret' });
  });
});

describe('webhook management — errors', () => {
  it('duplicate URL for the merchant → 400 (create and update)', async () => {
    await create('A', 'https://shop.example/a');
    const dup = await create('B', 'https://shop.example/a');
    expect(dup.status).toBe(400);
    expect(dup.body.message).toBe('Validation failed or webhook already exists for this URL');
    const other = await create('C', 'https://shop.example/c');
    const clash = await api(sandbox, 'PATCH', `/v1/webhooks/${other.body.data.uuid}`, {
      url: 'https://shop.example/a',
    });
    expect(clash.status).toBe(400);
    const sameAgain = await api(sandbox, 'PATCH', `/v1/webhooks/${other.body.data.uuid}`, {
      url: 'https://shop.example/c',
    });
    expect(sameAgain.status).toBe(200);
  });

  it('422: required fields, limits and URL format', async () => {
    const res = await api(sandbox, 'POST', '/v1/webhooks', {
      name: 'x'.repeat(256),
      url: 'ftp://shop.example',
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({
      name: ['The name may not be greater than 255 characters.'],
      url: ['The url format is invalid.'],
    });
    const long = await create('A', `https://shop.example/${'a'.repeat(500)}`);
    expect(long.body.errors).toEqual({ url: ['The url may not be greater than 500 characters.'] });
    const empty = await api(sandbox, 'POST', '/v1/webhooks', {});
    expect(Object.keys(empty.body.errors)).toEqual(['name', 'url']);
  });

  it('PUT/PATCH need at least one property', async () => {
    const { body } = await create('A', 'https://shop.example/a');
    for (const method of ['PUT', 'PATCH']) {
      const res = await api(sandbox, method, `/v1/webhooks/${body.data.uuid}`, {});
      expect(res.status).toBe(422);
      expect(res.body.message).toBe('The given data was invalid.');
    }
  });

  it('per_page below 1 → 422', async () => {
    const res = await api(sandbox, 'GET', '/v1/webhooks?per_page=0');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ per_page: ['The per page must be at least 1.'] });
  });

  it('unverified merchant: create, update and delete → 403; list and read still work', async () => {
    const { body } = await create('A', 'https://shop.example/a');
    sandbox.setChannel('verified', false);
    expect((await create('B', 'https://shop.example/b')).status).toBe(403);
    expect((await api(sandbox, 'PUT', `/v1/webhooks/${body.data.uuid}`, { name: 'X' })).status).toBe(403);
    expect((await api(sandbox, 'PATCH', `/v1/webhooks/${body.data.uuid}`, { name: 'X' })).status).toBe(403);
    const del = await api(sandbox, 'DELETE', `/v1/webhooks/${body.data.uuid}`);
    expect(del.status).toBe(403);
    expect(del.body).toEqual({
      status: false,
      message: 'Merchant is not verified or not published',
      appended_data: {},
    });
    expect((await api(sandbox, 'GET', '/v1/webhooks')).body.data).toHaveLength(1);
    expect((await api(sandbox, 'GET', `/v1/webhooks/${body.data.uuid}`)).status).toBe(200);
  });
});
