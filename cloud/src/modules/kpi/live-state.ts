import type { BusEvents, LiveEvent } from '../../platform/index.js';
import type { ResolvedWindow, ScopeLine, ScopeMachine } from './kpi-scope.js';
import {
  computeLine,
  computeMachine,
  computePlant,
  type LineEntry,
  type ShiftContext,
} from './live-compute.js';
import { type GroupEntry, group, NO_SHIFT_FIGURES } from './live-figures.js';
import {
  addToSums,
  compactBetweenShifts,
  cutsOf,
  gapEnd,
  type MachineEntry,
  machineEntry,
  type TimedState,
  timed,
  upperBound,
} from './live-machine.js';
import { advanceTrend, type LineTrend, TREND_BUCKET_MS, trendChangedAt } from './live-trend.js';
import type {
  LiveKpiFigures,
  LiveKpiSnapshot,
  LiveKpiUpdate,
  LiveLineDelta,
  LiveLineFigures,
  LiveLineKpi,
  LiveMachineDelta,
  LiveTrendPatch,
} from './live-types.js';
import type { KpiSources } from './oee-source.js';
import type { CountRecord } from './quantities.js';

/*
 * One plant's current shift in memory, as its live hub (live-hub.ts) keeps it: what the loader read
 * (live-load.ts), the ingested events applied on top, and per machine, line and plant the figures
 * last sent, so an update carries only what changed and each entity goes out at most once a second.
 * Pure: no I/O, no timers — every instant is passed in, and the hub asks when to wake next
 * (live-state.test.ts runs whole shifts on plain numbers).
 *
 * Counts are kept as sums per (product, stretch between the instants where computeOee's
 * classification of a count can change: window and shift edges, planned downtime edges, the end of
 * a no-initial-state gap; and the shift trend's bucket edges, live-trend.ts), stamped with the
 * stretch's start — the same argument as oee-source.ts: every count of a stretch is classified
 * alike, so the sums give exactly the result of the raw rows, and a recompute costs
 * O(stretches + state changes), not O(counts). Counts dated after "now" (a device clock ahead) stay
 * raw until now passes them.
 */

/** An entity is sent at most once per this long. */
export const LIVE_MIN_INTERVAL_MS = 1000;
/**
 * Flushes are at least this far apart, so a subscriber gets at most 1000 / FLUSH_SPACING_MS messages
 * a second however the entities' own one-second phases drift apart.
 */
const FLUSH_SPACING_MS = 250;
/** Timers fire on whole milliseconds: an entity sent at t is due again from t + 999. */
const DUE_SLACK_MS = 1;
/**
 * Master data changes made through this instance reload at once ('masterdata.changed'); this re-read
 * catches those made through another instance, whose bus this one does not hear, and the production
 * master data that does not announce its changes on the bus (cycle times, shifts, mappings).
 */
export const REVALIDATE_MS = 5 * 60_000;
/** Future-dated counts kept raw per machine; beyond it they are summed like past ones. */
const MAX_FUTURE_COUNTS = 10_000;

/** What the loader read: the plant's current shift as of commit `seq` (live-load.ts). */
export interface LoadedPlant {
  readonly seq: number;
  readonly now: number;
  readonly window: ResolvedWindow | null;
  /** When the next shift starts (reload then), if one is planned. */
  readonly nextShiftAt: number | null;
  readonly sources: KpiSources;
  readonly lines: readonly ScopeLine[];
  readonly machines: readonly ScopeMachine[];
  readonly lateStates: readonly { machine_id: string; t: number; state: string; reason: string | null }[];
  readonly lateCounts: readonly {
    machine_id: string;
    t: number;
    good: number;
    scrap: number;
    product_code: string | null;
  }[];
}

/** What applying a commit asks of the hub. */
export interface Applied {
  /** Why the memory can no longer be exact and the plant must be read again, or null. */
  readonly reload: string | null;
  /** When a changed entity is due to be sent (+∞: nothing changed). */
  readonly wakeAt: number;
}

const NO_SHIFT: ShiftContext = { window: null, shifts: [], mapping: new Map(), stateCodes: new Map() };

export class LivePlantState {
  private machines = new Map<string, MachineEntry>();
  private lines = new Map<string, LineEntry>();
  private trends = new Map<string, LineTrend>();
  private plant: GroupEntry<LiveKpiFigures> = group(NO_SHIFT_FIGURES, NO_SHIFT_FIGURES);
  private ctx: ShiftContext = NO_SHIFT;
  private loadedSeq = Number.POSITIVE_INFINITY;
  /** When the plant must be read again: the shift ends, the next begins, or the re-read is due. */
  private reloadAt = Number.POSITIVE_INFINITY;
  private lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(readonly plantId: string) {}

