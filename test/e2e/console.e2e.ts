import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSecrets } from '../../demo/demo.ts';
import type { RunningDemo } from '../../demo/demo.ts';
import { enqueue } from '../../server/jobs/queue.ts';
import { selectedEngines } from '../support/browsers.ts';
import { startCrossSiteForm } from './cross-site-form.ts';
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
 * the store and the hosted Points page found and refunded in part, a dead letter replayed, sign-out; a form
 * another origin posts to an action, an ended session and a forged cookie refused; no CSP violation, no
 * console error, and axe-core finds no WCAG 2.x A/AA violation on any page in either language. Chromium
 * runs it all through playwright; Firefox and WebKit run the same steps through `engine-tabs.ts`. Screenshots of each
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

/**
 * A page script (statements, for `Tab.run` or an async function) answering axe-core's WCAG A/AA
 * violations on the page now: each rule id and the first node it found.
 */
const axeScript = `if (!window.axe) { ${axeSource} }
  const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(wcag)} } });
  return result.violations.map((violation) => violation.id + ': ' + JSON.stringify(violation.nodes[0]?.target));`;

const wcagViolations = (page: Page): Promise<string[]> => page.evaluate(`(async () => { ${axeScript} })()`);

/** Makes a dead-lettered merchant notification in the demo's database; answers its job id. */
async function deadLetter(demo: RunningDemo): Promise<string> {
  const db = demo.edge.edge.context.store.db;
  const jobId = await enqueue(db, { lane: 'notify', kind: 'notify-merchant', payload: {} }, Date.now());
  await db
    .updateTable('jobs')
    .set({ state: 'dead', last_error: 'merchant webhook answered 500' })
    .where('id', '=', jobId)
    .execute();
  return jobId;
}

const jobState = async (demo: RunningDemo, jobId: string) =>
  (
    await demo.edge.edge.context.store.db
      .selectFrom('jobs')
      .select('state')
      .where('id', '=', jobId)
      .executeTakeFirst()
  )?.state;

/** Raises an alert in the demo's edge, as its job worker or watch would, and waits until it is stored. */
async function raiseAlert(demo: RunningDemo, kind: 'dead_letter' | 'lane_blocked') {
  const { alerts } = demo.edge.edge;
  alerts.record(
    kind,
    kind === 'dead_letter' ? { kind: 'notify-merchant' } : { lanes: 'notify (2)', blocked: 1, jobs: 2 },
  );
  await alerts.settled();
}

