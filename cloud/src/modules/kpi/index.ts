/*
 * The KPI engine's pure core (issue 4 §2 and §4, DESIGN §5): OEE with its ISO 22400-2 components,
 * state timelines, KPI windows in a plant's time zone, FPY and RTY. No I/O: callers fill the inputs
 * from queries and wire the results to procedures.
 */

export { countsPerHour } from './counts-per-hour.js';
export {
  type FpyGroup,
  type FpyResult,
  firstPassYield,
  firstPassYieldBy,
  type InspectionRecord,
  type RtyResult,
  rolledThroughputYield,
  type UnitOutcome,
  unitOutcomes,
} from './fpy.js';
export type { Instant, InstantRange, Interval } from './intervals.js';
export { kpiRouter } from './kpi.router.js';
export type { ResolvedWindow, ScopeInput, WindowInput } from './kpi-scope.js';
export { LIVE_MIN_INTERVAL_MS } from './live-hub.js';
export { type LiveKpiInput, liveKpiStats } from './live-kpi.js';
export type {
  LiveKpiFigures,
  LiveKpiMessage,
  LiveKpiSnapshot,
  LiveKpiUpdate,
  LiveLineDelta,
  LiveLineFigures,
  LiveLineKpi,
  LiveLineTrend,
  LiveMachineDelta,
  LiveMachineFigures,
  LiveMachineKpi,
  LiveMachineState,
  LiveShift,
  LiveTrendPatch,
  LiveTrendPoint,
} from './live-types.js';
export {
  computeOee,
  type DowntimeEntry,
  type OeeFlags,
  type OeeInput,
  type OeeResult,
  type PlannedDowntime,
  type UnmappedState,
} from './oee.js';
export { aggregateOee, type OeeAggregate } from './oee-aggregate.js';
export { type OeeComponents, type OeeFactors, oeeFactors } from './oee-factors.js';
export { downtimePareto, type OeeReport, oeeReport, oeeSeries } from './oee-query.js';
export { type KpiSources, loadKpiSources, oeeInputFor } from './oee-source.js';
export {
  type CountRecord,
  type IdealCycleTimes,
  idealCycleSeconds,
  type ProductQuantity,
  type Quantities,
} from './quantities.js';
export type { Kpi, NoDataReason } from './ratio.js';
export { refreshCountRollup, scheduleRollupRefresh } from './rollups.js';
export { stateTimeline } from './state-timeline.js';
export {
  buildTimeline,
  type GapCause,
  type GapSegment,
  type Gaps,
  type StateBucket,
  type StateEvent,
  type StateMapping,
  type StateSegment,
  stateBuckets,
  type Timeline,
  type TimelineInput,
  type TimelineSegment,
  UNMAPPED_BUCKET,
} from './timeline.js';
export {
  type KpiWindow,
  type ShiftDefinition,
  type ShiftWindow,
  shiftAt,
  splitByDay,
  splitByIsoWeek,
  splitByShift,
} from './windows.js';
export { type TimeZone, timeZone } from './zone.js';