  /** Replaces everything with what was loaded; nothing is computed until recomputeAll. */
  install(loaded: LoadedPlant): void {
    const { window, sources } = loaded;
    this.loadedSeq = loaded.seq;
    this.ctx = { window, shifts: sources.shifts, mapping: sources.mapping, stateCodes: sources.stateCodes };
    this.reloadAt = Math.min(
      window?.end ?? Number.POSITIVE_INFINITY,
      loaded.nextShiftAt ?? Number.POSITIVE_INFINITY,
      loaded.now + REVALIDATE_MS,
    );
    const machines = new Map<string, MachineEntry>();
    for (const key of loaded.machines) {
      machines.set(key.id, machineEntry(key, sources.machines.get(key.id), window, sources.shifts));
    }
    for (const s of loaded.lateStates) {
      const m = machines.get(s.machine_id);
      if (m !== undefined) m.events.splice(upperBound(m.events, s.t), 0, timed({ ...s, time: s.t }));
    }
    for (const c of loaded.lateCounts) {
      machines
        .get(c.machine_id)
        ?.future.push({ time: c.t, good: c.good, scrap: c.scrap, productCode: c.product_code });
    }
    this.machines = machines;
    this.lines = new Map(
      loaded.lines.map((l) => [
        l.id,
        group<LiveLineFigures, LiveLineKpi>(
          { lineId: l.id, ...NO_SHIFT_FIGURES },
          {
            lineId: l.id,
            code: l.code,
            name: l.name,
            machineCount: loaded.machines.filter((m) => m.lineId === l.id).length,
            ...NO_SHIFT_FIGURES,
          },
        ),
      ]),
    );
    this.trends = new Map(
      loaded.lines.map((l) => [
        l.id,
        {
          machines: [...machines.values()].filter((m) => m.lineId === l.id),
          closed: [],
          staleFrom: 0,
          sent: [],
        },
      ]),
    );
    this.plant = group(NO_SHIFT_FIGURES, NO_SHIFT_FIGURES);
  }

  /** Applies a commit's events of this plant at `now`; one the load already saw is skipped. */
  apply(commit: BusEvents['events.ingested'], now: number): Applied {
    let reload: string | null = null;
    let wakeAt = Number.POSITIVE_INFINITY;
    // The load saw this commit (or an earlier one ran its after-commit effect late).
    if (commit.seq <= this.loadedSeq) return { reload, wakeAt };
    for (const event of commit.events) {
      if (event.plantId !== this.plantId) continue;
      const machine = this.machines.get(event.machineId);
      // A machine added since the load: 'masterdata.changed' reloads the hub.
      if (machine === undefined) continue;
      reload = this.applyEvent(machine, event, now) ?? reload;
      if (machine.dirty) wakeAt = Math.min(wakeAt, this.dueAt(machine.sentAt));
    }
    return { reload, wakeAt };
  }

  /** true from the instant the plant must be read again; asking clears it (the hub then reloads). */
  takeReloadDue(now: number): boolean {
    if (now < this.reloadAt) return false;
    this.reloadAt = Number.POSITIVE_INFINITY;
    return true;
  }

  /** The next instant something is due: the earliest entity with something to send, or the reload. */
  nextWakeAt(now: number): number {
    const timeMoves = this.timeMoves(now);
    let next = this.reloadAt;
    for (const m of this.machines.values()) {
      if (m.dirty || timeMoves) next = Math.min(next, m.sentAt + LIVE_MIN_INTERVAL_MS);
    }
    for (const line of this.lines.values()) {
      if (line.dirty) next = Math.min(next, line.sentAt + LIVE_MIN_INTERVAL_MS);
    }
    if (this.plant.dirty) next = Math.min(next, this.plant.sentAt + LIVE_MIN_INTERVAL_MS);
    if (next === Number.POSITIVE_INFINITY) return next;
    return Math.max(next, this.lastFlushAt + FLUSH_SPACING_MS);
  }

  /** Recomputes what is due at `now` and returns what changed, or null: at most once per second per entity. */
  flush(now: number): LiveKpiUpdate | null {
    const timeMoves = this.timeMoves(now);
    const due = (sentAt: number) => now - sentAt >= LIVE_MIN_INTERVAL_MS - DUE_SLACK_MS;
    const machines: LiveMachineDelta[] = [];
    for (const m of this.machines.values()) {
      if (!(m.dirty || timeMoves) || !due(m.sentAt)) continue;
      m.dirty = false;
      if (!computeMachine(this.ctx, m, now)) continue;
      m.sentAt = now;
      machines.push(m.delta);
      const line = this.lines.get(m.lineId);
      if (line !== undefined) line.dirty = true;
    }
    const lines: LiveLineDelta[] = [];
    const trends: LiveTrendPatch[] = [];
    for (const [id, line] of this.lines) {
      if (!line.dirty || !due(line.sentAt)) continue;
      line.dirty = false;
      const changed = computeLine(this.ctx, id, line, this.machines.values());
      const patch = this.advanceTrend(id, line, now);
      if (patch !== null) trends.push(patch);
      if (!changed && patch === null) continue;
      line.sentAt = now;
      if (!changed) continue;
      lines.push(line.delta as LiveLineDelta);
      this.plant.dirty = true;
    }
    let plant: Partial<LiveKpiFigures> | null = null;
    if (this.plant.dirty && due(this.plant.sentAt)) {
      this.plant.dirty = false;
      if (computePlant(this.ctx, this.plant, this.lines.values())) {
        this.plant.sentAt = now;
        plant = this.plant.delta;
      }
    }
    this.lastFlushAt = now;
    if (machines.length === 0 && lines.length === 0 && plant === null && trends.length === 0) return null;
    return { type: 'update', plantId: this.plantId, asOf: now, plant, lines, machines, trends };
  }

