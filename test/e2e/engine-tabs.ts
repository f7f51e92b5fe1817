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
  /** Runs `body` (statements; may `await`) as a function in the page and answers what it returns. */
  run<T>(body: string): Promise<T>;
  /**
   * Console errors, uncaught errors and CSP violations of this tab so far. Firefox hears them from the first
   * byte (a preload script); WebKit's classic WebDriver has neither logs nor preload scripts, so a recorder
   * goes into each page once `goto` has loaded it (a violation while the page first loads goes unseen there).
   */
  problems(): Promise<string[]>;
}

export interface EngineBrowser {
  tab(): Promise<Tab>;
  close(): Promise<void>;
}

const waitMs = 20_000;

/** Records into `window.__tabProblems` what {@link Tab.problems} answers (a page script: no imports). */
const problemRecorder = `(() => {
  if (window.__tabProblems) return;
  const seen = (window.__tabProblems = []);
  document.addEventListener('securitypolicyviolation', (event) =>
    seen.push('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));
  addEventListener('error', (event) => seen.push('error: ' + event.message));
  addEventListener('unhandledrejection', (event) => seen.push('unhandled: ' + String(event.reason)));
  const error = console.error.bind(console);
  console.error = (...args) => { seen.push('console.error: ' + args.join(' ')); error(...args); };
})()`;

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
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(String(error)));
      await page.evaluateOnNewDocument(`document.addEventListener('securitypolicyviolation', (event) =>
        console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI))`);
      return {
        goto: async (url) => void (await page.goto(url)),
        click: (selector) => page.locator(selector).click(),
        fill: (selector, value) => page.locator(selector).fill(value),
        waitFor: async (expression, timeout = waitMs) =>
          void (await page.waitForFunction(expression, { timeout, polling: 100 })),
        evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
        run: <T>(body: string) => page.evaluate(`(async () => { ${body} })()`) as Promise<T>,
        problems: async () => [...problems],
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
      const problems: string[] = [];
      // Takes what the page now open recorded (a navigation away loses it, so `goto` takes it first).
      const collect = async () => {
        const seen = await browser
          .execute('return window.__tabProblems ? window.__tabProblems.splice(0) : []')
          .catch(() => []);
        problems.push(...(seen as string[]));
      };
      return {
        async goto(url) {
          await collect();
          await browser.url(url);
          // The page may be moving on already (a form that submits itself): then it records nothing.
          await browser.execute(problemRecorder).catch(() => undefined);
        },
        click: async (selector) => void (await (await element(selector)).click()),
        fill: async (selector, value) => void (await (await element(selector)).setValue(value)),
        waitFor: async (expression, timeout = waitMs) =>
          void (await browser.waitUntil(() => browser.execute(`return Boolean(${expression})`), {
            timeout,
            interval: 100,
          })),
        evaluate: <T>(expression: string) => browser.execute(`return ${expression}`) as Promise<T>,
        run: <T>(body: string) => browser.execute(`return (async () => { ${body} })()`) as Promise<T>,
        async problems() {
          await collect();
          return [...problems];
        },
      };
    },
    async close() {
      await browser.deleteSession();
      driver.stop();
    },
  };
}

export const engineBrowsers = { firefox, webkit };
