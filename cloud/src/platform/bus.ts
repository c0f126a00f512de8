import type { LiveEvent } from './live-event.js';
import type { Principal } from './principal.js';

/*
 * The one typed, in-process event bus: cross-domain effects go through it, not direct calls
 * between modules. Effects are published after the producing transaction commits, so a listener
 * never sees something that is later rolled back. Several cloud instances over one PostgreSQL server
 * hear each other's effects through the bus relay (events/bus-relay.ts, docs/architecture.md,
 * "Several cloud instances"): it is told of every local `emit` and `deliver`s what other instances
 * emitted.
 */
export interface BusEvents {
  /** Events stored by ingest: one committed batch of one tenant, `seq` its place in the commit log. */
  'events.ingested': { tenantId: string; seq: number; events: LiveEvent[] };
  /** Lines, machines, stations or areas of a tenant changed. */
  'masterdata.changed': { tenantId: string };
  /**
   * Someone's access ended or changed: a session signed out, a user deactivated or given other
   * roles or plants, an API key revoked, or a role's permissions changed ('everyone' of the tenant
   * who may hold it). Open live subscriptions it concerns re-check their caller.
   */
  'access.changed': { tenantId: string; of: AccessHolder | 'everyone' };
  /** Notifications were created for these users (docs/notifications.md): bells update, email goes out. */
  'notifications.created': { tenantId: string; userIds: string[] };
  /** A user marked notifications read: their other tabs' bells update. */
  'notifications.read': { tenantId: string; userId: string };
  /**
   * A verification of a tenant's audit chain found it broken (docs/audit.md, "Verifying"): entry
   * `firstBadSeq` is the first that does not check, `reason` says how. Emitted once the run is recorded.
   */
  /**
   * A workflow instance moved, or its votes, signatures or tasks changed (docs/workflows.md): record
   * pages and inboxes of the tenant look again.
   */
  'workflow.changed': { tenantId: string; instanceId: string; entityType: string; entityId: string };
  /** A delegation was given or revoked (docs/workflows.md, "Delegation"): its people's inboxes look again. */
  'workflow.delegations-changed': { tenantId: string; userIds: string[] };
  /**
   * A label print was queued for a printer of this plant (docs/labels.md, "Issuing and printing"):
   * the plant's edge, waiting in `logistics.printing.jobs`, claims it at once.
   */
  'labels.print-queued': { tenantId: string; plantId: string };
  /** A shipment was packed into, moved on or edited (docs/logistics.md): its live page and stations look again. */
  'shipments.changed': { tenantId: string; plantId: string; shipmentId: string };
  /**
   * A transfer between two plants was packed into, shipped, received or edited (docs/logistics.md,
   * "Transfers"): its live page and the stations of both plants look again.
   */
  'transfers.changed': { tenantId: string; fromPlantId: string; toPlantId: string; transferOrderId: string };
  'audit.verification-failed': {
    tenantId: string;
    trigger: 'schedule' | 'request';
    firstBadSeq: number;
    reason: string;
  };
}

/** Whose access changed: one session, one user (all their sessions) or one API key. */
export type AccessHolder = { sessionId: string } | { userId: string } | { apiKeyId: string };

export type BusEventName = keyof BusEvents;
type Handler<K extends BusEventName> = (payload: BusEvents[K]) => void;

export class EventBus {
  // Keyed by name; each set holds handlers of that name's payload type (on() and emit() agree on K).
  private readonly handlers = new Map<BusEventName, Set<Handler<never>>>();
  private readonly taps = new Set<(name: BusEventName, payload: BusEvents[BusEventName]) => void>();

  /** A failing listener must not stop the others, nor the producer. */
  constructor(private readonly onListenerError: (error: unknown, name: BusEventName) => void) {}

  /** Listens until the returned function is called. */
  on<K extends BusEventName>(name: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(name);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(name, set);
    }
    const handlers = set;
    handlers.add(handler as Handler<never>);
    return () => {
      handlers.delete(handler as Handler<never>);
    };
  }

  /** Publishes an effect of this instance: to its listeners and to whatever taps the bus (the relay). */
  emit<K extends BusEventName>(name: K, payload: BusEvents[K]): void {
    this.deliver(name, payload);
    for (const tap of this.taps) {
      try {
        tap(name, payload);
      } catch (error) {
        this.onListenerError(error, name);
      }
    }
  }

  /** Hands an effect another instance emitted to this instance's listeners only. */
  deliver<K extends BusEventName>(name: K, payload: BusEvents[K]): void {
    const set = this.handlers.get(name);
    if (set === undefined) return;
    for (const handler of set) {
      try {
        (handler as Handler<K>)(payload);
      } catch (error) {
        this.onListenerError(error, name);
      }
    }
  }

  /** Is told of every `emit` (not of `deliver`) until the returned function is called. */
  tap(listener: (name: BusEventName, payload: BusEvents[BusEventName]) => void): () => void {
    this.taps.add(listener);
    return () => {
      this.taps.delete(listener);
    };
  }

  listenerCount(name: BusEventName): number {
    return this.handlers.get(name)?.size ?? 0;
  }
}

/** Registers an effect to run once the procedure's transaction has committed (never on rollback). */
export type AfterCommit = (effect: () => void) => void;

/** Tells the running subscriptions of `of`, once the call has committed, that their access changed. */
export function announceAccessChange(
  ctx: { deps: { bus: EventBus }; principal: Principal; afterCommit: AfterCommit },
  of: AccessHolder | 'everyone',
): void {
  ctx.afterCommit(() => ctx.deps.bus.emit('access.changed', { tenantId: ctx.principal.tenantId, of }));
}