/** Three Salla orders as the connector would have left them: one earned, two skipped as test orders. */
async function sallaOrders(demo: RunningDemo) {
  const now = Date.now();
  for (const [number, outcome, reason] of [
    ['101', 'earned', null],
    ['102', 'skipped', 'a test order'],
    ['103', 'skipped', 'a test order'],
  ] as const) {
    await demo.edge.edge.context.store.db
      .insertInto('connector_orders')
      .values({
        key: `salla:store-1:${number}`,
        platform: 'salla',
        store_id: 'store-1',
        kind: 'order',
        reference: number,
        facts: '{}',
        outcome,
        reason,
        points_uuid: null,
        earned_halalas: null,
        earned_points: null,
        reversed_halalas: 0,
        deliveries: 1,
        last_delivery_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}

/** Every console session of the demo ends now (as 12 hours after sign-in would end it). */
const expireSessions = (demo: RunningDemo) =>
  demo.edge.edge.context.store.db.updateTable('console_sessions').set({ expires_at: 0 }).execute();

/** A forged session id: the shape of ours (43 base64url characters), opening no session. */
const forgedId = 'F'.repeat(43);

describe('console in Chromium', () => {
  let harness: DemoHarness;
  let context: BrowserContext;
  let page: Page;
  let orderNumber = '';
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await context?.close();
    await harness?.close();
  });

  /** A new tab whose console errors, CSP violations and requests this suite checks. */
  async function watchedPage(): Promise<Page> {
    const opened = await context.newPage();
    opened.on('console', (message) => {
      // A wrong token and an ended session answer 401 on purpose; the browser logs that status as an error.
      if (message.type() === 'error' && !/status of 401/.test(message.text())) problems.push(message.text());
    });
    opened.on('pageerror', (error) => problems.push(error.message));
    await opened.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    opened.on('request', (request) => requests.push(request.url()));
    return opened;
  }

  /**
   * The overview's charts on a phone: today's order is a bar at the end time runs towards (the left in
   * Arabic), the chart says its total in words, its table of numbers opens and passes axe, and nothing
   * is wider than the screen.
   */
  async function checkCharts(lang: 'ar' | 'en') {
    const orders = page.locator('points-console-chart').first();
    expect(await orders.locator('svg').getAttribute('aria-label')).toMatch(/: \S+ 1$/);
    const bars = await orders
      .locator('rect')
      .evaluateAll((rects) => rects.map((rect) => rect.getAttribute('x')));
    expect(bars).toHaveLength(1);
    expect(Number(bars[0]) < 70).toBe(lang === 'ar');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Days are the merchant's (the demo's default zone), and the checkout's Points webhooks were timed.
    expect(await page.locator('points-console-overview [data-time-zone]').innerText()).toBe('Asia/Riyadh');
    const intake = page.locator('points-console-chart').nth(3);
    expect(await intake.locator('figcaption').innerText()).toContain(
      lang === 'ar' ? 'زمن الرد على الإشعارات' : 'Time to answer a webhook',
    );
    const intakeBars = await intake
      .locator('rect')
      .evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute('x'))));
    expect(intakeBars.length).toBeGreaterThanOrEqual(1);
    expect(intakeBars.every((x) => x < 70)).toBe(lang === 'ar');
    await orders.locator('summary').click();
    expect(await orders.locator('tbody tr').count()).toBe(14);
    expect(await wcagViolations(page), `charts-table-${lang}`).toEqual([]);
    await orders.locator('summary').click();
  }

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
    orderNumber = await startCheckout(page, storeUrl, 'en');
    await signIn(page, '500000002');
    await page.locator('form[action*="/redeem"] button.primary').click();
    await payByCard(page);
    await waitForStatus(page, 'confirmed');
    await page.close();

    // A dead letter's alert, open when the operator signs in.
    await raiseAlert(harness.demo, 'dead_letter');

    page = await watchedPage();
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
    await page.locator('points-console-chart svg[aria-label]').first().waitFor();
    await look('overview-ar');
    await checkCharts('ar');

    // The open alert, in plain words with where to fix it, acknowledged after its confirmation.
    const alert = page.locator('points-console-alerts li[data-alert=dead_letter]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('مهمة استنفدت محاولاتها وتوقفت.');
    expect(await alert.locator('a').getAttribute('href')).toBe('#/deliveries');
    expect(await alert.locator('time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await alert.locator('button').click();
    await page.locator('points-console-alerts #confirm-alert').waitFor();
    await look('overview-alert-ar');
    await page.locator('points-console-alerts #confirm-alert').click();
    await page.locator('points-console-alerts [data-no-alerts]').waitFor();
    await page.locator('points-console-alerts [data-closed-alerts] summary').click();
    expect(await page.locator('points-console-alerts [data-closed-alerts] tbody tr').count()).toBe(1);
    expect(await wcagViolations(page), 'overview-closed-alerts-ar').toEqual([]);

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
    // The refund is on the order's timeline too, from the audit log.
    await page.locator('points-console-order li[data-kind=console_action]').waitFor();
    await look('order-refunded-ar');

    // A dead-lettered delivery, replayed from the deliveries page after its confirmation.
    const jobId = await deadLetter(harness.demo);
    await page.locator('nav a[href="#/deliveries"]').click();
    await page.locator(`points-console-deliveries tr[data-job="${jobId}"] button`).click();
    await look('deliveries-ar');
    await page.locator('points-console-deliveries #confirm').click();
    await page.locator(`points-console-deliveries tr[data-job="${jobId}"]`).waitFor({ state: 'detached' });
    expect(await jobState(harness.demo, jobId)).not.toBe('dead');

    // The connectors: each platform's orders by outcome, and why they were skipped.
    await sallaOrders(harness.demo);
    await page.locator('nav a[href="#/connectors"]').click();
    const salla = page.locator('points-console-connectors section[data-platform=salla]');
    await salla.locator('[data-outcome=skipped]').waitFor();
    expect(await salla.locator('[data-outcome=skipped]').innerText()).toBe('2');
    expect(await salla.locator('[data-outcome=earned]').innerText()).toBe('1');
    expect(await salla.locator('[data-reason]').innerText()).toBe('a test order: 2');
    expect(await page.locator('points-console-connectors section').count()).toBe(4);
    await look('connectors-ar');
    // The audit log: the sign-in, the refund (with what was asked) and the replay, newest first.
    await page.locator('nav a[href="#/audit"]').click();
    await page.locator('points-console-audit li').first().waitFor();
    expect(
      await page
        .locator('points-console-audit li')
        .evaluateAll((items) =>
          items.map((item) => `${item.getAttribute('data-action')} ${item.getAttribute('data-result')}`),
        ),
    ).toEqual(['replay done', 'refund done', 'acknowledge_alert done', 'sign_in done']);
    expect(await page.locator('points-console-audit li[data-action=refund]').innerText()).toContain(
      'amount: 20.00',
    );
    await look('audit-ar');
    await page.goBack();
    await page.goBack();
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
    // A blocked lane's alert, open on the overview in English.
    await raiseAlert(harness.demo, 'lane_blocked');
    await page.locator('nav a[href="#/"]').click();
    await page.locator('points-console-overview [data-readiness=ready]').waitFor();
    await page.locator('points-console-chart svg[aria-label]').first().waitFor();
    const blocked = page.locator('points-console-alerts li[data-alert=lane_blocked]');
    await blocked.waitFor();
    expect(await blocked.innerText()).toContain('Jobs in a lane are more than ten minutes overdue.');
    await look('overview-en');
    await checkCharts('en');
    await page.locator('nav a[href="#/deliveries"]').click();
    await page.locator('points-console-deliveries h2').waitFor();
    await look('deliveries-en');
    await page.locator('nav a[href="#/connectors"]').click();
    await page.locator('points-console-connectors section[data-platform=salla]').waitFor();
    await look('connectors-en');
    await page.locator('nav a[href="#/audit"]').click();
    await page.locator('points-console-audit li').first().waitFor();
    await look('audit-en');

    await page.locator('header button', { hasText: 'Sign out' }).click();
    await page.locator('#token').waitFor();
    await look('sign-in-en');
    expect(await sessionCookies(context)).toEqual([]);
    const after = await page.evaluate(async () => (await fetch('console/api/overview')).status);
    expect(after).toBe(401);

    expect(problems).toEqual([]);
    expect([...new Set(requests.map((url) => new URL(url).origin))]).toEqual([edgeUrl]);
  });

  it('signs in as a viewer: the header names them, and no page offers a refund, an action or a replay', async () => {
    const { edgeUrl, sandbox } = harness.demo;
    const jobId = await deadLetter(harness.demo);
    page = await watchedPage();
    await page.goto(`${edgeUrl}/console`);
    await page.fill('#token', demoSecrets.viewerToken);
    await page.locator('points-console-sign-in button[type=submit]').click();
    await page.locator('points-console-overview [data-readiness=ready]').waitFor();
    const who = page.locator('header [data-operator]');
    expect([await who.getAttribute('data-operator'), await who.getAttribute('data-role')]).toEqual([
      'support',
      'viewer',
    ]);
    expect(await who.innerText()).toContain('support');

    await page.goto(`${edgeUrl}/console#/orders/${orderNumber}`);
    await page.locator('points-console-order [data-viewer]').waitFor();
    expect(await page.locator('points-console-order li[data-kind=console_action]').count()).toBe(1);
    // Compared as text: an assertion on a missing element would only wait.
    const buttons = await page
      .locator('points-console-order')
      .evaluate((element) =>
        [...element.shadowRoot!.querySelectorAll('button, form, #amount')].map((node) => node.outerHTML),
      );
    expect(buttons).toEqual([]);
    // The language the test before left: English.
    await look('order-viewer-en');

    await page.locator('nav a[href="#/deliveries"]').click();
    await page.locator(`points-console-deliveries tr[data-job="${jobId}"]`).waitFor();
    expect(await page.locator(`points-console-deliveries tr[data-job="${jobId}"] button`).count()).toBe(0);
    expect(await page.locator('header [data-operator]').innerText()).toContain('Signed in as support');
    await page.locator('header button[lang=ar]').click();
    expect(await page.locator('header [data-operator]').innerText()).toContain('مسجل الدخول باسم support');
    await look('deliveries-viewer-ar');

    // Had the page offered it: the server refuses a viewer's refund, and Points sees nothing of it.
    const refused = await page.evaluate(async (order) => {
      const session = (await (await fetch('console/session')).json()) as { csrfToken: string };
      const response = await fetch(`console/api/orders/${order}/refund`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ amount: '5.00' }),
      });
      return [response.status, ((await response.json()) as { code: string }).code];
    }, orderNumber);
    expect(refused).toEqual([403, 'operator_forbidden']);
    expect(sandbox.findOrderByNumber(orderNumber)).toMatchObject({ refunded_amount: 20 });
    await page.locator('header button[lang=en]').click();
    await page.locator('header button', { hasText: 'Sign out' }).click();
    await page.locator('#token').waitFor();
    await page.close();
    // The 403 above is on purpose; nothing else went wrong.
    expect(problems.filter((text) => !/status of 403/.test(text))).toEqual([]);
    problems.length = 0;
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

  it('refuses a form another origin posts to an action, then an expired session and a forged cookie', async () => {
    const { edgeUrl, sandbox } = harness.demo;
    page = await watchedPage();
    await page.goto(`${edgeUrl}/console`);
    await page.fill('#token', demoSecrets.adminToken);
    await page.locator('points-console-sign-in button[type=submit]').click();
    await page.locator('points-console-overview [data-readiness=ready]').waitFor();

    // Signed in, a page on another origin posts a refund form: refused before any session or body is read.
    const attacker = await startCrossSiteForm();
    const other = await context.newPage();
    const answered = other.waitForResponse((response) => response.url().startsWith(`${edgeUrl}/console/`));
    await other.goto(
      attacker.pageUrl(`${edgeUrl}/console/api/orders/${orderNumber}/refund`, { amount: '5' }),
    );
    await other.locator('button').click();
    const answer = await answered;
    expect([answer.status(), await answer.json()]).toMatchObject([403, { code: 'csrf_rejected' }]);
    await other.close();
    await attacker.close();
    expect(sandbox.findOrderByNumber(orderNumber)).toMatchObject({ refunded_amount: 20 });
    expect(await sessionCookies(context)).toHaveLength(1);

    // The session ends (12 hours on): the next page's request answers 401 and the sign-in is back.
    await expireSessions(harness.demo);
    await page.locator('nav a[href="#/deliveries"]').click();
    await page.locator('#token').waitFor();
    expect(await sessionCookies(context)).toEqual([]);

    // A forged cookie opens nothing, and the server tells the browser to drop it.
    await context.addCookies([
      { name: 'points-console', value: forgedId, domain: '127.0.0.1', path: '/console', httpOnly: true },
    ]);
    await page.reload();
    await page.locator('#token').waitFor();
    expect(await sessionCookies(context)).toEqual([]);
    expect(problems).toEqual([]);
    expect([...new Set(requests.map((url) => new URL(url).origin))]).toEqual([edgeUrl]);
  });
});

