import { defineConfig } from 'vitest/config';

/** Reliability tests: real server processes killed mid-traffic, Points outages, fuzzed input. Run one file at a time. */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    environment: 'node',
    testTimeout: 150_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
