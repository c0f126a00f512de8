import type { Interval } from './intervals.js';
import type { ResolvedWindow } from './kpi-scope.js';
import { diff, figuresOf, type GroupEntry, NO_SHIFT_FIGURES } from './live-figures.js';
import { addToSums, type MachineEntry, upperBound } from './live-machine.js';
import type {
  LiveKpiFigures,
  LiveLineFigures,
  LiveLineKpi,
  LiveMachineFigures,
  LiveMachineState,
} from './live-types.js';
import { computeOee, type OeeResult } from './oee.js';
import { aggregateOee, type OeeAggregate } from './oee-aggregate.js';
import type { StateCodeInfo } from './oee-source.js';
import { type StateBucket, UNMAPPED_BUCKET } from './timeline.js';

/*
 * The live figures of one machine, line or plant, recomputed from what the hub holds in memory
 * (live-state.ts) with the same pure core as kpi.oee, and compared with what was last computed so an
 * update carries only the fields that changed. No I/O; `now` is passed in.
 */

/** The current shift as loaded: what every recomputation reads. */
export interface ShiftContext {
  /** null between shifts: every figure is then "no data", states still update. */
  readonly window: ResolvedWindow | null;
  readonly shifts: readonly Interval[];
  readonly mapping: ReadonlyMap<string, StateBucket>;
  readonly stateCodes: ReadonlyMap<string, StateCodeInfo>;
}

export type LineEntry = GroupEntry<LiveLineFigures, LiveLineKpi>;

/** Recomputes a machine at `now`; true when its figures changed (its delta then says how). */
export function computeMachine(ctx: ShiftContext, m: MachineEntry, now: number): boolean {
  const w = ctx.window;
  if (w === null) {
    m.result = null;
  } else {
    if (m.future.length > 0) {
      for (const c of m.future.filter((f) => f.time <= now)) addToSums(m, c);
      m.future.splice(0, m.future.length, ...m.future.filter((f) => f.time > now));
    }
    m.result = computeOee({
      window: w,
      now,
      mapping: ctx.mapping,
      inherited: m.inherited,
      events: m.events,
      shifts: ctx.shifts,
      plannedDowntimes: m.plannedDowntimes,
      counts: m.future.length === 0 ? [...m.sums.values()] : [...m.sums.values(), ...m.future],
      idealCycleTimes: m.idealCycleTimes,
    });
  }
  const figures: LiveMachineFigures = {
    machineId: m.id,
    lineId: m.lineId,
    ...(m.result === null ? NO_SHIFT_FIGURES : figuresOf(m.result)),
    state: stateOf(ctx, m, now),
    lastEventAt: m.lastEventAt,
  };
  return changed(m, figures, { ...figures, code: m.code, name: m.name }, 'machineId');
}

/** Aggregates a line from its machines' last results; true when its figures changed. */
export function computeLine(
  ctx: ShiftContext,
  id: string,
  line: LineEntry,
  machines: Iterable<MachineEntry>,
): boolean {
  const members: OeeResult[] = [];
  for (const m of machines) if (m.lineId === id && m.result !== null) members.push(m.result);
  line.result = ctx.window === null ? null : aggregateOee(members);
  const figures = { lineId: id, ...(line.result === null ? NO_SHIFT_FIGURES : figuresOf(line.result)) };
  const { code, name, machineCount } = line.view;
  return changed(line, figures, { ...figures, code, name, machineCount }, 'lineId');
}

/** Aggregates the plant from its lines' last results; true when its figures changed. */
export function computePlant(
  ctx: ShiftContext,
  plant: GroupEntry<LiveKpiFigures>,
  lines: Iterable<LineEntry>,
): boolean {
  const members: OeeAggregate[] = [];
  for (const line of lines) if (line.result !== null) members.push(line.result);
  plant.result = ctx.window === null ? null : aggregateOee(members);
  const figures = plant.result === null ? NO_SHIFT_FIGURES : figuresOf(plant.result);
  return changed(plant, figures, figures, null);
}

/**
 * Keeps the new figures and, when something changed, the delta an update carries: the fields
 * that differ plus the id (the delta of a first computation is everything).
 */
function changed<F extends object, V extends F>(
  entry: { figures: F; view: V; delta: Partial<F>; computed: boolean },
  figures: F,
  view: V,
  idKey: keyof F | null,
): boolean {
  const delta = entry.computed ? diff(entry.figures, figures, idKey) : figures;
  entry.computed = true;
  entry.figures = figures;
  entry.view = view;
  if (delta === null) return false;
  entry.delta = delta;
  return true;
}

function stateOf(ctx: ShiftContext, m: MachineEntry, now: number): LiveMachineState | null {
  // The last event at or before now: one dated ahead (a clock ahead) is not the state yet.
  let k = upperBound(m.events, now) - 1;
  const current = k >= 0 ? m.events[k]! : m.inherited;
  if (current === null) return null;
  // Walk back over repeats of the same state and reason: "since" is when it began.
  let since = current.time;
  for (k -= 1; k >= -1; k--) {
    const previous = k >= 0 ? m.events[k]! : m.inherited;
    if (previous === null || previous.state !== current.state || previous.reason !== current.reason) break;
    since = previous.time;
  }
  const info = ctx.stateCodes.get(current.state);
  return {
    code: current.state,
    name: info?.name ?? current.state,
    colour: info?.colour ?? null,
    bucket: ctx.mapping.get(current.state) ?? UNMAPPED_BUCKET,
    mapped: ctx.mapping.has(current.state),
    reason: current.reason,
    since,
  };
}
