import { defineConfig } from 'vitest/config';

/** Browser tests: a real Chromium against the real app on a real database. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/setup/global-database.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
