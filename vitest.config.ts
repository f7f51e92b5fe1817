import { defineConfig } from 'vitest/config';

/** Node-side tests: server, sandbox, tooling. Browser tests run in web-test-runner, e2e in its own config. */
export default defineConfig({
  test: {
    include: [
      'test/server/**/*.test.ts',
      'test/sandbox/**/*.test.ts',
      'test/demo/**/*.test.ts',
      'test/ssr/**/*.test.ts',
      'test/workers/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
