import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  orderState,
  payByCard,
  screenshotPath,
  signIn,
  startCheckout,
  startHarness,
  waitForStatus,
  type DemoHarness,
} from './demo-harness.ts';

let harness: DemoHarness;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

async function newPage(lang: 'ar' | 'en' = 'en') {
  context = await harness.browser.newContext({ viewport: { width: 1000, height: 700 }, locale: lang });
  page = await context.newPage();
  return page;
}
afterEach(async () => {
  await context?.close();
});

describe('checkout through the demo store and the hosted Points page', () => {
  it('pays fully with points (500000001) and the return page shows the order confirmed', async () => {
    const { storeUrl, sandbox } = harness.demo;
    await newPage('ar');
    await addToCart(page, storeUrl, 'ar', '٢٥٠ غ');
    const orderNumber = await startCheckout(page, storeUrl, 'ar');
    await signIn(page, '500000001');
    await page.check('#choice-full');
    await page.locator('form[action*="/redeem"] button.primary').click();
    await page.locator('button[value=confirm]').click();

    await page.waitForURL(/\/ar\/return\.html\?/);
    await waitForStatus(page, 'confirmed');
    expect(await page.locator('[data-order-number]').innerText()).toBe(orderNumber);
    expect(await orderState(harness.demo, orderNumber)).toBe('confirmed');
    expect(sandbox.findOrderByNumber(orderNumber)).toMatchObject({ redeemed_points: 2167, cash_amount: 0 });
    await page.screenshot({ path: screenshotPath('return-ar') });
  });

  it('pays partly with points and the rest by card', async () => {
    const { storeUrl, sandbox } = harness.demo;
    await newPage('en');
    await addToCart(page, storeUrl, 'en', '1 kg');
    const orderNumber = await startCheckout(page, storeUrl, 'en');
    await signIn(page, '500000001');
    await page.check('#choice-partial');
    await page.fill('#points', '2000');
    await page.locator('form[action*="/redeem"] button.primary').click();
    await page.locator('button[value=confirm]').click();
    await payByCard(page);

    await page.waitForURL(/\/en\/return\.html\?/);
    await waitForStatus(page, 'confirmed');
    const order = sandbox.findOrderByNumber(orderNumber);
    expect(order).toMatchObject({ redeemed_points: 2000, cash_amount: 165 });
    await page.screenshot({ path: screenshotPath('return-en') });
  });

  it('a customer with a zero balance pays everything by card (500000002)', async () => {
    const { storeUrl, sandbox } = harness.demo;
    await newPage();
    await addToCart(page, storeUrl, 'en', '500 g');
    const orderNumber = await startCheckout(page, storeUrl, 'en');
    await signIn(page, '500000002');
    await page.locator('form[action*="/redeem"] button.primary').click();
    await payByCard(page);

    await waitForStatus(page, 'confirmed');
    expect(sandbox.findOrderByNumber(orderNumber)).toMatchObject({ redeemed_points: 0, cash_amount: 120 });
  });

  it('a customer with no Points account is told so and pays by card (500000003)', async () => {
    const { storeUrl, sandbox } = harness.demo;
    await newPage();
    await addToCart(page, storeUrl, 'en', '250 g', 2);
    const orderNumber = await startCheckout(page, storeUrl, 'en');
    await page.fill('#phone', '500000003');
    await page.locator('form[action*="/phone"] button.primary').click();
    await expect.poll(() => page.locator('#no-account').innerText()).toContain('ما عندك حساب');
    await page.locator('#no-account button').click();
    await payByCard(page);

    await waitForStatus(page, 'confirmed');
    expect(sandbox.findOrderByNumber(orderNumber)).toMatchObject({ cash_amount: 130, redeemed_points: 0 });
  });

  it('cancelling on the hosted page brings the shopper back to a cancelled order', async () => {
    const { storeUrl } = harness.demo;
    await newPage();
    await addToCart(page, storeUrl, 'en', '250 g');
    const orderNumber = await startCheckout(page, storeUrl, 'en');
    await page.locator('.cancel-form button').click();

    await page.waitForURL(/\/en\/return\.html\?.*outcome=failure/);
    await waitForStatus(page, 'cancelled');
    expect(await page.locator('main h1').innerText()).toBe('Your order was not completed');
    expect(await orderState(harness.demo, orderNumber)).toBe('cancelled');
  });

  it('a declined card cancels the order and the return page says so', async () => {
    const { storeUrl } = harness.demo;
    await newPage();
    await addToCart(page, storeUrl, 'en', '250 g');
    const orderNumber = await startCheckout(page, storeUrl, 'en');
    await signIn(page, '500000002');
    await page.locator('form[action*="/redeem"] button.primary').click();
    await payByCard(page, '4000000000000002');

    await waitForStatus(page, 'cancelled');
    expect(await orderState(harness.demo, orderNumber)).toBe('cancelled');
  });
});
