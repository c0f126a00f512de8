import { randomBytes } from 'node:crypto';

/** A UUIDv7 (RFC 9562) for `ms`: what the edge gives each event, so ids sort by time. */
export function uuidv7(ms = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let last = 0;
/** Strictly increasing ids across calls, as one edge assigns them. */
export function nextEventId(): string {
  last = Math.max(last + 1, Date.now());
  return uuidv7(last);
}

/** An event envelope as the edge sends it. */
export function envelope(
  address: { plant: string; line: string; machine: string },
  kind: 'state' | 'count' | 'scan' | 'telemetry',
  payload: unknown,
  at = new Date(),
) {
  return {
    id: nextEventId(),
    ...address,
    kind,
    ts: at.toISOString(),
    receivedAt: at.toISOString(),
    payload,
  };
}
