import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, findChromium } from '../test/support/chromium.ts';
import { hydrationGzipBytes, productPageGzipBytes } from '../widgets/build/budgets.ts';
import { renderWidget } from '../widgets/ssr/index.ts';
import type { BenchRow } from './run.ts';
import { startWidgetPageServer } from './support/widget-page-server.ts';

/** The store pages that hold widgets, each with the elements a real one has. */
async function pages(): Promise<Record<string, { label: string; body: string }>> {
  return {
    product: {
      label: 'product page',
      body: '<points-product-message amount="199.00"></points-product-message>',
    },
    'product-ssr': {
      label: 'product page, server-rendered',
      body: await renderWidget('points-product-message', { amount: '199.00', 'earn-rate': '10', lang: 'ar' }),
    },
    checkout: {
      label: 'checkout page',
      body:
        '<points-checkout-message amount="450.00"></points-checkout-message>' +
        '<points-pay-button order-token="t"></points-pay-button>',
    },
    return: {
      label: 'return page',
      body: '<points-order-status order-number="1042" token="t"></points-order-status>',
    },
  };
}

const config = { environment: 'sandbox', currency: 'SAR', earnRate: 10, features: {}, defaultLanguage: 'ar' };
const status = {
  orderNumber: '1042',
  state: 'confirmed',
  final: true,
  amount: '199.00',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/** Serves the built bundle, the pages, `/config` and a confirmed order's status. */
async function startServer(bodies: Record<string, string>) {
  return startWidgetPageServer((path, response) => {
    const page = /^\/page\/([\w-]+)$/.exec(path)?.[1];
    const json = (value: unknown) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (page && bodies[page] !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>bench</title>
<script type="module" src="/widgets.js"></script></head><body>${bodies[page]}</body></html>`);
    } else if (path === '/config') {
      json(config);
    } else if (path === '/orders/1042/status') {
      json(status);
    } else if (path === '/favicon.ico') {
      response.writeHead(204).end();
    } else {
      return false;
    }
    return true;
  });
}

/** Every script Chromium fetches for `url` until the network is idle (before any click), gzip -9 each. */
async function fetchedScripts(browser: Browser, url: string): Promise<{ files: string[]; bytes: number }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sizes: Array<Promise<[string, number]>> = [];
  const missing: string[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    const name = new URL(response.url()).pathname.slice(1);
    if (response.status() !== 200) missing.push(`${name} (${response.status()})`);
    sizes.push(response.body().then((body) => [name, gzipSync(body, { level: 9 }).length]));
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  // A missing file would count as a few bytes of 404 page.
  if (missing.length > 0) throw new Error(`not served: ${missing.join(', ')}; build first (npm run build)`);
  const fetched = await Promise.all(sizes);
  await context.close();
  return {
    files: fetched.map(([name]) => name),
    bytes: fetched.reduce((total, [, bytes]) => total + bytes, 0),
  };
}

/**
 * The JavaScript each kind of store page makes a real browser fetch: the loader, the entry and every chunk
 * Chromium asks for while the page loads and its elements render (the info dialog and the pay flow,
 * loaded on a click, are not counted). Throws when a product page, or what a server-rendered one adds, is over
 * the budget the build checks (widgets/build/budgets.ts): the browser's count holds the build's to account.
 */
export async function pageBytes(): Promise<BenchRow[]> {
  const kinds = await pages();
  const { server, url } = await startServer(
    Object.fromEntries(Object.entries(kinds).map(([name, { body }]) => [name, body])),
  );
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
  try {
    const rows: BenchRow[] = [];
    for (const [name, { label }] of Object.entries(kinds)) {
      const { files, bytes } = await fetchedScripts(browser, `${url}/page/${name}`);
      rows.push({
        name: `widgets: JS fetched, ${label}`,
        value: bytes,
        unit: 'bytes',
        note: `gzip -9 of each script Chromium fetched before any click: ${files.join(', ')}`,
      });
    }
    const bytesOf = (name: string) => rows[Object.keys(kinds).indexOf(name)]!.value;
    const product = bytesOf('product');
    const hydration = bytesOf('product-ssr') - product;
    if (product > productPageGzipBytes || hydration > hydrationGzipBytes) {
      throw new Error(
        `page bytes over budget: a product page fetched ${product} B (budget ${productPageGzipBytes} B), ` +
          `server-rendered ${hydration} B more (budget ${hydrationGzipBytes} B)`,
      );
    }
    return rows;
  } finally {
    await browser.close();
    server.close();
  }
}
