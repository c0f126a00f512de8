import { type SQL, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import type { LiveEvent } from '../../platform/index.js';
import type { LiveCursor } from './cursor.js';

export interface LiveFilter {
  kinds?: readonly LiveEvent['kind'][] | undefined;
  plantIds?: readonly string[] | undefined;
  lineIds?: readonly string[] | undefined;
  machineIds?: readonly string[] | undefined;
}

export interface LogPage {
  /** The events of the page that pass the filter and the caller's row-level security, in log order. */
  events: LiveEvent[];
  /** How many log entries the page covered (fewer than asked: the end of the log). */
  entries: number;
  /** The page's last entry, matched or not: where the next page starts. */
  end: LiveCursor;
  /** The last entry that was sent, if any. */
  lastMatch: LiveCursor | null;
}

interface EntryRow {
  seq: string | number;
  position: number;
  event_id: string;
  time: string;
  kind: LiveEvent['kind'];
}

interface EventRow {
  seq: string | number;
  id: string;
  position: number;
  kind: LiveEvent['kind'];
  plant_id: string;
  line_id: string;
  machine_id: string;
  time: Date | string;
  received_at: Date | string;
  data: LiveEvent['data'];
}

/**
 * Reads the commit log after a cursor (schema: event_commits): first the entries, in commit order,
 * then the events they name from the four event tables, reached by their (tenant_id, event_id, time)
 * unique index. The event tables' plant policies decide what the caller sees.
 */
export async function readLog(
  tx: Sql,
  tenantId: string,
  filter: LiveFilter,
  after: LiveCursor,
  limit: number,
): Promise<LogPage> {
  // time::text keeps the stored microseconds, so the join below matches exactly.
  const entries = await rows<EntryRow>(
    tx,
    sql`select c.seq, u.position::int as position, u.event_id::text as event_id, u.time::text as time, u.kind
          from event_commits c
          cross join lateral unnest(c.event_ids, c.times, c.kinds) with ordinality as u(event_id, time, kind, position)
         where c.tenant_id = ${tenantId}::uuid and c.seq >= ${after.seq}
           and (c.seq > ${after.seq} or u.position > ${after.position})
         order by c.seq, u.position
         limit ${limit}`,
  );
  const last = entries.at(-1);
  if (last === undefined) return { events: [], entries: 0, end: after, lastMatch: null };
  const found = await rows<EventRow>(tx, eventsOf(tenantId, filter, entries));
  const events = found.map(toLiveEvent);
  const lastFound = found.at(-1);
  return {
    events,
    entries: entries.length,
    end: { seq: Number(last.seq), position: last.position },
    lastMatch: lastFound === undefined ? null : { seq: Number(lastFound.seq), position: lastFound.position },
  };
}

/**
 * The events of one commit of the log, in their order, or null when the log no longer holds it
 * (pruned). Read by the bus relay for a commit another cloud instance made (bus-relay.ts).
 */
export async function readCommit(tx: Sql, tenantId: string, seq: number): Promise<LiveEvent[] | null> {
  const entries = await rows<EntryRow>(
    tx,
    sql`select c.seq, u.position::int as position, u.event_id::text as event_id, u.time::text as time, u.kind
          from event_commits c
          cross join lateral unnest(c.event_ids, c.times, c.kinds) with ordinality as u(event_id, time, kind, position)
         where c.tenant_id = ${tenantId}::uuid and c.seq = ${seq}
         order by u.position`,
  );
  if (entries.length === 0) return null;
  return (await rows<EventRow>(tx, eventsOf(tenantId, {}, entries))).map(toLiveEvent);
}

function eventsOf(tenantId: string, filter: LiveFilter, entries: EntryRow[]): SQL {
  const column = <K extends keyof EntryRow>(key: K) => sql.param(entries.map((e) => e[key]));
  const where = (kind: LiveEvent['kind']) => {
    // A kind the filter leaves out is not read at all.
    if (filter.kinds !== undefined && !filter.kinds.includes(kind)) return sql`false`;
    const parts = [sql`en.kind = ${kind}`];
    if (filter.plantIds !== undefined)
      parts.push(sql`t.plant_id = any(${sql.param(filter.plantIds)}::uuid[])`);
    if (filter.lineIds !== undefined) parts.push(sql`t.line_id = any(${sql.param(filter.lineIds)}::uuid[])`);
    if (filter.machineIds !== undefined)
      parts.push(sql`t.machine_id = any(${sql.param(filter.machineIds)}::uuid[])`);
    return sql.join(parts, sql` and `);
  };
  const join = (table: string) =>
    sql`join ${sql.identifier(table)} t
          on t.tenant_id = ${tenantId}::uuid and t.event_id = en.event_id and t.time = en.time`;
  const common = sql`en.seq, en.position, en.kind, t.event_id::text as id, t.plant_id, t.line_id, t.machine_id`;
  return sql`with en as (
      select * from unnest(${column('seq')}::bigint[], ${column('position')}::int[], ${column('event_id')}::uuid[],
                           ${column('time')}::timestamptz[], ${column('kind')}::text[])
        as en(seq, position, event_id, time, kind)
    )
    select * from (
      select ${common}, t.time, t.received_at, jsonb_build_object('state', t.state, 'reason', t.reason) as data
        from en ${join('machine_state_events')} where ${where('state')}
      union all
      select ${common}, t.time, t.received_at,
             jsonb_build_object('good', t.good, 'scrap', t.scrap, 'product', t.product_code, 'order', t.order_code)
        from en ${join('production_counts')} where ${where('count')}
      union all
      select ${common}, t.time, t.received_at,
             jsonb_build_object('code', t.code, 'symbology', t.symbology, 'action', t.action, 'station', t.station_code)
        from en ${join('qr_code_scans')} where ${where('scan')}
      union all
      select ${common}, min(t.time), min(t.received_at), jsonb_build_object('values', jsonb_object_agg(t.name, t.value))
        from en ${join('sensor_readings')} where ${where('telemetry')}
       group by en.seq, en.position, en.kind, t.event_id, t.plant_id, t.line_id, t.machine_id
    ) e order by seq, position`;
}

function toLiveEvent(r: EventRow): LiveEvent {
  return {
    id: r.id,
    kind: r.kind,
    plantId: r.plant_id,
    lineId: r.line_id,
    machineId: r.machine_id,
    time: new Date(r.time).toISOString(),
    receivedAt: new Date(r.received_at).toISOString(),
    data: r.data,
  } as LiveEvent;
}
