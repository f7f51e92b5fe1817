import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { readFile } from 'node:fs/promises';
import { chromiumArgs, findChromium } from './test/support/chromium.ts';
import {
  findFirefox,
  selectedEngines,
  startWebKitDriver,
  webkitCapabilities,
} from './test/support/browsers.ts';

/**
 * `executeServerCommand('points-emulate-media', { feature, value })`: emulates a media feature (reduced motion,
 * forced colours, colour scheme) where the engine can (Chromium, over CDP) and answers whether it did.
 * Where it cannot (Firefox over BiDi, WebKit over WebDriver) the test applies the element's own
 * `@media` rules another way (test/widgets/media.ts) and says so in its output.
 */
const emulateMediaCommand = {
  name: 'points-emulate-media',
  async executeCommand({ command, payload, session }) {
    if (command !== 'points-emulate-media') return undefined;
    if (session.browser.type !== 'puppeteer' || !session.browser.name.toLowerCase().includes('chrom'))
      return false;
    const page = session.browser.getPage(session.id);
    await page.emulateMediaFeatures([{ name: payload.feature, value: payload.value }]);
    return true;
  },
};

/**
 * `executeServerCommand('points-render-widget', { tag, attributes, options })`: the element rendered by the
 * kit's own server renderer (widgets/ssr), so the browser tests take over exactly what a server sends.
 */
const renderWidgetCommand = {
  name: 'points-render-widget',
  async executeCommand({ command, payload }) {
    if (command !== 'points-render-widget') return undefined;
    const { renderWidget } = await import('./widgets/ssr/render-widget.ts');
    return renderWidget(payload.tag, payload.attributes, payload.options);
  },
};

/**
 * `/as-the-readme-says/<file>`: `dist/widgets/` served by the rule widgets/README.md gives merchants
 * ("Serve every `<glob>` file of `dist/widgets/`"), read from the README at each request, nothing more.
 */
async function servedAsTheReadmeSays(context, next) {
  const prefix = '/as-the-readme-says/';
  if (!context.path.startsWith(prefix)) return next();
  const readme = await readFile('widgets/README.md', 'utf8');
  const glob = /\*\*Serve every `([^`]+)` file of `dist\/widgets\/`/.exec(readme)?.[1];
  const name = context.path.slice(prefix.length);
  const rule = glob && new RegExp(`^${glob.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`);
  if (!rule || !rule.test(name)) {
    context.status = 404;
    return;
  }
  try {
    context.body = await readFile(`dist/widgets/${name}`);
    context.type = name.endsWith('.css') ? 'text/css' : 'text/javascript';
  } catch {
    context.status = 404;
  }
}

/**
 * Each test file in its own browser context (own window): with several pages in one window all but one
 * are background tabs, where animation frames never come and the page reads as hidden. It also keeps
 * each file's localStorage to itself.
 */
const ownContext = async ({ browser }) => (await browser.createBrowserContext()).newPage();

const launchers = {
  chromium: async () =>
    chromeLauncher({
      launchOptions: { executablePath: findChromium(), headless: true, args: chromiumArgs },
      createPage: ownContext,
    }),
  // Firefox ESR over WebDriver BiDi, through the puppeteer-core that @web/test-runner-chrome ships. One
  // test file at a time: its contexts share one window, where only the front tab gets frames and keys.
  firefox: async () => {
    const launcher = chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: { browser: 'firefox', executablePath: findFirefox(), headless: true },
      createPage: ownContext,
    });
    launcher.concurrency = 1;
    return launcher;
  },
  // WebKitGTK's MiniBrowser (Safari's engine) through WebKitWebDriver, one test file at a time in one
  // window: its iframe mode would run files in background frames.
  webkit: async () => {
    const driver = await startWebKitDriver();
    const launcher = webdriverLauncher({
      hostname: '127.0.0.1',
      port: driver.port,
      capabilities: webkitCapabilities(),
    });
    const initialize = launcher.initialize.bind(launcher);
    launcher.initialize = (config) => initialize({ ...config, concurrency: 1 });
    launcher.concurrency = 1;
    const stop = launcher.stop.bind(launcher);
    launcher.stop = async () => {
      await stop();
      driver.stop();
    };
    return launcher;
  },
};

/** Widget tests: real headless Chromium, Firefox and WebKit, TypeScript sources compiled on the fly by esbuild. */
export default {
  files: 'test/widgets/**/*.test.ts',
  // Lit's production build, the one the bundle ships (the hydration code reads its internals by those names).
  nodeResolve: { exportConditions: ['production'] },
  middleware: [servedAsTheReadmeSays],
  concurrency: 2,
  browserStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
  // Generous per-test timeout: two cores shared by several engineers; waits inside tests are event-driven.
  testFramework: { config: { timeout: 15_000 } },
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    emulateMediaCommand,
    renderWidgetCommand,
  ],
  browsers: await Promise.all(selectedEngines().map((name) => launchers[name]())),
};
