import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectDevice, type Device, disconnectAll, streamCounts } from './devices.js';
import { freePort } from './processes.js';
import { describeEachEngine, oneTo, START_MS, Stack, sequencesByMachine, storedCounts } from './stack.js';

/*
 * The edge killed with SIGKILL mid-stream and restarted → no loss, no duplicates, through
 * to the real cloud's tables on each database mode. The edge writes an event to its outbox before the
 * PUBACK (docs/device-integration.md, "QoS 1 and resends"), so nothing acknowledged may be missing.
 * A message on disk whose PUBACK died with the process is sent again by the device with DUP = 1
 * after it reconnects; the edge must recognise it (edge/src/ingress/resend-index.ts) rather than
 * store it under a second event id.
 */
const MACHINES = ['M1', 'M2', 'M3'] as const;
const PER_MACHINE = 500;
/** Killed once this many PUBACKs arrived: well into the stream, with publishes in flight. */
const KILL_AFTER = 450;
const PRODUCT = 'e2e-edge-crash';

describeEachEngine('edge SIGKILL (real processes, %s database)', (engine) => {
  let stack: Stack | undefined;
  const devices = new Map<string, Device>();

  beforeAll(async () => {
    stack = await Stack.start(engine, 'crash');
    // A fixed port: the restarted edge must be where the devices reconnect to.
    const edge = await stack.startEdge({ EDGE_MQTT_PORT: String(await freePort()) });
    for (const machine of MACHINES)
      devices.set(machine, await connectDevice(edge.mqttUrl, `e2e-RIV-L2-${machine}`));
  }, START_MS);

  afterAll(async () => {
    await disconnectAll(devices.values());
    await stack?.close();
  });

  it('stores every acknowledged event, none twice, after the edge was killed mid-stream and restarted', async () => {
    const plant = stack!;
    const stream = streamCounts({
      devices,
      topic: (machine) => `plantline/v1/RIV/L2/${machine}/count`,
      product: PRODUCT,
      perDevice: PER_MACHINE,
      // Ten unacknowledged publishes per device when the process dies: several are likely on disk
      // without their PUBACK, which is the resend window the edge has to recognise.
      window: 10,
      pauseMs: 0,
    });
    const killAt = await Promise.race([
      (async () => {
        while (stream.ackedCount() < KILL_AFTER) await new Promise((resolve) => setTimeout(resolve, 5));
        return stream.ackedCount();
      })(),
      stream.done.then(() => Number.POSITIVE_INFINITY),
    ]);
    expect(killAt, 'the stream ended before the kill').toBeLessThan(PER_MACHINE * MACHINES.length);
    await plant.killEdge();
    const ackedBeforeKill = new Map([...stream.acked].map(([machine, acked]) => [machine, new Set(acked)]));
    await plant.startEdge();

    // Every device gets every PUBACK in the end: resent after the reconnect, or sent anew.
    await stream.done;
    await plant.waitForEdge(
      (s) => s.outbox?.backlogEvents === 0,
      30_000,
      'the outbox of the restarted edge to be acknowledged by the cloud',
    );
    const stored = sequencesByMachine(await plant.inspect((db) => storedCounts(db, PRODUCT)));

    for (const machine of MACHINES) {
      const sequence = stored.get(`RIV/L2/${machine}`) ?? [];
      const missingAcked = [...(ackedBeforeKill.get(machine) ?? [])].filter((n) => !sequence.includes(n));
      expect(missingAcked, `${machine}: acknowledged before the kill, not stored`).toEqual([]);
      const twice = sequence.filter((n, i) => sequence.indexOf(n) !== i);
      expect(twice, `${machine}: stored more than once`).toEqual([]);
      // All acknowledged in the end, each once, and per machine in the order published (the outbox
      // drains in order).
      expect(sequence, machine).toEqual(oneTo(PER_MACHINE));
    }
  }, 120_000);
});
