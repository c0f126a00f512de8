import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startCloud } from '../cloud-app.js';
import { openDatabase } from '../db/index.js';
import { killProcess, startCloudProcess } from '../e2e/processes.js';
import type { CloudEnv } from '../env.js';
import { createTenant } from '../modules/tenancy/index.js';
import { testLog } from '../testing/engines.js';

/*
 * The cloud a benchmark measures (docs/benchmarks.md, fanout): by default as `pnpm start` runs it —
 * built into one file (scripts/build.mjs) and started as a process of its own with plain Node, its
 * resident memory and CPU read from /proc — or, with BENCH_CLOUD_IN_PROCESS=1, started in the
 * benchmark's own process from the sources, where its heap can be read and snapshotted. The tenant is
 * created before the cloud starts, on the same database, so both ways start the same.
 */

export interface MeasuredCloud {
  url: string;
  inProcess: boolean;
  /** Resident memory now, in bytes; the heap only in process. */
  memory(): { rss: number; heapUsed: number | null; heapTotal: number | null };
  /** CPU seconds (user + system) the cloud has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

type TenantInput = Parameters<typeof createTenant>[1];

const cloudDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** Clock ticks per second of /proc/<pid>/stat's times: 100 on Linux (USER_HZ). */
const TICKS_PER_S = 100;

/** The cloud on `env`'s database with `tenant` created first, measured as described above. */
export async function startMeasuredCloud(env: CloudEnv, tenant: TenantInput): Promise<MeasuredCloud> {
  const db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir, log: testLog });
  try {
    await createTenant(db, tenant);
  } finally {
    await db.close();
  }
  if (process.env.BENCH_CLOUD_IN_PROCESS === '1') {
    const cloud = await startCloud(env, { log: testLog, web: null });
    return {
      url: cloud.url,
      inProcess: true,
      memory: () => {
        const { rss, heapUsed, heapTotal } = process.memoryUsage();
        return { rss, heapUsed, heapTotal };
      },
      cpuSeconds: () => {
        const cpu = process.cpuUsage();
        return (cpu.user + cpu.system) / 1e6;
      },
      stop: () => cloud.stop(),
    };
  }
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: cloudDir });
  const vars: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    PLANTLINE_DATA_DIR: env.dataDir,
    DEMO_SEED: 'false',
    LOG_LEVEL: 'warn',
    MAX_SUBSCRIPTIONS_PER_USER: String(env.MAX_SUBSCRIPTIONS_PER_USER),
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: String(env.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION),
    ...(env.DATABASE_URL === undefined ? {} : { DATABASE_URL: env.DATABASE_URL }),
  };
  const cloud = await startCloudProcess(vars, 120_000, { built: true });
  const pid = cloud.child.pid;
  if (pid === undefined) throw new Error('the built cloud has no process id');
  return {
    url: cloud.url,
    inProcess: false,
    memory: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
      return { rss: kb * 1024, heapUsed: null, heapTotal: null };
    },
    cpuSeconds: () => {
      // Fields 14 and 15 (utime, stime) after the command name, which is in parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
    },
    stop: () => killProcess(cloud),
  };
}
