import {
  type EventEnvelope,
  type EventKind,
  eventEnvelope,
  eventKinds,
  type IngestResult,
  quickEnvelope,
} from '@plantline/schema';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import type { LiveEvent, LiveEventData } from '../../platform/index.js';
import type { CountedParts } from '../materials/index.js';
import type { ResolvedCodes } from './codes.js';
import { recordCommit } from './commit-log.js';
import { writeIsolating } from './isolate.js';
import { countOf, dataOf, type IngestedScan, type Resolved, scanOf, toLiveEvent } from './stored-event.js';

export type { IngestedScan } from './stored-event.js';

/** Who is writing: the tenant and the plants in reach (an edge key's plants). */
export interface IngestCaller {
  tenantId: string;
  plantIds: readonly string[] | 'all';
}

export interface IngestOutcome {
  /** One per input event, in input order. */
  results: IngestResult[];
  /** Events newly stored in the event tables, for the live bus once the transaction commits. */
  stored: LiveEvent[];
  /** Their place in the tenant's commit log (null when nothing was stored). */
  commitSeq: number | null;
  /** Input positions held in unassigned_events (accepted, but not yet in the event tables). */
  held: ReadonlySet<number>;
  /** Every scan event stored now or before, in input order: what a station may have to answer. */
  scans: IngestedScan[];
  /** Count events stored now that name an order and count good parts: what the ledger books. */
  counts: CountedParts[];
}

interface Held {
  index: number;
  event: EventEnvelope;
  plantId: string;
  reason: string;
}

/*
 * How far ahead of the cloud's clock an event's time may be. The edge already bounds device times
 * to 5 minutes ahead of its own clock (DEFAULT_SKEW_BOUND); an hour more tolerates an edge whose
 * clock drifted while it lost its time source. Anything further is a wrong clock, and storing it
 * would keep it on top of "recent events" until real time caught up; the edge keeps it as a dead
 * letter instead.
 */
export const MAX_AHEAD_OF_CLOUD_MS = 3_600_000;

/**
 * The ingest path (docs/device-integration.md): validate each event on its own, resolve its codes,
 * write each kind in one set-based statement, idempotent by event id. Runs inside the caller's
 * scoped transaction, so the policies' WITH CHECK refuses a foreign plant even if a check here were
 * wrong. One event never fails the batch: whatever refuses it — the contract, the time bound, or
 * the database for one of its rows — makes it `rejected` with the reason, and the events around it
 * are stored.
 */
