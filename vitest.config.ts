import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-database.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep the database and the app processes from starving each other.
    maxWorkers: 2,
  },
});
