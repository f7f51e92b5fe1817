import { inspect } from 'node:util';
import { describe, it, expect, afterEach } from 'vitest';
import { createPointsClient } from '../../../server/points/client.ts';
import type { PointsClientOptions } from '../../../server/points/client.ts';
import {
  PointsAbortedError,
  PointsAuthError,
  PointsBadRequestError,
  PointsForbiddenError,
  PointsNetworkError,
  PointsNotFoundError,
  PointsRateLimitError,
  PointsResponseError,
  PointsServerError,
  PointsTimeoutError,
  PointsValidationError,
} from '../../../server/points/errors.ts';
import { closedPort, startScriptedServer } from './scripted-server.ts';
import type { ScriptedAnswer } from './scripted-server.ts';
import { fixture } from './fixtures.ts';
import { failure } from './failure.ts';

const privateKey = 'test_private_key_do_not_leak_5f2c';
const uuid = '550e8400-e29b-41d4-a716-446655440000';
const order = fixture<{ data: unknown }>('order-show-spec');
const earning = {
  phone_number: '0500000002',
  total_price: 115,
  order_number: 'SALE-1',
  products: [{ product_name: 'Cappuccino', product_price: 18.5, quantity: 2 }],
};

let servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** A client against a scripted server; sleeps are recorded, never waited. */
async function setup(script: ScriptedAnswer[], options: Partial<PointsClientOptions> = {}) {
  const server = await startScriptedServer(script);
  servers.push(server);
  const sleeps: number[] = [];
  const client = createPointsClient({
    privateKey,
    publicKey: 'test_public_key',
    baseUrl: server.baseUrl,
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { client, server, sleeps };
}

const envelope = (message: string) => ({ status: false, message, appended_data: {} });

describe('client errors — status mapping', () => {
  it.each(['API key is required', 'Invalid or inactive API key'])(
    '400 "%s" is an auth error',
    async (message) => {
      const { client } = await setup([{ status: 400, body: envelope(message) }]);
      const error = await failure(client.getOrder(uuid));
      expect(error).toBeInstanceOf(PointsAuthError);
      expect(error).toMatchObject({ status: 400, code: 'auth', message, outcomeUnknown: false });
    },
  );

  it('any other 400 is a business-rule error', async () => {
    const { client, server } = await setup([{ status: 400, body: envelope('Order already fully paid') }]);
    const error = await failure(client.completeOrder(uuid));
    expect(error).toBeInstanceOf(PointsBadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'bad_request', message: 'Order already fully paid' });
    expect(error.operation).toBe('POST /v1/orders/{orderUuid}/complete');
    expect(server.requests).toHaveLength(1);
  });

  it('403 is forbidden', async () => {
    const message = 'Merchant is not allowed to create earning orders';
    const { client } = await setup([{ status: 403, body: envelope(message) }]);
    const error = await failure(client.createEarning(earning));
    expect(error).toBeInstanceOf(PointsForbiddenError);
    expect(error).toMatchObject({ status: 403, code: 'forbidden', message });
  });

  it('404 is not found', async () => {
    const { client } = await setup([{ status: 404, body: envelope('Order not found') }]);
    const error = await failure(client.getOrder(uuid));
    expect(error).toBeInstanceOf(PointsNotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('422 in the envelope shape carries field errors', async () => {
    const { client } = await setup([{ status: 422, body: fixture('error-validation-envelope') }]);
    const error = await failure(client.createEarning(earning));
    expect(error).toBeInstanceOf(PointsValidationError);
    expect(error).toMatchObject({
      status: 422,
      code: 'validation',
      message: 'The given data was invalid.',
      fieldErrors: {
        total_price: ['The total price field is required.'],
        'products.0.quantity': ['The quantity must be at least 1.'],
      },
    });
  });

  it("422 in Laravel's bare shape carries field errors too", async () => {
    const { client } = await setup([{ status: 422, body: fixture('error-validation-laravel') }]);
    const error = await failure(client.createEarning(earning));
    expect(error).toBeInstanceOf(PointsValidationError);
    expect((error as PointsValidationError).fieldErrors.phone_number).toEqual([
      'The phone number field is required.',
    ]);
    expect(error.message).toBe('The phone number field is required. (and 1 more error)');
  });

  it('an error body that is not JSON still maps by status', async () => {
    const { client } = await setup([{ status: 404, body: '<html>Not Found</html>' }]);
    const error = await failure(client.getWebhook(uuid));
    expect(error).toBeInstanceOf(PointsNotFoundError);
    expect(error.message).toBe('HTTP 404');
  });

  it('a 2xx answer that is not JSON is a response error', async () => {
    const { client } = await setup([{ status: 200, body: 'OK' }]);
    await expect(client.getOrder(uuid)).rejects.toBeInstanceOf(PointsResponseError);
  });

  it('a 2xx answer that fails its schema is a response error naming the field', async () => {
    const data = { ...(order.data as object), order_status: 'paid' };
    const { client } = await setup([{ status: 200, body: { status: true, data } }]);
    const error = await failure(client.getOrder(uuid));
    expect(error).toBeInstanceOf(PointsResponseError);
    expect((error as PointsResponseError).issues.join()).toContain('order_status');
  });

  it('refuses a checkout URL that is not http(s), since the browser is sent there', async () => {
    const { client } = await setup([
      { status: 200, body: { status: true, data: { checkout_url: 'javascript:alert(1)' } } },
    ]);
    const error = await failure(client.beginCheckout({ order_number: 'ORD-1', total_price: 10 }));
    expect(error).toBeInstanceOf(PointsResponseError);
  });

  it('never follows a redirect (it could carry x-api-key elsewhere)', async () => {
    const { client, server } = await setup([
      { status: 302, headers: { location: 'http://127.0.0.1:1/steal' } },
    ]);
    const error = await failure(client.getOrder(uuid));
    expect(error).toBeInstanceOf(PointsResponseError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('client errors — rate limits and retries', () => {
  it('429 with Retry-After seconds is honoured, then the GET succeeds', async () => {
    const { client, server, sleeps } = await setup([
      { status: 429, headers: { 'retry-after': '2' }, body: envelope('Too Many Attempts.') },
      { status: 200, body: order },
    ]);
    const result = await client.getOrder(uuid);
    expect(result.uuid).toBe(uuid);
    expect(sleeps).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });

  it('429 with an HTTP-date Retry-After gives retryAfterMs', async () => {
    const date = new Date(Date.now() + 30_000).toUTCString();
    const { client } = await setup([{ status: 429, headers: { 'retry-after': date } }], { retries: 0 });
    const error = await failure(client.getOrder(uuid));
    expect(error).toBeInstanceOf(PointsRateLimitError);
    const retryAfterMs = (error as PointsRateLimitError).retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(25_000);
    expect(retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('429 without Retry-After backs off exponentially and gives up after `retries`', async () => {
    const { client, server, sleeps } = await setup([{ status: 429, body: envelope('Locked') }]);
    const error = await failure(client.getOrder(uuid));
    expect(error).toBeInstanceOf(PointsRateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: undefined });
    expect(server.requests).toHaveLength(4);
    // random() = 0 → half of 250 ms × 2^(n−1)
    expect(sleeps).toEqual([125, 250, 500]);
  });

  it('backoff is jittered and capped at 10 s', async () => {
    const { client, sleeps } = await setup([{ status: 503 }], { retries: 8, random: () => 0.999999 });
    await failure(client.getOrder(uuid));
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('a Retry-After beyond 60 s is handed to the caller instead of waited for', async () => {
    const { client, server, sleeps } = await setup([{ status: 429, headers: { 'retry-after': '120' } }]);
    const error = await failure(client.getOrder(uuid));
    expect((error as PointsRateLimitError).retryAfterMs).toBe(120_000);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('an earning call is retried on 429 (the lock answer means nothing happened)', async () => {
    const { client, server } = await setup([
      { status: 429, body: envelope('Another earning request is in progress') },
      { status: 200, body: fixture('earning-pending') },
    ]);
    const result = await client.createEarning(earning);
    expect(result.status).toBe('pending_client_activation');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.body).toBe(server.requests[1]?.body);
  });

  it('an order operation is not retried on 429', async () => {
    const { client, server } = await setup([{ status: 429 }]);
    const error = await failure(client.captureOrder(uuid));
    expect(error).toMatchObject({ code: 'rate_limited', outcomeUnknown: false });
    expect(server.requests).toHaveLength(1);
  });

  it('5xx on a GET is retried until it succeeds', async () => {
    const { client, server } = await setup([{ status: 502 }, { status: 503 }, { status: 200, body: order }]);
    await expect(client.getOrder(uuid)).resolves.toMatchObject({ uuid });
    expect(server.requests).toHaveLength(3);
  });

  it('5xx on a GET that never recovers is a server error with a known outcome', async () => {
    const { client, server } = await setup([{ status: 500, body: envelope('Server Error') }], { retries: 2 });
    const error = await failure(client.getOrder(uuid));
    expect(error).toBeInstanceOf(PointsServerError);
    expect(error).toMatchObject({ status: 500, outcomeUnknown: false, message: 'Server Error' });
    expect(server.requests).toHaveLength(3);
  });

  it('5xx on webhook PATCH, DELETE and integration status is retried', async () => {
    const { client, server } = await setup([
      { status: 500 },
      { status: 200, body: fixture('integration-status') },
    ]);
    await expect(client.setIntegrationStatus({ active: true })).resolves.toEqual({ active: true });
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    ['refundOrder', (c: Client) => c.refundOrder(uuid, { amount: 25 })],
    ['beginCheckout', (c: Client) => c.beginCheckout({ order_number: 'ORD-1', total_price: 10 })],
    ['createEarning', (c: Client) => c.createEarning(earning)],
    ['cancelOrder', (c: Client) => c.cancelOrder(uuid)],
    ['createWebhook', (c: Client) => c.createWebhook({ name: 'n', url: 'https://shop.example/hook' })],
  ])('5xx on %s is not retried: the outcome is unknown', async (_name, run) => {
    const { client, server } = await setup([{ status: 500, body: envelope('Server Error') }]);
    const error = await failure(run(client));
    expect(error).toBeInstanceOf(PointsServerError);
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toMatch(/outcome is unknown/);
    expect(server.requests).toHaveLength(1);
  });
});

type Client = ReturnType<typeof createPointsClient>;

describe('client errors — timeouts, aborts and network failures', () => {
  it('a refund that gets no answer times out with an unknown outcome, sent once', async () => {
    const { client, server } = await setup([{ hang: true }], { timeoutMs: 400 });
    const error = await failure(client.refundOrder(uuid));
    expect(error).toBeInstanceOf(PointsTimeoutError);
    expect(error).toMatchObject({ code: 'timeout', status: null, outcomeUnknown: true });
    expect(server.requests).toHaveLength(1);
  });

  it('a GET that times out is retried, then reported with a known outcome', async () => {
    const { client, server } = await setup([{ hang: true }], { timeoutMs: 400, retries: 1 });
    const error = await failure(client.getOrder(uuid));
    expect(error).toBeInstanceOf(PointsTimeoutError);
    expect(error.outcomeUnknown).toBe(false);
    expect(server.requests).toHaveLength(2);
  });

  it('a per-call timeout overrides the client default', async () => {
    const { client } = await setup([{ hang: true }], { timeoutMs: 60_000 });
    await expect(client.captureOrder(uuid, { timeoutMs: 50 })).rejects.toBeInstanceOf(PointsTimeoutError);
  });

  it('times out even when the injected fetch ignores the signal', async () => {
    const client = createPointsClient({
      privateKey,
      baseUrl: 'https://points.test/api',
      timeoutMs: 50,
      retries: 0,
      fetch: () => new Promise<Response>(() => {}),
    });
    await expect(client.getOrder(uuid, { timeoutMs: 50 })).rejects.toBeInstanceOf(PointsTimeoutError);
  });

  it("the caller's signal aborts the call", async () => {
    const { client, server } = await setup([{ hang: true }]);
    const controller = new AbortController();
    const pending = client.authorizeOrder(uuid, { signal: controller.signal });
    await waitFor(() => server.requests.length === 1);
    controller.abort();
    const error = await failure(pending);
    expect(error).toBeInstanceOf(PointsAbortedError);
    expect(error.outcomeUnknown).toBe(true);
  });

  it('a signal aborted before the call sends nothing and leaves a known outcome', async () => {
    const { client, server } = await setup([{ status: 200, body: order }]);
    const error = await failure(client.refundOrder(uuid, {}, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(PointsAbortedError);
    expect(error.outcomeUnknown).toBe(false);
    expect(server.requests).toHaveLength(0);
  });

  it('aborting while waiting to retry stops the retries', async () => {
    const controller = new AbortController();
    const { client, server } = await setup([{ status: 503 }], {
      sleep: (_ms, signal) =>
        new Promise<void>((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason as Error));
          controller.abort();
        }),
    });
    const error = await failure(client.getOrder(uuid, { signal: controller.signal }));
    expect(error).toBeInstanceOf(PointsAbortedError);
    expect(server.requests).toHaveLength(1);
  });

  it('a closed port is a network error; nothing was sent, so the outcome is known', async () => {
    const port = await closedPort();
    const sleeps: number[] = [];
    const client = createPointsClient({
      privateKey,
      baseUrl: `http://127.0.0.1:${port}/api`,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const refund = await failure(client.refundOrder(uuid));
    expect(refund).toBeInstanceOf(PointsNetworkError);
    expect(refund).toMatchObject({ code: 'network', status: null, outcomeUnknown: false });
    expect(refund.message).toContain('ECONNREFUSED');
    expect(sleeps).toEqual([]);

    const get = await failure(client.getOrder(uuid));
    expect(get).toBeInstanceOf(PointsNetworkError);
    expect(sleeps).toHaveLength(3);
  });

  it('a connection dropped after sending a refund leaves the outcome unknown', async () => {
    const { client, server } = await setup([{ destroy: true }]);
    const error = await failure(client.refundOrder(uuid, { amount: 10 }));
    expect(error).toBeInstanceOf(PointsNetworkError);
    expect(error.outcomeUnknown).toBe(true);
    expect(server.requests).toHaveLength(1);
  });
});

describe('client errors — security', () => {
  it.each([
    'http://points.example.com/api',
    'http://10.0.0.5/api',
    'http://127.example.com/api',
    'ftp://127.0.0.1/api',
    'not a url',
    'https://user:pass@business.papp.sa/api',
  ])('refuses the base URL %s at creation', (baseUrl) => {
    expect(() => createPointsClient({ privateKey, baseUrl })).toThrow(TypeError);
  });

  it.each([
    'http://127.0.0.1:4010/api',
    'http://127.1.2.3/api',
    'http://localhost:8080/api',
    'http://[::1]:9/api',
  ])('allows plain http to the loopback host %s', (baseUrl) => {
    expect(() => createPointsClient({ privateKey, baseUrl })).not.toThrow();
  });

  it('refuses to start without a private key or base URL', () => {
    expect(() => createPointsClient({ privateKey: '', environment: 'sandbox' })).toThrow(/privateKey/);
    expect(() => createPointsClient({ privateKey })).toThrow(/environment/);
  });

  it('never puts the private key in errors, even when Points echoes it', async () => {
    const echo = `Invalid or inactive API key ${privateKey}`;
    const errors: unknown[] = [];
    for (const answer of [
      { status: 400, body: envelope(echo) },
      { status: 400, body: envelope('Invalid or inactive API key') },
      { status: 422, body: { message: echo, errors: { [privateKey]: [echo] } } },
      { status: 500, body: envelope(echo) },
      { status: 429, body: envelope(echo) },
      { status: 200, body: { status: false, message: echo } },
      { status: 200, body: { status: true, data: { uuid: privateKey } } },
    ] satisfies ScriptedAnswer[]) {
      const { client } = await setup([answer], { retries: 0 });
      errors.push(await failure(client.refundOrder(uuid)));
    }
    const { client: hanging } = await setup([{ hang: true }], { timeoutMs: 50 });
    errors.push(await failure(hanging.cancelOrder(uuid)));
    const port = await closedPort();
    const refused = createPointsClient({ privateKey, baseUrl: `http://127.0.0.1:${port}/api` });
    errors.push(await failure(refused.captureOrder(uuid)));

    expect((errors[0] as Error).message).toBe('Invalid or inactive API key [redacted]');
    expect(errors[0]).toBeInstanceOf(PointsBadRequestError);
    for (const error of errors) {
      for (let current: unknown = error; current; current = (current as Error).cause) {
        const texts = [
          String(current),
          (current as Error).stack ?? '',
          JSON.stringify(current),
          inspect(current, { showHidden: true, depth: Infinity }),
        ];
        for (const text of texts) expect(text).not.toContain(privateKey);
      }
    }
  });

  it('reports every attempt to onResponse with the route template, never a key', async () => {
    const seen: unknown[] = [];
    const { client } = await setup(
      [{ status: 503 }, { status: 200, body: { data: { checkout_url: 'https://pay.test/s/1' } } }],
      {
        onResponse: (info) => seen.push(info),
      },
    );
    await client.getOrder(uuid).catch(() => undefined);
    await client.beginCheckout({ order_number: 'A-1', total_price: 1 });
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v1/orders/{orderUuid}', status: 503, attempt: 1 });
    expect(seen[1]).toMatchObject({ method: 'GET', status: 200, attempt: 2 });
    expect(seen[2]).toMatchObject({ method: 'POST', path: '/v1/orders/checkout/{publicKey}', status: 200 });
    expect(JSON.stringify(seen)).not.toContain('test_public_key');
    expect(JSON.stringify(seen)).not.toContain(privateKey);
  });

  it('a throwing onResponse hook does not break the call', async () => {
    const { client } = await setup([{ status: 200, body: order }], {
      onResponse: () => {
        throw new Error('metrics down');
      },
    });
    await expect(client.getOrder(uuid)).resolves.toMatchObject({ uuid });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
