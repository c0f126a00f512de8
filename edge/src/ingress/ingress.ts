import {
  type EventEnvelope,
  isAnswerTopic,
  isPlantlineTopic,
  type PayloadByKind,
  parseTopic,
  payloadSchemas,
  quickPayload,
  resolveEventTime,
} from '@plantline/schema';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store';
import type { DeadbandFilter } from '../deadband/deadband';
import type { Outbox } from '../outbox/outbox';
import { RateMeter } from '../rate';
import type { Unit } from '../unit';
import { newEventId } from './event-id';
import {
  decodeOrigin,
  encodeOrigin,
  MAX_REMEMBERED_CLIENT_ID,
  messageDigest,
  type Origin,
  RESEND_WINDOW,
  ResendIndex,
  type ResendIndexOptions,
} from './resend-index';

/** A device message larger than this is refused: every valid payload is far smaller. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * 'resend': a repeat of a message already stored, acknowledged again and not stored (resend-index.ts).
 * 'suppressed': telemetry none of whose values left its deadband (deadband/deadband.ts), acknowledged
 * and not stored.
 */
export type IngressOutcome = 'stored' | 'dead-letter' | 'ignored' | 'resend' | 'suppressed';

export interface IngressStats {
  receivedTotal: number;
  storedTotal: number;
  deadLetteredTotal: number;
  /** Not acknowledged (outbox full or failing): the device keeps the message and retries. */
  refusedTotal: number;
  /** Publishes with DUP = 1 recognised as repeats of stored messages: acknowledged, not stored again. */
  resendsRecognisedTotal: number;
  /** Telemetry messages whose every value was within its deadband: acknowledged, not stored. */
  suppressedTotal: number;
  receivedPerS: number;
}

/**
 * What a broker hands each message to: the ingress, or the Sparkplug B ingress in front of it
 * (sparkplug/sparkplug-ingress.ts). `allows` is whether the publisher may write a Plantline topic.
 */
export interface MessageSink {
  accept(
    topic: string,
    payload: Buffer,
    origin?: Origin,
    receivedAt?: Date,
    allows?: (plantlineTopic: string) => boolean,
  ): Promise<IngressOutcome>;
}

/**
 * Turns one device message into an outbox record (or a dead letter). Shared by the embedded broker
 * and the client of a plant broker; both acknowledge the device only after the promise resolves, so
 * whatever resolves is on disk (docs/device-integration.md, "QoS 1 and resends"). A rejected
 * promise means "do not acknowledge". A unit only so that start() can reload the resend index from
 * the outbox before devices are let in.
 */
