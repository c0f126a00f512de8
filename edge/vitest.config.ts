import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The process tests start real edges through tsx; on a 2-core machine that takes a few seconds.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two files at a time: much of a file's time is waiting on an edge process or a broker, and
    // vitest's default on two cores is one worker (docs/testing.md).
    maxWorkers: 2,
    // A worker runs its files one after another with the modules loaded once (47 s → 39 s); no edge
    // test mocks modules or fakes timers, and none may leave module state behind.
    isolate: false,
  },
});
