import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The process tests start real edges through tsx; on a 2-core machine that takes a few seconds.
  test: { include: ['src/**/*.test.ts'], testTimeout: 20_000, hookTimeout: 20_000 },
});
