import type { TelemetryDeadband } from '@plantline/schema';
import { describe, expect, it } from 'vitest';
import { DEADBAND_BOUNDS, DeadbandFilter, outsideDeadband } from './deadband';

const M1 = { plant: 'RIV', line: 'L1', machine: 'M1' };
const M2 = { plant: 'RIV', line: 'L1', machine: 'M2' };
const M9 = { plant: 'RIV', line: 'L2', machine: 'M9' };

function rule(overrides: Partial<TelemetryDeadband>): TelemetryDeadband {
  return {
    plant: 'RIV',
    line: null,
    machine: null,
    metric: null,
    mode: 'absolute',
    deadband: 0.5,
    heartbeatS: 60,
    ...overrides,
  };
}

function filterWith(...rules: TelemetryDeadband[]) {
  const filter = new DeadbandFilter();
  filter.replaceRules(rules);
  return filter;
}

/** Feeds one value per second from t = 0 and returns the values kept. */
function run(filter: DeadbandFilter, series: number[], name = 'temp', address = M1, stepMs = 1000) {
  return series.filter((value, i) => filter.filter(address, { [name]: value }, i * stepMs) !== undefined);
}

describe('outsideDeadband', () => {
  it('keeps only a change that exceeds the band (OPC UA "exceeds")', () => {
    expect(outsideDeadband({ mode: 'absolute', deadband: 0.5 }, 10, 10.5)).toBe(false);
    expect(outsideDeadband({ mode: 'absolute', deadband: 0.5 }, 10, 10.51)).toBe(true);
    expect(outsideDeadband({ mode: 'absolute', deadband: 0.5 }, 10, 9.49)).toBe(true);
    expect(outsideDeadband({ mode: 'absolute', deadband: 0 }, 10, 10)).toBe(false);
    expect(outsideDeadband({ mode: 'absolute', deadband: 0 }, 10, 10.001)).toBe(true);
  });

  it('takes a percentage of the last kept value, in either direction and for negative values', () => {
    expect(outsideDeadband({ mode: 'percent', deadband: 2 }, 200, 204)).toBe(false);
    expect(outsideDeadband({ mode: 'percent', deadband: 2 }, 200, 204.1)).toBe(true);
    expect(outsideDeadband({ mode: 'percent', deadband: 2 }, -200, -195.9)).toBe(true);
    expect(outsideDeadband({ mode: 'percent', deadband: 2 }, -200, -196)).toBe(false);
    // Around zero any change is a change.
    expect(outsideDeadband({ mode: 'percent', deadband: 50 }, 0, 0)).toBe(false);
    expect(outsideDeadband({ mode: 'percent', deadband: 50 }, 0, 0.0001)).toBe(true);
  });
});

