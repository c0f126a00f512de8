import type { Logger } from 'pino';
import type { Database } from '../../db/index.js';
import type { BusEvents, EventBus } from '../../platform/index.js';
import { loadLivePlant } from './live-load.js';
import { LivePlantState, type LoadedPlant } from './live-state.js';
import type { LiveKpiMessage } from './live-types.js';

/*
 * The live KPI hub of one (tenant, plant): one per app instance however many boards watch the plant.
 * It loads the current shift's inputs once (live-load.ts), keeps them in memory (live-state.ts),
 * applies each ingested event of its machines as it comes off the bus, recomputes what changed at
 * most once per second and hands one computed update to all its subscribers. The database is read
 * again only on a shift change, on 'masterdata.changed' for the tenant, when a late event cannot be
 * applied exactly, and every few minutes for what does not announce its changes on the bus.
 *
 * This part holds the subscribers, the timers and the bus listeners; what to send and when is the
 * state's to say.
 */

/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2_147_483_647;
/** Several changes in a row (an admin editing lines) cost one reload. */
export const RELOAD_DEBOUNCE_MS = 200;
export const RELOAD_RETRY_MS = 5000;

export interface LiveHubDeps {
  readonly bus: EventBus;
  readonly log: Logger;
  /** Reads the plant's current shift (loadLivePlant; a test gives its own). */
  readonly load: (tenantId: string, plantId: string) => Promise<LoadedPlant>;
}

export interface LiveHubSubscriber {
  /** Receives the snapshot (on join and after each reload) and the updates. */
  push(message: LiveKpiMessage): void;
  /** The hub could not load; the subscription ends with this error. */
  fail(error: unknown): void;
}

type Commit = BusEvents['events.ingested'];

export class LiveKpiHub {
  private readonly subscribers = new Set<LiveHubSubscriber>();
  private readonly log: Logger;
  private readonly state: LivePlantState;
  private loaded = false;
  private loading: Promise<void> | null = null;
  private reloadAgain = false;
  /** Commits heard while a load runs; applied (those after its seq) when it ends. */
  private held: Commit[] = [];
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
    this.state = new LivePlantState(plantId);
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

  /** Stops listening and timing; resolves once a load under way has ended (it then changes nothing). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const stop of this.stopBus) stop();
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.reloadTimer !== null) clearTimeout(this.reloadTimer);
    this.subscribers.clear();
    this.held = [];
    await this.loading;
  }

  /** Joins; the snapshot follows at once when loaded, else when the load ends. Returns the leave. */
  join(subscriber: LiveHubSubscriber): () => boolean {
    this.subscribers.add(subscriber);
    if (this.loaded) subscriber.push(this.state.snapshot(Date.now()));
    // A first load that failed ended its subscribers; a newcomer tries again.
    else if (this.loading === null) void this.reload();
    return () => {
      this.subscribers.delete(subscriber);
      return this.subscribers.size === 0;
    };
  }

  private onCommit(commit: Commit) {
    if (commit.tenantId !== this.tenantId) return;
    if (this.loading !== null) {
      this.held.push(commit);
      return;
    }
    this.apply(commit);
  }

  private apply(commit: Commit) {
    const applied = this.state.apply(commit, Date.now());
    if (applied.reload !== null) this.scheduleReload(applied.reload);
    this.wakeAt(applied.wakeAt);
  }

  private scheduleReload(why: string) {
    if (this.stopped) return;
    if (this.loading !== null) {
      this.reloadAgain = true;
      return;
    }
    if (this.reloadTimer !== null) return;
    this.log.debug({ why }, 'live KPI reload scheduled');
    this.reloadLater(RELOAD_DEBOUNCE_MS);
  }

  private reloadLater(ms: number) {
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      void this.reload();
    }, ms);
    this.reloadTimer.unref();
  }

  private async reload(): Promise<void> {
    if (this.loading !== null || this.stopped) return;
    this.held = [];
    const run = (async () => {
      let loaded: LoadedPlant;
      try {
        loaded = await this.deps.load(this.tenantId, this.plantId);
      } catch (error) {
        this.loading = null;
        if (this.stopped) return;
        this.log.error({ err: error }, 'live KPI load failed');
        if (!this.loaded) {
          for (const s of [...this.subscribers]) s.fail(error);
          return;
        }
        // Keep serving the figures held; try again shortly.
        this.reloadLater(RELOAD_RETRY_MS);
        this.scheduleNext(Date.now());
        return;
      }
      this.loading = null;
      if (this.stopped) return;
      this.state.install(loaded);
      this.loaded = true;
      const held = this.held;
      this.held = [];
      for (const commit of held) this.apply(commit);
      const now = Date.now();
      this.state.recomputeAll(now);
      const snapshot = this.state.snapshot(now);
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

  private onTimer() {
    // A running load schedules what follows when it ends.
    if (!this.loaded || this.loading !== null) return;
    const now = Date.now();
    if (this.state.takeReloadDue(now)) {
      void this.reload();
      return;
    }
    const update = this.state.flush(now);
    if (update !== null) for (const s of this.subscribers) s.push(update);
    this.scheduleNext(now);
  }

  private scheduleNext(now: number) {
    this.wakeAt(this.state.nextWakeAt(now));
  }
}

/**
 * An app instance's hubs, one per (tenant, plant), dropped when their last subscriber leaves. The
 * app's dependencies own it (app-deps.ts), so two apps in one process share nothing, and stopping
 * the app stops its hubs.
 */
export class LiveKpiHubs {
  private readonly hubs = new Map<string, LiveKpiHub>();
  private stopped = false;

  constructor(private readonly deps: LiveHubDeps) {}

  /** The hubs of an app: plants loaded from its database, events heard on its bus. */
  static of(deps: { db: Database; bus: EventBus; log: Logger }): LiveKpiHubs {
    return new LiveKpiHubs({
      bus: deps.bus,
      log: deps.log,
      load: (tenantId, plantId) => loadLivePlant(deps.db, tenantId, plantId),
    });
  }

  join(tenantId: string, plantId: string, subscriber: LiveHubSubscriber): () => void {
    if (this.stopped) {
      subscriber.fail(new Error('the live KPI hubs have stopped'));
      return () => {};
    }
    const key = `${tenantId}:${plantId}`;
    let hub = this.hubs.get(key);
    if (hub === undefined) {
      hub = new LiveKpiHub(this.deps, tenantId, plantId);
      this.hubs.set(key, hub);
      hub.start();
    }
    const own = hub;
    const leave = own.join(subscriber);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (leave() && this.hubs.get(key) === own) {
        void own.stop();
        this.hubs.delete(key);
      }
    };
  }

  /** How many hubs and subscribers there are (for tests and the fanout benchmark). */
  stats(): { hubs: number; subscribers: number } {
    let subscribers = 0;
    for (const hub of this.hubs.values()) subscribers += hub.subscriberCount;
    return { hubs: this.hubs.size, subscribers };
  }

  /** Stops every hub, before the database closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    const hubs = [...this.hubs.values()];
    this.hubs.clear();
    await Promise.all(hubs.map((hub) => hub.stop()));
  }
}
