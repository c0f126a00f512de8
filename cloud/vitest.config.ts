import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Migrates each engine once per run; every test file's databases start from that (docs/testing.md).
    globalSetup: ['src/testing/test-databases.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file starts its own embedded engine (~0.5 GB). Three at a time on a 2-core machine:
    // with two, a core was idle a sixth of the time while files waited on processes, the PostgreSQL
    // server or timers; a third worker fills that (the cloud stage 654 s → 587 s, docs/testing.md).
    maxWorkers: 3,
    pool: 'forks',
    // A worker runs its files one after another in one process, loading the cloud's modules once
    // rather than per file (about a third of the suite's time). Files still get fresh databases and
    // servers; what they may not do is leave module state or global stubs behind (docs/testing.md).
    isolate: false,
  },
});
