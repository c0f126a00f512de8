import { type EventKind, eventKinds } from '@plantline/schema';
import { type SQL, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import { DomainError, type LiveEvent } from '../../platform/index.js';
import type { LiveFilter } from './log.js';

export interface RecentInput extends LiveFilter {
  /** The `next` of the previous page. */
  before?: string | undefined;
  limit: number;
}

interface RecentRow {
  id: string;
  kind: EventKind;
  plant_id: string;
  line_id: string;
  machine_id: string;
  time: Date | string;
  time_key: string;
  received_at: Date | string;
  data: LiveEvent['data'];
}

/** Page cursor: the last row's exact stored time and id (rows with equal times are ordered by id). */
const encode = (row: RecentRow) => Buffer.from(JSON.stringify([row.time_key, row.id])).toString('base64url');

function decode(cursor: string): { time: string; id: string } {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof time === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { time, id };
  } catch {}
  throw new DomainError('invalid', 'Not a page cursor of events.recent');
}

/**
 * Stored events, newest first, across the event tables (for the events page and a machine's recent
 * events). Each table is read through its (machine_id, time) index or by time, limited, then merged;
 * row-level security confines the rows to the caller's plants.
 */
export async function recentEvents(tx: Sql, tenantId: string, input: RecentInput) {
  const before = input.before === undefined ? null : decode(input.before);
  const kinds = input.kinds ?? eventKinds;
  const where = (): SQL => {
    const parts = [sql`tenant_id = ${tenantId}::uuid`];
    if (input.plantIds !== undefined) parts.push(sql`plant_id = any(${sql.param(input.plantIds)}::uuid[])`);
    if (input.lineIds !== undefined) parts.push(sql`line_id = any(${sql.param(input.lineIds)}::uuid[])`);
    if (input.machineIds !== undefined)
      parts.push(sql`machine_id = any(${sql.param(input.machineIds)}::uuid[])`);
    if (before !== null)
      parts.push(sql`(time, event_id) < (${before.time}::timestamptz, ${before.id}::uuid)`);
    return sql.join(parts, sql` and `);
  };
  const common = sql`event_id::text as id, plant_id, line_id, machine_id, time, time::text as time_key, received_at`;
  const limit = input.limit + 1;
  const parts: Record<EventKind, SQL> = {
    state: sql`(select ${common}, 'state' as kind, jsonb_build_object('state', state, 'reason', reason) as data
                  from machine_state_events where ${where()} order by time desc, event_id desc limit ${limit})`,
    count: sql`(select ${common}, 'count' as kind,
                       jsonb_build_object('good', good, 'scrap', scrap, 'product', product_code, 'order', order_code) as data
                  from production_counts where ${where()} order by time desc, event_id desc limit ${limit})`,
    scan: sql`(select ${common}, 'scan' as kind,
                      jsonb_build_object('code', code, 'symbology', symbology, 'action', action, 'station', station_code) as data
                 from qr_code_scans where ${where()} order by time desc, event_id desc limit ${limit})`,
    telemetry: sql`(select event_id::text as id, plant_id, line_id, machine_id, time, time::text as time_key, min(received_at) as received_at, 'telemetry' as kind,
                           jsonb_build_object('values', jsonb_object_agg(name, value)) as data
                      from sensor_readings where ${where()}
                     group by event_id, plant_id, line_id, machine_id, time
                     order by time desc, event_id desc limit ${limit})`,
  };
  const found = await rows<RecentRow>(
    tx,
    sql`select * from (${sql.join(
      kinds.map((kind) => parts[kind]),
      sql` union all `,
    )}) e order by time desc, id desc limit ${limit}`,
  );
  const page = found.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(
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
    ),
    next: found.length > input.limit && last !== undefined ? encode(last) : null,
  };
}
