import { sql } from 'drizzle-orm';
import { rows } from '../../db/index.js';
import { canSeePlant, notFound, type Principal, scopeOf } from '../../platform/index.js';
import { guardLive, type LiveGuardDeps } from '../identity/index.js';
import type { LiveHubSubscriber, LiveKpiHubs } from './live-hub.js';
import { applyTrendPatch, mergeTrendPatches } from './live-trend.js';
import type { LiveKpiMessage, LiveKpiSnapshot, LiveKpiUpdate } from './live-types.js';

/*
 * `kpi.live` (docs/kpis.md, "API"): a snapshot of the plant's current-shift KPIs, then coalesced
 * updates, from the plant's shared hub (live-hub.ts). This side checks the caller's access, filters
 * the hub's messages by the caller's lines and machines, and coalesces for a subscriber that reads
 * slower than the hub sends: it holds at most one pending message, merged by entity id, so a slow
 * socket costs memory bounded by the plant's size, never a growing queue.
 */

export interface LiveKpiInput {
  readonly plantId: string;
  readonly lineIds?: readonly string[] | undefined;
  readonly machineIds?: readonly string[] | undefined;
}

/** What kpi.live uses: the access guard's and the app's hubs. */
export interface LiveKpiDeps extends LiveGuardDeps {
  readonly liveKpi: LiveKpiHubs;
}

export async function* liveKpi(
  deps: LiveKpiDeps,
  principal: Principal,
  input: LiveKpiInput,
  signal: AbortSignal | undefined,
): AsyncGenerator<LiveKpiMessage> {
  // Another plant, or another tenant's, is "not found" like everywhere in the KPI API (kpi-scope.ts).
  if (!canSeePlant(principal, input.plantId)) throw notFound('Plant');
  const visible = await deps.db.transact(scopeOf(principal), (tx) =>
    rows<{ id: string }>(tx, sql`select id::text as id from plants where id = ${input.plantId}::uuid`),
  );
  if (visible.length === 0) throw notFound('Plant');
  // Losing kpi.read or the plant while it runs ends it (live-access.ts).
  const needs = { permission: 'kpi.read', plantIds: [input.plantId] } as const;
  yield* guardLive(deps, { principal, needs, signal }, (access) =>
    plantStream(deps, principal.tenantId, input, access.signal),
  );
}

async function* plantStream(
  deps: LiveKpiDeps,
  tenantId: string,
  input: LiveKpiInput,
  signal: AbortSignal,
): AsyncGenerator<LiveKpiMessage> {
  const queue = new SubscriberQueue(input);
  const leave = deps.liveKpi.join(tenantId, input.plantId, queue);
  const onAbort = () => queue.wake();
  signal.addEventListener('abort', onAbort);
  try {
    while (!signal.aborted) {
      const next = queue.take();
      if (next !== null) {
        yield next;
        continue;
      }
      if (queue.error !== null) throw queue.error;
      await queue.wait();
    }
  } finally {
    leave();
    signal.removeEventListener('abort', onAbort);
  }
}

/** One subscriber's filter and its single pending (merged) message. */
class SubscriberQueue implements LiveHubSubscriber {
  private pending: LiveKpiMessage | null = null;
  private waiter: (() => void) | null = null;
  private checked = false;
  error: unknown = null;
  private readonly lineIds: ReadonlySet<string> | null;
  private readonly machineIds: ReadonlySet<string> | null;

  constructor(input: LiveKpiInput) {
    this.lineIds = input.lineIds === undefined ? null : new Set(input.lineIds);
    this.machineIds = input.machineIds === undefined ? null : new Set(input.machineIds);
  }

  push(message: LiveKpiMessage): void {
    if (this.error !== null) return;
    if (message.type === 'snapshot' && !this.checked) {
      this.checked = true;
      const unknown = this.unknownIds(message);
      if (unknown !== null) {
        this.fail(notFound(unknown));
        return;
      }
    }
    const own = this.filter(message);
    if (own === null) return;
    this.pending = this.pending === null ? own : merge(this.pending, own);
    this.wake();
  }

  fail(error: unknown): void {
    this.error = error;
    this.wake();
  }

