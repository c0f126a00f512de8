import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, everyTenantId, rows } from '../../db/index.js';
import type { BusEventName, BusEvents, EventBus } from '../../platform/index.js';
import { readCommit } from './log.js';

/*
 * Several cloud instances over one PostgreSQL server (docs/architecture.md, "Several cloud
 * instances"): each instance's bus effects reach the others through LISTEN/NOTIFY on one channel.
 *
 * - Every `emit` on this instance's bus is sent as a notice naming this instance; notices from other
 *   instances are `deliver`ed to this bus, so live pages, the live KPI hubs and subscriptions that
 *   re-check access hear them as if they were local.
 * - A stored batch is sent as its tenant and commit seq only (a notice carries under 8 000 bytes): the
 *   receiving instance reads the commit's events from the commit log and delivers them once. Notices
 *   of two instances interleave, so commits may arrive out of seq order; events.live puts them back
 *   in order and reads a missing one from the log (live.ts), and the live KPI state takes events of
 *   any age (live-state.ts).
 * - When the listening connection comes back after being lost, what was sent meanwhile was not
 *   heard: every tenant's latest commit is delivered if it is newer, and "master data changed" and
 *   "access changed" for everyone, so KPI hubs reload and live subscriptions re-check their caller.
 * The embedded engine is one process: no relay.
 */

const CHANNEL = 'plantline_bus';
/** PostgreSQL refuses notice payloads of 8 000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_900;
/** Commit seqs remembered per tenant, to deliver each once. */
const REMEMBERED_SEQS = 2_000;
/** Payloads split across notices by their user list when they would be too long. */
const USER_CHUNK = 100;

interface Notice {
  from: string;
  name: BusEventName;
  payload: unknown;
}

export interface BusRelay {
  /** Resolves once listening. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export function startBusRelay(deps: { db: Database; bus: EventBus; log: Logger }): BusRelay | null {
  const { db, bus } = deps;
  const listen = db.listen;
  if (listen === undefined) return null;
  const log = deps.log.child({ module: 'bus-relay' });
  const instance = randomUUID();
  /** Per tenant, the commit seqs this instance's bus has had lately, emitted or delivered. */
  const heard = new Map<string, Set<number>>();
  /** Per tenant, the highest of them: what a catch-up compares the log's end with. */
  const latest = new Map<string, number>();
  /** false when the commit was heard already. */
  const remember = (tenantId: string, seq: number): boolean => {
    const seqs = heard.get(tenantId) ?? new Set<number>();
    heard.set(tenantId, seqs);
    if (seqs.has(seq)) return false;
    seqs.add(seq);
    if (seqs.size > REMEMBERED_SEQS) seqs.delete(seqs.values().next().value as number);
    latest.set(tenantId, Math.max(latest.get(tenantId) ?? 0, seq));
    return true;
  };
  let connections = 0;
  let outgoing = Promise.resolve();
  let incoming = Promise.resolve();
  const inOrder = (work: () => Promise<void>, what: string) => {
    incoming = incoming.then(work).catch((error) => log.warn({ err: error }, `relay could not ${what}`));
  };

  const send = (notice: Notice) => {
    const text = JSON.stringify(notice);
    if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
      log.error({ event: notice.name, bytes: Buffer.byteLength(text) }, 'bus effect too large to relay');
      return;
    }
    // One at a time, so this instance's notices leave in the order its bus emitted them.
    outgoing = outgoing
      .then(() => db.transact(null, (tx) => tx.execute(sql`select pg_notify(${CHANNEL}, ${text})`)))
      .then(() => undefined)
      .catch((error) => log.warn({ err: error, event: notice.name }, 'relay could not send a bus effect'));
  };

  const untap = bus.tap((name, payload) => {
    if (name === 'events.ingested') {
      const { tenantId, seq } = payload as BusEvents['events.ingested'];
      remember(tenantId, seq);
      send({ from: instance, name, payload: { tenantId, seq } });
      return;
    }
    for (const part of split(payload)) send({ from: instance, name, payload: part });
  });

  /** Delivers a commit another instance made, read from the log, unless it was heard already. */
  const deliverCommit = async (tenantId: string, seq: number) => {
    if (!remember(tenantId, seq) || bus.listenerCount('events.ingested') === 0) return;
    const events = await db.transact({ tenantId, plantIds: 'all' }, (tx) => readCommit(tx, tenantId, seq));
    if (events !== null) bus.deliver('events.ingested', { tenantId, seq, events });
  };

  const received = (text: string) => {
    let notice: Notice;
    try {
      notice = JSON.parse(text) as Notice;
    } catch {
      log.warn({ text: text.slice(0, 200) }, 'ignored a notice that is not JSON');
      return;
    }
    if (notice.from === instance) return;
    if (notice.name === 'events.ingested') {
      const { tenantId, seq } = notice.payload as { tenantId: string; seq: number };
      inOrder(() => deliverCommit(tenantId, seq), 'read a commit');
      return;
    }
    // In the same queue, so an effect is never delivered before a commit that was sent earlier.
    inOrder(async () => bus.deliver(notice.name, notice.payload as never), 'deliver a bus effect');
  };

  /** After a lost connection: what may have been missed meanwhile, tenant by tenant. */
  const catchUp = async () => {
    for (const tenantId of await everyTenantId(db)) {
      const [stream] = await db.transact({ tenantId, plantIds: 'all' }, (tx) =>
        rows<{ last_seq: string | number }>(tx, sql`select last_seq from event_streams`),
      );
      const last = Number(stream?.last_seq ?? 0);
      if (last > (latest.get(tenantId) ?? 0)) await deliverCommit(tenantId, last);
      bus.deliver('masterdata.changed', { tenantId });
      bus.deliver('access.changed', { tenantId, of: 'everyone' });
    }
  };

  const listening = listen(CHANNEL, {
    notice: received,
    connected: () => {
      connections += 1;
      if (connections > 1) inOrder(catchUp, 'catch up after a lost connection');
    },
  });
  const ready = listening.then(() => undefined);
  // Awaited by whoever starts the app; never an unhandled rejection if not.
  ready.catch((error) => log.error({ err: error }, 'the bus relay could not listen'));
  return {
    ready,
    stop: async () => {
      untap();
      const stopListening = await listening.catch(() => null);
      await stopListening?.();
      await outgoing;
      await incoming;
    },
  };
}

/** A payload whose user list makes it too long for one notice, as several with parts of the list. */
function split(payload: unknown): unknown[] {
  const users = (payload as { userIds?: unknown }).userIds;
  if (!Array.isArray(users) || users.length <= USER_CHUNK) return [payload];
  const parts: unknown[] = [];
  for (let i = 0; i < users.length; i += USER_CHUNK)
    parts.push({ ...(payload as object), userIds: users.slice(i, i + USER_CHUNK) });
  return parts;
}
