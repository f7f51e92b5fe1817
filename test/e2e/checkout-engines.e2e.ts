import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectedEngines } from '../support/browsers.ts';
import { orderState, startDemoOnly } from './demo-harness.ts';
import { engineBrowsers, type EngineBrowser, type Tab } from './engine-tabs.ts';

/** The checkout, as a shopper clicks through it, in Firefox and WebKit (checkout-flows runs it in Chromium). */
const engines = selectedEngines().filter((name) => name !== 'chromium');

const statusShows = (state: string) =>
  `document.querySelector('points-order-status')?.shadowRoot?.querySelector('[part=root][data-state="${state}"]')`;

async function addToCart(tab: Tab, storeUrl: string, lang: 'ar' | 'en', variant: number) {
  await tab.goto(`${storeUrl}/${lang}/`);
  await tab.waitFor(
    `document.querySelector('points-product-message')?.shadowRoot?.querySelector('[part~=points]')`,
  );
  await tab.click(`.variant:nth-of-type(${variant})`);
  await tab.click('#add-to-cart button[type=submit]');
  await tab.waitFor(`document.querySelector('[data-added]')?.textContent.trim()`);
}

async function payWithPoints(tab: Tab, storeUrl: string, lang: 'ar' | 'en') {
  await tab.goto(`${storeUrl}/${lang}/cart.html`);
  await tab.click('points-pay-button >>> button');
  await tab.fill('#phone', '500000001');
  await tab.click('form[action*="/phone"] button.primary');
  await tab.fill('#otp', '123456');
  await tab.click('form[action*="/otp"] button.primary');
}

describe.runIf(engines.length > 0).each(engines)('checkout in %s', (engine) => {
  let demo: Awaited<ReturnType<typeof startDemoOnly>>;
  let browser: EngineBrowser;
  beforeAll(async () => {
    demo = await startDemoOnly();
    browser = await engineBrowsers[engine]();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('pays fully with points from the Arabic store and the return page shows the order confirmed', async () => {
    const { storeUrl, sandbox } = demo.demo;
    const tab = await browser.tab();
    await addToCart(tab, storeUrl, 'ar', 1);
    await payWithPoints(tab, storeUrl, 'ar');
    await tab.click('#choice-full');
    await tab.click('form[action*="/redeem"] button.primary');
    await tab.click('button[value=confirm]');

    await tab.waitFor(statusShows('confirmed'), 30_000);
    expect(await tab.evaluate<string>('location.pathname')).toBe('/ar/return.html');
    const orderNumber = await tab.evaluate<string>(
      `document.querySelector('[data-order-number]').textContent`,
    );
    expect(await orderState(demo.demo, orderNumber)).toBe('confirmed');
    expect(sandbox.findOrderByNumber(orderNumber)).toMatchObject({ cash_amount: 0 });
  });

  it('pays partly with points and the rest by card in English', async () => {
    const { storeUrl, sandbox } = demo.demo;
    const tab = await browser.tab();
    await addToCart(tab, storeUrl, 'en', 3);
    await payWithPoints(tab, storeUrl, 'en');
    await tab.click('#choice-partial');
    await tab.fill('#points', '2000');
    await tab.click('form[action*="/redeem"] button.primary');
    await tab.click('button[value=confirm]');
    await tab.fill('#card_number', '4242424242424242');
    await tab.fill('#card_expiry', '12/30');
    await tab.fill('#card_cvc', '123');
    await tab.click('form[action*="/pay"] button.primary');

    await tab.waitFor(statusShows('confirmed'), 30_000);
    const orderNumber = await tab.evaluate<string>(
      `document.querySelector('[data-order-number]').textContent`,
    );
    expect(sandbox.findOrderByNumber(orderNumber)).toMatchObject({ redeemed_points: 2000 });
  });
});
