import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@plantline/edge';
import { ssccFrom } from '@plantline/schema/gs1';
import { builtinLabelTemplate, labelDataSchema } from '@plantline/schema/labels';
import { connectAsync, type MqttClient } from 'mqtt';
import { BarcodePool, renderLabelPdf, renderLabelZpl } from '../modules/labels/index.js';
import { type ApiClient, signIn } from '../testing/api.js';
import { startEdgeInProcess } from '../testing/edge-in-process.js';
import { addCustomer, setGs1Prefix } from '../testing/logistics.js';
import { startTestServer } from '../testing/server.js';
import { createTwoTenants } from '../testing/tenants.js';
import { openBenchServer, percentile } from './bench-support.js';

/*
 * `pnpm bench scan` (docs/benchmarks.md, "scan"): packing by scanning at plant stations, end to end.
 * The cloud server and an edge (embedded broker, outbox, uplink) run in this process on the
 * PostgreSQL server; STATIONS MQTT scanners each pack their own shipment into a pallet, publishing
 * RATE scans per second in total for DURATION_MS, and each scan's latency is taken from its publish
 * to its station's answer on the answer topic. One station's scans are answered in the order
 * scanned, so each answer belongs to that station's oldest unanswered publish; after a warm-up at
 * the same rate (WARMUP_MS), only the measured window's scans count. Then label rendering:
 * pallet SSCC labels to PDF and to ZPL through the labels module's BarcodePool for LABEL_MS.
 */
const RATE = Number(process.env.BENCH_RATE ?? 200);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 20_000);
const STATIONS = Number(process.env.BENCH_STATIONS ?? 8);
/** How long after the last publish an answer may still come before its scan counts as lost. */
const DRAIN_MS = Number(process.env.BENCH_DRAIN_MS ?? 10_000);
const LABEL_MS = Number(process.env.BENCH_LABEL_MS ?? 10_000);
/** Labels in flight at once: enough to keep every renderer thread busy. */
const LABEL_CONCURRENCY = 4;
/**
 * Before the measured DURATION_MS the scanners publish at the same rate for WARMUP_MS: the first
 * seconds of a new process pay for a cold pipeline (JIT, first statements, planner caches), once per
 * start. Their latencies are reported apart (`warmup_p99_ms`), not mixed into the plant's steady state.
 */
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3000);
/** Every twentieth scan is of a product not on the shipment: the refused path is measured too. */
const WRONG_EVERY = 20;
const ROTOR = '09521234543213';
const CALIPER = '09506000134352';

const say = (line: string) => process.stderr.write(`scan: ${line}\n`);

