import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromiumArgs, findChromium } from './test/support/chromium.ts';

/**
 * `executeServerCommand('emulate-forced-colors', 'active' | 'none')`: Windows high-contrast mode,
 * which the built-in `emulateMedia` command does not cover.
 */
const forcedColorsCommand = {
  name: 'emulate-forced-colors',
  async executeCommand({ command, payload, session }) {
    if (command !== 'emulate-forced-colors') return undefined;
    const page = session.browser.getPage(session.id);
    await page.emulateMediaFeatures([{ name: 'forced-colors', value: String(payload) }]);
    return true;
  },
};

/** Widget tests: real headless Chromium, TypeScript sources compiled on the fly by esbuild. */
export default {
  files: 'test/widgets/**/*.test.ts',
  nodeResolve: true,
  concurrency: 2,
  browserStartTimeout: 60_000,
  testsFinishTimeout: 120_000,
  // Generous per-test timeout: two cores shared by several engineers; waits inside tests are event-driven.
  testFramework: { config: { timeout: 15_000 } },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), forcedColorsCommand],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChromium(), headless: true, args: chromiumArgs },
      // Each test file in its own browser context (own window): with several pages in one window all
      // but one are background tabs, where animation frames never come and the page reads as hidden.
      // It also keeps each file's localStorage to itself.
      createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage(),
    }),
  ],
};