/** Firefox and WebKit: the same steps, driven through the console's shadow roots (no screenshots). */
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

  it('signs in, refunds part of a paid order, replays a dead letter, refuses another origin, an ended and a forged session, with no WCAG violation in either language', async () => {
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

    await raiseAlert(demo.demo, 'dead_letter');
    const tab = await browser.tab();
    const look = async (name: string) => expect(await tab.run<string[]>(axeScript), name).toEqual([]);
    await tab.goto(`${edgeUrl}/console`);
    await tab.waitFor(inConsole('points-console-sign-in', '#token'));
    await look('sign-in-ar');
    await fillAndSubmit(tab, 'points-console-sign-in', '#token', 'not-the-admin-token');
    await tab.waitFor(`${inConsole('points-console-sign-in', '#sign-in-error')}?.textContent.trim()`);
    await fillAndSubmit(tab, 'points-console-sign-in', '#token', demoSecrets.adminToken);
    await tab.waitFor(inConsole('points-console-overview', '[data-readiness=ready]'));
    // HttpOnly: the page's scripts see no cookie.
    expect(await tab.evaluate<string>('document.cookie')).toBe('');
    // The open alert, one shadow root further in (the overview's).
    await tab.waitFor(
      `${inConsole('points-console-overview', 'points-console-alerts')}?.shadowRoot?.querySelector('li[data-alert=dead_letter]')`,
    );
    await look('overview-ar');

    await tab.goto(`${edgeUrl}/console#/orders`);
    await fillAndSubmit(tab, 'points-console-orders', '#q', orderNumber);
    await tab.waitFor(inConsole('points-console-orders', `a[href="#/orders/${orderNumber}"]`));
    await look('orders-ar');
    await tab.goto(`${edgeUrl}/console#/orders/${orderNumber}`);
    await tab.waitFor(inConsole('points-console-order', 'li[data-kind=points_webhook]'), 30_000);
    await look('order-ar');

    await fillAndSubmit(tab, 'points-console-order', '#amount', '20.00');
    await tab.waitFor(inConsole('points-console-order', '#confirm'));
    await tab.evaluate(`(${inConsole('points-console-order', '#confirm')}.click(), true)`);
    await tab.waitFor(`${inConsole('points-console-order', '[data-refunded]')}?.textContent === '20.00'`);
    expect(sandbox.findOrderByNumber(orderNumber)).toMatchObject({ refunded_amount: 20 });

    // A dead letter, replayed after its confirmation.
    const jobId = await deadLetter(demo.demo);
    await tab.goto(`${edgeUrl}/console#/deliveries`);
    const row = inConsole('points-console-deliveries', `tr[data-job="${jobId}"]`);
    await tab.waitFor(row);
    await tab.evaluate(`(${row}.querySelector('button').click(), true)`);
    await tab.waitFor(inConsole('points-console-deliveries', '#confirm'));
    await look('deliveries-ar');
    await tab.evaluate(`(${inConsole('points-console-deliveries', '#confirm')}.click(), true)`);
    await tab.waitFor(`!${row}`);
    expect(await jobState(demo.demo, jobId)).not.toBe('dead');

    // English, left to right.
    await tab.evaluate(
      `(document.querySelector('points-console').shadowRoot.querySelector('header button[lang=en]').click(), true)`,
    );
    await tab.waitFor(`document.documentElement.dir === 'ltr'`);
    await look('deliveries-en');
    await tab.goto(`${edgeUrl}/console#/orders/${orderNumber}`);
    await tab.waitFor(inConsole('points-console-order', '[data-refunded]'));
    await look('order-en');
    await tab.goto(`${edgeUrl}/console#/`);
    await tab.waitFor(inConsole('points-console-overview', '[data-readiness=ready]'));
    await look('overview-en');

    // Another origin's form posting a refund reaches the edge (the tab is on its answer now) and changes
    // nothing. (Which answer it was, 403 csrf_rejected, the Chromium suite reads; Firefox shows JSON in a
    // viewer of its own that a page script cannot read.)
    const attacker = await startCrossSiteForm();
    await tab.goto(attacker.pageUrl(`${edgeUrl}/console/api/orders/${orderNumber}/refund`, { amount: '5' }));
    await tab.click('button');
    await tab.waitFor(`location.href.startsWith(${JSON.stringify(edgeUrl)})`);
    await attacker.close();
    expect(sandbox.findOrderByNumber(orderNumber)).toMatchObject({ refunded_amount: 20 });

    // Still signed in; then the session ends, and the next request brings the sign-in back.
    await tab.goto(`${edgeUrl}/console#/orders/${orderNumber}`);
    await tab.waitFor(inConsole('points-console-order', '[data-refunded]'));
    await expireSessions(demo.demo);
    await tab.goto(`${edgeUrl}/console#/`);
    await tab.waitFor(inConsole('points-console-sign-in', '#token'));

    // A forged cookie (a script may write one without HttpOnly): no session, and the server drops it.
    await tab.run(`document.cookie = 'points-console=${forgedId}; path=/console'; return true;`);
    expect(await tab.evaluate<string>('document.cookie')).toContain(forgedId);
    await tab.goto(`${edgeUrl}/console?again`);
    await tab.waitFor(inConsole('points-console-sign-in', '#token'));
    expect(await tab.evaluate<string>('document.cookie')).toBe('');
    await look('sign-in-en');

    // Signed in again, then out.
    await fillAndSubmit(tab, 'points-console-sign-in', '#token', demoSecrets.adminToken);
    await tab.waitFor(inConsole('points-console-overview', '[data-readiness=ready]'));
    await tab.evaluate(
      `([...document.querySelector('points-console').shadowRoot.querySelectorAll('header button')].at(-1).click(), true)`,
    );
    await tab.waitFor(inConsole('points-console-sign-in', '#token'));
    const after = await tab.evaluate<number>(`fetch('console/api/overview').then((r) => r.status)`);
    expect(after).toBe(401);

    // The demo's viewer: named in the header, and the order page offers no refund and no action.
    await fillAndSubmit(tab, 'points-console-sign-in', '#token', demoSecrets.viewerToken);
    await tab.waitFor(inConsole('points-console-overview', '[data-readiness=ready]'));
    expect(
      await tab.evaluate<string>(
        `document.querySelector('points-console').shadowRoot.querySelector('header [data-operator]').dataset.role`,
      ),
    ).toBe('viewer');
    await tab.goto(`${edgeUrl}/console#/orders/${orderNumber}`);
    await tab.waitFor(inConsole('points-console-order', '[data-viewer]'));
    expect(
      await tab.evaluate<number>(
        `document.querySelector('points-console').shadowRoot.querySelector('points-console-order').shadowRoot.querySelectorAll('button, form').length`,
      ),
    ).toBe(0);
    await look('order-viewer-en');
    expect((await tab.problems()).filter((text) => !/\b401\b/.test(text))).toEqual([]);
  });
});
