import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  api,
  earn,
  makeSandbox,
  postForm,
  startCheckout,
  startReceiver,
  type TestSandbox,
} from './helpers.ts';

let sandbox: TestSandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => sandbox.close());

async function admin(method: string, path: string, body?: unknown) {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await sandbox.app.request(`/sandbox${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { [key: string]: any } }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('/sandbox admin endpoints — happy', () => {
  it('GET /sandbox describes keys, fixtures, OTP and cards', async () => {
    const res = await admin('GET', '');
    expect(res.body).toMatchObject({
      baseUrl: 'http://127.0.0.1:4010',
      apiBase: 'http://127.0.0.1:4010/api',
      publicKey: 'sandbox_public_key_demo',
      privateKey: 'sandbox_private_key_demo',
      otp: '123456',
      fixturePhones: {
        withBalance: '500000001',
        zeroBalance: '500000002',
        noAccount: '500000003',
        pendingActivation: '500000004',
      },
      fixtureBalance: 5000,
      pointValueSar: 0.03,
      cards: { declined: '4000000000000002' },
    });
    expect((await sandbox.app.request('/')).headers.get('location')).toBe('/sandbox');
  });

  it('PUT /sandbox/earn-rate', async () => {
    expect((await admin('PUT', '/earn-rate', { earn_rate: 20 })).status).toBe(200);
    expect((await earn(sandbox, { total_price: 10 })).body.data.total_points).toBe(200);
  });

  it('PUT /sandbox/channels/:channel, including verified', async () => {
    expect((await admin('PUT', '/channels/earning', { enabled: false })).status).toBe(200);
    expect((await earn(sandbox)).status).toBe(403);
    await admin('PUT', '/channels/earning', { enabled: true });
    expect((await earn(sandbox)).status).toBe(200);
    await admin('PUT', '/channels/verified', { enabled: false });
    expect((await api(sandbox, 'POST', '/v1/webhooks', { name: 'a', url: 'https://a.example' })).status).toBe(
      403,
    );
  });

  it('channel switches can target another merchant by public key', async () => {
    await admin('PUT', '/channels/earning', { enabled: false, merchant: 'test_public_key_other_merchant' });
    expect((await earn(sandbox)).status).toBe(200);
    expect((await earn(sandbox, {}, 'test_private_key_other_merchant')).status).toBe(403);
  });

  it('POST /sandbox/merchants adds a merchant that can authenticate', async () => {
    const res = await admin('POST', '/merchants', {
      public_key: 'test_public_key_third',
      private_key: 'test_private_key_third',
    });
    expect(res.body).toMatchObject({ id: 3, publicKey: 'test_public_key_third', earnRate: 10 });
    expect((await api(sandbox, 'GET', '/v1/webhooks', undefined, 'test_private_key_third')).status).toBe(200);
    const again = await admin('POST', '/merchants', {
      public_key: 'test_public_key_third',
      private_key: 'x',
    });
    expect(again.status).toBe(400);
  });

  it('GET /sandbox/orders/:uuid and ?order_number= show internal fields', async () => {
    const { sessionId, uuid } = await startCheckout(sandbox, { order_number: '#ADM-1', total_price: 100 });
    await sandbox.completeCheckout(sessionId, { phone: '500000001', redeemPoints: 1000 });
    const byUuid = await admin('GET', `/orders/${uuid}`);
    expect(byUuid.body).toMatchObject({
      uuid,
      redeemed_points: 1000,
      cash_amount: 70,
      session_ended: 'paid',
    });
    const byNumber = await admin('GET', '/orders?order_number=%23ADM-1');
    expect(byNumber.body.uuid).toBe(uuid);
    expect((await admin('GET', '/orders/nope')).status).toBe(404);
    expect((await admin('GET', '/orders?order_number=none')).status).toBe(404);
  });

  it('POST /sandbox/orders/:uuid/auto-refund fires auto_refunded', async () => {
    const receiver = await startReceiver();
    sandbox.close();
    sandbox = makeSandbox({ webhookUrl: receiver.url, webhookSecret: 'test_secret' });
    const { sessionId, uuid } = await startCheckout(sandbox, { total_price: 100 });
    await sandbox.completeCheckout(sessionId, { phone: '500000001', redeemPoints: 3334 });
    const res = await admin('POST', `/orders/${uuid}/auto-refund`);
    expect(res.body).toMatchObject({ order_status: 'fully_refunded', refunded_points: 3334 });
    expect(sandbox.customer('500000001')?.balance).toBe(5000);
    expect((await admin('POST', `/orders/${uuid}/auto-refund`)).status).toBe(400);
    await admin('POST', '/deliveries/settle');
    const deliveries = await sandbox.app.request('/sandbox/deliveries');
    const events = ((await deliveries.json()) as Array<{ event: string }>).map((d) => d.event);
    expect(events).toEqual(['approved', 'auto_refunded']);
    await receiver.close();
  });

  it('PUT /sandbox/delivery sets the knobs', async () => {
    const res = await admin('PUT', '/delivery', { duplicate_every: 3, reorder: true, delay_ms: 5 });
    expect(res.body).toEqual({ duplicateEvery: 3, duplicateRate: 0, reorder: true, delayMs: 5 });
  });

  it('GET /sandbox/customers/:phone', async () => {
    expect((await admin('GET', '/customers/0500000001')).body).toEqual({
      phone: '500000001',
      account: 'active',
      balance: 5000,
    });
    expect((await admin('GET', '/customers/500000003')).body.account).toBe('none');
    expect((await admin('GET', '/customers/123')).status).toBe(422);
  });

  it('POST /sandbox/checkout/:ref/complete by order number', async () => {
    await startCheckout(sandbox, { order_number: 'CC-1', callback_url: 'https://shop.example/back' });
    const res = await admin('POST', '/checkout/CC-1/complete', { phone: '500000001', redeem_points: 50 });
    expect(res.status).toBe(200);
    expect(res.body.order).toMatchObject({ order_status: 'approved', redeemed_points: 50 });
    expect(res.body.redirectUrl).toMatch(/^https:\/\/shop\.example\/back\?order_uuid=/);
    expect((await admin('POST', '/checkout/CC-1/complete', {})).status).toBe(400);
  });

  it('POST /sandbox/reset restores fixtures and drops orders and added merchants', async () => {
    await earn(sandbox, { phone_number: '500000001' });
    await admin('POST', '/merchants', { public_key: 'test_public_key_x', private_key: 'test_private_key_x' });
    await admin('PUT', '/earn-rate', { earn_rate: 99 });
    await admin('POST', '/reset');
    expect(sandbox.customer('500000001')?.balance).toBe(5000);
    expect((await api(sandbox, 'GET', '/v1/webhooks', undefined, 'test_private_key_x')).status).toBe(400);
    expect(
      (await api(sandbox, 'GET', '/v1/webhooks', undefined, 'test_private_key_other_merchant')).status,
    ).toBe(200);
    expect((await earn(sandbox, { total_price: 1 })).body.data.total_points).toBe(10);
  });
});

describe('/sandbox admin endpoints — errors', () => {
  it('422 on bad bodies, 404 on unknown channels', async () => {
    expect((await admin('PUT', '/earn-rate', { earn_rate: -1 })).status).toBe(422);
    expect((await admin('PUT', '/channels/earning', {})).status).toBe(422);
    expect((await admin('PUT', '/channels/teleport', { enabled: true })).status).toBe(404);
    expect((await admin('PUT', '/delivery', { duplicate_rate: 2 })).status).toBe(422);
    expect((await admin('POST', '/merchants', { public_key: '' })).status).toBe(422);
  });
});

describe('completeCheckout control', () => {
  it('pays all by card without a phone', async () => {
    const { sessionId } = await startCheckout(sandbox, { total_price: 42.5 });
    const { order } = await sandbox.completeCheckout(sessionId);
    expect(order).toMatchObject({ order_status: 'approved', redeemed_points: 0, cash_amount: 42.5 });
  });

  it('declines with the failing card and refuses bad requests', async () => {
    const { sessionId } = await startCheckout(sandbox);
    const { order, redirectUrl } = await sandbox.completeCheckout(sessionId, { card: '4000000000000002' });
    expect(order.order_status).toBe('cancelled');
    expect(redirectUrl).toBe(`/session/${sessionId}`);
    await expect(sandbox.completeCheckout(sessionId)).rejects.toThrow('already over');
    await expect(sandbox.completeCheckout('missing')).rejects.toThrow('not found');
    const next = await startCheckout(sandbox);
    await expect(sandbox.completeCheckout(next.sessionId, { phone: '500000003' })).rejects.toThrow(
      'No Points account',
    );
    await expect(
      sandbox.completeCheckout(next.sessionId, { phone: '500000002', redeemPoints: 1 }),
    ).rejects.toThrow('too-many-points');
    await expect(sandbox.completeCheckout(next.sessionId, { redeemPoints: 1 })).rejects.toThrow(
      'needs a phone',
    );
  });
});

describe('/sandbox page: balances and reset', () => {
  const asBrowser = { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } };
  const row = (page: string, phone: string) =>
    new RegExp(`<td>${phone}</td>[\\s\\S]*?<td>([\\d,]+)</td>`).exec(page)?.[1];

  it('shows each fixture customer with the balance now, and a reset form', async () => {
    const { sessionId } = await startCheckout(sandbox, { total_price: 100 });
    await sandbox.completeCheckout(sessionId, { phone: '500000001', redeemPoints: 1000 });
    const res = await sandbox.app.request('/sandbox', asBrowser);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(row(page, '500000001')).toBe('4,000');
    expect(row(page, '500000002')).toBe('0');
    expect(page).toContain('<form method="post" action="/sandbox/reset">');
    expect(page).not.toContain('was reset');
  });

  it('the reset form brings the spent balance back and returns to the page', async () => {
    const { sessionId } = await startCheckout(sandbox, { total_price: 100 });
    await sandbox.completeCheckout(sessionId, { phone: '500000001', redeemPoints: 1000 });
    const reset = await postForm(sandbox, '/sandbox/reset');
    expect(reset.status).toBe(303);
    expect(reset.headers.get('location')).toBe('/sandbox?reset=done');
    const page = await (await sandbox.app.request('/sandbox?reset=done', asBrowser)).text();
    expect(row(page, '500000001')).toBe('5,000');
    expect(page).toContain('The sandbox was reset to its fixtures.');
  });

  it('scripts still get JSON, now with the fixture balances', async () => {
    const res = await admin('GET', '');
    expect(res.body.customers).toEqual([
      { fixture: 'withBalance', phone: '500000001', account: 'active', balance: 5000 },
      { fixture: 'zeroBalance', phone: '500000002', account: 'active', balance: 0 },
      { fixture: 'noAccount', phone: '500000003', account: 'none', balance: 0 },
      { fixture: 'pendingActivation', phone: '500000004', account: 'pending', balance: 0 },
    ]);
    expect(await admin('POST', '/reset')).toEqual({ status: 200, body: { ok: true } });
  });
});
