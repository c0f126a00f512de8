import { defineConfig } from 'vitest/config';

// Browser tests drive the built app (adapter-node output) served by a real cloud in Debian's
// Chromium, so they need neither the SvelteKit plugin nor a dev server.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file has its own cloud, data folder, ports and browser connection, so two files run at
    // once: a file's cloud start is one core's work, and the browser steps wait on the other. A worker
    // runs its files one after another and loads the cloud's modules once (docs/testing.md).
    maxWorkers: 2,
    pool: 'forks',
    isolate: false,
  },
});
