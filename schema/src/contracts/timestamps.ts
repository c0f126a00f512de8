/*
 * The timestamp policy (issue 3 §1): the device's time when given, else the edge's receive time.
 * Devices that buffer while offline legitimately send times from the past, so the bound is
 * asymmetric: up to 7 days old is trusted, but no more than 5 minutes ahead of the edge's clock.
 * A device time outside the bound (a clock reset to 1970, or a year ahead) is not used for the
 * timeline: the receive time is, and the device's value is kept beside it, so nothing is lost.
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
