import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSecrets } from '../../demo/demo.ts';
import { enqueue } from '../../server/jobs/queue.ts';
import { selectedEngines } from '../support/browsers.ts';
import {
  addToCart,
  payByCard,
  screenshotPath,
  signIn,
  startCheckout,
  startDemoOnly,
  startHarness,
  waitForStatus,
  type DemoHarness,
} from './demo-harness.ts';
import { engineBrowsers, type EngineBrowser, type Tab } from './engine-tabs.ts';

/**
 * The operator console (`/console`) in a browser against the running demo: sign-in, an order paid through
 * the store and the hosted Points page found and refunded in part, sign-out; no CSP violation, no console
 * error, and axe-core finds no WCAG 2.x A/AA violation on any page in either language. Screenshots of each
 * page in both languages go to test/e2e/screenshots (`console-<page>-<lang>.tmp.png`).
 */
const axeSource = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

beforeAll(async () => {
  // Always from the source under test (a fifth of a second): a stale dist/console would test old code.
  await build({
    configFile: new URL('../../vite.console.config.ts', import.meta.url).pathname,
    logLevel: 'warn',
  });
}, 120_000);

/** The console's cookies (the demo store on another port of the same host sets its own). */
const sessionCookies = async (context: BrowserContext) =>
  (await context.cookies()).filter((cookie) => cookie.name.includes('points-console'));

/** axe-core's WCAG A/AA violations on the page now (their rule ids and the first node of each). */
async function wcagViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            options: object,
          ) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map(
      (violation) => `${violation.id}: ${JSON.stringify(violation.nodes[0]?.target)}`,
    );
  }, wcag);
}

describe('console in Chromium', () => {
  let harness: DemoHarness;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await context?.close();
    await harness?.close();
  });

  /** Screenshot and accessibility check of the page as it is now. */
  async function look(name: string) {
    await page.screenshot({ path: screenshotPath(`console-${name}`), fullPage: true });
    expect(await wcagViolations(page), name).toEqual([]);
  }

  it('signs in, finds a paid order, refunds part of it at Points, and signs out, in Arabic and English', async () => {
    const { storeUrl, edgeUrl, sandbox } = harness.demo;
    // A real checkout: the demo store's cart, the hosted Points page, a card.
    context = await harness.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en' });
    page = await context.newPage();
    await addToCart(page, storeUrl, 'en', '500 g');
    const orderNumber = await startCheckout(page, storeUrl, 'en');
    await signIn(page, '500000002');
    await page.locator('form[action*="/redeem"] button.primary').click();
    await payByCard(page);
    await waitForStatus(page, 'confirmed');
    await page.close();

    page = await context.newPage();
    page.on('console', (message) => {
      // The wrong-token step answers 401 on purpose; the browser logs that resource status as an error.
      if (message.type() === 'error' && !/status of 401/.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));

    await page.goto(`${edgeUrl}/console`);
    await page.locator('#token').waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await look('sign-in-ar');

    await page.fill('#token', 'not-the-admin-token');
    await page.locator('points-console-sign-in button[type=submit]').click();
    await expect.poll(() => page.locator('#sign-in-error').innerText()).toContain('ليس');
    expect(await sessionCookies(context)).toEqual([]);

    await page.fill('#token', demoSecrets.adminToken);
    await page.locator('points-console-sign-in button[type=submit]').click();
    await page.locator('points-console-overview [data-readiness=ready]').waitFor();
    const cookies = await sessionCookies(context);
    expect(cookies).toEqual([
      expect.objectContaining({
        name: 'points-console',
        httpOnly: true,
        sameSite: 'Strict',
        path: '/console',
      }),
    ]);
    // Neither the token nor the session is anywhere a script could read it.
    const stored = await page.evaluate(() =>
      JSON.stringify([document.cookie, { ...localStorage }, { ...sessionStorage }]),
    );
    expect(stored).not.toContain(demoSecrets.adminToken);
    expect(stored).not.toContain(cookies[0]!.value);
    await look('overview-ar');

    await page.locator('nav a[href="#/orders"]').click();
    await page.fill('#q', orderNumber);
    await page.locator('points-console-orders button[type=submit]').click();
    await page.locator(`points-console-orders a[href="#/orders/${orderNumber}"]`).waitFor();
    await look('orders-ar');

    await page.locator(`points-console-orders a[href="#/orders/${orderNumber}"]`).click();
    await page.locator('points-console-order li[data-kind=points_webhook]').first().waitFor();
    expect(await page.locator('points-console-order li[data-kind=order_created]').count()).toBe(1);
    await look('order-ar');

    // A partial refund, with its confirmation step; the answer is the order as Points holds it.
    await page.fill('#amount', '20.00');
    await page.locator('points-console-order form button[type=submit]').click();
    await page.locator('#confirm').click();
    await expect.poll(() => page.locator('[data-refunded]').innerText(), { timeout: 15_000 }).toBe('20.00');
    expect(await page.locator('[data-remaining]').innerText()).toBe('100.00');
    expect(sandbox.findOrderByNumber(orderNumber)).toMatchObject({ refunded_amount: 20 });
    await look('order-refunded-ar');

    // A dead-lettered delivery, replayed from the deliveries page after its confirmation.
    const jobId = await enqueue(
      harness.demo.edge.edge.context.store.db,
      { lane: 'notify', kind: 'notify-merchant', payload: {} },
      Date.now(),
    );
    await harness.demo.edge.edge.context.store.db
      .updateTable('jobs')
      .set({ state: 'dead', last_error: 'merchant webhook answered 500' })
      .where('id', '=', jobId)
      .execute();
    await page.locator('nav a[href="#/deliveries"]').click();
    await page.locator(`points-console-deliveries tr[data-job="${jobId}"] button`).click();
    await look('deliveries-ar');
    await page.locator('points-console-deliveries #confirm').click();
    await page.locator(`points-console-deliveries tr[data-job="${jobId}"]`).waitFor({ state: 'detached' });
    const replayed = await harness.demo.edge.edge.context.store.db
      .selectFrom('jobs')
      .select('state')
      .where('id', '=', jobId)
      .executeTakeFirst();
    expect(replayed?.state).not.toBe('dead');
    await page.goBack();
    await page.locator('[data-refunded]').waitFor();

    // English, left to right: every page again.
    await page.locator('header button[lang=en]').click();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'en',
      'ltr',
    ]);
    await look('order-en');
    await page.locator('nav a[href="#/orders"]').click();
    await page.locator('#q').waitFor();
    await look('orders-en');
    await page.locator('nav a[href="#/"]').click();
    await page.locator('points-console-overview [data-readiness=ready]').waitFor();
    await look('overview-en');
    await page.locator('nav a[href="#/deliveries"]').click();
    await page.locator('points-console-deliveries h2').waitFor();
    await look('deliveries-en');

    await page.locator('header button', { hasText: 'Sign out' }).click();
    await page.locator('#token').waitFor();
    await look('sign-in-en');
    expect(await sessionCookies(context)).toEqual([]);
    const after = await page.evaluate(async () => (await fetch('console/api/overview')).status);
    expect(after).toBe(401);

    expect(problems).toEqual([]);
    const origins = new Set(requests.map((url) => new URL(url).origin));
    expect([...origins]).toEqual([edgeUrl]);
  });

  it('a cross-site form post to the sign-in is refused', async () => {
    const { edgeUrl, storeUrl } = harness.demo;
    // The store is another origin (another port): a form there posting the right token to the console.
    const other = await context.newPage();
    await other.goto(`${storeUrl}/en/`);
    const status = await other.evaluate(
      async ({ edgeUrl, token }) => {
        const response = await fetch(`${edgeUrl}/console/session`, {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `token=${token}`,
          credentials: 'include',
        });
        return response.type;
      },
      { edgeUrl, token: demoSecrets.adminToken },
    );
    expect(status).toBe('opaque');
    expect(await sessionCookies(context)).toEqual([]);
  });
});

