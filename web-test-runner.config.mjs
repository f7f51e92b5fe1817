import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromiumArgs, findChromium } from './test/support/chromium.ts';

/** Widget tests: real headless Chromium, TypeScript sources compiled on the fly by esbuild. */
export default {
  files: 'test/widgets/**/*.test.ts',
  nodeResolve: true,
  concurrency: 2,
  browserStartTimeout: 60_000,
  testsFinishTimeout: 120_000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  browsers: [
    chromeLauncher({ launchOptions: { executablePath: findChromium(), headless: true, args: chromiumArgs } }),
  ],
};