export async function ingestEvents(
  tx: Sql,
  caller: IngestCaller,
  codes: ResolvedCodes,
  events: readonly unknown[],
  now = Date.now(),
): Promise<IngestOutcome> {
  const results: IngestResult[] = new Array(events.length);
  const seen = new Set<string>();
  const held: Held[] = [];
  const stored: { index: number; event: LiveEvent; ts: string }[] = [];
  const byKind: Record<EventKind, Resolved[]> = { state: [], count: [], scan: [], telemetry: [] };
  const scans: IngestedScan[] = [];
  const counts: CountedParts[] = [];
  for (let index = 0; index < events.length; index++) {
    const raw = events[index];
    // The quick check proves the usual event valid at a fraction of zod's cost; zod decides the rest.
    let event = quickEnvelope(raw);
    if (event === undefined) {
      const parsed = eventEnvelope.safeParse(raw);
      if (!parsed.success) {
        results[index] = { id: rawId(raw), status: 'rejected', reason: describeIssues(parsed.error) };
        continue;
      }
      event = parsed.data as EventEnvelope;
    }
    const early = tooFarAhead(event, now);
    if (early !== undefined) {
      results[index] = { id: event.id, status: 'rejected', reason: early };
      continue;
    }
    const plantId = codes.plants.get(event.plant);
    // An unknown code and a plant of another key read the same: the key learns nothing beyond its plants.
    if (plantId === undefined || (caller.plantIds !== 'all' && !caller.plantIds.includes(plantId))) {
      results[index] = {
        id: event.id,
        status: 'rejected',
        reason: `plant ${event.plant} is not in this API key's plants`,
      };
      continue;
    }
    if (seen.has(event.id)) {
      results[index] = { id: event.id, status: 'duplicate' };
      if (event.kind === 'scan') scans.push(scanOf(index, event, plantId, null, false));
      continue;
    }
    seen.add(event.id);
    const lineId = codes.lines.get(`${plantId}/${event.line}`);
    const machineId = lineId === undefined ? undefined : codes.machines.get(`${lineId}/${event.machine}`);
    if (lineId === undefined || machineId === undefined) {
      const what =
        lineId === undefined
          ? `line ${event.plant}/${event.line}`
          : `machine ${event.plant}/${event.line}/${event.machine}`;
      held.push({ index, event, plantId, reason: `${what} is not in master data` });
      continue;
    }
    byKind[event.kind].push({ index, event, plantId, lineId, machineId });
  }
  for (const kind of eventKinds) {
    const batch = byKind[kind];
    if (batch.length === 0) continue;
    const { written, refused } = await writeIsolating(tx, batch, (sp, part) =>
      insertKind(sp, caller.tenantId, kind, part),
    );
    const inserted = new Set(written);
    const refusedIds = rejectRefused(results, refused);
    for (const item of batch) {
      if (refusedIds.has(item.event.id)) continue;
      const fresh = inserted.has(item.event.id);
      if (fresh) {
        results[item.index] = { id: item.event.id, status: 'accepted' };
        stored.push({ index: item.index, event: toLiveEvent(item), ts: item.event.ts });
      } else {
        results[item.index] = { id: item.event.id, status: 'duplicate' };
      }
      if (kind === 'scan') scans.push(scanOf(item.index, item.event, item.plantId, item.machineId, fresh));
      if (kind === 'count' && fresh) {
        const counted = countOf(item);
        if (counted !== undefined) counts.push(counted);
      }
    }
  }

  if (held.length > 0) {
    const { written, refused } = await writeIsolating(tx, held, (sp, part) =>
      holdUnassigned(sp, caller.tenantId, part),
    );
    const newlyHeld = new Set(written);
    const refusedIds = rejectRefused(results, refused);
    for (const item of held) {
      if (refusedIds.has(item.event.id)) continue;
      if (item.event.kind === 'scan')
        scans.push(scanOf(item.index, item.event, item.plantId, null, newlyHeld.has(item.event.id)));
      results[item.index] = newlyHeld.has(item.event.id)
        ? {
            id: item.event.id,
            status: 'accepted',
            reason: `held as unassigned: ${item.reason}; released once an administrator adds it`,
          }
        : { id: item.event.id, status: 'duplicate' };
    }
  }
  // In input order (the edge's order per machine), not grouped by kind, for the live stream.
  stored.sort((a, b) => a.index - b.index);
  const commitSeq =
    stored.length === 0
      ? null
      : await recordCommit(
          tx,
          caller.tenantId,
          // The stored time as sent (not the ms-rounded live form): a replay finds the row by it.
          stored.map(({ event, ts }) => ({ id: event.id, time: ts, kind: event.kind })),
        );
  scans.sort((a, b) => a.index - b.index);
  return {
    results,
    stored: stored.map((s) => s.event),
    scans,
    counts,
    commitSeq,
    held: new Set(held.filter((h) => results[h.index]?.status !== 'rejected').map((h) => h.index)),
  };
}

function tooFarAhead(event: EventEnvelope, now: number): string | undefined {
  for (const field of ['ts', 'receivedAt'] as const) {
    if (Date.parse(event[field]) - now > MAX_AHEAD_OF_CLOUD_MS)
      return `${field} is more than ${MAX_AHEAD_OF_CLOUD_MS / 3_600_000} hour ahead of the cloud's clock`;
  }
  return undefined;
}

/** Marks the events whose rows the database refused as rejected; returns their ids. */
function rejectRefused(
  results: IngestResult[],
  refused: readonly { item: { index: number; event: EventEnvelope }; reason: string }[],
): Set<string> {
  for (const { item, reason } of refused)
    results[item.index] = { id: item.event.id, status: 'rejected', reason };
  return new Set(refused.map(({ item }) => item.event.id));
}

function rawId(raw: unknown): string | null {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.length <= 64 ? id : null;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '') + issue.message)
    .join('; ');
}

/** sql.param binds a whole array as one parameter; a bare array would expand into a row. */
const arr = (values: readonly unknown[]) => sql.param(values);

