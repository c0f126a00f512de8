import { tracked } from '@trpc/server';
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import { DomainError } from '../../trpc/errors.js';
import { canSeePlant, type Principal, scopeOf } from '../../trpc/principal.js';
import type { EventBus } from './bus.js';
import type { LiveEvent } from './live-event.js';

export interface LiveFilter {
  plantIds?: readonly string[] | undefined;
  lineIds?: readonly string[] | undefined;
  machineIds?: readonly string[] | undefined;
  /** The last event the client received; the stream first replays what was stored after it. */
  lastEventId?: string | null | undefined;
}

/** Stored events read per query while replaying. */
const REPLAY_PAGE = 1000;
/** A subscriber this far behind the live events is cut off; it resumes from its last event id. */
const MAX_QUEUED = 20_000;

function matches(principal: Principal, filter: LiveFilter, event: LiveEvent): boolean {
  return (
    canSeePlant(principal, event.plantId) &&
    (filter.plantIds === undefined || filter.plantIds.includes(event.plantId)) &&
    (filter.lineIds === undefined || filter.lineIds.includes(event.lineId)) &&
    (filter.machineIds === undefined || filter.machineIds.includes(event.machineId))
  );
}

/**
 * The live stream of stored events (issue 3 §6). Each event is sent with tracked(id), so a client
 * that reconnects passes the last id it saw and gets what it missed, then the live events: the bus is
 * listened to *before* the stored events are read, and ids already replayed are skipped when they
 * also arrive live — no gap, no double. UUIDv7 ids sort by the time the edge first saw the event.
 */
export async function* liveEvents(
  deps: { db: Database; bus: EventBus },
  principal: Principal,
  filter: LiveFilter,
  signal: AbortSignal | undefined,
) {
  const queue: LiveEvent[] = [];
  let overflowed = false;
  let wake: (() => void) | null = null;
  const stop = deps.bus.on('events.ingested', ({ tenantId, events }) => {
    if (tenantId !== principal.tenantId || overflowed) return;
    for (const event of events) if (matches(principal, filter, event)) queue.push(event);
    if (queue.length > MAX_QUEUED) {
      overflowed = true;
      queue.length = 0;
    }
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    const replayed = new Set<string>();
    let cursor = filter.lastEventId ?? null;
    while (cursor !== null && !signal?.aborted) {
      const after: string = cursor;
      const page = await deps.db.transact(scopeOf(principal), (tx) =>
        storedAfter(tx, principal.tenantId, filter, after, REPLAY_PAGE),
      );
      for (const event of page) {
        replayed.add(event.id);
        yield tracked(event.id, event);
      }
      cursor = page.length < REPLAY_PAGE ? null : (page.at(-1)?.id ?? null);
    }
    while (!signal?.aborted) {
      if (overflowed) {
        throw new DomainError('throttled', 'The live stream fell behind; resubscribe with the last event id');
      }
      if (queue.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      for (const event of queue.splice(0)) {
        if (replayed.has(event.id)) continue;
        yield tracked(event.id, event);
      }
    }
  } finally {
    stop();
    signal?.removeEventListener('abort', onAbort);
  }
}

interface StoredRow {
  id: string;
  kind: LiveEvent['kind'];
  plant_id: string;
  line_id: string;
  machine_id: string;
  time: Date | string;
  received_at: Date | string;
  data: LiveEvent['data'];
}

/** Stored events after an id, in id order, across the event tables; RLS limits them to the caller's plants. */
export async function storedAfter(
  tx: Sql,
  tenantId: string,
  filter: LiveFilter,
  afterId: string,
  limit: number,
): Promise<LiveEvent[]> {
  const where = (extra: SQL = sql``) => {
    const parts = [sql`tenant_id = ${tenantId}::uuid`, sql`event_id > ${afterId}::uuid`];
    if (filter.plantIds !== undefined) parts.push(sql`plant_id = any(${sql.param(filter.plantIds)}::uuid[])`);
    if (filter.lineIds !== undefined) parts.push(sql`line_id = any(${sql.param(filter.lineIds)}::uuid[])`);
    if (filter.machineIds !== undefined)
      parts.push(sql`machine_id = any(${sql.param(filter.machineIds)}::uuid[])`);
    return sql`where ${sql.join(parts, sql` and `)} ${extra}`;
  };
  const common = sql`event_id::text as id, plant_id, line_id, machine_id`;
  const found = await rows<StoredRow>(
    tx,
    sql`select * from (
      (select ${common}, 'state' as kind, time, received_at,
              jsonb_build_object('state', state, 'reason', reason) as data
         from machine_state_events ${where()} order by event_id limit ${limit})
      union all
      (select ${common}, 'count', time, received_at,
              jsonb_build_object('good', good, 'scrap', scrap, 'product', product_code, 'order', order_code)
         from production_counts ${where()} order by event_id limit ${limit})
      union all
      (select ${common}, 'scan', time, received_at,
              jsonb_build_object('code', code, 'symbology', symbology, 'action', action, 'station', station_code)
         from qr_code_scans ${where()} order by event_id limit ${limit})
      union all
      (select ${common}, 'telemetry', min(time), min(received_at),
              jsonb_build_object('values', jsonb_object_agg(name, value))
         from sensor_readings ${where(sql`group by event_id, plant_id, line_id, machine_id`)}
         order by event_id limit ${limit})
    ) e order by id limit ${limit}`,
  );
  return found.map(
    (r) =>
      ({
        id: r.id,
        kind: r.kind,
        plantId: r.plant_id,
        lineId: r.line_id,
        machineId: r.machine_id,
        time: new Date(r.time).toISOString(),
        receivedAt: new Date(r.received_at).toISOString(),
        data: r.data,
      }) as LiveEvent,
  );
}
