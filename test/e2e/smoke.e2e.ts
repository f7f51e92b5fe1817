import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart, screenshotPath, startHarness, type DemoHarness } from './demo-harness.ts';

let harness: DemoHarness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

/** A page that records script errors and CSP violations (the store serves a strict CSP). */
async function openPage(width = 1000, height = 700) {
  const context = await harness.browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  return { page, problems, close: () => context.close() };
}

const productMessage = (page: Page) =>
  page.locator('points-product-message[amount-from] [part=message]').innerText();

describe('the demo storefront', () => {
  it('the Arabic product page is the default, loads the widgets from the edge server and shows the points', async () => {
    const { page, problems, close } = await openPage();
    await page.goto(`${harness.demo.storeUrl}/`);
    expect(page.url()).toBe(`${harness.demo.storeUrl}/ar/`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    const script = await page.locator('script[src$="/widgets.js"]').getAttribute('src');
    expect(script).toBe(`${harness.demo.edgeUrl}/widgets.js`);
    await expect.poll(() => productMessage(page)).toContain('650');
    await page.screenshot({ path: screenshotPath('product-ar') });
    expect(problems).toEqual([]);
    await close();
  });

  it('changing the variant and the quantity updates the points message live', async () => {
    const { page, problems, close } = await openPage();
    await page.goto(`${harness.demo.storeUrl}/en/`);
    await expect.poll(() => productMessage(page)).toContain('Earn 650 Points');

    await page.locator('.variant', { hasText: '1 kg' }).click();
    expect(await page.locator('#price').innerText()).toBe('225.00');
    await expect.poll(() => productMessage(page)).toContain('Earn 2,250 Points');

    await page.fill('#quantity', '2');
    await expect.poll(() => productMessage(page)).toContain('Earn 4,500 Points');
    await page.locator('.variant', { hasText: '500 g' }).click();
    await expect.poll(() => productMessage(page)).toContain('Earn 2,400 Points');
    expect(problems).toEqual([]);

    await page.fill('#quantity', '1');
    await page.locator('.variant', { hasText: '250 g' }).click();
    await expect.poll(() => productMessage(page)).toContain('Earn 650 Points');
    await page.screenshot({ path: screenshotPath('product-en') });
    await close();
  });

  it('the cart page prices the cart, shows the checkout message and enables the pay button', async () => {
    for (const lang of ['ar', 'en'] as const) {
      const { page, problems, close } = await openPage();
      await page.goto(`${harness.demo.storeUrl}/${lang}/cart.html`);
      expect(await page.locator('points-pay-button').getAttribute('disabled')).toBe('');
      await addToCart(page, harness.demo.storeUrl, lang, lang === 'en' ? '500 g' : '٥٠٠ غ');
      await page.locator('[data-add="FINJAN-SET"]').click();
      await page.goto(`${harness.demo.storeUrl}/${lang}/cart.html`);
      expect(await page.locator('#total').innerText()).toBe('165.50');
      const items = JSON.parse((await page.locator('points-pay-button').getAttribute('items')) ?? '');
      expect(items).toEqual([
        { sku: 'KHAWLANI-500', quantity: 1 },
        { sku: 'FINJAN-SET', quantity: 1 },
      ]);
      expect(await page.locator('points-pay-button').getAttribute('disabled')).toBeNull();
      await expect
        .poll(() => page.locator('points-checkout-message [part=message]').innerText())
        .toContain('1,655');
      await page.screenshot({ path: screenshotPath(`checkout-${lang}`) });
      expect(problems).toEqual([]);
      await close();
    }
  });

  it('the mobile layout stacks the product page in one column without horizontal scrolling', async () => {
    const { page, close } = await openPage(375, 740);
    await page.goto(`${harness.demo.storeUrl}/ar/`);
    await expect.poll(() => productMessage(page)).toContain('650');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    const media = await page.locator('.product-media').boundingBox();
    const info = await page.locator('.product-info').boundingBox();
    expect(info!.y).toBeGreaterThan(media!.y + media!.height - 1);
    await close();
  });

  it('the return page without an order says there is nothing to show', async () => {
    const { page, problems, close } = await openPage();
    await page.goto(`${harness.demo.storeUrl}/en/return.html`);
    await page.locator('body[data-ready]').waitFor();
    expect(await page.locator('[data-no-order]').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await close();
  });
});