export class Ingress implements Unit, MessageSink {
  readonly name = 'ingress';
  #received = new RateMeter();
  #stats = {
    receivedTotal: 0,
    storedTotal: 0,
    deadLetteredTotal: 0,
    refusedTotal: 0,
    resendsRecognisedTotal: 0,
    suppressedTotal: 0,
  };
  #resends: ResendIndex;

  constructor(
    private readonly deps: {
      outbox: Outbox;
      deadLetters: DeadLetterStore;
      /** Telemetry deadbands from the cloud; without it every value is stored. */
      deadband?: DeadbandFilter;
      resendWindow?: ResendIndexOptions;
    },
  ) {
    this.#resends = new ResendIndex(deps.resendWindow ?? RESEND_WINDOW);
  }

  /** Remembers the origins the outbox found on disk (OutboxOptions.recoverOrigins), as of now. */
  async start(): Promise<void> {
    const now = Date.now();
    for (const { origin } of this.deps.outbox.takeRecoveredOrigins()) {
      const decoded = decodeOrigin(origin);
      if (decoded) this.#resends.remember(decoded.client, decoded.packetId, decoded.digest, now);
    }
  }

  async stop(): Promise<void> {}

  /** `origin` is absent for QoS 0 (no packet id, nothing is ever resent) and in direct calls. */
  accept(topic: string, payload: Buffer, origin?: Origin, receivedAt = new Date()): Promise<IngressOutcome> {
    return this.#accept(topic, payload, origin, receivedAt, undefined);
  }

  /**
   * As accept, with the event's id given instead of a new one: a caller that may hand the same event
   * over twice (sparkplug/counter-baselines.ts) gives it the same id, which the cloud keeps once.
   */
  acceptWithId(topic: string, payload: Buffer, receivedAt: Date, eventId: string): Promise<IngressOutcome> {
    return this.#accept(topic, payload, undefined, receivedAt, eventId);
  }

  async #accept(
    topic: string,
    payload: Buffer,
    origin: Origin | undefined,
    receivedAt: Date,
    eventId: string | undefined,
  ): Promise<IngressOutcome> {
    const from = origin && origin.client.length <= MAX_REMEMBERED_CLIENT_ID ? origin : undefined;
    // Other traffic (a plant's own topics) is none of the edge's business; anything under `plantline/`
    // is, and what is not a contract topic there is dead-lettered below with the reason.
    // The edge's own answers to stations come back through a plant broker's `plantline/#`: not events.
    if (!isPlantlineTopic(topic) || isAnswerTopic(topic)) {
      // Still a use of the packet id, which ends what the index knew under it (resend-index.ts).
      if (from) this.#resends.forget(from.client, from.packetId);
      return 'ignored';
    }
    this.#stats.receivedTotal++;
    this.#received.add();
    let digest: string | undefined;
    if (from) {
      digest = messageDigest(topic, payload);
      const earlier = from.dup
        ? this.#resends.match(from.client, from.packetId, digest, receivedAt.getTime())
        : undefined;
      // An original still being written decides: once on disk this is its resend, if it failed, it is not.
      if (earlier === true || (earlier !== undefined && (await settledOk(earlier)))) {
        this.#stats.resendsRecognisedTotal++;
        return 'resend';
      }
    }
    let event = toEnvelope(topic, payload, receivedAt, eventId);
    // Telemetry only: states, counts and scans always travel (docs/device-integration.md).
    let filtered: { values: Record<string, number> } | undefined;
    if (this.deps.deadband && !('reason' in event) && event.kind === 'telemetry') {
      const values = this.deps.deadband.filter(event, event.payload.values, Date.parse(event.ts));
      if (values === undefined) {
        if (from) this.#resends.forget(from.client, from.packetId);
        this.#stats.suppressedTotal++;
        return 'suppressed';
      }
      if (values !== event.payload.values) event = { ...event, payload: { ...event.payload, values } };
      filtered = { values };
    }
    try {
      if ('reason' in event) {
        if (from) this.#resends.forget(from.client, from.packetId);
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
      const body = Buffer.from(JSON.stringify(event));
      if (!from || digest === undefined) {
        await this.deps.outbox.append(body);
      } else {
        const { client, packetId } = from;
        const written = this.deps.outbox.append(body, encodeOrigin(client, packetId, digest));
        const pending = this.#resends.remember(client, packetId, digest, receivedAt.getTime(), written)!;
        try {
          await written;
        } catch (err) {
          // Not acknowledged: the sender's resend must be stored, not recognised.
          this.#resends.settle(client, packetId, pending, false);
          throw err;
        }
        this.#resends.settle(client, packetId, pending, true);
      }
      this.#stats.storedTotal++;
      return 'stored';
    } catch (err) {
      this.#stats.refusedTotal++;
      // Not stored: the resend of these values must be kept, not judged against themselves.
      if (filtered && !('reason' in event)) this.deps.deadband?.release(event, Object.keys(filtered.values));
      throw err;
    }
  }

  stats(): IngressStats {
    return { ...this.#stats, receivedPerS: this.#received.perSecond() };
  }
}

/** Only for the rare resend that overtakes its original: no extra promise on every message. */
function settledOk(promise: Promise<unknown>): Promise<boolean> {
  return promise.then(
    () => true,
    () => false,
  );
}

/** Validates with the shared contract; returns the envelope or why the message cannot be one. */
export function toEnvelope(
  topic: string,
  payload: Buffer,
  receivedAt: Date,
  id = newEventId(receivedAt.getTime()),
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
  // The quick check proves the usual payload valid at a fraction of zod's cost; zod decides the rest.
  let parsedPayload: PayloadByKind[typeof kind] | undefined = quickPayload(kind, json);
  if (parsedPayload === undefined) {
    const parsed = payloadSchemas[kind].safeParse(json);
    if (!parsed.success) {
      const reason = parsed.error.issues
        .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
        .join('; ');
      return { reason: `invalid ${kind} payload: ${reason}` };
    }
    parsedPayload = parsed.data;
  }
  const time = resolveEventTime(parsedPayload.ts, receivedAt);
  return {
    id,
    ...address.address,
    ts: time.ts,
    receivedAt: receivedAt.toISOString(),
    ...(time.deviceTs ? { deviceTs: time.deviceTs } : {}),
    payload: parsedPayload,
  } as EventEnvelope;
}
