import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, rows } from '../../db/index.js';
import type { BusEvents, EventBus, LiveEvent } from '../../platform/index.js';
import type { Interval } from './intervals.js';
import { type ResolvedWindow, resolveScope, resolveWindow, type ScopeLine } from './kpi-scope.js';
import { diff, figuresOf, type GroupEntry, group } from './live-figures.js';
import { lastSeq, lateRows, lockCommitLog } from './live-load.js';
import {
  addToSums,
  compactBetweenShifts,
  cutsOf,
  gapEnd,
  type MachineEntry,
  type TimedState,
  timed,
  upperBound,
} from './live-machine.js';
import {
  allBoundaries,
  closedPoint,
  openPoint,
  TREND_BUCKET_MS,
  trendBoundaries,
  trendPatch,
} from './live-trend.js';
import type {
  LiveKpiFigures,
  LiveKpiMessage,
  LiveKpiSnapshot,
  LiveKpiUpdate,
  LiveLineDelta,
  LiveLineFigures,
  LiveLineKpi,
  LiveMachineDelta,
  LiveMachineFigures,
  LiveMachineState,
  LiveTrendPatch,
  LiveTrendPoint,
} from './live-types.js';
import { computeOee, type OeeResult } from './oee.js';
import { aggregateOee, type OeeAggregate } from './oee-aggregate.js';
import { oeeFactors, zeroComponents } from './oee-factors.js';
import { type KpiSources, loadKpiSources, type StateCodeInfo } from './oee-source.js';
import type { CountRecord } from './quantities.js';
import { type StateBucket, UNMAPPED_BUCKET } from './timeline.js';

/*
 * The live KPI hub of one (tenant, plant) (issue 4 §6): one per process however many boards watch
 * the plant. It loads the current shift's inputs once from the database (oee-source), keeps them in
 * memory, applies each ingested event of its machines as it comes off the bus, recomputes dirty
 * entities with the pure core at most once per second and hands one computed update to all its
 * subscribers. The database is read again only on a shift change, on 'masterdata.changed' for the
 * tenant, when a late event cannot be applied exactly, and every few minutes for the production
 * master data that does not announce its changes on the bus yet (cycle times, shifts, mappings).
 *
 * Exactness at the seam between the load and the bus: the load first takes a share lock on the
 * tenant's commit-log counter (event_streams). Ingest updates that row as the last step of every
 * commit, so while the lock is held no ingest of the tenant can commit: every statement of the
 * load sees exactly the commits up to the seq it read, and the bus commits after it are applied
 * in memory — none lost, none counted twice. The price is that the tenant's ingest waits for the
 * duration of a load (one shift of one plant, a few statements), a few times per shift.
 *
 * Counts are kept as sums per (product, stretch between the instants where computeOee's
 * classification of a count can change: window and shift edges, planned downtime edges, the end of
 * a no-initial-state gap; and the shift trend's bucket edges, live-trend.ts), stamped with the
 * stretch's start — the same argument as oee-source.ts: every count of a stretch is classified
 * alike, so the sums give exactly the result of the raw rows, and a recompute costs
 * O(stretches + state changes), not O(counts). Counts dated after "now" (a device clock ahead) stay
 * raw until now passes them.
 */

/** An entity is sent at most once per this long (issue 4 §6). */
export const LIVE_MIN_INTERVAL_MS = 1000;
/**
 * Flushes are at least this far apart, so a subscriber gets at most 1000 / FLUSH_SPACING_MS messages
 * a second however the entities' own one-second phases drift apart.
 */
const FLUSH_SPACING_MS = 250;
/** Timers fire on whole milliseconds: an entity sent at t is due again from t + 999. */
const DUE_SLACK_MS = 1;
/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2_147_483_647;
/**
 * Master data changes made through this instance reload at once ('masterdata.changed'); this re-read
 * catches those made through another instance, whose bus this one does not hear (DESIGN §6).
 */
