import { z } from 'zod';

/*
 * The timestamp policy (docs/device-integration.md, "Timestamps"): the device's time when given,
 * else the edge's receive time. Devices that buffer while offline legitimately send times from the
 * past, so the bound is asymmetric: up to 7 days old is trusted, but no more than 5 minutes ahead
 * of the edge's clock. A device time outside the bound (a clock reset to 1970, or a year ahead) is
 * not used for the timeline: the receive time is, and the device's value is kept beside it, so
 * nothing is lost.
 */
export interface SkewBound {
  maxAheadMs: number;
  maxBehindMs: number;
}

export const DEFAULT_SKEW_BOUND: SkewBound = { maxAheadMs: 5 * 60_000, maxBehindMs: 7 * 24 * 3_600_000 };

export interface ResolvedTime {
  ts: string;
  /** Present when the device's time was outside the bound and the receive time was used. */
  deviceTs?: string;
}

export function resolveEventTime(
  deviceTs: string | number | undefined,
  receivedAt: Date,
  bound: SkewBound = DEFAULT_SKEW_BOUND,
): ResolvedTime {
  if (deviceTs === undefined) return { ts: receivedAt.toISOString() };
  const device = new Date(deviceTs);
  if (Number.isNaN(device.getTime())) return { ts: receivedAt.toISOString() };
  const ahead = device.getTime() - receivedAt.getTime();
  if (ahead > bound.maxAheadMs || -ahead > bound.maxBehindMs) {
    return { ts: receivedAt.toISOString(), deviceTs: device.toISOString() };
  }
  return { ts: device.toISOString() };
}

/*
 * The instants every part of Plantline can hold: PostgreSQL's timestamptz has no year 0 and
 * JavaScript writes years past 9999 as "+010000-…", which PostgreSQL cannot read back. So a time is
 * refused at the contract — and the edge dead-letters it — rather than being refused by the database
 * later, where one such event would fail the whole batch around it.
 */
export const EARLIEST_INSTANT_MS = Date.parse('0001-01-01T00:00:00.000Z');
export const LATEST_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999Z');
const YEARS_MESSAGE = 'must lie in the years 0001–9999 (UTC)';

/** UTC−12:00 to UTC+14:00 are the offsets in use (IANA tz database); PostgreSQL refuses beyond ±15:59. */
const MAX_OFFSET_MINUTES = 14 * 60;
const OFFSET = /([+-])(\d{2}):(\d{2})$/;

export function isStorableInstant(ms: number): boolean {
  return ms >= EARLIEST_INSTANT_MS && ms <= LATEST_INSTANT_MS;
}

/** ISO 8601 with an offset (or Z), for an instant the database can store (see above). */
export const isoInstant = (message = 'must be ISO 8601 with an offset (or Z)') =>
  z.iso.datetime({ offset: true, message }).superRefine((value, ctx) => {
    const ms = Date.parse(value);
    // Not a time at all: the format's own message says so.
    if (Number.isNaN(ms)) return;
    const offset = OFFSET.exec(value);
    if (offset && Number(offset[2]) * 60 + Number(offset[3]) > MAX_OFFSET_MINUTES) {
      ctx.addIssue({ code: 'custom', message: 'has an offset beyond ±14:00, which no time zone uses' });
    } else if (!isStorableInstant(ms)) {
      ctx.addIssue({ code: 'custom', message: YEARS_MESSAGE });
    }
  });

/** Epoch milliseconds within the same years. */
export const epochMsInstant = z
  .number()
  .int()
  .min(0)
  .max(LATEST_INSTANT_MS, `epoch milliseconds ${YEARS_MESSAGE}`);
