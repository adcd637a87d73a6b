import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A throwaway PostgreSQL server for the tests that run against both databases.
    globalSetup: ['test/global-setup/postgres.ts'],
    // Generous: several tests spawn `koban` or build the search index, which takes seconds alone
    // and much longer on a busy 2-core machine; a timing target belongs in `npm run bench`.
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
