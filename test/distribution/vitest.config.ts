import { defineConfig } from 'vitest/config';

/** Distribution tests: the packed kit installed outside the repository, other runtimes, the container. */
export default defineConfig({
  test: {
    include: ['test/distribution/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
