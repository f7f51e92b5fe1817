import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemo, type DemoOptions, type RunningDemo } from '../../demo/demo.ts';
import { chromiumArgs, findChromium } from '../support/chromium.ts';

/** One started demo (free ports, temp data dir) and one browser, shared by a test file. */
export interface DemoHarness {
  demo: RunningDemo;
  browser: Browser;
  close(): Promise<void>;
}

export async function startHarness(sandbox: DemoOptions['sandbox'] = {}): Promise<DemoHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'points-demo-'));
  const demo = await startDemo({
    storePort: 0,
    edgePort: 0,
    sandboxPort: 0,
    dataDir,
    logger: pino({ level: 'silent' }),
    sandbox,
  });
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
  return {
    demo,
    browser,
    async close() {
      await browser.close();
      await demo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Our state of an order in the edge server's database. */
export async function orderState(demo: RunningDemo, orderNumber: string): Promise<string | undefined> {
  const row = await demo.edge.edge.context.store.db
    .selectFrom('orders')
    .select('state')
    .where('order_number', '=', orderNumber)
    .executeTakeFirst();
  return row?.state;
}

/** Resolves once the edge server has the order in `state` (event-driven through `onOrderUpdated`). */
export async function waitForOrderState(demo: RunningDemo, orderNumber: string, state: string) {
  await new Promise<void>((resolve) => {
    const listener = (event: { orderNumber: string; state: string }) => {
      if (event.orderNumber === orderNumber && event.state === state) done();
    };
    function done() {
      demo.orders.off('updated', listener);
      resolve();
    }
    demo.orders.on('updated', listener);
    void orderState(demo, orderNumber).then((current) => current === state && done());
  });
}

/** Adds a product variant to the cart through the product page's own controls. */
export async function addToCart(
  page: Page,
  storeUrl: string,
  lang: 'ar' | 'en',
  variant: string,
  quantity = 1,
) {
  await page.goto(`${storeUrl}/${lang}/`);
  await page.locator('.variant', { hasText: variant }).click();
  await page.fill('#quantity', String(quantity));
  await page.locator('#add-to-cart button[type=submit]').click();
  await page.locator('[data-added]:not(:empty)').waitFor();
}

/** Opens the cart, clicks the pay button and lands on the hosted Points page; returns the order number. */
export async function startCheckout(page: Page, storeUrl: string, lang: 'ar' | 'en'): Promise<string> {
  await page.goto(`${storeUrl}/${lang}/cart.html`);
  // Read the edge server's answer on its way to the pay button (the page navigates away right after).
  let orderNumber = '';
  await page.route('**/checkout', async (route) => {
    const response = await route.fetch();
    if (response.ok()) orderNumber = ((await response.json()) as { orderNumber: string }).orderNumber;
    await route.fulfill({ response });
  });
  await page.locator('points-pay-button button').click();
  await page.waitForURL(/\/session\//);
  return orderNumber;
}

/** Hosted page: phone, then OTP. */
export async function signIn(page: Page, phone: string) {
  await page.fill('#phone', phone);
  await page.locator('form[action*="/phone"] button.primary').click();
  await page.fill('#otp', '123456');
  await page.locator('form[action*="/otp"] button.primary').click();
}

export async function payByCard(page: Page, card = '4242424242424242') {
  await page.fill('#card_number', card);
  await page.fill('#card_expiry', '12/30');
  await page.fill('#card_cvc', '123');
  await page.locator('form[action*="/pay"] button.primary').click();
}

/** The return page's order-status element once it shows `state`. */
export async function waitForStatus(page: Page, state: string) {
  await page.locator(`points-order-status [part=root][data-state="${state}"]`).waitFor({ timeout: 30_000 });
}

/**
 * Where a test saves a screenshot: a git-ignored `test/e2e/screenshots/<name>.tmp.png`, so a test run leaves
 * the work tree clean; `UPDATE_SCREENSHOTS=1` (`npm run screenshots`) writes the README's `docs/screenshots/`.
 */
export function screenshotPath(name: string): string {
  const update = process.env.UPDATE_SCREENSHOTS === '1';
  const dir = new URL(update ? '../../docs/screenshots/' : './screenshots/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  return join(dir, update ? `${name}.png` : `${name}.tmp.png`);
}
