import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A throwaway PostgreSQL server for the tests that run against both databases.
    globalSetup: ['test/global-setup/postgres.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
