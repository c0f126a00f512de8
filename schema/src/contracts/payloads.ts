import { z } from 'zod';
import { epochMsInstant, isoInstant } from './timestamps.js';
import type { EventKind } from './topics.js';

/*
 * What devices publish, one JSON object per MQTT message. Every payload may carry `ts`: the device's
 * time of the event as ISO 8601 (with offset) or epoch milliseconds. Without it the edge's receive
 * time is used. Unknown fields are refused, so a typo does not silently lose a value.
 */
export const deviceTimestamp = z.union([
  isoInstant('ts must be ISO 8601 with an offset (or Z), or epoch milliseconds'),
  epochMsInstant,
]);

/*
 * Codes and names a person reads: printable text only. PostgreSQL's text cannot hold NUL, and
 * control characters (tab, line breaks, escape sequences) or a lone UTF-16 surrogate in a reason
 * code are device bugs that would otherwise reach reports and CSV exports as is.
 */
const label = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\p{Cc}\p{Cs}]*$/u, 'must not contain control characters (NUL, tab, line breaks, …)');

export const statePayload = z.strictObject({
  /** The machine's state code, mapped per tenant to a loss bucket (docs/kpis.md), e.g. RUNNING, DOWN. */
  state: label,
  /** Why, for stops: a downtime reason code. */
  reason: label.optional(),
  ts: deviceTimestamp.optional(),
});

export const countPayload = z
  .strictObject({
    good: z.number().int().min(0).max(1_000_000).default(0),
    scrap: z.number().int().min(0).max(1_000_000).default(0),
    product: label.optional(),
    order: label.optional(),
    ts: deviceTimestamp.optional(),
  })
  .refine((c) => c.good + c.scrap > 0, { message: 'a count needs good or scrap above zero' });

export const symbologies = [
  'qr',
  'datamatrix',
  'code128',
  'code39',
  'ean13',
  'ean8',
  'upca',
  'pdf417',
  'other',
] as const;

export const scanPayload = z.strictObject({
  /*
   * Not a label: GS1 and ISO/IEC 15434 codes carry control characters (GS, RS, EOT) as field
   * separators, which are kept. Only NUL and lone surrogates, which text cannot hold, are refused.
   */
  code: z
    .string()
    .min(1)
    .max(4096)
    .refine(
      (value) => !value.includes('\u0000') && !/\p{Cs}/u.test(value),
      'must not contain NUL (U+0000) or a lone UTF-16 surrogate',
    ),
  symbology: z.enum(symbologies).default('qr'),
  /** The station that scanned, when it is not the machine of the topic. */
  station: label.optional(),
  /** What the scan records, e.g. pick, pack, ship, receive, consume. */
  action: label.default('scan'),
  ts: deviceTimestamp.optional(),
});

/** A telemetry value's name, e.g. `spindle_temp_c`; also what a deadband rule names (telemetry-deadbands.ts). */
export const TELEMETRY_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export const telemetryPayload = z.strictObject({
  /** Named numeric readings taken at the same moment, e.g. { "spindle_temp_c": 61.2 }. */
  values: z
    .record(
      z.string().regex(TELEMETRY_NAME_PATTERN, 'value names are 1–64 of A–Z a–z 0–9 _ . -'),
      z.number().finite(),
    )
    .refine((v) => Object.keys(v).length > 0 && Object.keys(v).length <= 100, 'send 1 to 100 values'),
  ts: deviceTimestamp.optional(),
});

export const payloadSchemas = {
  state: statePayload,
  count: countPayload,
  scan: scanPayload,
  telemetry: telemetryPayload,
} as const satisfies Record<EventKind, z.ZodType>;

/** The typed map of MQTT kinds to their payloads: one map that edge and cloud both parse with. */
export interface PayloadByKind {
  state: z.output<typeof statePayload>;
  count: z.output<typeof countPayload>;
  scan: z.output<typeof scanPayload>;
  telemetry: z.output<typeof telemetryPayload>;
}
