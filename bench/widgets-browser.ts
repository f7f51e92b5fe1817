import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, findChromium } from '../test/support/chromium.ts';
import type { BenchRow } from './run.ts';
import { percentile, round } from './support/stats.ts';
import { distDir, startWidgetPageServer } from './support/widget-page-server.ts';

/** The space reservation the widgets README tells merchants to put in their stylesheet. */
const reservationCss = `points-product-message:not(:defined) { display: block; min-block-size: 3rem; }`;

function productPage(count: number): string {
  const elements = Array.from(
    { length: count },
    (_, i) => `<p>Product ${i + 1}</p><points-product-message amount="199.00"></points-product-message>`,
  ).join('\n');
  return `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>bench</title>
<style>body { font: 16px/1.5 sans-serif; max-width: 560px; margin: 0 auto; } ${reservationCss}</style>
<script type="module" src="/points-widgets.js"></script></head><body>${elements}</body></html>`;
}

/** Serves the built bundle, product pages of N elements and `/config`, counting what each page asks for. */
async function startPageServer(): Promise<{ server: Server; url: string; served: string[] }> {
  const served: string[] = [];
  const { server, url } = await startWidgetPageServer((path, response, searchParams) => {
    served.push(path);
    if (path === '/page') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(productPage(Number(searchParams.get('n') ?? 1)));
      return true;
    }
    if (path === '/config') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          environment: 'sandbox',
          currency: 'SAR',
          earnRate: 10,
          features: {},
          defaultLanguage: 'ar',
        }),
      );
      return true;
    }
    return false;
  });
  return { server, url, served };
}

/** Loads of each page (1 and 50 elements). */
const pageLoads = 5;

/** Median scripting time; the worst CLS and the most `/config` requests of any load. */
function summarise(loads: PageMeasure[]): PageMeasure {
  return {
    scriptingMs: percentile(
      loads.map((load) => load.scriptingMs),
      50,
    ),
    cls: Math.max(...loads.map((load) => load.cls)),
    configRequests: Math.max(...loads.map((load) => load.configRequests)),
    jsFiles: [...new Set(loads.flatMap((load) => load.jsFiles))],
  };
}

function scriptingNote(loads: PageMeasure[]): string {
  const each = loads.map((load) => round(load.scriptingMs, 1)).join(' / ');
  return `CDP ScriptDuration of a page load, median of ${loads.length} (${each} ms)`;
}

interface PageMeasure {
  scriptingMs: number;
  cls: number;
  configRequests: number;
  jsFiles: string[];
}

async function measurePage(
  browser: Browser,
  base: string,
  served: string[],
  count: number,
): Promise<PageMeasure> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const state = { ready: 0, cls: 0 };
    (globalThis as unknown as { benchState: typeof state }).benchState = state;
    document.addEventListener('points-ready', () => state.ready++);
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<
        PerformanceEntry & { value: number; hadRecentInput: boolean }
      >) {
        if (!entry.hadRecentInput) state.cls += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  served.length = 0;
  await page.goto(`${base}/page?n=${count}`);
  await page.waitForFunction(
    (n) => (globalThis as unknown as { benchState: { ready: number } }).benchState.ready >= n,
    count,
  );
  // Let late shifts (fonts, a second render) land before reading CLS.
  await page.evaluate(() => new Promise((done) => setTimeout(done, 500)));
  const cls = await page.evaluate(
    () => (globalThis as unknown as { benchState: { cls: number } }).benchState.cls,
  );
  const { metrics } = await cdp.send('Performance.getMetrics');
  const scriptingMs =
    (metrics.find((metric) => metric.name === 'ScriptDuration')?.value ?? Number.NaN) * 1000;
  const result = {
    scriptingMs,
    cls,
    configRequests: served.filter((path) => path === '/config').length,
    jsFiles: [...new Set(served.filter((path) => path.endsWith('.js')))],
  };
  await context.close();
  return result;
}

/** Milliseconds from `setAttribute('amount')` to the new estimate in the shadow DOM, median of 30 changes. */
async function attributeUpdateMs(browser: Browser, base: string): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/page?n=1`);
  await page.waitForFunction(() =>
    document.querySelector('points-product-message')?.shadowRoot?.textContent?.includes('1,990'),
  );
  const times = await page.evaluate(async () => {
    const element = document.querySelector('points-product-message')!;
    const results: number[] = [];
    for (let i = 1; i <= 30; i++) {
      const expected = (1000 + i * 10).toLocaleString('en');
      const started = performance.now();
      element.setAttribute('amount', `${100 + i}.00`);
      await new Promise<void>((done) => {
        const check = () => {
          if (element.shadowRoot?.textContent?.includes(expected)) {
            observer.disconnect();
            done();
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(element.shadowRoot!, { subtree: true, childList: true, characterData: true });
        check();
      });
      results.push(performance.now() - started);
    }
    return results;
  });
  await context.close();
  return percentile(times, 50);
}

async function gzipBytes(files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += gzipSync(await readFile(`${distDir}/${file}`), { level: 9 }).length;
  return total;
}

/**
 * The built widgets in headless Chromium: what a product page downloads, scripting time and layout shift
 * for 1 and 50 `<points-product-message>` elements, `/config` requests per page, and attribute-to-text time.
 * Run after the build (the size bench builds first).
 */
export async function widgetsBrowser(): Promise<BenchRow[]> {
  const { server, url, served } = await startPageServer();
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
  try {
    // Several loads of each page, interleaved: one page load's scripting time swings with the machine.
    const ones: PageMeasure[] = [];
    const fifties: PageMeasure[] = [];
    for (let load = 0; load < pageLoads; load++) {
      ones.push(await measurePage(browser, url, served, 1));
      fifties.push(await measurePage(browser, url, served, 50));
    }
    const [one, fifty] = [summarise(ones), summarise(fifties)];
    const updateMs = await attributeUpdateMs(browser, url);
    const pageFiles = one.jsFiles.map((path) => path.slice(1));
    return [
      {
        name: 'widgets: product page JS, gzip -9',
        value: await gzipBytes(pageFiles),
        unit: 'bytes',
        note: `what a page with one element loads: ${pageFiles.join(', ')}`,
      },
      {
        name: 'widgets: scripting, 1 element',
        value: round(one.scriptingMs, 1),
        unit: 'ms',
        note: scriptingNote(ones),
      },
      {
        name: 'widgets: scripting, 50 elements',
        value: round(fifty.scriptingMs, 1),
        unit: 'ms',
        note: scriptingNote(fifties),
      },
      {
        name: 'widgets: CLS, 1 element',
        value: round(one.cls, 4),
        unit: 'score',
        note: `with the README reservation CSS; worst of ${pageLoads} loads`,
      },
      {
        name: 'widgets: CLS, 50 elements',
        value: round(fifty.cls, 4),
        unit: 'score',
        note: `with the README reservation CSS; worst of ${pageLoads} loads`,
      },
      {
        name: 'widgets: /config requests, 50 elements',
        value: fifty.configRequests,
        unit: 'requests',
        note: `must be 1 (1 element: ${one.configRequests}); most of ${pageLoads} loads`,
      },
      {
        name: 'widgets: attribute change to new text',
        value: round(updateMs, 3),
        unit: 'ms',
        note: 'median of 30 amount changes',
      },
    ];
  } finally {
    await browser.close();
    server.close();
  }
}
