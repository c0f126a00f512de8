import {
  type EventEnvelope,
  parseTopic,
  payloadSchemas,
  resolveEventTime,
  TOPIC_ROOT,
} from '@plantline/schema';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store';
import type { Outbox } from '../outbox/outbox';
import { RateMeter } from '../rate';
import { newEventId } from './event-id';

/** A device message larger than this is refused: every valid payload is far smaller. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

export type IngressOutcome = 'stored' | 'dead-letter' | 'ignored';

export interface IngressStats {
  receivedTotal: number;
  storedTotal: number;
  deadLetteredTotal: number;
  /** Not acknowledged (outbox full or failing): the device keeps the message and retries. */
  refusedTotal: number;
  receivedPerS: number;
}

/**
 * Turns one device message into an outbox record (or a dead letter). Shared by the embedded broker and
 * the client of a plant broker; both acknowledge the device only after the promise resolves, so
 * whatever resolves is on disk (DESIGN §4). A rejected promise means "do not acknowledge".
 */
export class Ingress {
  #received = new RateMeter();
  #stats = { receivedTotal: 0, storedTotal: 0, deadLetteredTotal: 0, refusedTotal: 0 };

  constructor(private readonly deps: { outbox: Outbox; deadLetters: DeadLetterStore }) {}

  async accept(topic: string, payload: Buffer, receivedAt = new Date()): Promise<IngressOutcome> {
    // Other traffic on the embedded broker (a plant's own topics) is none of the edge's business.
    if (topic !== TOPIC_ROOT && !topic.startsWith(`${TOPIC_ROOT}/`)) return 'ignored';
    this.#stats.receivedTotal++;
    this.#received.add();
    const event = toEnvelope(topic, payload, receivedAt);
    try {
      if ('reason' in event) {
        await this.deps.deadLetters.add({
          source: 'device',
          topic,
          reason: event.reason,
          payload,
          at: receivedAt,
        });
        this.#stats.deadLetteredTotal++;
        return 'dead-letter';
      }
      await this.deps.outbox.append(Buffer.from(JSON.stringify(event)));
      this.#stats.storedTotal++;
      return 'stored';
    } catch (err) {
      this.#stats.refusedTotal++;
      throw err;
    }
  }

  stats(): IngressStats {
    return { ...this.#stats, receivedPerS: this.#received.perSecond() };
  }
}

/** Validates with the shared contract; returns the envelope or why the message cannot be one. */
export function toEnvelope(
  topic: string,
  payload: Buffer,
  receivedAt: Date,
): EventEnvelope | { reason: string } {
  const address = parseTopic(topic);
  if (!address.ok) return { reason: address.reason };
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return { reason: `payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD_BYTES}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return { reason: 'payload is not JSON' };
  }
  const { kind } = address.address;
  const parsed = payloadSchemas[kind].safeParse(json);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    return { reason: `invalid ${kind} payload: ${reason}` };
  }
  const time = resolveEventTime(parsed.data.ts, receivedAt);
  return {
    id: newEventId(receivedAt.getTime()),
    ...address.address,
    ts: time.ts,
    receivedAt: receivedAt.toISOString(),
    ...(time.deviceTs ? { deviceTs: time.deviceTs } : {}),
    payload: parsed.data,
  } as EventEnvelope;
}