/** Where each kind is stored, and its own columns in the key order of LiveEventData[kind]. */
const targets = {
  state: {
    table: 'machine_state_events',
    columns: [
      ['state', 'text'],
      ['reason', 'text'],
    ],
  },
  count: {
    table: 'production_counts',
    columns: [
      ['good', 'int4'],
      ['scrap', 'int4'],
      ['product_code', 'text'],
      ['order_code', 'text'],
    ],
  },
  scan: {
    table: 'qr_code_scans',
    columns: [
      ['code', 'text'],
      ['symbology', 'text'],
      ['action', 'text'],
      ['station_code', 'text'],
    ],
  },
  telemetry: {
    table: 'sensor_readings',
    columns: [
      ['name', 'text'],
      ['value', 'float8'],
    ],
  },
} as const satisfies Record<EventKind, { table: string; columns: readonly (readonly [string, string])[] }>;

/**
 * One INSERT … SELECT FROM unnest(…) per kind: a fixed statement whatever the batch size, and
 * 2–3× faster than multi-row VALUES on a PostgreSQL server (`pnpm bench ingest`). ON CONFLICT DO
 * NOTHING on the event-id unique index makes a resent event a no-op; RETURNING tells which ids were
 * new.
 */
async function insertKind(
  tx: Sql,
  tenantId: string,
  kind: EventKind,
  batch: readonly Resolved[],
): Promise<string[]> {
  const target = targets[kind];
  const columns: [name: string, type: string, values: unknown[]][] = [
    ['time', 'timestamptz', []],
    ['plant_id', 'uuid', []],
    ['line_id', 'uuid', []],
    ['machine_id', 'uuid', []],
    ['event_id', 'uuid', []],
    ['received_at', 'timestamptz', []],
    ['device_time', 'timestamptz', []],
    ...target.columns.map(([name, type]): [string, string, unknown[]] => [name, type, []]),
  ];
  const row = (item: Resolved, own: readonly unknown[]) => {
    const { event } = item;
    const values = [
      event.ts,
      item.plantId,
      item.lineId,
      item.machineId,
      event.id,
      event.receivedAt,
      event.deviceTs ?? null,
      ...own,
    ];
    for (let i = 0; i < columns.length; i++) columns[i]![2].push(values[i]);
  };
  for (const item of batch) {
    const data = dataOf(item.event);
    if (kind === 'telemetry') {
      // One row per value, all sharing the message's event id.
      for (const reading of Object.entries((data as LiveEventData['telemetry']).values)) row(item, reading);
    } else row(item, Object.values(data));
  }
  // Devices with a sane clock leave device_time empty; an all-null array is not worth sending.
  const sent = columns.filter(([name, , values]) => name !== 'device_time' || values.some((v) => v !== null));
  const inserted = await rows<{ event_id: string }>(
    tx,
    sql`insert into ${sql.identifier(target.table)} (tenant_id, ${sql.raw(sent.map(([name]) => name).join(', '))})
        select ${tenantId}::uuid, u.* from unnest(${sql.join(
          sent.map(([, type, values]) => sql`${sql.param(values)}::${sql.raw(type)}[]`),
          sql`, `,
        )}) as u
        on conflict do nothing
        returning event_id`,
  );
  return inserted.map((r) => r.event_id);
}

/** Events of unknown lines or machines: kept whole, never dropped (docs/device-integration.md). */
async function holdUnassigned(tx: Sql, tenantId: string, held: readonly Held[]): Promise<string[]> {
  const inserted = await rows<{ event_id: string }>(
    tx,
    sql`insert into unassigned_events (tenant_id, plant_id, event_id, line_code, machine_code, kind, time, envelope, reason)
        select ${tenantId}::uuid, u.plant_id, u.event_id, u.line_code, u.machine_code, u.kind, u.time, u.envelope::jsonb, u.reason
        from unnest(${arr(held.map((h) => h.plantId))}::uuid[], ${arr(held.map((h) => h.event.id))}::uuid[],
                    ${arr(held.map((h) => h.event.line))}::text[], ${arr(held.map((h) => h.event.machine))}::text[],
                    ${arr(held.map((h) => h.event.kind))}::text[], ${arr(held.map((h) => h.event.ts))}::timestamptz[],
                    ${arr(held.map((h) => JSON.stringify(h.event)))}::text[], ${arr(held.map((h) => h.reason))}::text[])
          as u(plant_id, event_id, line_code, machine_code, kind, time, envelope, reason)
        on conflict do nothing
        returning event_id`,
  );
  return inserted.map((r) => r.event_id);
}
