import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createStoreApp, type StoreOrder } from '../../demo/store/app.ts';

const edgeUrl = 'http://127.0.0.1:8787';
const order: StoreOrder = {
  orderNumber: 'ORD-1',
  state: 'confirmed',
  total: '65.00',
  refunded: '0.00',
  pointsRedeemed: 2167,
  pointsUuid: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const app = createStoreApp({ edgeUrl });
/** The admin API's view of {@link order} (`GET /admin/orders`), with the fields the store does not show. */
const adminView = {
  orderNumber: 'ORD-1',
  type: 'replacing',
  state: 'confirmed',
  pointsUuid: null,
  referenceNumber: 'REF-1',
  pointsStatus: 'approved',
  shippingStatus: null,
  expectedTotal: '65.00',
  settledTotal: '65.00',
  refundedTotal: '0.00',
  totalPoints: 2167,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/** A store app with the admin token whose calls to the edge admin API are recorded and answered by `answer`. */
function storeWithAdmin(answer: () => Response) {
  const calls: Array<{ url: string; authorization: string | null }> = [];
  const app = createStoreApp({
    edgeUrl,
    adminToken: 'test_admin_token',
    fetch: async (input, init) => {
      calls.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
      return answer();
    },
  });
  return { app, calls };
}

describe('demo store app: happy paths', () => {
  it('sends / to the Arabic store, the default language', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/ar/');
  });

  it.each(['/ar/', '/en/', '/ar/cart.html', '/en/return.html', '/en/orders.html'])(
    'serves %s as HTML loading the widgets from the edge server',
    async (path) => {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain(`<script type="module" src="${edgeUrl}/widgets.js"></script>`);
      expect(html).not.toContain('{{EDGE_URL}}');
    },
  );

  it('serves the Arabic pages right-to-left and the English ones left-to-right', async () => {
    expect(await (await app.request('/ar/')).text()).toContain('<html lang="ar" dir="rtl">');
    expect(await (await app.request('/en/')).text()).toContain('<html lang="en" dir="ltr">');
  });

  it('sends the shopper back to the return page in the language of the cookie, keeping the query', async () => {
    const english = await app.request('/return?outcome=success&order=ORD-1&token=t', {
      headers: { cookie: 'demo_lang=en' },
    });
    expect(english.status).toBe(302);
    expect(english.headers.get('location')).toBe('/en/return.html?outcome=success&order=ORD-1&token=t');
    const arabic = await app.request('/return?order=ORD-1');
    expect(arabic.headers.get('location')).toBe('/ar/return.html?order=ORD-1');
  });

  it('lists the latest orders for the merchant view, from the edge admin API with the bearer token', async () => {
    const { app: withAdmin, calls } = storeWithAdmin(() => Response.json([adminView]));
    const res = await withAdmin.request('/demo-api/orders');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ orders: [order] });
    expect(text).not.toContain('test_admin_token');
    expect(calls).toEqual([
      { url: `${edgeUrl}/admin/orders?limit=50`, authorization: 'Bearer test_admin_token' },
    ]);
  });

  it('serves the store script and stylesheet with their types', async () => {
    expect((await app.request('/store.js')).headers.get('content-type')).toContain('text/javascript');
    expect((await app.request('/store.css')).headers.get('content-type')).toContain('text/css');
  });
});

describe('demo store app: refunds through the edge admin API', () => {
  it('calls the admin API with the bearer token, which never reaches the browser', async () => {
    const { app: withAdmin, calls } = storeWithAdmin(() => new Response('{}', { status: 200 }));
    const res = await withAdmin.request('/demo-api/orders/ORD-1%2F2/refund', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain('test_admin_token');
    expect(calls).toEqual([
      { url: `${edgeUrl}/admin/orders/ORD-1%2F2/refund`, authorization: 'Bearer test_admin_token' },
    ]);
  });

  it('answers 502 when the admin API refuses the refund', async () => {
    const { app: refusing } = storeWithAdmin(() => new Response('{}', { status: 409 }));
    const res = await refusing.request('/demo-api/orders/ORD-1/refund', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ ok: false, status: 409 });
  });

  it('answers 503 without an admin token and 415 to a non-JSON (cross-site form) request', async () => {
    expect((await app.request('/demo-api/orders/ORD-1/refund', { method: 'POST' })).status).toBe(503);
    const withAdmin = createStoreApp({ edgeUrl, adminToken: 'test_admin_token' });
    const form = await withAdmin.request('/demo-api/orders/ORD-1/refund', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(form.status).toBe(415);
  });
});

describe('demo store app: errors', () => {
  it('answers 404 for unknown pages', async () => {
    expect((await app.request('/nope.html')).status).toBe(404);
    expect((await app.request('/fr/')).status).toBe(404);
  });

  it('answers 503 on the orders endpoint without an admin token, 502 when the admin API refuses', async () => {
    expect((await app.request('/demo-api/orders')).status).toBe(503);
    const { app: refusing } = storeWithAdmin(() => new Response('{}', { status: 401 }));
    const res = await refusing.request('/demo-api/orders');
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: 'orders are not available', status: 401 });
  });
});

describe('demo store app: security', () => {
  it('serves pages with a strict CSP that allows only the store and the edge server', async () => {
    const csp = (await app.request('/en/')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src 'self' ${edgeUrl}`);
    expect(csp).toContain(`connect-src 'self' ${edgeUrl}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('has no inline scripts or styles in its pages (the CSP would block them)', async () => {
    for (const path of [
      '/ar/',
      '/en/',
      '/ar/cart.html',
      '/en/cart.html',
      '/ar/return.html',
      '/en/orders.html',
    ]) {
      const html = await (await app.request(path)).text();
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html, path).not.toMatch(/<style|\sstyle=/);
    }
  });

  it('never serves files outside its pages folder', async () => {
    for (const path of ['/../app.ts', '/%2e%2e/app.ts', '/..%2fapp.ts', '/%2e%2e%2f%2e%2e%2fpackage.json']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
    }
  });
});

describe('demo catalog', () => {
  it('the prices the store shows match the catalog the edge server charges', () => {
    const catalog = JSON.parse(
      readFileSync(new URL('../../demo/store/catalog.json', import.meta.url), 'utf8'),
    ) as {
      products: Array<{ sku: string; price: string }>;
    };
    const script = readFileSync(new URL('../../demo/store/pages/store.js', import.meta.url), 'utf8');
    for (const { sku, price } of catalog.products) {
      expect(script, sku).toMatch(new RegExp(`'?${sku}'?: \\{[^}]*price: '${price.replace('.', '\\.')}'`));
    }
    for (const lang of ['ar', 'en']) {
      const page = readFileSync(
        new URL(`../../demo/store/pages/${lang}/index.html`, import.meta.url),
        'utf8',
      );
      for (const [, sku, price] of page.matchAll(/value="([A-Z0-9-]+)" data-price="([\d.]+)"/g)) {
        expect(catalog.products.find((product) => product.sku === sku)?.price, `${lang} ${sku}`).toBe(price);
      }
    }
  });
});
