import { gunzipSync, inflateSync } from 'node:zlib';
import { get as sparkplugPayload } from 'sparkplug-payload';
import type { IncomingMetric } from './sparkplug-sessions';
import { plainValue, SPARKPLUG_NAMESPACE, toNumber } from './sparkplug-topics';

/*
 * Sparkplug B payloads, decoded and encoded with Eclipse Tahu's sparkplug-payload (the
 * specification's protobuf definition).
 */

export const codec = sparkplugPayload(SPARKPLUG_NAMESPACE)!;

/** The uuid Eclipse Tahu's clients give a compressed payload, whose `body` is the real one. */
const COMPRESSED_UUID = 'SPBV1.0_COMPRESSED';
/** The most an inflated payload may take: far above any birth, well below what would hurt the edge. */
export const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

export interface DecodedPayload {
  seq: number | undefined;
  timestamp: number | undefined;
  metrics: IncomingMetric[];
}

/**
 * The payload's sequence number, time and metrics; a compressed payload (its `algorithm` metric DEFLATE,
 * the default, or GZIP, as Tahu's clients write them) is inflated first. Throws with the reason when
 * the bytes are no Sparkplug B payload.
 */
export function decodeSparkplugPayload(payload: Buffer): DecodedPayload {
  let decoded = codec.decodePayload(payload);
  if (decoded.uuid === COMPRESSED_UUID) {
    const algorithm = decoded.metrics?.find((metric) => metric.name === 'algorithm')?.value;
    const body = Buffer.from(decoded.body ?? new Uint8Array());
    const options = { maxOutputLength: MAX_INFLATED_BYTES };
    const kind = typeof algorithm === 'string' ? algorithm.toUpperCase() : 'DEFLATE';
    if (kind !== 'DEFLATE' && kind !== 'GZIP') throw new Error(`unknown compression ${String(algorithm)}`);
    let inflated: Buffer;
    try {
      inflated = kind === 'GZIP' ? gunzipSync(body, options) : inflateSync(body, options);
    } catch (err) {
      throw new Error(`compressed body does not inflate (${kind}): ${(err as Error).message}`);
    }
    decoded = codec.decodePayload(inflated);
  }
  return {
    seq: toNumber(decoded.seq),
    timestamp: toNumber(decoded.timestamp),
    metrics: (decoded.metrics ?? []).map((metric) => ({
      name: metric.name || undefined,
      alias: toNumber(metric.alias),
      value: metric.isNull ? null : plainValue(metric.value),
      timestamp: toNumber(metric.timestamp),
    })),
  };
}
