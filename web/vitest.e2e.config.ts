import { defineConfig } from 'vitest/config';

// Browser tests drive the built app (adapter-node output) served by a real cloud in Debian's
// Chromium, so they need neither the SvelteKit plugin nor a dev server.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
