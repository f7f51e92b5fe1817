import { afterEach, describe, expect, it } from 'vitest';
import { requestBodyLimitBytes } from '../../server/app.ts';
import { storeEngines } from '../support/databases.ts';
import { createHarness, storeUrl, type Harness } from './edge-harness.ts';

const adminToken = 'test-admin-token-00000000000000000000';
let harness: Harness;
afterEach(() => harness?.close());

/** Every route that reads a body, besides the webhook (its own 64 KB limit is tested with it). */
const bodyRoutes = [
  '/checkout',
  '/admin/orders/ORD-1/refund',
  '/admin/orders/ORD-1/cancel',
  '/admin/orders/ORD-1/complete',
  '/admin/orders/ORD-1/ship',
  '/admin/earnings',
  '/admin/webhooks',
  '/admin/reconcile',
];

const headers = {
  'content-type': 'application/json',
  origin: storeUrl,
  authorization: `Bearer ${adminToken}`,
};

/** A body streamed in 16 KB chunks (no declared length), `total` bytes long. */
function streamed(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const chunk = new TextEncoder().encode(' '.repeat(Math.min(16 * 1024, total - sent)));
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

describe.each(storeEngines)('request body limits on %s', (engine) => {
  it('every route that reads a body refuses one over the limit with 413, declared or streamed', async () => {
    harness = await createHarness(engine, { env: { ADMIN_TOKEN: adminToken } });
    for (const path of bodyRoutes) {
      const declared = await harness.edge.app.request(path, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(200 * 1024 * 1024) },
        body: '{}',
      });
      expect(declared.status, path).toBe(413);
      expect(await declared.json()).toMatchObject({ code: 'payload_too_large' });

      const chunked = await harness.edge.app.request(path, {
        method: 'POST',
        headers,
        body: streamed(requestBodyLimitBytes + 1),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status, path).toBe(413);
    }
  });

  it('a streamed body within the limit still reaches the route', async () => {
    harness = await createHarness(engine);
    const body = JSON.stringify({ items: [{ sku: 'CUP', quantity: 2 }] });
    const res = await harness.edge.app.request('/checkout', {
      method: 'POST',
      headers,
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
  });

  it('a checkout upload the client aborts is a 400, not a 500', async () => {
    harness = await createHarness(engine);
    const res = await harness.edge.app.request('/checkout', {
      method: 'POST',
      headers: { ...headers, 'content-length': '100' },
      body: new ReadableStream({
        pull(controller) {
          controller.error(new Error('aborted'));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'bad_request' });
  });
});
