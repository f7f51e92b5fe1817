import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  orderState,
  payByCard,
  signIn,
  startCheckout,
  startHarness,
  waitForOrderState,
  waitForStatus,
  type DemoHarness,
} from './demo-harness.ts';

let harness: DemoHarness;

// Without `order_uuid` on the callback the edge server cannot ask Points about the order at the redirect,
// so the webhook alone settles it: the cases below then prove the webhook path, not the callback's.
beforeAll(async () => {
  harness = await startHarness({ callbackParams: ['order_number', 'status'] });
});
afterAll(async () => {
  await harness?.close();
});

/** Drives a full-points payment up to the final confirm click (which triggers the redirect). */
async function payWithPoints(lang: 'ar' | 'en' = 'en') {
  const context = await harness.browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  await addToCart(page, harness.demo.storeUrl, lang, lang === 'en' ? '250 g' : '٢٥٠ غ');
  const orderNumber = await startCheckout(page, harness.demo.storeUrl, lang);
  await signIn(page, '500000001');
  await page.check('#choice-full');
  await page.locator('form[action*="/redeem"] button.primary').click();
  return { context, page, orderNumber };
}

describe('webhooks settle orders whatever the browser does', () => {
  it('the shopper closes the browser before the redirect: the webhook still confirms the order', async () => {
    const { context, page, orderNumber } = await payWithPoints();
    await context.route(`${harness.demo.edgeUrl}/callback**`, (route) => route.abort());
    const callback = page.waitForRequest((request) =>
      request.url().startsWith(`${harness.demo.edgeUrl}/callback`),
    );
    await page.locator('button[value=confirm]').click();
    await callback;
    await context.close();

    await waitForOrderState(harness.demo, orderNumber, 'confirmed');
    expect(await orderState(harness.demo, orderNumber)).toBe('confirmed');
    expect(harness.demo.sandbox.deliveries().some((d) => d.body.includes(orderNumber))).toBe(true);
  });

  it('the webhook arrives after the redirect: the return page shows pending, then confirmed', async () => {
    harness.demo.sandbox.setDelivery({ delayMs: 2500 });
    try {
      const { context, page, orderNumber } = await payWithPoints('ar');
      await page.locator('button[value=confirm]').click();
      await page.waitForURL(/\/ar\/return\.html\?.*outcome=pending/);
      await waitForStatus(page, 'pending');
      expect(await orderState(harness.demo, orderNumber)).toBe('pending');

      await waitForStatus(page, 'confirmed');
      expect(await page.locator('main h1').innerText()).toBe('شكراً لطلبك');
      await context.close();
    } finally {
      harness.demo.sandbox.setDelivery({ delayMs: 0 });
    }
  });

  it('the merchant refunds from the orders page (admin API): the refunded webhook marks the order refunded', async () => {
    // 500000001's balance went on the orders above: this shopper (zero balance) pays by card.
    const context = await harness.browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    await addToCart(page, harness.demo.storeUrl, 'en', '250 g');
    const orderNumber = await startCheckout(page, harness.demo.storeUrl, 'en');
    await signIn(page, '500000002');
    await page.locator('form[action*="/redeem"] button.primary').click();
    await payByCard(page);
    await waitForStatus(page, 'confirmed');
    const returnUrl = page.url();

    await page.goto(`${harness.demo.storeUrl}/en/orders.html`);
    const row = page.locator(`tr[data-order="${orderNumber}"]`);
    expect(await row.locator('.state').innerText()).toBe('confirmed');
    const refunded = waitForOrderState(harness.demo, orderNumber, 'refunded');
    await row.locator('[data-refund]').click();
    await refunded;
    await harness.demo.sandbox.settleDeliveries();
    const uuid = harness.demo.sandbox.findOrderByNumber(orderNumber)!.uuid;
    const refundWebhook = harness.demo.sandbox
      .deliveries()
      .find((d) => d.orderUuid === uuid && d.event === 'refunded');
    expect(refundWebhook?.responseStatus).toBe(200);

    await page.locator('[data-refresh]').click();
    await expect.poll(() => row.locator('.state').innerText()).toBe('refunded');
    expect(await row.locator('td').nth(3).innerText()).toBe('65.00');
    await page.goto(returnUrl);
    await waitForStatus(page, 'refunded');
    await context.close();
  });
});
