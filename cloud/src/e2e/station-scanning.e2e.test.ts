import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@plantline/edge';
import { type StationAnswerMessage, stationAnswerMessage } from '@plantline/schema';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../testing/api.js';
import { useTestApp } from '../testing/app.js';
import { startEdgeInProcess } from '../testing/edge-in-process.js';
import { testEngines } from '../testing/engines.js';
import { addCustomer, setGs1Prefix } from '../testing/logistics.js';

/*
 * A plant scanner packs a shipment through the edge (docs/logistics.md, "Scanning at a station"):
 * the real cloud server on each engine, an edge built from its own units with the embedded broker,
 * and an MQTT client as the scanner at station PACK-1. It publishes GS1 scans on its scan topic,
 * reads the station's answers on its answer topic — `ok`, then `wrong_item` — and the shipment's
 * packed quantity advances.
 */
const ROTOR = '09521234543213';
const SCAN_TOPIC = 'plantline/v1/A1/L1/PACK-1/scan';
const ANSWER_TOPIC = 'plantline/v1/A1/L1/PACK-1/answer';

describe.each(testEngines)('a scanner packing through the edge over MQTT ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const log = createLogger({ logLevel: 'silent', name: 'edge' });
  let admin: ApiClient;
  let edge: Awaited<ReturnType<typeof startEdgeInProcess>>;
  let scanner: MqttClient;
  let dataDir: string;
  const answers: StationAnswerMessage[] = [];

  beforeAll(async () => {
    ({ admin } = app);
    const plantId = app.tenants.a.plantIds[0]!;
    await admin.trpc.production.products.create.mutate({ code: 'BRK-100', name: 'Rotor', gtin: ROTOR });
    await setGs1Prefix(admin, '9528765', 5);
    const lineId = await app.line(plantId, 'L1');
    await admin.trpc.masterdata.stations.create.mutate({ plantId, lineId, code: 'PACK-1', name: 'Pack 1' });
    dataDir = await mkdtemp(join(tmpdir(), 'station-scanning-'));
    const key = await app.edge([plantId]);
    edge = await startEdgeInProcess({ cloudUrl: app.server.url, apiKey: key.key, dataDir, log });
    scanner = await connectAsync(edge.url, { reconnectPeriod: 0, clientId: 'scanner-pack-1' });
    scanner.on('message', (_topic, payload) =>
      answers.push(stationAnswerMessage.parse(JSON.parse(payload.toString('utf8')))),
    );
    await scanner.subscribeAsync(ANSWER_TOPIC, { qos: 1 });
  });

  afterAll(async () => {
    await scanner?.endAsync(true);
    await edge?.stop();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers each scan at the station and advances the shipment', async () => {
    const plantId = app.tenants.a.plantIds[0]!;
    const customer = await addCustomer(app.database.db, app.tenants.a.tenantId, { code: 'ACME' });
    const rotor = (await admin.trpc.production.products.list.query({})).find((p) => p.code === 'BRK-100')!;
    const planned = await admin.trpc.logistics.shipments.create.mutate({
      plantId,
      customerId: customer.customerId,
      shipToId: customer.shipToId,
      products: [{ productId: rotor.id, quantity: 2 }],
    });
    const pallet = await admin.trpc.logistics.packing.openPackage.mutate({
      shipmentId: planned.id,
      kind: 'pallet',
    });
    const [station] = await admin.trpc.logistics.stations.list.query({ plantId });
    await admin.trpc.logistics.stations.assign.mutate({
      stationId: station!.stationId,
      mode: 'pack',
      shipmentId: planned.id,
      packageId: pallet.id,
      expectedVersion: null,
    });

    // A GS1-128 read as the scanner sends it: symbology identifier, then the element string.
    await scanner.publishAsync(SCAN_TOPIC, JSON.stringify({ code: `]C101${ROTOR}`, symbology: 'code128' }), {
      qos: 1,
    });
    await vi.waitFor(() => expect(answers).toHaveLength(1), { timeout: 15_000 });
    await scanner.publishAsync(SCAN_TOPIC, JSON.stringify({ code: ']C10109506000134352' }), { qos: 1 });
    await vi.waitFor(() => expect(answers).toHaveLength(2), { timeout: 15_000 });

    expect(
      answers.map(({ result, station, shipment, item }) => ({ result, station, shipment, item })),
    ).toEqual([
      {
        result: 'ok',
        station: 'PACK-1',
        shipment: planned.number,
        item: { productCode: 'BRK-100', packed: 1, quantity: 2 },
      },
      { result: 'wrong_item', station: 'PACK-1', shipment: planned.number, item: null },
    ]);
    expect(answers[0]!.message).toBe('1 × BRK-100 packed: 1 to go');
    expect(answers[1]!.message).toBe('GTIN 09506000134352 is not on this shipment, which needs BRK-100');
    const page = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    expect(page).toMatchObject({ status: 'picking', packedQuantity: 1 });
    expect(page.scans.map((s) => [s.source, s.stationCode, s.result])).toEqual([
      ['edge', 'PACK-1', 'wrong_item'],
      ['edge', 'PACK-1', 'ok'],
    ]);
    expect(edge.uplink.status()).toMatchObject({ sentTotal: 2, rejectedTotal: 0 });
  });
});