const REVALIDATE_MS = 5 * 60_000;
/** Several changes in a row (an admin editing lines) cost one reload. */
const RELOAD_DEBOUNCE_MS = 200;
const RELOAD_RETRY_MS = 5000;
/** Future-dated counts kept raw per machine; beyond it they are summed like past ones. */
const MAX_FUTURE_COUNTS = 10_000;

export interface LiveHubDeps {
  readonly db: Database;
  readonly bus: EventBus;
  readonly log: Logger;
}

export interface LiveHubSubscriber {
  /** Receives the snapshot (on join and after each reload) and the updates. */
  push(message: LiveKpiMessage): void;
  /** The hub could not load; the subscription ends with this error. */
  fail(error: unknown): void;
}

interface LoadedState {
  readonly seq: number;
  readonly now: number;
  readonly window: ResolvedWindow | null;
  /** When the next shift starts (reload then), if one is planned. */
  readonly nextShiftAt: number | null;
  readonly sources: KpiSources;
  readonly lines: readonly ScopeLine[];
  readonly machines: readonly { id: string; lineId: string; code: string; name: string }[];
  readonly lateStates: readonly { machine_id: string; t: number; state: string; reason: string | null }[];
  readonly lateCounts: readonly {
    machine_id: string;
    t: number;
    good: number;
    scrap: number;
    product_code: string | null;
  }[];
}

/** A line's shift trend as the hub keeps it (live-trend.ts). */
interface LineTrend {
  readonly machines: readonly MachineEntry[];
  /** Points at the closed bucket boundaries; from `staleFrom` on, a late event changed them. */
  readonly closed: LiveTrendPoint[];
  staleFrom: number;
  /** What subscribers have: the closed points and the one at now. */
  sent: readonly LiveTrendPoint[];
}

const NO_SHIFT_FIGURES: LiveKpiFigures = figuresOf({
  ...oeeFactors(zeroComponents),
  components: zeroComponents,
});