/** Firefox and WebKit: the same console, driven through its elements' shadow roots. */
const engines = selectedEngines().filter((name) => name !== 'chromium');

/** A script that finds `selector` inside the console's nested shadow roots. */
const inConsole = (element: string, selector: string) =>
  `document.querySelector('points-console')?.shadowRoot?.querySelector('${element}')?.shadowRoot?.querySelector('${selector}')`;

async function fillAndSubmit(tab: Tab, element: string, field: string, value: string) {
  await tab.waitFor(inConsole(element, field));
  await tab.evaluate(
    `(() => { const input = ${inConsole(element, field)}; input.value = ${JSON.stringify(value)}; input.form.requestSubmit(); return true; })()`,
  );
}

describe.runIf(engines.length > 0).each(engines)('console in %s', (engine) => {
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

  it('refuses a wrong token, signs in, finds a paid order and its timeline, refunds part of it, signs out', async () => {
    const { edgeUrl, sandbox } = demo.demo;
    // The checkout through the edge and the sandbox's hosted page, driven without HTML.
    const started = await fetch(`${edgeUrl}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: demo.demo.storeUrl },
      body: JSON.stringify({ items: [{ sku: 'KHAWLANI-500', quantity: 1 }] }),
    });
    const { orderNumber } = (await started.json()) as { orderNumber: string };
    const { redirectUrl } = await sandbox.completeCheckout(orderNumber, { phone: '500000002' });
    await fetch(redirectUrl, { redirect: 'manual' });

    const tab = await browser.tab();
    await tab.goto(`${edgeUrl}/console`);
    await fillAndSubmit(tab, 'points-console-sign-in', '#token', 'not-the-admin-token');
    await tab.waitFor(`${inConsole('points-console-sign-in', '#sign-in-error')}?.textContent.trim()`);
    await fillAndSubmit(tab, 'points-console-sign-in', '#token', demoSecrets.adminToken);
    await tab.waitFor(inConsole('points-console-overview', '[data-readiness=ready]'));
    // HttpOnly: the page's scripts see no cookie.
    expect(await tab.evaluate<string>('document.cookie')).toBe('');

    await tab.goto(`${edgeUrl}/console#/orders`);
    await fillAndSubmit(tab, 'points-console-orders', '#q', orderNumber);
    await tab.waitFor(inConsole('points-console-orders', `a[href="#/orders/${orderNumber}"]`));
    await tab.goto(`${edgeUrl}/console#/orders/${orderNumber}`);
    await tab.waitFor(inConsole('points-console-order', 'li[data-kind=points_webhook]'), 30_000);

    await fillAndSubmit(tab, 'points-console-order', '#amount', '20.00');
    await tab.waitFor(inConsole('points-console-order', '#confirm'));
    await tab.evaluate(`(${inConsole('points-console-order', '#confirm')}.click(), true)`);
    await tab.waitFor(`${inConsole('points-console-order', '[data-refunded]')}?.textContent === '20.00'`);
    expect(sandbox.findOrderByNumber(orderNumber)).toMatchObject({ refunded_amount: 20 });

    await tab.evaluate(
      `([...document.querySelector('points-console').shadowRoot.querySelectorAll('header button')].at(-1).click(), true)`,
    );
    await tab.waitFor(inConsole('points-console-sign-in', '#token'));
    const after = await tab.evaluate<number>(`fetch('console/api/overview').then((r) => r.status)`);
    expect(after).toBe(401);
  });
});
