import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAppDeps } from '../build-app-deps.js';
import { seedDemoTenant } from '../modules/demo/index.js';
import { testLog } from '../testing/engines.js';
import { openBenchDatabase } from './bench-support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const log = (line: string) => process.stderr.write(`demo: ${line}\n`);

/**
 * How long a fresh `pnpm start` spends creating the demo tenant (docs/demo.md): the whole seed — plants,
 * master data, people, NCRs, customers, shipments and their history — into a new database each run,
 * as the cloud runs it with its own dependencies. Without history days: the event backfill runs after
 * the start and is measured by the ingest benchmarks.
 */
export async function demoBenchmark(): Promise<Record<string, unknown>> {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const db = await openBenchDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'plantline-demo-bench-'));
    try {
      const deps = buildAppDeps({
        db,
        log: testLog,
        version: 'bench',
        sessionPolicy: { idleMs: 3_600_000, maxMs: 3_600_000, rotateMs: 3_600_000 },
        loginLimits: {
          windowMs: 60_000,
          maxFailuresPerAccountAndAddress: 100,
          maxFailuresPerAccount: 100,
          maxFailuresPerAddress: 100,
        },
        cookieSecure: false,
        trustProxy: false,
      });
      const started = performance.now();
      await seedDemoTenant(db, {
        dataDir,
        email: 'admin@demo.plantline.local',
        password: 'demo-bench-password',
        log: testLog,
        notifications: { bus: deps.bus, email: null },
        workflowEntities: deps.workflowEntities,
        app: deps,
      });
      const ms = performance.now() - started;
      samples.push(ms);
      log(`run ${run + 1}: ${ms.toFixed(0)} ms`);
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    engine: process.env.DATABASE_URL === undefined ? 'embedded' : 'server',
    runs: RUNS,
    seedMsMedian: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    seedMsMin: Math.round(sorted[0] ?? 0),
    load1: loadavg()[0],
  };
}