export async function scanBenchmark() {
  const { db, drop } = await openBenchServer('scan');
  const dataDir = await mkdtemp(join(tmpdir(), 'plantline-bench-scan-'));
  const server = await startTestServer(db);
  let edge: Awaited<ReturnType<typeof startEdgeInProcess>> | undefined;
  const scanners: MqttClient[] = [];
  try {
    const tenants = await createTwoTenants(db);
    const admin = await signIn(server.url, tenants.a.adminEmail);
    const plantId = tenants.a.plantIds[0]!;
    const stations = await prepareStations(admin, db, tenants.a.tenantId, plantId);
    const key = await admin.trpc.apiKeys.create.mutate({
      name: 'bench edge',
      scopes: ['ingest.write'],
      plantIds: [plantId],
    });
    edge = await startEdgeInProcess({
      cloudUrl: server.url,
      apiKey: key.key,
      dataDir,
      log: createLogger({ logLevel: process.env.BENCH_EDGE_LOG === 'info' ? 'info' : 'warn', name: 'edge' }),
    });
    const uplink = edge.uplink;
    // Where the time goes, while it runs: the uplink's last batch and how long the cloud took for it.
    const progress = setInterval(() => {
      const { lastBatch, batchSize, state } = uplink.status();
      say(
        `uplink ${state}: last batch ${lastBatch?.events ?? 0} events in ${lastBatch?.ms ?? 0} ms (size ${batchSize})`,
      );
    }, 2000);
    const results = await runScanners(edge.url, stations, scanners).finally(() => clearInterval(progress));
    say(
      `${results.answered} answered of ${results.published}; now rendering labels for ${LABEL_MS / 1000} s`,
    );
    const labels = await renderLabels();
    return {
      database: db.mode,
      stations: STATIONS,
      scans_per_s: Number((results.published / (DURATION_MS / 1000)).toFixed(1)),
      published: results.published,
      answered: results.answered,
      lost: results.published - results.answered,
      ok: results.ok,
      refused: results.answered - results.ok,
      p50_ms: round(percentile(results.latencies, 50)),
      p99_ms: round(percentile(results.latencies, 99)),
      warmup_p99_ms: round(percentile(results.warmup, 99)),
      max_ms: round(results.latencies.at(-1) ?? 0),
      labels_per_s: labels.labelsPerS,
      pdf_per_s: labels.pdfPerS,
      zpl_per_s: labels.zplPerS,
      load_1m: Number(loadavg()[0]!.toFixed(2)),
    };
  } finally {
    await Promise.all(scanners.map((scanner) => scanner.endAsync(true)));
    await edge?.stop();
    await server.close();
    await drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const round = (ms: number) => Number(ms.toFixed(1));

/** STATIONS stations, each assigned to pack its own shipment, large enough for every scan, into a pallet. */
async function prepareStations(
  admin: ApiClient,
  db: Parameters<typeof addCustomer>[0],
  tenantId: string,
  plantId: string,
): Promise<string[]> {
  const rotor = await admin.trpc.production.products.create.mutate({
    code: 'BRK-100',
    name: 'Rotor',
    gtin: ROTOR,
  });
  await setGs1Prefix(admin, '9528765', 6);
  const customer = await addCustomer(db, tenantId, { code: 'BENCH' });
  const lineId = (await admin.trpc.masterdata.lines.create.mutate({ plantId, code: 'PACK', name: 'Packing' }))
    .id;
  const codes: string[] = [];
  for (let n = 1; n <= STATIONS; n++) {
    const code = `PACK-${n}`;
    const station = await admin.trpc.masterdata.stations.create.mutate({ plantId, lineId, code, name: code });
    const shipment = await admin.trpc.logistics.shipments.create.mutate({
      plantId,
      customerId: customer.customerId,
      shipToId: customer.shipToId,
      products: [{ productId: rotor.id, quantity: 1_000_000 }],
    });
    const pallet = await admin.trpc.logistics.packing.openPackage.mutate({
      shipmentId: shipment.id,
      kind: 'pallet',
    });
    await admin.trpc.logistics.stations.assign.mutate({
      stationId: station.id,
      mode: 'pack',
      shipmentId: shipment.id,
      packageId: pallet.id,
      expectedVersion: null,
    });
    codes.push(code);
  }
  return codes;
}

/** The scanners publish on a fixed schedule, whatever the answers do, and time each answer. */
async function runScanners(mqttUrl: string, stations: readonly string[], scanners: MqttClient[]) {
  const latencies: number[] = [];
  const warmup: number[] = [];
  let published = 0;
  let ok = 0;
  /** When the measured window opens: set once the scanners are connected. */
  let measuredFrom = Number.POSITIVE_INFINITY;
  const waiting = new Map<string, number[]>();
  for (const station of stations) {
    const scanner = await connectAsync(mqttUrl, { reconnectPeriod: 0, clientId: `bench-${station}` });
    // A scanner sends each scan at once, as a device's MQTT stack does (mqtt.js leaves Nagle on).
    (scanner.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    scanners.push(scanner);
    const sent: number[] = [];
    waiting.set(station, sent);
    scanner.on('message', (_topic, payload) => {
      const at = sent.shift();
      if (at === undefined) return;
      const latency = performance.now() - at;
      if (at < measuredFrom) {
        warmup.push(latency);
        return;
      }
      latencies.push(latency);
      if ((JSON.parse(payload.toString('utf8')) as { result: string }).result === 'ok') ok++;
    });
    await scanner.subscribeAsync(`plantline/v1/A1/PACK/${station}/answer`, { qos: 1 });
  }
  say(
    `${stations.length} scanners publishing ${RATE} scans/s in total: ${WARMUP_MS / 1000} s warm-up, then ${DURATION_MS / 1000} s measured`,
  );
  const intervalMs = 1000 / RATE;
  const warmupScans = Math.round((RATE * WARMUP_MS) / 1000);
  const total = warmupScans + Math.round((RATE * DURATION_MS) / 1000);
  const begin = performance.now();
  for (let n = 0; n < total; n++) {
    if (n === warmupScans) measuredFrom = performance.now();
    const due = begin + n * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const station = stations[n % stations.length]!;
    const code = n % WRONG_EVERY === WRONG_EVERY - 1 ? `]C101${CALIPER}` : `]C101${ROTOR}`;
    waiting.get(station)!.push(performance.now());
    scanners[n % stations.length]!.publish(
      `plantline/v1/A1/PACK/${station}/scan`,
      JSON.stringify({ code, symbology: 'code128' }),
      { qos: 1 },
    );
    if (n >= warmupScans) published++;
  }
  const drainUntil = performance.now() + DRAIN_MS;
  while (latencies.length < published && performance.now() < drainUntil)
    await new Promise((resolve) => setTimeout(resolve, 50));
  // Copies: an answer arriving after the drain must not land in the sorted samples.
  const sorted = [...latencies].sort((a, b) => a - b);
  const sortedWarmup = [...warmup].sort((a, b) => a - b);
  return { latencies: sorted, warmup: sortedWarmup, published, answered: sorted.length, ok };
}

/** Pallet labels to PDF and ZPL, LABEL_CONCURRENCY at a time, for LABEL_MS; a label is both formats. */
async function renderLabels() {
  const pool = new BarcodePool();
  await pool.start();
  const template = builtinLabelTemplate('pallet-4x6')!;
  let serial = 0;
  const data = () =>
    labelDataSchema.parse({
      sscc: ssccFrom({ extensionDigit: 0, companyPrefix: '9528765', serialReference: ++serial }),
      gtin: ROTOR,
      description: 'Brake rotor 280 mm',
      count: 40,
      lot: `L${serial}`,
      bestBefore: '2027-12-31',
      po: '4500012345',
      shipFrom: { name: 'Riverside Brakes', address: ['1 Mill Lane', 'Riverside'], gln: '9506000000015' },
      shipTo: { name: 'Metro DC North', address: ['Dock 4', 'Northtown'], gln: '9506000000022' },
    });
  let pdf = 0;
  let zpl = 0;
  try {
    const begin = performance.now();
    const deadline = begin + LABEL_MS;
    await Promise.all(
      Array.from({ length: LABEL_CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const label = data();
          await renderLabelPdf(pool, template, label);
          pdf++;
          await renderLabelZpl(pool, template, label, 203);
          zpl++;
        }
      }),
    );
    const seconds = (performance.now() - begin) / 1000;
    return {
      labelsPerS: Number((Math.min(pdf, zpl) / seconds).toFixed(1)),
      pdfPerS: Number((pdf / seconds).toFixed(1)),
      zplPerS: Number((zpl / seconds).toFixed(1)),
    };
  } finally {
    await pool.stop();
  }
}
