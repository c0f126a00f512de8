import type {
  countPayload,
  EventEnvelope,
  scanPayload,
  statePayload,
  telemetryPayload,
} from '@plantline/schema';
import type { z } from 'zod';
import type { LiveEvent } from '../../platform/index.js';
import type { CountedParts } from '../materials/index.js';

/*
 * What a stored device event becomes after ingest (ingest.ts): the live event the bus carries, a scan
 * a station may answer, a count the ledger books (docs/device-integration.md, docs/materials.md).
 */

/** A scan event ingest stored (or had stored before), at the station that scanned. */
export interface IngestedScan {
  /** The event's position in the input. */
  index: number;
  eventId: string;
  plantId: string;
  /** The payload's station code, else the topic's machine code (docs/device-integration.md). */
  station: string;
  data: string;
  /** What the scan records (the payload's `action`, `scan` when not given), lower case. */
  action: string;
  /** The topic's machine; null while it is not in master data (the event is held). */
  machineId: string | null;
  /** When it was scanned (the event's time). */
  time: string;
  /** False for an event stored before, in an earlier call or earlier in this batch. */
  fresh: boolean;
}

export interface Resolved {
  index: number;
  event: EventEnvelope;
  plantId: string;
  lineId: string;
  machineId: string;
}

/** A scanner at a station names it in the payload, or publishes under the station's code as machine. */
export function scanOf(
  index: number,
  event: EventEnvelope,
  plantId: string,
  machineId: string | null,
  fresh: boolean,
): IngestedScan {
  const payload = event.payload as z.input<typeof scanPayload>;
  return {
    index,
    eventId: event.id,
    plantId,
    station: label(payload.station) ?? event.machine,
    data: payload.code,
    action: (label(payload.action) ?? 'scan').toLowerCase(),
    machineId,
    time: canonicalTime(event.ts),
    fresh,
  };
}

/** A count's good parts for the order it names; undefined when it names none or counts none good. */
/** A newly stored count of good parts for an order, as materials books it (docs/materials.md, "Counted production"). */
export function countOf(item: Resolved): CountedParts | undefined {
  const payload = item.event.payload as z.input<typeof countPayload>;
  const order = label(payload.order);
  const good = payload.good ?? 0;
  if (order === null || order === '' || good <= 0) return undefined;
  return {
    eventId: item.event.id,
    plantId: item.plantId,
    machineId: item.machineId,
    order,
    good,
    time: canonicalTime(item.event.ts),
  };
}

/*
 * The payloads were validated by eventEnvelope; its schemas fill defaults and trim labels only in the
 * payload's own parse output, which the envelope does not keep. Applying the same defaults here
 * avoids parsing every payload twice on the hot path.
 */
const label = (value: string | undefined) => (value === undefined ? null : value.trim());

export function dataOf(event: EventEnvelope): LiveEvent['data'] {
  switch (event.kind) {
    case 'state': {
      const p = event.payload as z.input<typeof statePayload>;
      return { state: p.state.trim(), reason: label(p.reason) };
    }
    case 'count': {
      const p = event.payload as z.input<typeof countPayload>;
      return { good: p.good ?? 0, scrap: p.scrap ?? 0, product: label(p.product), order: label(p.order) };
    }
    case 'scan': {
      const p = event.payload as z.input<typeof scanPayload>;
      return {
        code: p.code,
        symbology: p.symbology ?? 'qr',
        action: label(p.action) ?? 'scan',
        station: label(p.station),
      };
    }
    case 'telemetry':
      return { values: (event.payload as z.input<typeof telemetryPayload>).values };
  }
}

export function toLiveEvent(item: Resolved): LiveEvent {
  return {
    id: item.event.id,
    kind: item.event.kind,
    plantId: item.plantId,
    lineId: item.lineId,
    machineId: item.machineId,
    time: canonicalTime(item.event.ts),
    receivedAt: canonicalTime(item.event.receivedAt),
    data: dataOf(item.event),
  } as LiveEvent;
}

/** ISO 8601 in UTC with milliseconds, as the database returns it on replay; the edge sends this form. */
export function canonicalTime(iso: string): string {
  return iso.length === 24 && iso.endsWith('Z') ? iso : new Date(iso).toISOString();
}
