import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { OrderView } from '../../server/admin/operations.ts';

/** One order as the demo's merchant view lists it. */
export interface StoreOrder {
  orderNumber: string;
  state: string;
  total: string;
  refunded: string;
  pointsRedeemed: number;
  pointsUuid: string | null;
  updatedAt: string;
}

/** The merchant view's row for an order as the edge admin API (`GET /admin/orders`) gives it. */
function storeOrder(order: OrderView): StoreOrder {
  return {
    orderNumber: order.orderNumber,
    state: order.state,
    total: order.expectedTotal,
    refunded: order.refundedTotal,
    pointsRedeemed: order.totalPoints ?? 0,
    pointsUuid: order.pointsUuid,
    updatedAt: order.updatedAt,
  };
}

/** Options for {@link createStoreApp}. */
export interface StoreAppOptions {
  /** The edge server's base URL: pages load `{edgeUrl}/widgets.js` and the CSP allows it. */
  edgeUrl: string;
  /** The edge server's ADMIN_TOKEN: the merchant view lists and refunds orders through its admin API (`/admin/…`). */
  adminToken?: string;
  /** Transport to the edge server's admin API (tests). */
  fetch?: typeof fetch;
  /** Folder holding the store's pages; defaults to `demo/store/pages`. */
  pagesDir?: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

const languages = ['ar', 'en'] as const;

/** Reads `name` inside `dir`, refusing any path that climbs out of it. */
async function readInside(dir: string, name: string): Promise<Buffer | undefined> {
  const root = resolve(dir);
  const path = normalize(join(root, name));
  if (!path.startsWith(root + '/')) return undefined;
  return readFile(path).catch(() => undefined);
}

/**
 * The demo store, a fictional Saudi coffee shop: plain HTML pages (Arabic under `/ar/`, English under
 * `/en/`) that use the widgets only through the public script tag `{edgeUrl}/widgets.js`, plus a small
 * store script. Pages are served with a strict CSP that allows only the store itself and the edge server.
 *
 * @example
 * serve({ fetch: createStoreApp({ edgeUrl: 'http://127.0.0.1:8787' }).fetch, port: 3000 });
 */
export function createStoreApp(options: StoreAppOptions): Hono {
  const pagesDir = options.pagesDir ?? new URL('./pages', import.meta.url).pathname;
  const edgeUrl = options.edgeUrl.replace(/\/+$/, '');
  const csp = [
    "default-src 'none'",
    `script-src 'self' ${edgeUrl}`,
    `connect-src 'self' ${edgeUrl}`,
    `style-src 'self' ${edgeUrl}`,
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const app = new Hono();

  app.get('/', (c) => c.redirect('/ar/', 302));

  // The edge server sends every shopper back to one return URL; the store picks the page in the
  // language the shopper browsed in (a cookie the store script sets).
  app.get('/return', (c) => {
    const lang = getCookie(c, 'demo_lang') === 'en' ? 'en' : 'ar';
    const query = new URL(c.req.url).search;
    c.header('cache-control', 'no-store');
    return c.redirect(`/${lang}/return.html${query}`, 302);
  });

  // The merchant's order list: the latest orders from the edge server's admin API, read server-side with the
  // bearer token (which never reaches the browser).
  app.get('/demo-api/orders', async (c) => {
    if (!options.adminToken) return c.json({ error: 'orders are not available' }, 503);
    const response = await (options.fetch ?? fetch)(`${edgeUrl}/admin/orders?limit=50`, {
      headers: { authorization: `Bearer ${options.adminToken}`, accept: 'application/json' },
    });
    if (!response.ok) return c.json({ error: 'orders are not available', status: response.status }, 502);
    c.header('cache-control', 'no-store');
    const orders = (await response.json()) as OrderView[];
    return c.json({ orders: orders.map(storeOrder) });
  });

  // The merchant's refund button: the store server calls the edge server's admin API with the bearer
  // token, which never reaches the browser. JSON only, so a cross-site form cannot trigger it.
  app.post('/demo-api/orders/:orderNumber/refund', async (c) => {
    if (!options.adminToken) return c.json({ error: 'refunds are not available' }, 503);
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      return c.json({ error: 'send application/json' }, 415);
    }
    const orderNumber = encodeURIComponent(c.req.param('orderNumber'));
    const response = await (options.fetch ?? fetch)(`${edgeUrl}/admin/orders/${orderNumber}/refund`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Refunded from the demo store' }),
    });
    return c.json({ ok: response.ok, status: response.status }, response.ok ? 200 : 502);
  });

  app.get('/*', async (c) => {
    let name = c.req.path.slice(1);
    if (languages.some((lang) => name === lang || name === `${lang}/`))
      name = `${name.slice(0, 2)}/index.html`;
    const body = await readInside(pagesDir, name);
    if (!body) return c.text('Not found', 404);
    const type = contentTypes[extname(name)] ?? 'application/octet-stream';
    if (type.startsWith('text/html')) {
      c.header('content-security-policy', csp);
      c.header('referrer-policy', 'no-referrer');
      return c.html(body.toString('utf8').replaceAll('{{EDGE_URL}}', edgeUrl));
    }
    return c.body(new Uint8Array(body), 200, { 'content-type': type });
  });

  return app;
}
