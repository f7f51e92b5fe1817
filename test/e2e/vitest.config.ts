import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests against servers started on localhost: every flow in a real Chromium (playwright-core),
 * the checkout also in Firefox and WebKit (checkout-engines.e2e.ts; `TEST_BROWSERS` picks engines).
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