describe('DeadbandFilter', () => {
  it('passes everything when no rule is set, counting what it saw', () => {
    const filter = new DeadbandFilter();
    expect(run(filter, [1, 1, 1, 1])).toEqual([1, 1, 1, 1]);
    expect(filter.stats()).toMatchObject({
      rules: 0,
      samplesReceived: 4,
      samplesSuppressed: 0,
      metrics: [{ name: 'temp', received: 4, suppressed: 0 }],
    });
  });

  it('absolute: keeps the first value and then only values more than the band from the last kept', () => {
    const filter = filterWith(rule({ deadband: 0.5 }));
    // 20.4 stays within 0.5 of 20 and 20.6 is compared with 20 (the last kept), not with 20.4.
    expect(run(filter, [20, 20.2, 20.4, 20.6, 20.3, 20.9, 21.2, 19])).toEqual([20, 20.6, 21.2, 19]);
    expect(filter.stats()).toMatchObject({ samplesReceived: 8, samplesSuppressed: 4, messagesSuppressed: 4 });
  });

  it('percent: the band follows the size of the last kept value', () => {
    const filter = filterWith(rule({ mode: 'percent', deadband: 5 }));
    expect(run(filter, [100, 104, 106, 110, 111.3, 111.4])).toEqual([100, 106, 111.4]);
  });

  it('heartbeat: keeps an unchanged value once the interval has passed since the last kept one', () => {
    const filter = filterWith(rule({ deadband: 1, heartbeatS: 10 }));
    const kept = [0, 1, 2, 9, 10, 11, 19, 20, 25].filter(
      (second) => filter.filter(M1, { temp: 50 }, second * 1000) !== undefined,
    );
    expect(kept).toEqual([0, 10, 20]);
    // A change inside the interval restarts it.
    const again = filterWith(rule({ deadband: 1, heartbeatS: 10 }));
    const values: [number, number][] = [
      [0, 50],
      [4, 52],
      [13, 52],
      [14, 52],
    ];
    expect(values.filter(([s, v]) => again.filter(M1, { temp: v }, s * 1000) !== undefined)).toEqual([
      [0, 50],
      [4, 52],
      [14, 52],
    ]);
  });

  it('keeps a value older than the last kept one and does not move the reference back', () => {
    const filter = filterWith(rule({ deadband: 1, heartbeatS: 60 }));
    expect(filter.filter(M1, { temp: 10 }, 10_000)).toBeDefined();
    expect(filter.filter(M1, { temp: 10 }, 5_000)).toBeDefined();
    expect(filter.filter(M1, { temp: 10.5 }, 11_000)).toBeUndefined();
  });

  it('filters each value of a message on its own and returns only the kept ones', () => {
    const filter = filterWith(rule({ deadband: 1 }));
    // JSON.parse makes `__proto__` an own property, as a device's payload arrives.
    const first = JSON.parse('{"temp":20,"power":7,"__proto__":1}') as Record<string, number>;
    expect(filter.filter(M1, first, 0)).toBe(first);
    const kept = filter.filter(M1, JSON.parse('{"temp":20.5,"power":9,"__proto__":1}'), 1000);
    expect(kept).toEqual({ power: 9 });
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    const proto = filter.filter(M1, JSON.parse('{"temp":20,"__proto__":5}'), 2000)!;
    expect(Object.keys(proto)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(proto, '__proto__')?.value).toBe(5);
    expect(filter.stats().metrics).toEqual([
      { name: '__proto__', received: 3, suppressed: 1 },
      { name: 'temp', received: 3, suppressed: 2 },
      { name: 'power', received: 2, suppressed: 0 },
    ]);
  });

  it('keeps series apart per machine and value name', () => {
    const filter = filterWith(rule({ deadband: 1 }));
    expect(filter.filter(M1, { temp: 20 }, 0)).toBeDefined();
    expect(filter.filter(M2, { temp: 20.1 }, 0)).toBeDefined();
    expect(filter.filter(M1, { pressure: 20.1 }, 0)).toBeDefined();
    expect(filter.filter(M2, { temp: 20.2 }, 1000)).toBeUndefined();
    expect(filter.stats().series).toBe(3);
  });

  it('takes the nearest scope; within it a rule for the name beats the general one', () => {
    const filter = filterWith(
      rule({ deadband: 100 }),
      rule({ metric: 'temp', deadband: 10 }),
      rule({ line: 'L1', deadband: 5 }),
      rule({ line: 'L1', machine: 'M1', metric: 'temp', deadband: 1 }),
      rule({ line: 'L1', machine: 'M2', mode: 'off', deadband: 0, heartbeatS: null }),
    );
    const change = (address: typeof M1, name: string, to: number) => {
      filter.filter(address, { [name]: 0 }, 0);
      return filter.filter(address, { [name]: to }, 1000) !== undefined;
    };
    // M1 temp: its own rule (1), not the line's (5).
    expect(change(M1, 'temp', 2)).toBe(true);
    // M1 power: the line's general rule (5) is nearer than the plant's rule for any name.
    expect(change(M1, 'power', 4)).toBe(false);
    // M2 is off: every value travels.
    expect(run(filter, [1, 1, 1], 'temp', M2)).toEqual([1, 1, 1]);
    // Line L2 has no rule: the plant's rule for temp (10), then its general one (100).
    expect(change(M9, 'temp', 9)).toBe(false);
    expect(change(M9, 'temp', 11)).toBe(true);
    expect(change(M9, 'flow', 90)).toBe(false);
    // Another plant has no rule at all.
    expect(run(filter, [1, 1], 'temp', { plant: 'OTHER', line: 'L1', machine: 'M1' })).toEqual([1, 1]);
  });

  it('starts every series afresh when the rules change, and not when the same rules come again', () => {
    const filter = filterWith(rule({ deadband: 1 }));
    expect(filter.filter(M1, { temp: 20 }, 0)).toBeDefined();
    filter.replaceRules([rule({ deadband: 1 })]);
    expect(filter.filter(M1, { temp: 20 }, 1000)).toBeUndefined();
    filter.replaceRules([rule({ deadband: 2 })]);
    expect(filter.filter(M1, { temp: 20 }, 2000)).toBeDefined();
    expect(filter.stats().rules).toBe(1);
    filter.replaceRules([]);
    expect(run(filter, [20, 20])).toEqual([20, 20]);
  });

  it('judges a released series as new, so a kept sample that was not stored is not lost', () => {
    const filter = filterWith(rule({ deadband: 1 }));
    expect(filter.filter(M1, { temp: 20 }, 0)).toBeDefined();
    filter.release(M1, ['temp']);
    // The device resends the same value: kept, not dropped as equal to itself.
    expect(filter.filter(M1, { temp: 20 }, 0)).toBeDefined();
    expect(filter.filter(M1, { temp: 20 }, 1000)).toBeUndefined();
  });

  it('stays within its memory bounds, passing what it cannot follow', () => {
    const filter = filterWith(rule({ deadband: 1000 }));
    for (let i = 0; i < DEADBAND_BOUNDS.maxMachines; i++) {
      filter.filter({ plant: 'RIV', line: 'L1', machine: `M${i}` }, { temp: 1 }, 0);
    }
    const beyond = { plant: 'RIV', line: 'L1', machine: 'BEYOND' };
    expect(run(filter, [1, 1, 1], 'temp', beyond)).toEqual([1, 1, 1]);
    expect(filter.stats().series).toBe(DEADBAND_BOUNDS.maxMachines);
  });
});