export class LiveKpiHub {
  private readonly subscribers = new Set<LiveHubSubscriber>();
  private readonly log: Logger;
  private machines = new Map<string, MachineEntry>();
  private lines = new Map<string, GroupEntry<LiveLineFigures, LiveLineKpi>>();
  private trends = new Map<string, LineTrend>();
  private plant: GroupEntry<LiveKpiFigures> = group(NO_SHIFT_FIGURES, NO_SHIFT_FIGURES);
  private stateCodes: ReadonlyMap<string, StateCodeInfo> = new Map();
  private mapping: ReadonlyMap<string, StateBucket> = new Map();
  private shifts: readonly Interval[] = [];
  private window: ResolvedWindow | null = null;
  private loadedSeq = Number.POSITIVE_INFINITY;
  private loaded = false;
  private loading: Promise<void> | null = null;
  private reloadAgain = false;
  /** Commits heard while a load runs; applied (those after its seq) when it ends. */
  private held: BusEvents['events.ingested'][] = [];
  private reloadAt = Number.POSITIVE_INFINITY;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private reloadTimer: NodeJS.Timeout | null = null;
  private stopBus: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly deps: LiveHubDeps,
    readonly tenantId: string,
    readonly plantId: string,
  ) {
    this.log = deps.log.child({ module: 'kpi.live', tenantId, plantId });
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  start(): void {
    this.stopBus = [
      this.deps.bus.on('events.ingested', (commit) => this.onCommit(commit)),
      this.deps.bus.on('masterdata.changed', ({ tenantId }) => {
        if (tenantId === this.tenantId) this.scheduleReload('master data changed');
      }),
    ];
    void this.reload();
  }

  stop(): void {
    this.stopped = true;
    for (const stop of this.stopBus) stop();
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.reloadTimer !== null) clearTimeout(this.reloadTimer);
    this.subscribers.clear();
    this.machines.clear();
    this.held = [];
  }

  /** Joins; the snapshot follows at once when loaded, else when the load ends. Returns the leave. */
  join(subscriber: LiveHubSubscriber): () => boolean {
    this.subscribers.add(subscriber);
    if (this.loaded) subscriber.push(this.snapshot(Date.now()));
    // A first load that failed ended its subscribers; a newcomer tries again.
    else if (this.loading === null) void this.reload();
    return () => {
      this.subscribers.delete(subscriber);
      return this.subscribers.size === 0;
    };
  }

  private onCommit(commit: BusEvents['events.ingested']) {
    if (commit.tenantId !== this.tenantId) return;
    if (this.loading !== null) {
      this.held.push(commit);
      return;
    }
    this.apply(commit);
  }

  private apply(commit: BusEvents['events.ingested']) {
    // The load saw this commit (or an earlier one ran its after-commit effect late).
    if (commit.seq <= this.loadedSeq) return;
    const now = Date.now();
    for (const event of commit.events) {
      if (event.plantId !== this.plantId) continue;
      const machine = this.machines.get(event.machineId);
      // A machine added since the load: 'masterdata.changed' reloads the hub.
      if (machine === undefined) continue;
      this.applyEvent(machine, event, now);
      if (machine.dirty) this.wakeFor(machine.sentAt);
    }
  }

  private applyEvent(m: MachineEntry, event: LiveEvent, now: number) {
    const time = Date.parse(event.time);
    this.trendChangedAt(m.lineId, time);
    if (event.kind === 'state') {
      m.lastEventAt = Math.max(m.lastEventAt ?? time, time);
      this.applyState(m, { time, state: event.data.state, reason: event.data.reason });
      m.dirty = true;
    } else if (event.kind === 'count') {
      m.lastEventAt = Math.max(m.lastEventAt ?? time, time);
      const { good, scrap, product } = event.data;
      this.addCount(m, { time, good, scrap, productCode: product }, now);
      m.dirty = true;
    }
  }

  private applyState(m: MachineEntry, s: TimedState) {
    const start = this.rangeStart();
    const gapEndBefore = gapEnd(m);
    if (s.time < start) {
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
        this.scheduleReload('late state event');
        return;
      } else {
        m.events.splice(at, 0, s);
      }
      if (this.window === null) compactBetweenShifts(m);
    }
    if (gapEnd(m) !== gapEndBefore) {
      // The no-initial-state gap moved: count sums straddling the new edge cannot be split in memory.
      if (m.sums.size === 0) m.cuts = cutsOf(this.window, this.shifts, m);
      else this.scheduleReload('gap edge moved');
    }
  }

  /** An event at `time` changes the trend points after it: a late one, those already closed. */
  private trendChangedAt(lineId: string, time: number) {
    const trend = this.trends.get(lineId);
    if (trend === undefined) return;
    const k = trend.closed.findIndex((p) => p.t > time);
    if (k !== -1) trend.staleFrom = Math.min(trend.staleFrom, k);
  }

  private addCount(m: MachineEntry, c: CountRecord & { time: number }, now: number) {
    const w = this.window;
    if (w === null || c.time < w.start || c.time >= w.end) return;
    if (c.time > now && m.future.length < MAX_FUTURE_COUNTS) {
      m.future.push(c);
      return;
    }
    addToSums(m, c);
  }

  private rangeStart(): number {
    return this.window?.start ?? Number.NEGATIVE_INFINITY;
  }

  private scheduleReload(why: string) {
    if (this.stopped) return;
    if (this.loading !== null) {
      this.reloadAgain = true;
      return;
    }
    if (this.reloadTimer !== null) return;
    this.log.debug({ why }, 'live KPI reload scheduled');
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      void this.reload();
    }, RELOAD_DEBOUNCE_MS);
    this.reloadTimer.unref();
  }

  private async reload(): Promise<void> {
    if (this.loading !== null || this.stopped) return;
    this.held = [];
    const run = (async () => {
      let state: LoadedState;
      try {
        state = await this.load();
      } catch (error) {
        this.loading = null;
        if (this.stopped) return;
        this.log.error({ err: error }, 'live KPI load failed');
        if (!this.loaded) {
          for (const s of [...this.subscribers]) s.fail(error);
          return;
        }
        // Keep serving the figures held; try again shortly.
        this.reloadTimer = setTimeout(() => {
          this.reloadTimer = null;
          void this.reload();
        }, RELOAD_RETRY_MS);
        this.reloadTimer.unref();
        this.scheduleNext(Date.now());
        return;
      }
      if (this.stopped) return;
      this.install(state);
      this.loading = null;
      const held = this.held;
      this.held = [];
      for (const commit of held) this.apply(commit);
      const now = Date.now();
      this.recomputeAll(now);
      const snapshot = this.snapshot(now);
      for (const s of this.subscribers) s.push(snapshot);
      this.scheduleNext(now);
      if (this.reloadAgain) {
        this.reloadAgain = false;
        this.scheduleReload('changed while loading');
      }
    })();
    this.loading = run;
    await run;
  }

  /** One transaction: the seam lock, then scope, window and the shift's rows. */
  private async load(): Promise<LoadedState> {
    for (let attempt = 1; ; attempt++) {
      const state = await this.loadOnce();
      if (state !== null) return state;
      if (attempt === 3) throw new Error('ingest kept racing the first live KPI load');
    }
  }

  /** null: the tenant's very first commit raced the load (nothing to lock yet); try again. */
  private loadOnce(): Promise<LoadedState | null> {
    const scope = { tenantId: this.tenantId, userId: null, plantIds: [this.plantId] };
    return this.deps.db.transact(scope, async (tx) => {
      const seq = await lockCommitLog(tx);
      const now = Date.now();
      const resolved = await resolveScope(tx, { kind: 'plant', id: this.plantId });
      const window = await resolveWindow(tx, resolved.plant, 'currentShift', now);
      const range = window ?? { start: now, end: now };
      const sources = await loadKpiSources(tx, {
        plantId: this.plantId,
        machines: resolved.machines,
        range,
        now,
        // The trend's buckets (live-trend.ts): a loaded sum must not span two of them.
        cuts: window === null ? [] : allBoundaries(window),
      });
      const late = await lateRows(
        tx,
        resolved.machines.map((m) => m.id),
        now,
        window,
      );
      const [next] = await rows<{ t: number | null }>(
        tx,
        sql`select (extract(epoch from min(starts_at)) * 1000)::float8 as t from shifts
             where plant_id = ${this.plantId}::uuid and not is_cancelled
               and starts_at > ${new Date(now).toISOString()}::timestamptz`,
      );
      // Without a counter row (a tenant that never ingested) nothing was locked: check no commit slipped in.
      if (seq === 0 && (await lastSeq(tx)) !== 0) return null;
      return {
        seq,
        now,
        window,
        nextShiftAt: next?.t ?? null,
        sources,
        lines: resolved.lines,
        machines: resolved.machines,
        ...late,
      };
    });
  }

  private install(state: LoadedState) {
    this.loadedSeq = state.seq;
    this.window = state.window;
    this.stateCodes = state.sources.stateCodes;
    this.mapping = state.sources.mapping;
    this.shifts = state.sources.shifts;
    this.reloadAt = Math.min(
      state.window?.end ?? Number.POSITIVE_INFINITY,
      state.nextShiftAt ?? Number.POSITIVE_INFINITY,
      state.now + REVALIDATE_MS,
    );
    const machines = new Map<string, MachineEntry>();
    for (const key of state.machines) {
      const source = state.sources.machines.get(key.id);
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
        figures: {
          machineId: key.id,
          lineId: key.lineId,
          ...NO_SHIFT_FIGURES,
          state: null,
          lastEventAt: null,
        },
        view: { ...key, machineId: key.id, ...NO_SHIFT_FIGURES, state: null, lastEventAt: null },
        delta: { machineId: key.id },
        computed: false,
        dirty: true,
        sentAt: Number.NEGATIVE_INFINITY,
      };
      entry.cuts = cutsOf(state.window, this.shifts, entry);
      for (const c of source?.counts ?? []) addToSums(entry, { ...c, time: c.time });
      machines.set(key.id, entry);
    }
    for (const s of state.lateStates) {
      const m = machines.get(s.machine_id);
      if (m !== undefined) m.events.splice(upperBound(m.events, s.t), 0, timed({ ...s, time: s.t }));
    }
    for (const c of state.lateCounts) {
      machines
        .get(c.machine_id)
        ?.future.push({ time: c.t, good: c.good, scrap: c.scrap, productCode: c.product_code });
    }
    this.machines = machines;
    this.lines = new Map(
      state.lines.map((l) => [
        l.id,
        group<LiveLineFigures, LiveLineKpi>(
          { lineId: l.id, ...NO_SHIFT_FIGURES },
          {
            lineId: l.id,
            code: l.code,
            name: l.name,
            machineCount: state.machines.filter((m) => m.lineId === l.id).length,
            ...NO_SHIFT_FIGURES,
          },
        ),
      ]),
    );
    this.trends = new Map(
      state.lines.map((l) => [
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
    this.loaded = true;
  }

  /** Sets the one timer to `at` unless it is already due sooner. */
  private wakeAt(at: number) {
    if (this.stopped || at >= this.timerAt) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.onTimer();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())),
    );
    // A hub never keeps the process alive; it lives as long as its subscribers.
    this.timer.unref();
  }

  /** An entity changed: flush when it is due, not before the flush spacing allows. */
  private wakeFor(sentAt: number) {
    this.wakeAt(Math.max(sentAt + LIVE_MIN_INTERVAL_MS, this.lastFlushAt + FLUSH_SPACING_MS));
  }

  private onTimer() {
    // A running load schedules what follows when it ends.
    if (!this.loaded || this.loading !== null) return;
    const now = Date.now();
    if (now >= this.reloadAt) {
      this.reloadAt = Number.POSITIVE_INFINITY;
      void this.reload();
      return;
    }
    this.flush(now);
    this.scheduleNext(now);
  }

  /** The next wake-up: the earliest due entity that has something to send, or the next reload. */
  private scheduleNext(now: number) {
    const timeMoves = this.timeMoves(now);
    let next = this.reloadAt;
    for (const m of this.machines.values()) {
      if (m.dirty || timeMoves) next = Math.min(next, m.sentAt + LIVE_MIN_INTERVAL_MS);
    }
    for (const line of this.lines.values()) {
      if (line.dirty) next = Math.min(next, line.sentAt + LIVE_MIN_INTERVAL_MS);
    }
    if (this.plant.dirty) next = Math.min(next, this.plant.sentAt + LIVE_MIN_INTERVAL_MS);
    if (next === Number.POSITIVE_INFINITY) return;
    this.wakeAt(Math.max(next, this.lastFlushAt + FLUSH_SPACING_MS));
  }

  /** In a running shift every figure moves with time alone (PBT, APT grow): recompute from memory. */
  private timeMoves(now: number): boolean {
    const w = this.window;
    return w !== null && now >= w.start && now < w.end;
  }

  /** Recomputes what is due and sends what changed: at most once per second per entity. */
  private flush(now: number) {
    const timeMoves = this.timeMoves(now);
    const due = (sentAt: number) => now - sentAt >= LIVE_MIN_INTERVAL_MS - DUE_SLACK_MS;
    const machines: LiveMachineDelta[] = [];
    for (const m of this.machines.values()) {
      if (!(m.dirty || timeMoves) || !due(m.sentAt)) continue;
      m.dirty = false;
      if (!this.computeMachine(m, now)) continue;
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
      const changed = this.computeLine(id, line);
      const patch = this.computeTrend(id, line, now);
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
      if (this.computePlant()) {
        this.plant.sentAt = now;
        plant = this.plant.delta;
      }
    }
    this.lastFlushAt = now;
    if (machines.length === 0 && lines.length === 0 && plant === null && trends.length === 0) return;
    const update: LiveKpiUpdate = {
      type: 'update',
      plantId: this.plantId,
      asOf: now,
      plant,
      lines,
      machines,
      trends,
    };
    for (const s of this.subscribers) s.push(update);
  }

  private recomputeAll(now: number) {
    for (const m of this.machines.values()) {
      this.computeMachine(m, now);
      m.dirty = false;
      m.sentAt = now;
    }
    for (const [id, line] of this.lines) {
      this.computeLine(id, line);
      this.computeTrend(id, line, now);
      line.dirty = false;
      line.sentAt = now;
    }
    this.computePlant();
    this.plant.dirty = false;
    this.plant.sentAt = now;
    this.lastFlushAt = now;
  }

  /** true when the machine's view changed. */
  private computeMachine(m: MachineEntry, now: number): boolean {
    const w = this.window;
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
        mapping: this.mapping,
        inherited: m.inherited,
        events: m.events,
        shifts: this.shifts,
        plannedDowntimes: m.plannedDowntimes,
        counts: m.future.length === 0 ? [...m.sums.values()] : [...m.sums.values(), ...m.future],
        idealCycleTimes: m.idealCycleTimes,
      });
    }
    const figures: LiveMachineFigures = {
      machineId: m.id,
      lineId: m.lineId,
      ...(m.result === null ? NO_SHIFT_FIGURES : figuresOf(m.result)),
      state: this.stateOf(m, now),
      lastEventAt: m.lastEventAt,
    };
    return this.changed(m, figures, { ...figures, code: m.code, name: m.name }, 'machineId');
  }

  private computeLine(id: string, line: GroupEntry<LiveLineFigures, LiveLineKpi>): boolean {
    const members: OeeResult[] = [];
    for (const m of this.machines.values()) if (m.lineId === id && m.result !== null) members.push(m.result);
    line.result = this.window === null ? null : aggregateOee(members);
    const figures = { lineId: id, ...(line.result === null ? NO_SHIFT_FIGURES : figuresOf(line.result)) };
    const { code, name, machineCount } = line.view;
    return this.changed(line, figures, { ...figures, code, name, machineCount }, 'lineId');
  }

  /**
   * Brings the line's trend up to now: closed points computed once (again from the first a late
   * event changed), the point at now from the line's current figures. Returns the changed tail.
   */
  private computeTrend(
    id: string,
    line: GroupEntry<LiveLineFigures, LiveLineKpi>,
    now: number,
  ): LiveTrendPatch | null {
    const trend = this.trends.get(id);
    const w = this.window;
    if (trend === undefined) return null;
    let points: LiveTrendPoint[] = [];
    if (w !== null && now >= w.start) {
      const boundaries = trendBoundaries(w, now);
      trend.closed.length = Math.min(trend.closed.length, trend.staleFrom, boundaries.length);
      const ctx = { window: w, shifts: this.shifts, mapping: this.mapping };
      for (let k = trend.closed.length; k < boundaries.length; k++) {
        trend.closed.push(closedPoint(ctx, trend.machines, boundaries[k - 1] ?? w.start, boundaries[k]!));
      }
      trend.staleFrom = Number.POSITIVE_INFINITY;
      const open = openPoint(
        trend.machines,
        line.result?.oee.value ?? null,
        boundaries.at(-1) ?? w.start,
        Math.min(now, w.end),
      );
      points = [...trend.closed, open];
    }
    const patch = trendPatch(id, trend.sent, points);
    trend.sent = points;
    return patch;
  }

  private computePlant(): boolean {
    const members: OeeAggregate[] = [];
    for (const line of this.lines.values()) if (line.result !== null) members.push(line.result);
    this.plant.result = this.window === null ? null : aggregateOee(members);
    const figures = this.plant.result === null ? NO_SHIFT_FIGURES : figuresOf(this.plant.result);
    return this.changed(this.plant, figures, figures, null);
  }

  /**
   * Keeps the new figures and, when something changed, the delta an update carries: the fields
   * that differ plus the id (the delta of a first computation is everything).
   */
  private changed<F extends object, V extends F>(
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

  private stateOf(m: MachineEntry, now: number): LiveMachineState | null {
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
    const info = this.stateCodes.get(current.state);
    return {
      code: current.state,
      name: info?.name ?? current.state,
      colour: info?.colour ?? null,
      bucket: this.mapping.get(current.state) ?? UNMAPPED_BUCKET,
      mapped: this.mapping.has(current.state),
      reason: current.reason,
      since,
    };
  }

  snapshot(now: number): LiveKpiSnapshot {
    const w = this.window;
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
}
