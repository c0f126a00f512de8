import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectDevice, type Device, disconnectAll } from './devices.js';
import { describeEachEngine, oneTo, START_MS, Stack, sequencesByMachine, storedCounts } from './stack.js';

/*
 * The cloud down 30 s while devices publish → afterwards every event is stored exactly once,
 * all real: devices publish QoS 1 to a real edge (embedded broker, durable outbox, uplink) that pushes
 * to a real cloud process on each database mode. The outage lasts 30 s: long enough for
 * the uplink's backoff (0.5 s doubling) and the edge's cloud probe (1 s doubling, 10 s cap) to reach
 * their caps, so the test also covers how soon the replay starts once the cloud is back.
 */
const CLOUD_DOWN_MS = 30_000;
const MACHINES = ['M1', 'M2', 'M3', 'M4', 'M5'] as const;
/** Per machine: before the outage, during it (spread over it), and while the backlog replays. */
const BEFORE = 20;
const DURING = 80;
const AFTER = 20;
const PER_MACHINE = BEFORE + DURING + AFTER;
const TOTAL = PER_MACHINE * MACHINES.length;
/** A run-specific product code: every row found with it is one of this test's events. */
const PRODUCT = 'e2e-outage';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachEngine('cloud outage (real processes, %s database)', (engine) => {
  let stack: Stack | undefined;
  const devices = new Map<string, Device>();

  beforeAll(async () => {
    stack = await Stack.start(engine, 'outage');
    const edge = await stack.startEdge();
    for (const machine of MACHINES)
      devices.set(machine, await connectDevice(edge.mqttUrl, `e2e-RIV-L1-${machine}`));
  }, START_MS);

  afterAll(async () => {
    await disconnectAll(devices.values());
    await stack?.close();
  });

  /** Each machine's counts from..to; one client per machine, so its publish order is its `order` order. */
  const publishOrders = (from: number, to: number) =>
    Promise.all(
      [...devices].flatMap(([machine, device]) =>
        oneTo(to - from + 1).map((i) =>
          device.publish(`plantline/v1/RIV/L1/${machine}/count`, {
            good: 1,
            product: PRODUCT,
            order: String(from + i - 1),
          }),
        ),
      ),
    );

  it('stores every event exactly once, in order per machine, after the cloud was down 30 s while devices published', async () => {
    const plant = stack!;
    await publishOrders(1, BEFORE);
    await plant.stopCloud();
    const downSince = Date.now();

    // Devices keep publishing through the outage; every PUBACK must still arrive (the outbox has it).
    const steps = 8;
    const perStep = DURING / steps;
    for (let step = 0; step < steps; step++) {
      const from = BEFORE + step * perStep + 1;
      await publishOrders(from, from + perStep - 1);
      await sleep(Math.max(0, downSince + ((step + 1) * (CLOUD_DOWN_MS - 2000)) / steps - Date.now()));
    }
    const during = await plant.waitForEdge(
      (s) => s.uplink?.state === 'backing-off',
      CLOUD_DOWN_MS,
      'the uplink to back off while the cloud is down',
    );
    expect(during.ingress?.storedTotal).toBe((BEFORE + DURING) * MACHINES.length);
    // Nothing can have left the edge since the cloud went away.
    expect(during.outbox?.backlogEvents).toBeGreaterThanOrEqual(DURING * MACHINES.length);
    expect(Date.now() - downSince).toBeLessThan(CLOUD_DOWN_MS);

    // 30 s from the old process's exit to the new one's start; it serves a few seconds later still.
    await sleep(downSince + CLOUD_DOWN_MS - Date.now());
    await plant.startCloud();
    // New events while the backlog replays: they must queue behind it, not overtake it.
    await publishOrders(BEFORE + DURING + 1, PER_MACHINE);

    // The replay starts when the edge's cloud probe next succeeds (at most its 10 s cap).
    const after = await plant.waitForEdge(
      (s) => s.outbox?.backlogEvents === 0 && s.ingress?.storedTotal === TOTAL,
      45_000,
      `all ${TOTAL} events acknowledged by the cloud`,
    );
    expect(after.uplink?.rejectedTotal).toBe(0);
    expect(after.deadLetters?.count).toBe(0);

    const stored = await plant.inspect((db) => storedCounts(db, PRODUCT));
    expect(stored).toHaveLength(TOTAL);
    expect(new Set(stored.map((row) => row.eventId)).size).toBe(TOTAL);
    expect(Object.fromEntries(sequencesByMachine(stored))).toEqual(
      Object.fromEntries(MACHINES.map((machine) => [`RIV/L1/${machine}`, oneTo(PER_MACHINE)])),
    );
  }, 150_000);
});
