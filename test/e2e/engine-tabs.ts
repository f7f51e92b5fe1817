/**
 * A browser tab in Firefox (puppeteer-core over WebDriver BiDi) or WebKit (webdriverio over WebKitGTK's
 * WebDriver): the few steps a shopper takes, the same in both. Playwright-core drives Chromium in the other
 * e2e files; it cannot drive Debian's Firefox or WebKit. `a >>> b` selects `b` in `a`'s shadow root.
 */
import { puppeteerCore } from '@web/test-runner-chrome';
import { remote } from 'webdriverio';
import { findFirefox, startWebKitDriver, webkitCapabilities } from '../support/browsers.ts';

export interface Tab {
  goto(url: string): Promise<void>;
  /** Clicks the element once it is there (waits for it: the previous step may still be navigating). */
  click(selector: string): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  /** Resolves once `expression` (JavaScript, in the page) is truthy. */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
}

export interface EngineBrowser {
  tab(): Promise<Tab>;
  close(): Promise<void>;
}

const waitMs = 20_000;

async function firefox(): Promise<EngineBrowser> {
  const browser = await puppeteerCore.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: true,
  });
  return {
    async tab() {
      const page = await browser.newPage();
      page.setDefaultTimeout(waitMs);
      await page.setViewport({ width: 1000, height: 700 });
      return {
        goto: async (url) => void (await page.goto(url)),
        click: (selector) => page.locator(selector).click(),
        fill: (selector, value) => page.locator(selector).fill(value),
        waitFor: async (expression, timeout = waitMs) =>
          void (await page.waitForFunction(expression, { timeout, polling: 100 })),
        evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
      };
    },
    close: () => browser.close(),
  };
}

async function webkit(): Promise<EngineBrowser> {
  const driver = await startWebKitDriver();
  const browser = await remote({
    hostname: '127.0.0.1',
    port: driver.port,
    capabilities: webkitCapabilities(),
    logLevel: 'error',
  });
  const element = async (selector: string) => {
    const [host, inner] = selector.split('>>>').map((part) => part.trim());
    const found = inner ? browser.$(host!).shadow$(inner) : browser.$(host!);
    await found.waitForClickable({ timeout: waitMs });
    return found;
  };
  return {
    async tab() {
      await browser.setWindowSize(1000, 700);
      return {
        goto: async (url) => void (await browser.url(url)),
        click: async (selector) => void (await (await element(selector)).click()),
        fill: async (selector, value) => void (await (await element(selector)).setValue(value)),
        waitFor: async (expression, timeout = waitMs) =>
          void (await browser.waitUntil(() => browser.execute(`return Boolean(${expression})`), {
            timeout,
            interval: 100,
          })),
        evaluate: <T>(expression: string) => browser.execute(`return ${expression}`) as Promise<T>,
      };
    },
    async close() {
      await browser.deleteSession();
      driver.stop();
    },
  };
}

export const engineBrowsers = { firefox, webkit };
