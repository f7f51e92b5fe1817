import { defineConfig } from 'vitest/config';

/** The package test: packs the kit, installs the tarball into a fresh project outside the repository, runs it. */
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
