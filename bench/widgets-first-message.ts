import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, findChromium } from '../test/support/chromium.ts';
import { renderWidget } from '../widgets/ssr/index.ts';
import type { BenchRow } from './run.ts';
import { percentile, round } from './support/stats.ts';
import { startWidgetPageServer } from './support/widget-page-server.ts';

const attributes = { amount: '199.00', 'earn-rate': '10', lang: 'ar' };
/** What the shopper reads once the message is there (Latin digits: the default `numerals`). */
const expectedPoints = '1,990';
/** A mid-range phone, as Lighthouse's mobile preset slows the CPU. */
const cpuSlowdown = 4;
const loads = 7;

function page(body: string): string {
  return `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>bench</title>
<style>body { font: 16px/1.5 sans-serif; max-width: 560px; margin: 0 auto; }
points-product-message:not(:defined) { display: block; min-block-size: 3rem; }</style>
<script type="module" src="/points-widgets.js"></script></head><body><h1>Product</h1>${body}</body></html>`;
}

/** Serves the built bundle and two pages: the element rendered by its script, and rendered on the server. */
async function startServer(): Promise<{ server: Server; url: string }> {
  const clientPage = page(
    `<points-product-message amount="199.00" earn-rate="10" lang="ar"></points-product-message>`,
  );
  const serverPage = page(await renderWidget('points-product-message', attributes));
  return startWidgetPageServer((path, response) => {
    if (path === '/client' || path === '/server') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(path === '/client' ? clientPage : serverPage);
      return true;
    }
    if (path === '/config') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ environment: 'sandbox', currency: 'SAR', earnRate: 10, features: {} }));
      return true;
    }
    return false;
  });
}

/**
 * Milliseconds from navigation start to the first animation frame in which the element's shadow root
 * holds the earn text: the first frame the shopper can read it in.
 */
async function firstMessageMs(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  await page.addInitScript((expected) => {
    const seen = { at: 0 };
    (globalThis as unknown as { firstMessage: typeof seen }).firstMessage = seen;
    const look = () => {
      const root = document.querySelector('points-product-message')?.shadowRoot;
      if (root?.textContent?.includes(expected)) seen.at = performance.now();
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  }, expectedPoints);
  await page.goto(url);
  await page.waitForFunction(
    () => (globalThis as unknown as { firstMessage: { at: number } }).firstMessage.at > 0,
  );
  const at = await page.evaluate(
    () => (globalThis as unknown as { firstMessage: { at: number } }).firstMessage.at,
  );
  await context.close();
  return at;
}

/**
 * Time to the first visible product message, rendered by the script versus rendered on the server
 * (`renderWidget`), in headless Chromium with the CPU slowed 4×. Run after the build.
 */
export async function widgetsFirstMessage(): Promise<BenchRow[]> {
  const { server, url } = await startServer();
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
  try {
    const client: number[] = [];
    const rendered: number[] = [];
    // Interleaved, so a busy moment of the machine hits both alike.
    for (let load = 0; load < loads; load++) {
      client.push(await firstMessageMs(browser, `${url}/client`));
      rendered.push(await firstMessageMs(browser, `${url}/server`));
    }
    const note = (times: number[]) =>
      `navigation to the first frame showing the message, CPU ${cpuSlowdown}× slower, local network; median of ${loads} (${times.map((time) => round(time, 0)).join(' / ')} ms)`;
    return [
      {
        name: 'widgets: first visible message, client render',
        value: round(percentile(client, 50), 1),
        unit: 'ms',
        note: note(client),
      },
      {
        name: 'widgets: first visible message, server render',
        value: round(percentile(rendered, 50), 1),
        unit: 'ms',
        note: note(rendered),
      },
    ];
  } finally {
    await browser.close();
    server.close();
  }
}
