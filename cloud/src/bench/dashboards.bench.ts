import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { startCloud } from '../cloud-app.js';
import { loadCloudEnv } from '../env.js';
import { signIn, wsClient } from '../testing/api.js';
import { testLog } from '../testing/engines.js';
import { percentile } from './bench-support.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const PASSWORD = 'benchmark-password-1';

/** Twelve widgets as the browser asks for them: every kind of widget, on the current shift. */
const widgets = [
  { type: 'kpi', options: { metric: 'oee', breakdown: 'total' } },
  { type: 'kpi', options: { metric: 'oee', breakdown: 'lines' } },
  { type: 'kpi', options: { metric: 'fpy', breakdown: 'total' } },
  { type: 'kpi', options: { metric: 'otd', breakdown: 'total' } },
  { type: 'trend', options: { by: 'day', days: 14 } },
  { type: 'trend', options: { by: 'shift', days: 3 } },
  { type: 'pareto', options: { source: 'downtime', top: 10 } },
  { type: 'pareto', options: { source: 'scrap', top: 10 } },
  { type: 'table', options: { source: 'downtime', rows: 10 } },
  { type: 'table', options: { source: 'openNcrs', rows: 10 } },
  { type: 'machines', options: { onlyDown: false } },
  { type: 'text', options: { text: '# Notes' } },
].map((w, i) => ({
  ...w,
  id: `w${i}`,
  title: `Widget ${i}`,
  gridPos: { x: (i % 4) * 6, y: Math.floor(i / 4) * 6, w: 6, h: 6 },
}));

/**
 * First data of a 12-widget dashboard (docs/dashboards.md, docs/benchmarks.md): from asking for the
 * dashboard by its slug until every widget has its first answer — the live snapshot over a WebSocket
 * for the live tiles and machine tiles, one query each for the others, sent at once as the page does
 * once it has the definition. On the demo tenant with `DEMO_HISTORY_DAYS` (default 2) days of history.
 */
export async function dashboardsBenchmark() {
  const env = loadCloudEnv({
    ...process.env,
    PORT: '0',
    DEMO_SEED: 'true',
    DEMO_ADMIN_PASSWORD: PASSWORD,
    DEMO_HISTORY_DAYS: process.env.DEMO_HISTORY_DAYS ?? '2',
    PLANTLINE_DATA_DIR: `/tmp/plantline-bench-${process.pid}`,
  });
  const cloud = await startCloud(env, { log: testLog, web: null, inMemory: env.DATABASE_URL === undefined });
  try {
    const admin = await signIn(cloud.url, env.DEMO_ADMIN_EMAIL, PASSWORD);
    const plants = await admin.trpc.kpi.boardPlants.query();
    const first = plants[0];
    if (first === undefined) throw new Error('the demo tenant has no plant with lines');
    const plantId: string = first;
    const created = await admin.trpc.dashboards.create.mutate({
      name: 'Twelve widgets',
      definition: {
        widgets: widgets as never,
        variables: ['plant', 'timeRange'],
        timeRange: 'currentShift',
        refreshSeconds: 60,
      },
    });
    const live = wsClient(cloud.url, { token: admin.token });
    const scope = { kind: 'plant' as const, id: plantId };
    const DAY_MS = 86_400_000;
    const today = new Date().toISOString().slice(0, 10);
    const since = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

    async function openOnce(): Promise<number> {
      const started = performance.now();
      const dashboard = await admin.trpc.dashboards.get.query({ slug: created.slug });
      if (dashboard.definition.widgets.length !== 12) throw new Error('the dashboard lost widgets');
      const snapshot = new Promise<void>((resolve, reject) => {
        const subscription = live.trpc.kpi.live.subscribe(
          { plantId },
          {
            onData: (message) => {
              if (message.type !== 'snapshot') return;
              subscription.unsubscribe();
              resolve();
            },
            onError: reject,
          },
        );
      });
      await Promise.all([
        snapshot,
        admin.trpc.kpi.fpy.query({ plantId, from: since(1), to: new Date().toISOString() }),
        admin.trpc.kpi.otd.query({
          plantId,
          from: new Date(Date.now() - 27 * DAY_MS).toISOString().slice(0, 10),
          to: today,
          bucket: 'day',
        }),
        admin.trpc.kpi.oeeSeries.query({ scope, from: since(14), to: new Date().toISOString(), by: 'day' }),
        admin.trpc.kpi.oeeSeries.query({ scope, from: since(3), to: new Date().toISOString(), by: 'shift' }),
        admin.trpc.kpi.downtimePareto.query({ scope, window: 'currentShift' }),
        admin.trpc.kpi.countsPerHour.query({ scope, window: 'currentShift' }),
        admin.trpc.kpi.downtimePareto.query({ scope, window: 'currentShift' }),
        admin.trpc.ncrs.list.query({ plantId, limit: 200 }),
      ]);
      return performance.now() - started;
    }

    process.stderr.write(
      `dashboards: ${SAMPLES} opens of a 12-widget dashboard against ${cloud.deps.db.mode}\n`,
    );
    const cold = await openOnce();
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) times.push(await openOnce());
    live.close();
    times.sort((a, b) => a - b);
    return {
      database: cloud.deps.db.mode,
      first_data_ms: Number(percentile(times, 50).toFixed(1)),
      first_data_p99_ms: Number(percentile(times, 99).toFixed(1)),
      first_data_cold_ms: Number(cold.toFixed(1)),
      widgets: widgets.length,
      samples: SAMPLES,
      load_avg_1m: Number(loadavg()[0]?.toFixed(2)),
    };
  } finally {
    await cloud.stop();
    rmSync(env.dataDir, { recursive: true, force: true });
  }
}
