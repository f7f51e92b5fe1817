import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, storeUrl, testSecrets, type Harness } from '../server/edge-harness.ts';

let harness: Harness;

/** A minimal built bundle, so the widget routes answer as in production whether or not `dist/` exists. */
function fakeWidgetBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'points-chaos-widgets-'));
  writeFileSync(join(dir, 'points-widgets.js'), "export * from './widgets.abc123.js';\n");
  writeFileSync(join(dir, 'widgets.abc123.js'), 'export const ok = true;\n');
  writeFileSync(join(dir, 'points-widgets-chunk-def456.js'), 'export const chunk = true;\n');
  return dir;
}

beforeAll(async () => {
  harness = await createHarness('sqlite', { widgetsDir: fakeWidgetBundle() });
});
afterAll(() => harness?.close());

const routes = [
  '/config',
  '/healthz',
  '/readyz',
  '/widgets.json',
  '/widgets.js',
  '/points-widgets.js',
  '/widgets.abc123.js',
  '/checkout',
  '/callback',
  '/return',
  '/orders/ORD-1/status',
  '/webhooks/points',
];

const segment = fc.string({ maxLength: 40 }).map(encodeURIComponent);
const path = fc.oneof(
  fc.constantFrom(...routes),
  segment.map((value) => `/orders/${value}/status`),
  segment.map((value) => `/${value}.js`),
  fc.webPath(),
);
const query = fc
  .dictionary(
    fc.constantFrom('order', 'token', 'order_uuid', 'status', 'order_number', 'lang', 'x'),
    fc.string(),
    {
      maxKeys: 4,
    },
  )
  .map((entries) => new URLSearchParams(entries).toString());
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
);
const jsonish = fc.oneof(
  fc.string(),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.constantFrom('{', '{"items":', '[]', 'null', '{"orderToken":""}', '\u0000', '{"__proto__":{"x":1}}'),
);
const checkoutBody = fc
  .oneof(
    fc.record({
      items: fc.array(
        fc.record({
          sku: fc.oneof(fc.string(), fc.constantFrom('CUP', 'COFFEE-SET')),
          quantity: fc.jsonValue(),
        }),
        { maxLength: 3 },
      ),
    }),
    fc.record({ orderToken: fc.oneof(fc.string(), fc.constant('a.b.c')) }),
    fc.record({ orderNumber: fc.jsonValue() }),
    fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
  )
  .map((value) => JSON.stringify(value));
/** A real-looking order event with one field replaced by an arbitrary JSON value. */
const webhookBody = fc
  .tuple(
    fc.constantFrom(
      'approved',
      'cancelled',
      'refunded',
      'shipping_status_updated',
      'completed',
      'unknown_event',
      '',
    ),
    fc.constantFrom(
      'id',
      'order_number',
      'total_price',
      'total_points',
      'updated_at',
      'order_status',
      'refund_amount',
      'status',
    ),
    fc.jsonValue(),
  )
  .map(([event, field, value]) => {
    const order: Record<string, unknown> = {
      id: '9b2f7c1e-0000-4000-8000-000000000001',
      order_number: 'ORD-1',
      total_price: 100,
      total_points: 0,
      payment_status: 'fully_paid',
      order_status: 'approved',
      created_at: '2026-04-20T10:00:00.000000Z',
      updated_at: '2026-04-20T10:00:00.000000Z',
    };
    order[field] = value;
    return JSON.stringify({ event, order });
  });

interface Call {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string | undefined;
}

async function call({ method, path, query, headers, body }: Call): Promise<Response> {
  return harness.edge.app.request(`${path}${query ? `?${query}` : ''}`, {
    method,
    headers,
    ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
  });
}

/** No 5xx, and every error is an RFC 9457 problem document whose `status` is the HTTP status. */
async function expectCleanAnswer(request: Call): Promise<void> {
  const response = await call(request);
  expect(response.status, `${request.method} ${request.path}`).toBeLessThan(500);
  if (response.status >= 400 && request.method !== 'HEAD') {
    expect(response.headers.get('content-type'), `${request.method} ${request.path}`).toMatch(
      /^application\/problem\+json/,
    );
    const problem = (await response.json()) as { status: unknown; code: unknown };
    expect(problem.status).toBe(response.status);
    expect(typeof problem.code).toBe('string');
  } else {
    await response.arrayBuffer();
  }
}

const headers = fc.record({
  'content-type': contentType,
  origin: fc.constantFrom(storeUrl, 'https://evil.example', 'null'),
  'x-webhook-secret': fc.constantFrom(testSecrets.webhook, testSecrets.previousWebhook, 'wrong', ''),
});

describe('bad input on every public route', () => {
  it('any method, path, query, headers and body: no 5xx, errors are problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
          path,
          query,
          headers,
          body: fc.option(jsonish, { nil: undefined }),
        }),
        expectCleanAnswer,
      ),
      { numRuns: 400 },
    );
  });

  it('POST /checkout with near-valid JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(checkoutBody, headers, (body, extra) =>
        expectCleanAnswer({ method: 'POST', path: '/checkout', query: '', headers: extra, body }),
      ),
      { numRuns: 300 },
    );
  });

  it('POST /webhooks/points with the right secret and one field of a real event replaced', async () => {
    await fc.assert(
      fc.asyncProperty(webhookBody, (body) =>
        expectCleanAnswer({
          method: 'POST',
          path: '/webhooks/points',
          query: '',
          headers: { 'content-type': 'application/json', 'x-webhook-secret': testSecrets.webhook },
          body,
        }),
      ),
      { numRuns: 300 },
    );
  });
});
