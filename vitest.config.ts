import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // End-to-end tests run the built bin and a real SQLite cache; give slow CI machines room.
    testTimeout: 60_000,
    pool: 'forks',
  },
});
