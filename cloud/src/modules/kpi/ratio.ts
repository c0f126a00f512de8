/*
 * A KPI value or the honest absence of one (docs/kpis.md): division by zero gives "no data", never
 * 0 or NaN — a machine without planned busy time has no availability, it does not have 0 %
 * availability.
 */

export type NoDataReason =
  /** PBT = 0: nothing was planned (outside shifts, all planned downtime or planned stop, or all gaps). */
  | 'no_planned_busy_time'
  /** APT = 0 while there is produced quantity to rate: performance cannot be rated. */
  | 'no_production_time'
  /** PQ = 0: no quantity to take a quality rate of. */
  | 'no_produced_quantity'
  /** A produced product has no ideal cycle time (PRI) for this machine and there is no machine default. */
  | 'missing_ideal_cycle_time'
  /** FPY: no unit had its first inspection in the group. */
  | 'no_units_inspected'
  /** RTY: an operation of the routing has no FPY. */
  | 'operation_without_inspections'
  /** RTY of a routing with no operations. */
  | 'empty_routing';

export type Kpi = { value: number; reason: null } | { value: null; reason: NoDataReason };

export function measured(value: number): Kpi {
  return { value, reason: null };
}

export function noData(reason: NoDataReason): Kpi {
  return { value: null, reason };
}

/** numerator / denominator, or "no data" for a zero denominator. */
export function ratio(numerator: number, denominator: number, whenZero: NoDataReason): Kpi {
  return denominator > 0 ? measured(numerator / denominator) : noData(whenZero);
}