  /** Computes everything at `now` as sent: what a snapshot carries after a load. */
  recomputeAll(now: number): void {
    for (const m of this.machines.values()) {
      computeMachine(this.ctx, m, now);
      m.dirty = false;
      m.sentAt = now;
    }
    for (const [id, line] of this.lines) {
      computeLine(this.ctx, id, line, this.machines.values());
      this.advanceTrend(id, line, now);
      line.dirty = false;
      line.sentAt = now;
    }
    computePlant(this.ctx, this.plant, this.lines.values());
    this.plant.dirty = false;
    this.plant.sentAt = now;
    this.lastFlushAt = now;
  }

  /** Everything as last computed. */
  snapshot(now: number): LiveKpiSnapshot {
    const w = this.ctx.window;
    return {
      type: 'snapshot',
      plantId: this.plantId,
      asOf: now,
      shift:
        w === null || w.shift === null
          ? null
          : {
              id: w.shift.id,
              name: w.shift.name,
              businessDate: w.shift.businessDate,
              start: w.start,
              end: w.end,
            },
      plant: this.plant.view,
      lines: [...this.lines.values()].map((l) => l.view),
      machines: [...this.machines.values()].map((m) => m.view),
      trends: [...this.trends].map(([lineId, t]) => ({ lineId, bucketMs: TREND_BUCKET_MS, points: t.sent })),
    };
  }

  /** An entity changed: it is due a second after it was last sent, not before the flush spacing allows. */
  private dueAt(sentAt: number): number {
    return Math.max(sentAt + LIVE_MIN_INTERVAL_MS, this.lastFlushAt + FLUSH_SPACING_MS);
  }

  /** In a running shift every figure moves with time alone (PBT, APT grow): recompute from memory. */
  private timeMoves(now: number): boolean {
    const w = this.ctx.window;
    return w !== null && now >= w.start && now < w.end;
  }

  private advanceTrend(id: string, line: LineEntry, now: number): LiveTrendPatch | null {
    const trend = this.trends.get(id);
    if (trend === undefined) return null;
    return advanceTrend(id, trend, this.ctx, line.result?.oee.value ?? null, now);
  }

  /** Returns why a reload is needed, if the event cannot be applied exactly. */
  private applyEvent(m: MachineEntry, event: LiveEvent, now: number): string | null {
    const time = Date.parse(event.time);
    const trend = this.trends.get(m.lineId);
    if (trend !== undefined) trendChangedAt(trend, time);
    if (event.kind === 'state') {
      m.lastEventAt = Math.max(m.lastEventAt ?? time, time);
      const reload = this.applyState(m, { time, state: event.data.state, reason: event.data.reason });
      m.dirty = true;
      return reload;
    }
    if (event.kind === 'count') {
      m.lastEventAt = Math.max(m.lastEventAt ?? time, time);
      const { good, scrap, product } = event.data;
      this.addCount(m, { time, good, scrap, productCode: product }, now);
      m.dirty = true;
    }
    return null;
  }

  private applyState(m: MachineEntry, s: TimedState): string | null {
    const { window, shifts } = this.ctx;
    const gapEndBefore = gapEnd(m);
    if (s.time < (window?.start ?? Number.NEGATIVE_INFINITY)) {
      if (m.inherited === null || s.time >= m.inherited.time) m.inherited = s;
    } else {
      const at = upperBound(m.events, s.time);
      if (at === m.events.length) {
        const previous = m.events.at(-1) ?? m.inherited;
        if (previous !== null && previous.state === s.state && previous.reason === s.reason) {
          m.lastDroppedRepeatAt = s.time;
        } else {
          m.events.push(s);
        }
      } else if (s.time < m.lastDroppedRepeatAt) {
        // A late event before a dropped repeat would end its state there: only the rows can say.
        return 'late state event';
      } else {
        m.events.splice(at, 0, s);
      }
      if (window === null) compactBetweenShifts(m);
    }
    if (gapEnd(m) !== gapEndBefore) {
      // The no-initial-state gap moved: count sums straddling the new edge cannot be split in memory.
      if (m.sums.size > 0) return 'gap edge moved';
      m.cuts = cutsOf(window, shifts, m);
    }
    return null;
  }

  private addCount(m: MachineEntry, c: CountRecord & { time: number }, now: number) {
    const w = this.ctx.window;
    if (w === null || c.time < w.start || c.time >= w.end) return;
    if (c.time > now && m.future.length < MAX_FUTURE_COUNTS) {
      m.future.push(c);
      return;
    }
    addToSums(m, c);
  }
}
