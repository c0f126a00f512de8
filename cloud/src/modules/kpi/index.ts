/*
 * The KPI engine's pure core (docs/kpis.md): OEE with its ISO 22400-2 components,
 * state timelines, KPI windows in a plant's time zone, FPY and RTY, OTD and OTIF. No I/O: callers fill the inputs
 * from queries and wire the results to procedures.
 */

export { countsPerHour } from './counts-per-hour.js';
export type { Interval } from './intervals.js';
export { kpiRouter } from './kpi.router.js';
export { LiveKpiHubs } from './live-hub.js';
export type {
  LiveKpiMessage,
  LiveKpiSnapshot,
  LiveKpiUpdate,
  LiveMachineState,
  LiveShift,
  LiveTrendPatch,
  LiveTrendPoint,
} from './live-types.js';
export { computeOee, type OeeInput } from './oee.js';
export { downtimePareto, oeeBreakdown, oeeReport } from './oee-query.js';
export { type KpiSources, loadKpiSources, oeeInputFor } from './oee-source.js';
export { otdKpi } from './otd-query.js';
export { fpyReport, rtyReport } from './quality-yield.js';
export type { Quantities } from './quantities.js';
export type { Kpi, NoDataReason } from './ratio.js';
export { refreshCountRollup, scheduleRollupRefresh } from './rollups.js';
export { stateTimeline } from './state-timeline.js';
export type { StateEvent } from './timeline.js';
export type { ShiftDefinition } from './windows.js';
export { type LocalDate, timeZone } from './zone.js';
