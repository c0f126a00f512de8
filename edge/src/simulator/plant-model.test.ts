import { DEMO_PLANTS, DEMO_REASONS } from '@plantline/schema';
import { describe, expect, it } from 'vitest';
import { demoPlantLayout, PlantModel, type SimEvent } from './plant-model';

const HOUR = 3_600_000;
const SHIFT = 8 * HOUR;

/** Every event of the first `duration` ms of simulated time. */
function run(model: PlantModel, duration: number): SimEvent[] {
  const events: SimEvent[] = [];
  for (let event = model.next(); event.at < duration; event = model.next()) events.push(event);
  return events;
}

interface MachineFigures {
  parts: number;
  scrap: number;
  /** Shortest time between two parts, ms. */
  fastestCycle: number;
  states: Map<string, number>;
  reasons: Set<string>;
  availability: number;
  performance: number;
  quality: number;
  oee: number;
}

/**
 * OEE per machine the way ISO 22400-2 builds it from the states the cloud maps (production
 * defaults): planned busy time excludes planned stops; availability losses (DOWN, CHANGEOVER) are
 * not run time; performance losses (MICROSTOP, REDUCED_SPEED) are run time without ideal output.
 */
function figures(events: SimEvent[], duration: number, idealMs: Map<string, number>) {
  const byMachine = new Map<string, SimEvent[]>();
  for (const e of events) {
    const key = e.topic.split('/').slice(3, 5).join('/');
    byMachine.set(key, [...(byMachine.get(key) ?? []), e]);
  }
  const result = new Map<string, MachineFigures>();
  for (const [key, list] of byMachine) {
    const states = new Map<string, number>();
    const reasons = new Set<string>();
    const stateEvents = list.filter((e): e is SimEvent<'state'> => e.kind === 'state');
    stateEvents.forEach((e, i) => {
      const end = stateEvents[i + 1]?.at ?? duration;
      states.set(e.payload.state, (states.get(e.payload.state) ?? 0) + end - e.at);
      if (e.payload.reason) reasons.add(e.payload.reason);
    });
    const counts = list.filter((e): e is SimEvent<'count'> => e.kind === 'count');
    const parts = counts.length;
    const scrap = counts.filter((e) => e.payload.scrap === 1).length;
    let fastestCycle = Number.POSITIVE_INFINITY;
    for (let i = 1; i < counts.length; i++)
      fastestCycle = Math.min(fastestCycle, counts[i]!.at - counts[i - 1]!.at);
    const time = (state: string) => states.get(state) ?? 0;
    const planned = duration - time('PLANNED_STOP');
    const runTime = time('RUNNING') + time('REDUCED_SPEED') + time('MICROSTOP');
    const availability = runTime / planned;
    const performance = (parts * idealMs.get(key)!) / runTime;
    const quality = (parts - scrap) / parts;
    result.set(key, {
      parts,
      scrap,
      fastestCycle,
      states,
      reasons,
      availability,
      performance,
      quality,
      oee: availability * performance * quality,
    });
  }
  return result;
}

describe.each(DEMO_PLANTS)('the demo plant $code over simulated shifts', (plant) => {
  const layout = demoPlantLayout(plant.code);
  const idealMs = new Map(
    plant.lines.flatMap((line) =>
      line.machines.map((m) => [`${line.code}/${m.code}`, m.idealCycleSeconds * 1000]),
    ),
  );
  const days = 2;
  const events = run(new PlantModel(layout, 11), days * 3 * SHIFT);
  const perMachine = figures(events, days * 3 * SHIFT, idealMs);

  it('has every machine of the seed, and is the same for the same seed', () => {
    expect([...perMachine.keys()].sort()).toEqual([...idealMs.keys()].sort());
    expect(run(new PlantModel(layout, 11), 2 * HOUR)).toEqual(events.filter((e) => e.at < 2 * HOUR));
    expect(run(new PlantModel(layout, 12), 2 * HOUR)).not.toEqual(events.filter((e) => e.at < 2 * HOUR));
  });

  it('never makes a part faster than the ideal cycle', () => {
    for (const [key, machine] of perMachine)
      expect(machine.fastestCycle).toBeGreaterThanOrEqual(idealMs.get(key)!);
  });

  it('scraps 1–5 % and loses time to failures with known reasons, changeovers and microstops', () => {
    const known = new Set(DEMO_REASONS.map((r) => r.code));
    const all = [...perMachine.values()];
    const scrapRate = all.reduce((sum, m) => sum + m.scrap, 0) / all.reduce((sum, m) => sum + m.parts, 0);
    expect(scrapRate).toBeGreaterThanOrEqual(0.01);
    expect(scrapRate).toBeLessThanOrEqual(0.05);
    for (const machine of all) {
      // A machine's own rate (1.5–4 %) wanders with a few hundred parts; it stays near the range.
      expect(machine.scrap / machine.parts).toBeGreaterThanOrEqual(0.005);
      expect(machine.scrap / machine.parts).toBeLessThanOrEqual(0.06);
      for (const state of ['DOWN', 'CHANGEOVER', 'MICROSTOP', 'PLANNED_STOP'])
        expect(machine.states.get(state) ?? 0).toBeGreaterThan(0);
      for (const reason of machine.reasons) expect(known).toContain(reason);
    }
    const downs = events
      .filter((e): e is SimEvent<'state'> => e.kind === 'state')
      .filter((e) => e.payload.state === 'DOWN');
    expect(downs.every((e) => e.payload.reason !== undefined)).toBe(true);
  });

  it('has all three losses, OEE mostly 55–85 %, and machines that differ', () => {
    const all = [...perMachine.values()];
    for (const m of all) {
      expect(m.availability).toBeLessThan(1);
      expect(m.performance).toBeLessThan(1);
      expect(m.quality).toBeLessThan(1);
    }
    const inRange = all.filter((m) => m.oee >= 0.55 && m.oee <= 0.85);
    expect(inRange.length / all.length).toBeGreaterThanOrEqual(0.75);
    const oees = all.map((m) => m.oee);
    expect(Math.max(...oees) - Math.min(...oees)).toBeGreaterThan(0.1);
    // The unreliable machines fail far more often than the good ones.
    const failures = (role: string) => {
      const codes = plant.lines.flatMap((line) =>
        line.machines.filter((m) => m.role.includes(role)).map((m) => `${line.code}/${m.code}/state`),
      );
      const downs = events.filter(
        (e) =>
          e.kind === 'state' &&
          (e as SimEvent<'state'>).payload.state === 'DOWN' &&
          codes.some((c) => e.topic.endsWith(c)),
      );
      return downs.length / codes.length;
    };
    expect(failures('unreliable')).toBeGreaterThan(2 * failures('good'));
  });
});
