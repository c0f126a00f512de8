import { type Instant, toMs } from './intervals.js';
import { type Kpi, measured, noData, ratio } from './ratio.js';

/*
 * First pass yield and rolled throughput yield (docs/kpis.md, "Definitions").
 *
 * FPY = units that pass their first inspection without rework / units inspected. The unit of counting
 * is a unit (serial) at an operation: a serial inspected at two operations counts once at each; a lot
 * counts with its quantity, all passing or all failing first time together.
 * A unit passes first time when its earliest first inspection (isReinspection = false) passed and it
 * has no re-inspection at that operation: a re-inspection is evidence of rework, even after a pass
 * (e.g. a pass later overturned by an audit). Units whose first inspection is not in the input (only
 * re-inspections) belong to an earlier period and are counted in `reinspectionsWithoutFirst`, not in
 * the denominator. Grouping by period uses the time of the first inspection, so a unit reworked after
 * midnight still belongs to the day it was first inspected.
 *
 * RTY = Π FPY over the operations of a routing: the probability that a unit goes through every
 * operation right first time. One operation without inspected units makes RTY "no data" (not 1, which
 * would claim a perfect step nobody measured), naming the operations that lack data.
 */

export interface InspectionRecord {
  /** The serial, or the lot for a lot inspection. */
  readonly unitId: string;
  /** Units the record stands for: 1 (the default) for a serial, the inspected quantity for a lot. */
  readonly quantity?: number;
  readonly operation: string;
  readonly productCode?: string | null;
  readonly time: Instant;
  readonly passed: boolean;
  /** true for an inspection after rework; false for the unit's first inspection at the operation. */
  readonly isReinspection: boolean;
}

export interface UnitOutcome {
  readonly unitId: string;
  readonly operation: string;
  readonly productCode: string | null;
  /** From the first inspection. */
  readonly quantity: number;
  readonly firstInspectedAt: number;
  readonly passedFirstTime: boolean;
  readonly reinspections: number;
}

export interface FpyResult {
  readonly unitsInspected: number;
  readonly unitsPassedFirstTime: number;
  /** Units with at least one re-inspection (reworked). */
  readonly unitsReworked: number;
  readonly reinspectionsWithoutFirst: number;
  readonly fpy: Kpi;
}

export interface FpyGroup extends FpyResult {
  readonly key: string;
}

interface UnitAcc {
  first: { time: number; passed: boolean; productCode: string | null; quantity: number } | null;
  reinspections: number;
  productCode: string | null;
}

/** One outcome per (operation, unit) with a first inspection, plus the count of orphan re-inspections. */
export function unitOutcomes(records: readonly InspectionRecord[]): {
  outcomes: UnitOutcome[];
  reinspectionsWithoutFirst: number;
} {
  const units = new Map<string, UnitAcc & { unitId: string; operation: string }>();
  for (const r of records) {
    const key = JSON.stringify([r.operation, r.unitId]);
    const acc = units.get(key) ?? {
      unitId: r.unitId,
      operation: r.operation,
      first: null,
      reinspections: 0,
      productCode: r.productCode ?? null,
    };
    const time = toMs(r.time);
    if (r.isReinspection) acc.reinspections++;
    // Earliest first inspection wins; a duplicate at the same time keeps the first one given.
    else if (!acc.first || time < acc.first.time) {
      const quantity = r.quantity ?? 1;
      if (!(Number.isInteger(quantity) && quantity > 0))
        throw new RangeError('inspection quantity must be a whole number above 0');
      acc.first = { time, passed: r.passed, productCode: r.productCode ?? acc.productCode, quantity };
    }
    units.set(key, acc);
  }
  const outcomes: UnitOutcome[] = [];
  let reinspectionsWithoutFirst = 0;
  for (const u of units.values()) {
    if (!u.first) {
      reinspectionsWithoutFirst += u.reinspections;
      continue;
    }
    outcomes.push({
      unitId: u.unitId,
      operation: u.operation,
      productCode: u.first.productCode,
      quantity: u.first.quantity,
      firstInspectedAt: u.first.time,
      passedFirstTime: u.first.passed && u.reinspections === 0,
      reinspections: u.reinspections,
    });
  }
  return { outcomes, reinspectionsWithoutFirst };
}

function fpyOf(outcomes: readonly UnitOutcome[], reinspectionsWithoutFirst: number): FpyResult {
  const inspected = sumQuantity(outcomes);
  const passed = sumQuantity(outcomes.filter((o) => o.passedFirstTime));
  return {
    unitsInspected: inspected,
    unitsPassedFirstTime: passed,
    unitsReworked: sumQuantity(outcomes.filter((o) => o.reinspections > 0)),
    reinspectionsWithoutFirst,
    fpy: ratio(passed, inspected, 'no_units_inspected'),
  };
}

function sumQuantity(outcomes: readonly UnitOutcome[]): number {
  return outcomes.reduce((sum, o) => sum + o.quantity, 0);
}

/** FPY over all records given (filter them to one operation, product and period first). */
export function firstPassYield(records: readonly InspectionRecord[]): FpyResult {
  const { outcomes, reinspectionsWithoutFirst } = unitOutcomes(records);
  return fpyOf(outcomes, reinspectionsWithoutFirst);
}

/**
 * FPY per group, e.g. `(u) => u.operation`, `(u) => u.productCode ?? ''`, or a period label from the
 * first inspection time. Groups in key order; orphan re-inspections are not attributable, so 0 here.
 */
export function firstPassYieldBy(
  records: readonly InspectionRecord[],
  keyOf: (unit: UnitOutcome) => string,
): FpyGroup[] {
  const groups = new Map<string, UnitOutcome[]>();
  for (const o of unitOutcomes(records).outcomes) {
    const key = keyOf(o);
    const list = groups.get(key);
    if (list) list.push(o);
    else groups.set(key, [o]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => ({ key, ...fpyOf(list, 0) }));
}

export interface RtyResult {
  readonly rty: Kpi;
  /** FPY of each routing operation, in routing order. */
  readonly operations: readonly ({ operation: string } & FpyResult)[];
  /** Operations of the routing without inspected units. */
  readonly operationsWithoutData: readonly string[];
}

/** RTY over a routing's ordered operations, from the inspections of one product (and period). */
export function rolledThroughputYield(
  routing: readonly string[],
  records: readonly InspectionRecord[],
): RtyResult {
  const byOperation = new Map<string, InspectionRecord[]>();
  for (const r of records) {
    const list = byOperation.get(r.operation);
    if (list) list.push(r);
    else byOperation.set(r.operation, [r]);
  }
  const operations = routing.map((operation) => ({
    operation,
    ...firstPassYield(byOperation.get(operation) ?? []),
  }));
  const operationsWithoutData = operations.filter((o) => o.fpy.value == null).map((o) => o.operation);
  let rty: Kpi;
  if (routing.length === 0) rty = noData('empty_routing');
  else if (operationsWithoutData.length > 0) rty = noData('operation_without_inspections');
  else rty = measured(operations.reduce((product, o) => product * (o.fpy.value ?? 0), 1));
  return { rty, operations, operationsWithoutData };
}
