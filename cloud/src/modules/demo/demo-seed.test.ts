import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_HISTORY_FILE, DEMO_PLANTS, isCountryCode } from '@plantline/schema';
import { hasValidCheckDigit } from '@plantline/schema/gs1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../platform/index.js';
import { apiClient, signIn } from '../../testing/api.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import { startTestServer } from '../../testing/server.js';
import { DEMO_CYCLE_SECONDS, DEMO_PRODUCTS } from '../production/index.js';
import { DEMO_LINE_ORDERS_FILE, writeDemoLineOrders } from './demo-line-orders.js';
import { DEMO_PEOPLE } from './demo-people.js';
import { DEMO_DEVICE_FILE, type DemoDeviceLogins, seedDemoTenant } from './demo-seed.js';

/*
 * The demo tenant as schema's DEMO_PLANTS defines it, and the demo stack's path: the seeded edge key
 * sends the simulators' topics for both plants and they are stored.
 */
const machineCount = DEMO_PLANTS.flatMap((p) => p.lines.flatMap((l) => l.machines)).length;
describe.each(testEngines)('the demo tenant ($name engine)', (engine) => {
  let database: TestDatabase;
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const password = 'demo-password-for-tests';

  beforeAll(async () => {
    database = await engine.create();
    dataDir = mkdtempSync(join(tmpdir(), 'plantline-demo-'));
    await seedDemoTenant(database.db, {
      dataDir,
      email: 'admin@demo.test.plantline.local',
      password,
      historyDays: 7,
      log: testLog,
      notifications: { bus: new EventBus(() => {}), email: null },
    });
    server = await startTestServer(database.db);
    server.deps.demoHistoryFile = join(dataDir, DEMO_HISTORY_FILE);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has lines, machines and stations in both plants', async () => {
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const plants = await admin.trpc.tenancy.plants.list.query();
    expect(plants.map((p) => [p.code, p.timezone])).toEqual([
      ['LAK', 'America/Chicago'],
      ['RIV', 'Europe/Berlin'],
    ]);
    const lines = await admin.trpc.masterdata.lines.list.query({});
    expect(lines.map((l) => l.code).sort()).toEqual(['C1', 'L1', 'L2', 'T1']);
    expect(await admin.trpc.masterdata.machines.list.query({})).toHaveLength(machineCount);
    expect(await admin.trpc.masterdata.stations.list.query({})).toHaveLength(4);
  });

  it('has raw materials, lots and their stock in Riverside, and a finished material per product', async () => {
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const materials = await admin.trpc.materials.list.query();
    expect(materials.filter((m) => m.kind !== 'finished').map((m) => m.code)).toEqual([
      'PK-CARTON-S',
      'RM-BOLT-M8',
      'RM-CAST-IRON',
      'RM-FRICTION',
    ]);
    expect(materials.filter((m) => m.kind === 'finished').every((m) => m.productId !== null)).toBe(true);
    const stock = await admin.trpc.inventory.balances.query();
    // What is left in the stores once part of it went to the line side.
    const stores = stock.filter((b) => b.locationCode.startsWith('RM-'));
    expect(stores.map((b) => [b.materialCode, b.lotCode, b.locationCode, b.quantity])).toEqual([
      ['PK-CARTON-S', null, 'RM-02', '1300'],
      ['RM-BOLT-M8', null, 'RM-02', '10000'],
      ['RM-CAST-IRON', 'CI-2402', 'RM-01', '1200'],
      ['RM-FRICTION', 'FC-0117', 'RM-02', '180'],
    ]);
  });

  it("has a BOM per product, and Riverside's orders consumed components and made lots", async () => {
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const boms = await admin.trpc.boms.list.query({ status: 'released' });
    expect(boms.map((b) => b.code)).toEqual([
      'BRK-100/1',
      'BRK-200/1',
      'FLG-450/1',
      'HSG-310/1',
      'SHF-020/1',
    ]);
    const orders = await admin.trpc.production.orders.list.query({ limit: 200 });
    const riverside = orders.items.filter((o) => o.plantCode === 'RIV');
    const done = riverside.find((o) => o.status === 'completed' && o.productCode === 'BRK-100')!;
    const shown = await admin.trpc.orderMaterials.get.query({ orderId: done.id });
    expect(shown.output.produced).toBe('400');
    // 400 / 10 × 12 kg × 1.02, backflushed in full.
    expect(shown.components.map((c) => [c.code, c.planned, c.consumed])).toEqual([
      ['RM-CAST-IRON', '489.6', '489.6'],
      ['RM-FRICTION', '40', '40'],
      ['RM-BOLT-M8', '1600', '1600'],
      ['PK-CARTON-S', '40', '40'],
    ]);
    const running = riverside.filter((o) => o.status === 'in_progress');
    for (const order of running) {
      const view = await admin.trpc.orderMaterials.get.query({ orderId: order.id });
      expect([view.output.produced, view.components[0]?.consumed]).toEqual(['250', '380']);
    }
    const made = await admin.trpc.inventory.balances.query({ locationId: undefined });
    expect(
      made
        .filter((b) => b.locationCode === 'FG')
        .map((b) => b.quantity)
        .sort(),
    ).toEqual(['250', '250', '400', '400']);
  });

  it('gives both plants a ship-from address and a GLN with a valid check digit', async () => {
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const plants = await admin.trpc.tenancy.plants.list.query();
    for (const plant of plants) {
      expect(plant.street).not.toBe('');
      expect(plant.postalCode).not.toBe('');
      expect(plant.city).not.toBe('');
      expect(isCountryCode(plant.country)).toBe(true);
      expect(plant.gln).toMatch(/^\d{13}$/);
      expect(hasValidCheckDigit(plant.gln ?? '')).toBe(true);
    }
    expect(plants.map((p) => p.country)).toEqual(['US', 'DE']);
  });

  it("has the KPI master data for the simulator's codes, cycle times and shifts", async () => {
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const states = await admin.trpc.production.stateCodes.list.query({});
    // Every state PlantModel sends, in its loss bucket (docs/kpis.md).
    expect(Object.fromEntries(states.map((s) => [s.code, s.bucket]))).toEqual({
      RUNNING: 'running',
      REDUCED_SPEED: 'performance_loss',
      MICROSTOP: 'performance_loss',
      DOWN: 'availability_loss',
      CHANGEOVER: 'availability_loss',
      PLANNED_STOP: 'planned_stop',
    });
    const reasons = (await admin.trpc.production.downtimeReasons.list.query({})).map((r) => r.code);
    for (const code of [
      'BREAK',
      'LUNCH',
      'JAM',
      'TOOL_BREAK',
      'ELECTRICAL',
      'MATERIAL_SHORTAGE',
      'HYDRAULIC',
      'SENSOR_FAULT',
      'PRODUCT_CHANGE',
    ])
      expect(reasons).toContain(code);
    const products = await admin.trpc.production.products.list.query({});
    expect(products.map((p) => p.code)).toEqual(DEMO_PRODUCTS.map((p) => p.code).sort());

    // A default cycle time for each machine: the one the simulator runs it at (demo-plant.ts).
    const times = await admin.trpc.production.idealCycleTimes.list.query({});
    expect(times).toHaveLength(machineCount);
    expect(times.every((t) => t.productId === null)).toBe(true);
    const machines = await admin.trpc.masterdata.machines.list.query({});
    const lines = new Map((await admin.trpc.masterdata.lines.list.query({})).map((l) => [l.id, l]));
    const plantCodes = new Map((await admin.trpc.tenancy.plants.list.query()).map((p) => [p.id, p.code]));
    for (const time of times) {
      const machine = machines.find((m) => m.id === time.machineId)!;
      const line = lines.get(machine.lineId)!;
      const key = `${plantCodes.get(line.plantId)}/${line.code}/${machine.code}`;
      expect(time.secondsPerUnit).toBe(DEMO_CYCLE_SECONDS[key]);
    }

    // Three 8-hour shifts a day in each plant, from 30 days back to 8 weeks ahead, with breaks.
    const plants = await admin.trpc.tenancy.plants.list.query();
    const riverside = plants.find((p) => p.code === 'RIV')!;
    const patterns = await admin.trpc.production.shiftPatterns.list.query({ plantId: riverside.id });
    expect(patterns.map((p) => [p.timezone, p.shifts.map((s) => s.startTime)])).toEqual([
      ['Europe/Berlin', ['06:00:00', '14:00:00', '22:00:00']],
    ]);
    const day = 86_400_000;
    const now = Date.now();
    const window = { from: new Date(now - 29 * day), to: new Date(now + 55 * day) };
    for (const plant of plants) {
      const shifts = await admin.trpc.production.shifts.list.query({ plantId: plant.id, ...window });
      expect(shifts.length).toBeGreaterThanOrEqual(84 * 3);
    }
    const today = await admin.trpc.production.plannedDowntimes.list.query({
      plantId: riverside.id,
      from: new Date(now - day),
      to: new Date(now),
    });
    // Breaks of 15, 30 and 15 minutes per shift: about 3 × 3 in 24 hours.
    expect(today.length).toBeGreaterThanOrEqual(8);
    expect(today.every((d) => d.kind === 'break' && d.reasonId !== null)).toBe(true);

    const [routing] = await admin.trpc.production.routings.list.query({});
    expect(routing?.operations.map((o) => [o.sequence, o.code])).toEqual([
      [10, 'MACHINING'],
      [20, 'ASSEMBLY'],
      [30, 'FINAL'],
    ]);
    const defects = await admin.trpc.quality.defectCodes.list.query({});
    expect(defects.length).toBeGreaterThanOrEqual(5);
    const [plan] = await admin.trpc.quality.inspectionPlans.list.query({});
    expect(plan).toMatchObject({ productId: routing!.productId, operationId: routing!.operations[2]!.id });
  });

  it("accepts the simulators' topics of both plants with the demo edge key", async () => {
    const edge = apiClient(server.url, {
      apiKey: readFileSync(join(dataDir, 'demo-edge.key'), 'utf8').trim(),
    });
    const events = [
      envelope({ plant: 'RIV', line: 'L1', machine: 'M1' }, 'state', { state: 'RUNNING' }),
      envelope({ plant: 'RIV', line: 'L2', machine: 'M5' }, 'count', { good: 10, scrap: 1 }),
      envelope({ plant: 'LAK', line: 'T1', machine: 'M4' }, 'state', { state: 'RUNNING' }),
    ];
    const { results } = await edge.trpc.ingest.push.mutate({ events });
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
  });

  it('tells the simulators what each line makes, and their counted parts go into the order’s lot', async () => {
    const year = new Date().getUTCFullYear();
    const order = (plant: string, n: number) => `PO-${plant}-${year}-0000${n}`;
    const written = await writeDemoLineOrders(database.db, dataDir);
    // The orders in progress: 250 of 600 made by hand at Riverside (demo-boms.ts), none at Lakeside.
    expect(written).toEqual({
      RIV: {
        L1: { number: order('RIV', 2), product: 'BRK-200', quantity: 350 },
        L2: { number: order('RIV', 6), product: 'BRK-200', quantity: 350 },
      },
      LAK: {
        T1: { number: order('LAK', 2), product: 'FLG-450', quantity: 600 },
        C1: { number: order('LAK', 6), product: 'FLG-450', quantity: 600 },
      },
    });
    expect(JSON.parse(readFileSync(join(dataDir, DEMO_LINE_ORDERS_FILE), 'utf8'))).toEqual(written);

    const edge = apiClient(server.url, {
      apiKey: readFileSync(join(dataDir, 'demo-edge.key'), 'utf8').trim(),
    });
    const counted = envelope({ plant: 'RIV', line: 'L1', machine: 'M5' }, 'count', {
      good: 4,
      scrap: 0,
      product: 'BRK-200',
      order: order('RIV', 2),
    });
    expect((await edge.trpc.ingest.push.mutate({ events: [counted] })).results[0]?.status).toBe('accepted');
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const orders = await admin.trpc.production.orders.list.query({ limit: 200 });
    const running = orders.items.find((o) => o.number === order('RIV', 2))!;
    const [booking] = await admin.trpc.inventory.productionBookings.query({ orderId: running.id });
    expect(booking).toMatchObject({
      result: 'booked',
      good: 4,
      lotCode: order('RIV', 2),
      locationCode: 'FG',
    });
    const view = await admin.trpc.orderMaterials.get.query({ orderId: running.id });
    // 254 of 600 made need 254 / 600 × 918 kg of cast iron; 380 kg were booked by hand.
    expect(view.output.produced).toBe('254');
    expect(view.components.find((c) => c.code === 'RM-CAST-IRON')?.consumed).toBe('388.62');
    const trace = await admin.trpc.materials.lots.trace.query({
      start: { supplierLot: 'EN-88530' },
      direction: 'forward',
    });
    expect(trace.nodes.map((n) => n.lotCode)).toContain(order('RIV', 2));
    expect((await writeDemoLineOrders(database.db, dataDir))?.RIV?.L1?.quantity).toBe(346);
  });

  it("gives the demo edge a simulator's device login per plant", async () => {
    const logins = JSON.parse(readFileSync(join(dataDir, DEMO_DEVICE_FILE), 'utf8')) as DemoDeviceLogins;
    const edge = apiClient(server.url, {
      apiKey: readFileSync(join(dataDir, 'demo-edge.key'), 'utf8').trim(),
    });
    const set = await edge.trpc.edge.deviceCredentials.query();
    expect(set.credentials).toEqual(
      expect.arrayContaining(
        ['RIV', 'LAK'].map((plant) =>
          expect.objectContaining({ username: logins[plant]!.username, plant, line: null, revokedAt: null }),
        ),
      ),
    );
    expect(set.credentials).toHaveLength(2);
    for (const login of Object.values(logins)) expect(JSON.stringify(set)).not.toContain(login.password);
  });

  it('plans the history backfill, which reads as none until pnpm start begins it', async () => {
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const plan = JSON.parse(readFileSync(join(dataDir, DEMO_HISTORY_FILE), 'utf8'));
    expect(plan).toMatchObject({ state: 'pending', days: 7, from: null, to: null, chunksDone: 0 });
    expect(await admin.trpc.demo.history.query()).toEqual({
      state: 'none',
      eventsDone: 0,
      eventsTotal: 0,
      from: null,
      to: null,
    });
  });

  it('welcomes the administrator in the bell, pointing at the live board', async () => {
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const { items } = await admin.trpc.notifications.list.query({});
    expect(items).toEqual([expect.objectContaining({ kind: 'demo.welcome', link: '/board', readAt: null })]);
  });

  it('has orders on every line in each stage, numbered by each plant’s scheme', async () => {
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const { items } = await admin.trpc.production.orders.list.query({ limit: 200 });
    const lines = DEMO_PLANTS.flatMap((p) => p.lines.map((l) => `${p.code}/${l.code}`));
    for (const line of lines) {
      const onLine = items.filter((o) => `${o.plantCode}/${o.lineCode}` === line);
      expect(onLine.map((o) => o.status).sort(), line).toEqual([
        'completed',
        'in_progress',
        'planned',
        'released',
      ]);
    }
    const year = new Date().getUTCFullYear();
    expect(items.map((o) => o.number)).toContain(`PO-RIV-${year}-00001`);
    expect(items.map((o) => o.number)).toContain(`PO-LAK-${year}-00001`);
  });

  it('has the demo people with their roles and plants, signing in with the administrator’s password', async () => {
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const users = await admin.trpc.users.list.query();
    const roles = new Map((await admin.trpc.rbac.roles.list.query()).map((r) => [r.id, r.key]));
    const plants = new Map((await admin.trpc.tenancy.plants.list.query()).map((p) => [p.id, p.code]));
    for (const person of DEMO_PEOPLE) {
      const user = users.find((u) => u.email === person.email);
      expect(user, person.email).toMatchObject({ displayName: person.displayName, isActive: true });
      expect(user?.roleIds.map((id) => roles.get(id))).toEqual([person.role]);
      expect(user?.plantIds.map((id) => plants.get(id)).sort()).toEqual([...person.plants].sort());
    }
    const operator = DEMO_PEOPLE.find((p) => p.role === 'operator')!;
    const signedIn = await signIn(server.url, operator.email, password);
    expect(signedIn.signedIn.user.displayName).toBe(operator.displayName);
  });

  it('has one open change order for the brake caliper, owned by the administrator', async () => {
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const { items } = await admin.trpc.changeOrders.list.query({});
    expect(items).toEqual([
      expect.objectContaining({
        number: `ECO-${new Date().getUTCFullYear()}-00001`,
        productCodes: ['BRK-100'],
        effectivity: 'lot',
        ownerName: 'Demo Administrator',
        implementedAt: null,
      }),
    ]);
    const order = await admin.trpc.changeOrders.get.query({ id: items[0]!.id });
    expect(order.items).toEqual([
      expect.objectContaining({ productCode: 'BRK-100', routingCode: 'RT-BRK-100', fromRevision: 'A' }),
    ]);
  });
});
