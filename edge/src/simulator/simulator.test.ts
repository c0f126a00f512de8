import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { startIngressOnDisk } from '../testing/ingress-on-disk';
import { eventsOnDisk } from '../testing/outbox-on-disk';
import { demoLayout, PlantModel, type SimEvent, shiftPhaseAt } from './plant-model';
import { Simulator } from './simulator';

const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const take = (model: PlantModel, count: number): SimEvent[] =>
  Array.from({ length: count }, () => model.next());

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('shift alignment with the plant calendar (shifts at 06:00, 14:00, 22:00 local)', () => {
  it('tells how far into its shift a moment is, in local wall-clock time', () => {
    // 07:00 UTC is 08:00 in Berlin in November (CET): 2 h into the 06:00 shift.
    expect(shiftPhaseAt(new Date('2026-11-25T07:00:00Z'), 'Europe/Berlin')).toBe(2 * HOUR);
    // 05:30 UTC on 29 March 2026 is 07:30 CEST, the day the clocks went forward: 1 h 30 m in.
    expect(shiftPhaseAt(new Date('2026-03-29T05:30:00Z'), 'Europe/Berlin')).toBe(1.5 * HOUR);
    // 03:10 UTC is 21:10 the day before in Chicago (CST): 7 h 10 m into the 14:00 shift.
    expect(shiftPhaseAt(new Date('2026-11-25T03:10:00Z'), 'America/Chicago')).toBe(7 * HOUR + 10 * MINUTE);
  });

  it('puts the planned breaks where the calendar has them', () => {
    const breakStarts = (phase: number) =>
      take(new PlantModel(demoLayout(), 7, { shiftPhaseMs: phase }), 20_000)
        .filter((e): e is SimEvent<'state'> => e.kind === 'state')
        .filter((e) => e.payload.state === 'PLANNED_STOP')
        .map((e) => e.at);
    // Started 1 h 45 m into a shift: the first break (2 h into the shift) comes 15 minutes later.
    expect(Math.min(...breakStarts(1.75 * HOUR))).toBe(15 * MINUTE);
    // Started inside the lunch break (4 h 10 m in): the machines are on it from the start.
    expect(Math.min(...breakStarts(4 * HOUR + 10 * MINUTE))).toBe(0);
  });
});

describe('PlantModel', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = take(new PlantModel(demoLayout(), 42), 5000);
    const b = take(new PlantModel(demoLayout(), 42), 5000);
    const c = take(new PlantModel(demoLayout(), 43), 5000);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('behaves like a plant: every state, failures with reasons, breaks, changeovers, scrap, scans', () => {
    const events = take(new PlantModel(demoLayout(), 7), 60_000);
    expect(events.map((event) => event.at)).toEqual(
      [...events.map((event) => event.at)].sort((x, y) => x - y),
    );
    const states = events
      .filter((event): event is SimEvent<'state'> => event.kind === 'state')
      .map((e) => e.payload);
    for (const state of ['RUNNING', 'REDUCED_SPEED', 'MICROSTOP', 'DOWN', 'CHANGEOVER', 'PLANNED_STOP']) {
      expect(states.some((s) => s.state === state)).toBe(true);
    }
    expect(states.filter((s) => s.state === 'DOWN').every((s) => s.reason)).toBe(true);
    expect(states.some((s) => s.state === 'PLANNED_STOP' && s.reason === 'LUNCH')).toBe(true);
    const counts = events.filter((event): event is SimEvent<'count'> => event.kind === 'count');
    expect(counts.some((e) => e.payload.scrap === 1)).toBe(true);
    expect(counts.filter((e) => e.payload.scrap === 1).length / counts.length).toBeLessThan(0.06);
    // Scans are published under the last machine of each line, naming the station that scanned.
    const scans = events.filter((event): event is SimEvent<'scan'> => event.kind === 'scan');
    expect(new Set(scans.map((e) => e.topic))).toEqual(
      new Set(['L1', 'L2'].map((line) => `plantline/v1/RIV/${line}/M5/scan`)),
    );
    expect(new Set(scans.map((e) => e.payload.station))).toEqual(new Set(['S1', 'S2']));
    const machines = new Set(events.map((event) => event.topic.split('/').slice(2, 5).join('/')));
    expect(machines.size).toBe(2 * 5);
  });
});

describe('Simulator', () => {
  it('publishes the model over MQTT, one connection per device, and every event lands in the outbox', async () => {
    const { broker, outboxDir, ingress } = await startIngressOnDisk({
      log,
      onCleanup: (cleanup) => cleanups.push(cleanup),
    });

    const layout = demoLayout({ lines: ['L1'], machines: 3, stations: 1 });
    const simulator = new Simulator({
      brokerUrl: broker.url!,
      layout,
      seed: 5,
      rate: 2000,
      speed: 1,
      maxEvents: 500,
      log,
    });
    await simulator.start();
    cleanups.push(() => simulator.stop());
    expect(broker.status().connectedDevices).toBe(4);
    await simulator.done;
    expect(simulator.stats()).toMatchObject({ published: 500, acknowledged: 500, failed: 0 });
    const stored = await eventsOnDisk(outboxDir);
    expect(ingress.stats().deadLetteredTotal).toBe(0);
    // Per device, the outbox holds the model's sequence in order.
    const expected = take(new PlantModel(layout, 5), 500);
    const byDevice = (topics: string[], device: string) =>
      topics.filter((topic) => topic.includes(`/${device}/`));
    const storedTopics = stored.map(
      (event) => `plantline/v1/${event.plant}/${event.line}/${event.machine}/${event.kind}`,
    );
    for (const device of ['M1', 'M2', 'M3', 'S1']) {
      expect(byDevice(storedTopics, device)).toEqual(
        byDevice(
          expected.map((event) => event.topic),
          device,
        ),
      );
    }
  });
});
