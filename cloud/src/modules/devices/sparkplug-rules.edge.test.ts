import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@plantline/edge';
import { sql } from 'drizzle-orm';
import { newClient, type UPayload } from 'sparkplug-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rows } from '../../db/index.js';
import { useTestApp } from '../../testing/app.js';
import { startEdgeInProcess } from '../../testing/edge-in-process.js';
import { testEngines } from '../../testing/engines.js';

/*
 * A Sparkplug B rule made in the cloud reaches the edge and maps a node's metrics to a machine
 * (docs/device-integration.md, "Sparkplug B"): the real cloud server on each engine, an edge built from
 * its own units that fetches its key's rules, and a Sparkplug B edge node on Eclipse Tahu's client. The
 * node was born before the rules existed; a new rule makes the edge ask it for its births, so the
 * machine's state is known at once rather than at its next change; a death puts the machine in the
 * rule's offline state.
 */
describe.each(testEngines)('Sparkplug B rules from the cloud at the edge ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const log = createLogger({ logLevel: 'silent', name: 'edge' });
  let edge: Awaited<ReturnType<typeof startEdgeInProcess>>;
  let node: ReturnType<typeof newClient>;
  let dataDir: string;
  let plantId: string;
  let lineId: string;
  let machineId: string;
  let good = 500;
  let state = 1;

  const birth = (): UPayload => ({
    timestamp: Date.now(),
    metrics: [
      { name: 'Status/State', alias: 1, type: 'Int32', value: state },
      { name: 'Counts/Good', alias: 2, type: 'UInt64', value: good },
    ],
  });

  beforeAll(async () => {
    plantId = app.tenants.a.plantIds[0]!;
    lineId = await app.line(plantId, 'L1');
    machineId = await app.machine(lineId, 'M1');
    dataDir = await mkdtemp(join(tmpdir(), 'sparkplug-edge-'));
    const key = await app.edge([plantId]);
    const login = { username: 'plc', password: 'plc-secret' };
    edge = await startEdgeInProcess({
      cloudUrl: app.server.url,
      apiKey: key.key,
      dataDir,
      log,
      sparkplugSyncMs: 100,
      deviceLogin: login,
    });
    node = newClient({
      serverUrl: edge.url,
      ...login,
      groupId: 'Plant1',
      edgeNode: 'PLC-7',
      clientId: 'plc-7',
      publishDeath: true,
    });
    node.on('ncmd', (payload) => {
      if (!payload.metrics?.some((m) => m.name === 'Node Control/Rebirth' && m.value === true)) return;
      node.publishNodeBirth({ timestamp: Date.now(), metrics: [] });
      node.publishDeviceBirth('Press1', birth());
    });
    await new Promise<void>((resolve) => {
      node.on('birth', () => {
        node.publishNodeBirth({ timestamp: Date.now(), metrics: [] });
        node.publishDeviceBirth('Press1', birth());
        resolve();
      });
    });
  });

  afterAll(async () => {
    node?.stop();
    await edge?.stop();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  const stored = (query: ReturnType<typeof sql>) =>
    app.database.db.ownerTransact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      rows<Record<string, unknown>>(tx, query),
    );
  const states = async () =>
    (
      await stored(sql`select state from machine_state_events where machine_id = ${machineId} order by time`)
    ).map((row) => row.state);
  const goodParts = async () =>
    Number(
      (
        await stored(
          sql`select coalesce(sum(good), 0)::int as good from production_counts where machine_id = ${machineId}`,
        )
      )[0]?.good,
    );

  it('maps the metrics of a node born before its rules once they arrive, and follows a change', async () => {
    await vi.waitFor(() => expect(edge.sparkplug?.status().presence.some((p) => p.online)).toBe(true), {
      timeout: 10_000,
    });
    const where = { plantId, lineId, machineId, group: 'Plant1', node: 'PLC-7', device: 'Press1' };
    await app.admin.trpc.sparkplugRules.save.mutate({
      ...where,
      metric: 'Status/State',
      kind: 'state',
      states: { '1': 'RUNNING', '2': 'DOWN' },
      offline: 'OFFLINE',
    });
    await app.admin.trpc.sparkplugRules.save.mutate({
      ...where,
      metric: 'Counts/Good',
      kind: 'count',
      count: 'good',
    });
    await vi.waitFor(() => expect(edge.sparkplugSync?.status().source).toBe('cloud'), { timeout: 10_000 });

    // The rebirth the new rules asked for brings the state; the counter's birth value is its baseline.
    // (The edge may have fetched the rules one at a time and asked for a birth after each.)
    await vi.waitFor(async () => expect(await states()).toContain('RUNNING'), { timeout: 15_000 });
    await vi.waitFor(
      async () => {
        expect(edge.sparkplug?.status().rules).toBe(2);
        const file = JSON.parse(await readFile(join(dataDir, 'sparkplug-counters.json'), 'utf8'));
        expect(Object.values(file.counters)).toEqual([500]);
      },
      { timeout: 15_000 },
    );
    good = 507;
    state = 2;
    node.publishDeviceData('Press1', {
      timestamp: Date.now(),
      metrics: [
        { alias: 2, type: 'UInt64', value: good },
        { alias: 1, type: 'Int32', value: state },
      ],
    });
    await vi.waitFor(async () => expect(await goodParts()).toBe(7), { timeout: 15_000 });
    await vi.waitFor(async () => expect(await states()).toContain('DOWN'), { timeout: 15_000 });
    expect(edge.sparkplug?.status().presence).toContainEqual({
      group: 'Plant1',
      node: 'PLC-7',
      device: 'Press1',
      online: true,
      machines: ['A1/L1/M1'],
    });

    // The device dies: the machine is offline until its next birth.
    node.publishDeviceDeath('Press1', { timestamp: Date.now(), metrics: [] });
    await vi.waitFor(async () => expect((await states()).at(-1)).toBe('OFFLINE'), { timeout: 15_000 });
  });
});
