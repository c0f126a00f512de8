import { describe, expect, it } from 'vitest';
import { firstPassYield, firstPassYieldBy, type InspectionRecord, rolledThroughputYield } from './fpy.js';

const day = (d: number, h = 10) => Date.UTC(2026, 10, d, h);

/** `n` units at `operation`, the first `fail` of which fail their first inspection (no rework). */
function units(operation: string, n: number, fail: number): InspectionRecord[] {
  return Array.from({ length: n }, (_, k) => ({
    unitId: `S${k}`,
    operation,
    time: day(24),
    passed: k >= fail,
    isReinspection: false,
  }));
}

describe('first pass yield', () => {
  it('counts only units that pass their first inspection without rework', () => {
    const r = firstPassYield([
      { unitId: 'U1', operation: 'OP10', time: day(24, 8), passed: true, isReinspection: false },
      // U2 fails, is reworked and passes: not first pass
      { unitId: 'U2', operation: 'OP10', time: day(24, 8), passed: false, isReinspection: false },
      { unitId: 'U2', operation: 'OP10', time: day(24, 9), passed: true, isReinspection: true },
      { unitId: 'U3', operation: 'OP10', time: day(24, 8), passed: true, isReinspection: false },
      // U4 fails and is scrapped
      { unitId: 'U4', operation: 'OP10', time: day(24, 8), passed: false, isReinspection: false },
      // U5 passed, but was reworked and re-inspected later: rework, so not first pass
      { unitId: 'U5', operation: 'OP10', time: day(24, 8), passed: true, isReinspection: false },
      { unitId: 'U5', operation: 'OP10', time: day(24, 11), passed: true, isReinspection: true },
      // U9's first inspection is in an earlier period: not in the denominator
      { unitId: 'U9', operation: 'OP10', time: day(24, 9), passed: true, isReinspection: true },
    ]);
    // FPY = first-pass {U1, U3} / inspected {U1, U2, U3, U4, U5} = 2/5 = 0.4
    expect(r).toEqual({
      unitsInspected: 5,
      unitsPassedFirstTime: 2,
      unitsReworked: 2,
      reinspectionsWithoutFirst: 1,
      fpy: { value: 0.4, reason: null },
    });
  });

  it('takes the earliest first inspection of a unit and weighs lots by quantity', () => {
    const r = firstPassYield([
      { unitId: 'U1', operation: 'OP10', time: day(24, 9), passed: true, isReinspection: false },
      { unitId: 'U1', operation: 'OP10', time: day(24, 8), passed: false, isReinspection: false },
      {
        unitId: 'LOT-1',
        quantity: 50,
        operation: 'OP10',
        time: day(24),
        passed: true,
        isReinspection: false,
      },
      {
        unitId: 'LOT-2',
        quantity: 49,
        operation: 'OP10',
        time: day(24),
        passed: false,
        isReinspection: false,
      },
    ]);
    // U1's 08:00 fail counts, not the 09:00 pass; FPY = (0 + 50 + 0) / (1 + 50 + 49) = 50/100 = 0.5
    expect(r.unitsInspected).toBe(100);
    expect(r.fpy.value).toBe(0.5);
  });

  it('gives no data when no unit was inspected', () => {
    expect(firstPassYield([]).fpy).toEqual({ value: null, reason: 'no_units_inspected' });
  });

  it('groups per product, operation and period of the first inspection', () => {
    const records: InspectionRecord[] = [
      {
        unitId: 'A1',
        productCode: 'P1',
        operation: 'OP10',
        time: day(24, 23),
        passed: false,
        isReinspection: false,
      },
      // reworked after midnight: still belongs to the 24th, when it was first inspected
      {
        unitId: 'A1',
        productCode: 'P1',
        operation: 'OP10',
        time: day(25, 1),
        passed: true,
        isReinspection: true,
      },
      {
        unitId: 'A2',
        productCode: 'P1',
        operation: 'OP10',
        time: day(25, 2),
        passed: true,
        isReinspection: false,
      },
      {
        unitId: 'B1',
        productCode: 'P2',
        operation: 'OP10',
        time: day(25, 3),
        passed: true,
        isReinspection: false,
      },
      {
        unitId: 'A1',
        productCode: 'P1',
        operation: 'OP20',
        time: day(25, 4),
        passed: true,
        isReinspection: false,
      },
    ];
    const byDay = firstPassYieldBy(records, (u) => new Date(u.firstInspectedAt).toISOString().slice(0, 10));
    // 24th: A1@OP10 failed → 0/1 = 0; 25th: A2@OP10, B1@OP10, A1@OP20 passed → 3/3 = 1
    expect(byDay.map((g) => [g.key, g.unitsInspected, g.fpy.value])).toEqual([
      ['2026-11-24', 1, 0],
      ['2026-11-25', 3, 1],
    ]);
    const byProductOperation = firstPassYieldBy(records, (u) => `${u.productCode}/${u.operation}`);
    // P1/OP10: A1 failed, A2 passed → 1/2 = 0.5; P1/OP20 1/1; P2/OP10 1/1
    expect(byProductOperation.map((g) => [g.key, g.fpy.value])).toEqual([
      ['P1/OP10', 0.5],
      ['P1/OP20', 1],
      ['P2/OP10', 1],
    ]);
  });
});

describe('rolled throughput yield', () => {
  it('multiplies FPY over the routing operations', () => {
    const r = rolledThroughputYield(
      ['OP10', 'OP20', 'OP30'],
      [...units('OP10', 10, 1), ...units('OP20', 10, 2), ...units('OP30', 5, 1), ...units('OP99', 3, 3)],
    );
    // FPY: OP10 9/10 = 0.9, OP20 8/10 = 0.8, OP30 4/5 = 0.8 (OP99 is not in the routing)
    // RTY = 0.9 × 0.8 × 0.8 = 0.576
    expect(r.operations.map((o) => [o.operation, o.fpy.value])).toEqual([
      ['OP10', 0.9],
      ['OP20', 0.8],
      ['OP30', 0.8],
    ]);
    expect(r.rty.value).toBeCloseTo(0.9 * 0.8 * 0.8, 12);
    expect(r.operationsWithoutData).toEqual([]);
  });

  it('gives no data, naming the operation, when an operation has no inspected units', () => {
    const r = rolledThroughputYield(
      ['OP10', 'OP20', 'OP30'],
      [...units('OP10', 10, 1), ...units('OP20', 10, 2)],
    );
    expect(r.rty).toEqual({ value: null, reason: 'operation_without_inspections' });
    expect(r.operationsWithoutData).toEqual(['OP30']);
    expect(r.operations[1]?.fpy.value).toBe(0.8);
    expect(rolledThroughputYield([], []).rty).toEqual({ value: null, reason: 'empty_routing' });
  });
});
