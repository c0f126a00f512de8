import { readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { startCloud } from '../cloud-app.js';
import { APP_ROLE, type Database, rows } from '../db/index.js';
import { loadCloudEnv } from '../env.js';
import { testLog } from '../testing/engines.js';
import { percentile } from './bench-support.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

/**
 * The cost every API call pays before doing its own work: session cookie → caller (session,
 * standing, permissions, plants) → the procedure, in one scoped transaction. Measured with `auth.me`
 * from concurrent HTTP clients for a fixed time, after a warm-up that pays once for cold code and
 * statements (docs/benchmarks.md, `api`).
 */
export async function apiBenchmark() {
  const env = loadCloudEnv({
    ...process.env,
    PORT: '0',
    DEMO_SEED: 'true',
    DEMO_ADMIN_PASSWORD: 'benchmark-password-1',
    PLANTLINE_DATA_DIR: `/tmp/plantline-bench-${process.pid}`,
  });
  const cloud = await startCloud(env, { log: testLog, web: null, inMemory: env.DATABASE_URL === undefined });
  try {
    // Statistics, as a server's autovacuum would have them (a test server may run without it): with
    // none, the planner guesses and the per-call statements' plans are not the ones served.
    await cloud.deps.db.owner.execute(sql`analyze`);
    const login = await fetch(`${cloud.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: env.DEMO_ADMIN_EMAIL, password: 'benchmark-password-1' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    // node:http with kept-alive sockets, one per client: the clients share the cloud's process, and
    // fetch's own work per request (undici, web streams) would count against the cloud's rate.
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const meUrl = `${cloud.url}/trpc/auth.me`;
    const drive = async (ms: number, latencies: number[]) => {
      let failures = 0;
      const deadline = performance.now() + ms;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < deadline) {
            const started = performance.now();
            const status = await get(agent, meUrl, cookie);
            if (status === 200) latencies.push(performance.now() - started);
            else failures++;
          }
        }),
      );
      return failures;
    };
    process.stderr.write(
      `api: ${CONCURRENCY} clients, ${WARMUP_MS / 1000} s warm-up, ${DURATION_MS / 1000} s measured, against ${cloud.deps.db.mode}\n`,
    );
    const warmupFailures = await drive(WARMUP_MS, []);
    const loadAtStart = loadavg()[0] ?? 0;
    // CPU per answered call, which a machine shared with other work moves less than the rate: the
    // process's (its clients and the cloud together; the embedded engine runs in it too) and, on a
    // server on this machine, that of the server processes serving the application role's calls.
    const serverBefore = await serverCpu(cloud.deps.db);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const latencies: number[] = [];
    const failures = await drive(DURATION_MS, latencies);
    const elapsedS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const serverAfter = await serverCpu(cloud.deps.db);
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const answered = Math.max(1, latencies.length);
    const postgres =
      serverBefore === null || serverAfter === null ? null : cpuDelta(serverBefore, serverAfter);
    return {
      database: cloud.deps.db.mode,
      requests_per_s: Math.round(latencies.length / elapsedS),
      p50_ms: Number(percentile(latencies, 50).toFixed(2)),
      p99_ms: Number(percentile(latencies, 99).toFixed(2)),
      failures: failures + warmupFailures,
      cpu_us_per_request: {
        process: Math.round((cpu.user + cpu.system) / answered),
        postgres: postgres === null ? null : Math.round((postgres * 1e6) / answered),
      },
      concurrency: CONCURRENCY,
      load_avg_1m: { start: round2(loadAtStart), end: round2(loadavg()[0] ?? 0) },
    };
  } finally {
    await cloud.stop();
    rmSync(env.dataDir, { recursive: true, force: true });
  }
}

/**
 * CPU seconds of each server process serving the application role in this database, by pid, read
 * from /proc: null when the server is not on this machine or the engine is embedded.
 */
async function serverCpu(db: Database): Promise<Map<number, number> | null> {
  if (db.mode !== 'server') return null;
  const backends = await rows<{ pid: number }>(
    db.owner,
    sql`select pid from pg_stat_activity where datname = current_database() and usename = ${APP_ROLE}`,
  );
  const seconds = new Map<number, number>();
  for (const { pid } of backends) {
    try {
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall,
      // in clock ticks (100 a second on Linux).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      return null;
    }
  }
  return seconds;
}

/** A process that started during the run counts from zero; one that ended is lost (the pool keeps its own). */
function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

const round2 = (value: number) => Number(value.toFixed(2));

/** One GET, its body read to the end; resolves with the status. */
function get(agent: Agent, url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { cookie } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
