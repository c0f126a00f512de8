import type { Kpi } from './ratio.js';
import type { StateBucket } from './timeline.js';

/*
 * What `kpi.live` sends (docs/kpis.md, "API"), shared with the web board. Instants are epoch
 * milliseconds, like the other KPI procedures. An update carries only the entities whose figures
 * changed since they were last sent, and each entity is sent at most once per second.
 */

/** The current-shift figures of a machine, a line or the plant (ISO 22400-2 terms, docs/kpis.md). */
export interface LiveKpiFigures {
  readonly oee: Kpi;
  readonly availability: Kpi;
  readonly performance: Kpi;
  readonly quality: Kpi;
  /** PBT and APT so far in the shift: a board can show "down 12 min of 3 h". */
  readonly pbtMs: number;
  readonly aptMs: number;
  /** Σ PRI × PQ. */
  readonly idealTimeMs: number;
  readonly producedQuantity: number;
  readonly goodQuantity: number;
  readonly scrapQuantity: number;
  /** P above 100 %: reported as measured, flagged (the ideal cycle time is wrong). */
  readonly performanceAboveIdeal: boolean;
  readonly hasGaps: boolean;
  readonly missingIdealCycleTime: boolean;
}

/** The state a machine is in now (the last state event), with its mapping's colour and bucket. */
export interface LiveMachineState {
  readonly code: string;
  /** The code's display name, or the code itself when it is not in the tenant's mapping. */
  readonly name: string;
  /** The mapping's colour; null for a code without a mapping. */
  readonly colour: string | null;
  readonly bucket: StateBucket;
  /** false: the code has no mapping and counts as availability loss (timeline.ts UNMAPPED_BUCKET). */
  readonly mapped: boolean;
  readonly reason: string | null;
  /** When the machine entered this state (the first of a run of repeated identical events). */
  readonly since: number;
}

export interface LiveMachineFigures extends LiveKpiFigures {
  readonly machineId: string;
  readonly lineId: string;
  /** null: the machine has never reported a state. */
  readonly state: LiveMachineState | null;
  /** Time of the newest event applied to this machine (device time), null if none since the load. */
  readonly lastEventAt: number | null;
}

/** A machine in a snapshot: figures plus its names (updates leave the names out). */
export interface LiveMachineKpi extends LiveMachineFigures {
  readonly code: string;
  readonly name: string;
}

export interface LiveLineFigures extends LiveKpiFigures {
  readonly lineId: string;
}

export interface LiveLineKpi extends LiveLineFigures {
  readonly code: string;
  readonly name: string;
  readonly machineCount: number;
}

/**
 * A point of a line's shift trend (live-trend.ts): OEE from the shift start up to t (null: no data
 * yet), and the pieces (good + scrap) made in the bucket that ends at t.
 */
export interface LiveTrendPoint {
  readonly t: number;
  readonly oee: number | null;
  readonly throughput: number;
}

/** A line's trend in a snapshot: points at start + k·bucketMs before now, then one at now. */
export interface LiveLineTrend {
  readonly lineId: string;
  readonly bucketMs: number;
  readonly points: readonly LiveTrendPoint[];
}

/** A trend's changed tail: keep the points before `from`, replace the rest with `points`. */
export interface LiveTrendPatch {
  readonly lineId: string;
  readonly from: number;
  readonly points: readonly LiveTrendPoint[];
}

export interface LiveShift {
  readonly id: string;
  readonly name: string;
  readonly businessDate: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Everything, sent first and again whenever the shift changes or master data is reloaded: the
 * board replaces its state with it.
 */
export interface LiveKpiSnapshot {
  readonly type: 'snapshot';
  readonly plantId: string;
  readonly asOf: number;
  /** null between shifts: every figure is then "no data", states still update. */
  readonly shift: LiveShift | null;
  readonly plant: LiveKpiFigures;
  readonly lines: readonly LiveLineKpi[];
  readonly machines: readonly LiveMachineKpi[];
  /** One per line; no points between shifts. */
  readonly trends: readonly LiveLineTrend[];
}

/** A machine's changed fields: merge into its last figures (`{ ...last, ...delta }`). */
export type LiveMachineDelta = Pick<LiveMachineFigures, 'machineId'> &
  Partial<Omit<LiveMachineFigures, 'machineId'>>;

export type LiveLineDelta = Pick<LiveLineFigures, 'lineId'> & Partial<Omit<LiveLineFigures, 'lineId'>>;

/**
 * What changed since each entity was last sent, as deltas: only the fields that differ (absent
 * means unchanged), so a second of a running machine costs its moving figures, not all of them.
 * Merge them by id into the last snapshot.
 */
export interface LiveKpiUpdate {
  readonly type: 'update';
  readonly plantId: string;
  readonly asOf: number;
  /** null: the plant total did not change. */
  readonly plant: Partial<LiveKpiFigures> | null;
  readonly lines: readonly LiveLineDelta[];
  readonly machines: readonly LiveMachineDelta[];
  /** The lines whose trend changed (at most once per second, with the line's figures). */
  readonly trends: readonly LiveTrendPatch[];
}

export type LiveKpiMessage = LiveKpiSnapshot | LiveKpiUpdate;
