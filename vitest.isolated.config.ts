import { defineConfig } from 'vitest/config';

// Tests that disturb shared services (a PostgreSQL restart) run alone, after the main suite.
export default defineConfig({
  test: {
    include: ['test/isolated/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
