import type { Interval } from './intervals.js';
import { NO_SHIFT_FIGURES } from './live-figures.js';
import { allBoundaries } from './live-trend.js';
import type { LiveMachineDelta, LiveMachineFigures, LiveMachineKpi } from './live-types.js';
import type { OeeResult, PlannedDowntime } from './oee.js';
import type { MachineSource } from './oee-source.js';
import type { CountRecord, IdealCycleTimes } from './quantities.js';

/*
 * One machine's current-shift inputs as the live hub keeps them in memory (live-state.ts explains the
 * model): its state events, and its counts summed per stretch between the instants where the OEE
 * classification of a count can change.
 */

export interface TimedState {
  readonly time: number;
  readonly state: string;
  readonly reason: string | null;
}

export interface CountSum {
  readonly time: number;
  good: number;
  scrap: number;
  readonly productCode: string | null;
}

export interface MachineEntry {
  readonly id: string;
  readonly lineId: string;
  readonly code: string;
  readonly name: string;
  inherited: TimedState | null;
  /** State events at or after the range start, time-sorted, exact repeats of the previous one dropped. */
  readonly events: TimedState[];
  /** The latest time of a dropped repeat: a late event before it cannot be placed exactly. */
  lastDroppedRepeatAt: number;
  readonly plannedDowntimes: readonly PlannedDowntime[];
  readonly idealCycleTimes: IdealCycleTimes;
  /** Sorted instants at which a count's classification can change (see the file comment). */
  cuts: number[];
  readonly sums: Map<string, CountSum>;
  readonly future: (CountRecord & { time: number })[];
  lastEventAt: number | null;
  result: OeeResult | null;
  /** Last computed: the figures (what updates carry) and the view with names (what snapshots carry). */
  figures: LiveMachineFigures;
  view: LiveMachineKpi;
  /** What changed at the last recompute: what an update carries. */
  delta: LiveMachineDelta;
  computed: boolean;
  dirty: boolean;
  sentAt: number;
}

export const timed = (s: { time: number | Date; state: string; reason?: string | null }): TimedState => ({
  time: typeof s.time === 'number' ? s.time : s.time.getTime(),
  state: s.state,
  reason: s.reason ?? null,
});

/** A machine as loaded: its rows for the current shift, nothing computed or sent yet. */
export function machineEntry(
  key: { id: string; lineId: string; code: string; name: string },
  source: MachineSource | undefined,
  window: Interval | null,
  shifts: readonly Interval[],
): MachineEntry {
  const entry: MachineEntry = {
    ...key,
    inherited: source?.inherited ? timed(source.inherited) : null,
    events: (source?.events ?? []).map(timed),
    lastDroppedRepeatAt: Number.NEGATIVE_INFINITY,
    plannedDowntimes: source?.plannedDowntimes ?? [],
    idealCycleTimes: source?.idealCycleTimes ?? {},
    cuts: [],
    sums: new Map(),
    future: [],
    lastEventAt: null,
    result: null,
    figures: { machineId: key.id, lineId: key.lineId, ...NO_SHIFT_FIGURES, state: null, lastEventAt: null },
    view: { ...key, machineId: key.id, ...NO_SHIFT_FIGURES, state: null, lastEventAt: null },
    delta: { machineId: key.id },
    computed: false,
    dirty: true,
    sentAt: Number.NEGATIVE_INFINITY,
  };
  entry.cuts = cutsOf(window, shifts, entry);
  for (const c of source?.counts ?? []) addToSums(entry, { ...c, time: c.time });
  return entry;
}

/** Where a no-initial-state gap ends (the first state event), or null without such a gap. */
export function gapEnd(m: MachineEntry): number | null {
  if (m.inherited !== null) return null;
  return m.events[0]?.time ?? Number.POSITIVE_INFINITY;
}

/** The instants at which computeOee's classification of a count can change, for this machine. */
export function cutsOf(window: Interval | null, shifts: readonly Interval[], m: MachineEntry): number[] {
  if (window === null) return [];
  const edges = new Set<number>([window.start, window.end]);
  for (const s of shifts) edges.add(s.start).add(s.end);
  for (const d of m.plannedDowntimes) edges.add(Number(d.start)).add(Number(d.end));
  // The shift trend's buckets (live-trend.ts): a sum inside one bucket can be dated to it.
  for (const b of allBoundaries(window)) edges.add(b);
  const gap = gapEnd(m);
  if (gap !== null && Number.isFinite(gap)) edges.add(gap);
  return [...edges].filter((t) => t >= window.start && t <= window.end).sort((a, b) => a - b);
}

export function addToSums(m: MachineEntry, c: CountRecord & { time: number }) {
  const stretch = upperBound(m.cuts, c.time) - 1;
  const product = c.productCode ?? null;
  const key = `${stretch}\u0000${product ?? '\u0001'}`;
  const sum = m.sums.get(key);
  if (sum === undefined) {
    m.sums.set(key, { time: m.cuts[stretch] ?? c.time, good: c.good, scrap: c.scrap, productCode: product });
  } else {
    sum.good += c.good;
    sum.scrap += c.scrap;
  }
}

/** Between shifts only the current state matters: keep the last event, not the history. */
export function compactBetweenShifts(m: MachineEntry) {
  if (m.events.length < 2) return;
  const last = m.events.at(-1)!;
  m.inherited = m.events.at(-2) ?? m.inherited;
  m.events.splice(0, m.events.length, last);
}

/** Index after the last element whose time is at or before t (items sorted by time). */
export function upperBound(items: readonly (number | { time: number })[], t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const item = items[mid]!;
    if ((typeof item === 'number' ? item : item.time) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
