import { z } from 'zod';
import { type PayloadByKind, payloadSchemas } from './payloads.js';
import type { StationAnswer } from './station-answers.js';
import { isoInstant } from './timestamps.js';
import { CODE_PATTERN, type EventKind, eventKinds } from './topics.js';

/*
 * What the edge sends the cloud: each accepted device message wrapped with the id the edge gave it
 * when it first saw it (a UUIDv7, so ids sort by time) and the resolved time. At-least-once delivery
 * plus an insert that is idempotent by id gives exactly-once effect. Idempotent means:
 * stored once per tenant, kind, id and ts (telemetry: and value name), and an id seen earlier in the
 * same batch is a duplicate; the same id with another ts or kind in a later batch is another event
 * (docs/device-integration.md, "Idempotent by event id"; pinned in
 * cloud/src/modules/ingest/ingest.test.ts).
 */
const code = z.string().regex(CODE_PATTERN);

export const eventEnvelope = z
  .strictObject({
    id: z.uuid({ version: 'v7' }),
    plant: code,
    line: code,
    machine: code,
    kind: z.enum(eventKinds),
    /** When the event happened: the device's time, or the edge's receive time (see ts policy). */
    ts: isoInstant(),
    /** When the edge received it. */
    receivedAt: isoInstant(),
    /** Set when the device sent a time outside the skew bound and the receive time was used. */
    deviceTs: isoInstant().optional(),
    payload: z.unknown(),
  })
  .superRefine((event, ctx) => {
    const parsed = payloadSchemas[event.kind].safeParse(event.payload);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        path: ['payload'],
        message: parsed.error.issues.map((i) => i.message).join('; '),
      });
    }
  });

export type EventEnvelope<K extends EventKind = EventKind> = {
  [Kind in K]: Omit<z.output<typeof eventEnvelope>, 'kind' | 'payload'> & {
    kind: Kind;
    payload: PayloadByKind[Kind];
  };
}[K];

/** The largest batch the cloud accepts in one call; the edge adapts its batches below it. */
export const MAX_BATCH_EVENTS = 5000;

/** The ingest call's input. Each event is validated on its own, so one bad event rejects only itself. */
export const ingestBatch = z.strictObject({
  events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS),
});

export type IngestStatus = 'accepted' | 'duplicate' | 'rejected';

export interface IngestResult {
  id: string | null;
  status: IngestStatus;
  reason?: string;
  /**
   * A scan at a station with a task: what the station answers (docs/logistics.md, "Scanning at a
   * station"). Optional, so an edge that predates it reads the reply as before.
   */
  answer?: StationAnswer;
}
