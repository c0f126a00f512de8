import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { startCloud } from '../cloud-app.js';
import { loadCloudEnv } from '../env.js';
import { testLog } from '../testing/engines.js';
import { percentile } from './bench-support.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

/**
 * The cost every API call pays before doing its own work: session cookie → principal
 * (session lookup, roles, plants) → one scoped transaction. Measured with `auth.me` from
 * concurrent HTTP clients for a fixed time.
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
    const latencies: number[] = [];
    let failures = 0;
    const deadline = Date.now() + DURATION_MS;
    // The process's CPU time per answered call (its clients and the cloud together): a figure that
    // a machine shared with other work moves less than the rate does.
    const cpuBefore = process.cpuUsage();
    process.stderr.write(
      `api: ${CONCURRENCY} clients for ${DURATION_MS / 1000} s against ${cloud.deps.db.mode}\n`,
    );
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < deadline) {
          const started = performance.now();
          const status = await get(agent, meUrl, cookie);
          if (status === 200) latencies.push(performance.now() - started);
          else failures++;
        }
      }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    agent.destroy();
    latencies.sort((a, b) => a - b);
    return {
      database: cloud.deps.db.mode,
      requests_per_s: Math.round(latencies.length / (DURATION_MS / 1000)),
      p50_ms: Number(percentile(latencies, 50).toFixed(2)),
      p99_ms: Number(percentile(latencies, 99).toFixed(2)),
      failures,
      cpu_ms_per_request: Number(((cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length)).toFixed(3)),
      concurrency: CONCURRENCY,
      load_avg_1m: Number(loadavg()[0]?.toFixed(2)),
    };
  } finally {
    await cloud.stop();
    rmSync(env.dataDir, { recursive: true, force: true });
  }
}

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