  take(): LiveKpiMessage | null {
    const next = this.pending;
    this.pending = null;
    return next;
  }

  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** A line or machine the caller named that is not in the plant: said at once, like kpi.oee does. */
  private unknownIds(snapshot: LiveKpiSnapshot): string | null {
    const lines = new Set(snapshot.lines.map((l) => l.lineId));
    const machines = new Set(snapshot.machines.map((m) => m.machineId));
    if (this.lineIds !== null && [...this.lineIds].some((id) => !lines.has(id))) return 'Line';
    if (this.machineIds !== null && [...this.machineIds].some((id) => !machines.has(id))) return 'Machine';
    return null;
  }

  /** The caller's part of a message; unfiltered subscribers share the hub's object as it is. */
  private filter(message: LiveKpiMessage): LiveKpiMessage | null {
    if (this.lineIds === null && this.machineIds === null) return message;
    if (message.type === 'snapshot') {
      // Updates carry ids only: the snapshot decides which machines and lines this caller sees.
      const machines = message.machines.filter(
        (m) =>
          (this.lineIds === null || this.lineIds.has(m.lineId)) &&
          (this.machineIds === null || this.machineIds.has(m.machineId)),
      );
      const lines = this.lineIds ?? new Set(machines.map((m) => m.lineId));
      this.shownMachines = new Set(machines.map((m) => m.machineId));
      this.shownLines = lines;
      return {
        ...message,
        machines,
        lines: message.lines.filter((l) => lines.has(l.lineId)),
        trends: message.trends.filter((t) => lines.has(t.lineId)),
      };
    }
    const machines = message.machines.filter((m) => this.shownMachines.has(m.machineId));
    const lines = message.lines.filter((l) => this.shownLines.has(l.lineId));
    const trends = message.trends.filter((t) => this.shownLines.has(t.lineId));
    if (machines.length === 0 && lines.length === 0 && trends.length === 0 && message.plant === null) {
      return null;
    }
    return { ...message, machines, lines, trends };
  }

  private shownMachines: ReadonlySet<string> = new Set();
  private shownLines: ReadonlySet<string> = new Set();
}

/** Two messages as one: a later snapshot replaces; an update is folded into what is pending. */
function merge(pending: LiveKpiMessage, next: LiveKpiMessage): LiveKpiMessage {
  if (next.type === 'snapshot') return next;
  const plant = next.plant === null ? pending.plant : { ...pending.plant, ...next.plant };
  if (pending.type === 'snapshot') {
    const machines = new Map(next.machines.map((m) => [m.machineId, m]));
    const lines = new Map(next.lines.map((l) => [l.lineId, l]));
    const trends = new Map(next.trends.map((t) => [t.lineId, t]));
    return {
      ...pending,
      asOf: next.asOf,
      plant: { ...pending.plant, ...next.plant },
      machines: pending.machines.map((m) => ({ ...m, ...machines.get(m.machineId) })),
      lines: pending.lines.map((l) => ({ ...l, ...lines.get(l.lineId) })),
      trends: pending.trends.map((t) => {
        const patch = trends.get(t.lineId);
        return patch === undefined ? t : { ...t, points: applyTrendPatch(t.points, patch) };
      }),
    };
  }
  const trends = new Map(pending.trends.map((t) => [t.lineId, t]));
  for (const t of next.trends) {
    const earlier = trends.get(t.lineId);
    trends.set(t.lineId, earlier === undefined ? t : mergeTrendPatches(earlier, t));
  }
  const update: LiveKpiUpdate = {
    ...next,
    plant,
    machines: mergeById(pending.machines, next.machines, (m) => m.machineId),
    lines: mergeById(pending.lines, next.lines, (l) => l.lineId),
    trends: [...trends.values()],
  };
  return update;
}

/** Deltas by id, a later one's fields over an earlier one's. */
function mergeById<T extends object>(a: readonly T[], b: readonly T[], id: (item: T) => string): T[] {
  const out = new Map<string, T>();
  for (const item of a) out.set(id(item), item);
  for (const item of b) {
    const earlier = out.get(id(item));
    out.set(id(item), earlier === undefined ? item : { ...earlier, ...item });
  }
  return [...out.values()];
}
