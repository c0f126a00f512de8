import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@plantline/edge';
import { sql } from 'drizzle-orm';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rows } from '../../db/index.js';
import { useTestApp } from '../../testing/app.js';
import { startEdgeInProcess } from '../../testing/edge-in-process.js';
import { testEngines } from '../../testing/engines.js';

/*
 * A deadband set in the cloud reaches the edge and thins out what the cloud stores
 * (docs/device-integration.md, "Telemetry deadbands"): the real cloud server on each engine, an edge
 * built from its own units that fetches its key's rules, and an MQTT device publishing telemetry and
 * counts. Changing the rule in the cloud changes what the edge keeps at its next fetch.
 */
const TOPIC = 'plantline/v1/A1/L1/M1';

describe.each(testEngines)('telemetry deadbands from the cloud at the edge ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const log = createLogger({ logLevel: 'silent', name: 'edge' });
  let edge: Awaited<ReturnType<typeof startEdgeInProcess>>;
  let device: MqttClient;
  let dataDir: string;
  let plantId: string;
  let lineId: string;
  let machineId: string;

  beforeAll(async () => {
    plantId = app.tenants.a.plantIds[0]!;
    lineId = await app.line(plantId, 'L1');
    machineId = await app.machine(lineId, 'M1');
    dataDir = await mkdtemp(join(tmpdir(), 'deadband-edge-'));
    const key = await app.edge([plantId]);
    edge = await startEdgeInProcess({
      cloudUrl: app.server.url,
      apiKey: key.key,
      dataDir,
      log,
      deadbandSyncMs: 100,
    });
    device = await connectAsync(edge.url, { reconnectPeriod: 0, clientId: 'press-m1' });
  });

  afterAll(async () => {
    await device?.endAsync(true);
    await edge?.stop();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  async function stored(table: 'sensor_readings' | 'production_counts', where: ReturnType<typeof sql>) {
    return app.database.db.ownerTransact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      rows<{ value: number }>(
        tx,
        sql`select ${table === 'sensor_readings' ? sql`value` : sql`good`} as value
            from ${sql.identifier(table)} where machine_id = ${machineId} and ${where} order by time`,
      ),
    );
  }

  /** Publishes each value a second apart in device time, each acknowledged before the next. */
  async function publishTemps(values: number[], from: Date) {
    for (const [i, value] of values.entries()) {
      const ts = new Date(from.getTime() + i * 1000).toISOString();
      await device.publishAsync(`${TOPIC}/telemetry`, JSON.stringify({ values: { temp: value }, ts }), {
        qos: 1,
      });
      await device.publishAsync(`${TOPIC}/count`, JSON.stringify({ good: 1, ts }), { qos: 1 });
    }
  }

  async function nextSync() {
    const before = edge.deadbandSync?.status().syncedAt;
    await vi.waitFor(() => expect(edge.deadbandSync?.status().syncedAt).not.toBe(before), {
      timeout: 10_000,
    });
  }

  it('stores only the values that leave the band, all counts, and every value once the rule is off', async () => {
    await app.admin.trpc.telemetryDeadbands.set.mutate({
      plantId,
      lineId,
      machineId,
      metric: 'temp',
      mode: 'absolute',
      deadband: 1,
      heartbeatS: 3600,
    });
    await vi.waitFor(() => expect(edge.deadbandSync?.status()).toMatchObject({ source: 'cloud', rules: 1 }), {
      timeout: 10_000,
    });
    const first = new Date(Date.now() - 120_000);
    await publishTemps([60, 60.4, 60.9, 61.2, 61.5, 59], first);
    await vi.waitFor(async () => expect(await stored('production_counts', sql`true`)).toHaveLength(6), {
      timeout: 15_000,
    });
    expect((await stored('sensor_readings', sql`name = 'temp'`)).map((row) => row.value)).toEqual([
      60, 61.2, 59,
    ]);
    expect(edge.deadbandSync?.status()).toMatchObject({ samplesReceived: 6, samplesSuppressed: 3 });

    await app.admin.trpc.telemetryDeadbands.set.mutate({
      plantId,
      lineId,
      machineId,
      metric: 'temp',
      mode: 'off',
      deadband: 0,
      heartbeatS: null,
    });
    // A fetch that began before the change may still bring the old rule; the one after it cannot.
    await nextSync();
    await nextSync();
    await publishTemps([59, 59, 59], new Date(first.getTime() + 60_000));
    await vi.waitFor(async () => expect(await stored('production_counts', sql`true`)).toHaveLength(9), {
      timeout: 15_000,
    });
    expect((await stored('sensor_readings', sql`name = 'temp'`)).map((row) => row.value)).toEqual([
      60, 61.2, 59, 59, 59, 59,
    ]);
  });
});
