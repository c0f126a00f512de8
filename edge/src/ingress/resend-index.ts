import { hash } from 'node:crypto';

/*
 * Recognising a QoS 1 publish the sender repeats because it never saw our PUBACK.
 *
 * The edge writes a message to its outbox and only then acknowledges it
 * (docs/device-integration.md, "QoS 1 and resends"). If the edge dies between the two, or the
 * PUBACK is lost with the connection, the sender still holds the message and sends it again after
 * reconnecting, with the same packet id and DUP = 1 (MQTT 3.1.1 §3.3.1.1, §4.4; MQTT 5 §3.3.1.1,
 * §4.4). Stored again under a new event id, the cloud, which deduplicates by id, would keep it
 * twice. So every accepted publish is remembered by its origin: the sender's client id (in client
 * mode the edge's own session towards the plant broker, which is the sender there), the packet id,
 * and a digest of topic and payload. The origin goes into the outbox record with the event (same
 * write, same fsync), so a restarted edge reloads what its previous run had stored.
 *
 * A publish with DUP = 1 whose (client, packet id) was last used for a stored message with the same
 * digest is acknowledged without storing it again. Everything else is stored, and a publish with
 * DUP = 0 is always new: a sender sets DUP = 0 only on a first attempt, and §4.3.2 of both versions
 * (QoS 1 delivery) has the receiver treat a PUBLISH that reuses an acknowledged packet id as a new
 * publication [MQTT-4.3.2-2 in 3.1.1]. The index keeps one entry per (client, packet id), the newest,
 * so a DUP = 0 publish that reuses a packet id (stored, dead-lettered or ignored) replaces or clears it.
 * §4.3.2 says "irrespective of the setting of its DUP flag"; taking a DUP = 1 repeat for a resend
 * departs from that only where our PUBACK did reach the sender, which a receiver cannot know after
 * a crash or a cut connection — and which matters only in the residual case below.
 *
 * Why this cannot lose a message in practice: treating a DUP = 1 publish as a resend is wrong only if
 * the sender did get the PUBACK for the entry's message M1, freed its packet id, reused it for a new
 * message M2 with byte-identical topic and payload, and M2's first attempt (DUP = 0) never reached
 * the edge — a DUP = 0 copy that did arrive would have replaced the entry — all within the window.
 * Clients allocate packet ids by counting up (mqtt.js, Paho, libmosquitto, PubSubClient), so reuse
 * takes 65 535 further publishes from that client; and payloads that carry the device's `ts` (to the
 * millisecond) or an order/serial field are never identical. The residual case is a client that hands
 * out the lowest free packet id (MQTT allows any unused one, §2.3.1) and sends identical payloads
 * without a time, whose next message is in flight when the link drops or the edge dies: that message
 * would be acknowledged and not stored. docs/device-integration.md ("QoS 1 and resends") asks
 * integrators to put `ts` in every payload.
 *
 * When a resend can still be stored twice: when it arrives after the window (maxAgeMs after the
 * original, or after the edge's start for origins reloaded from the outbox: a device that stays
 * away longer); when more than maxEntries publishes from all devices arrived in between; when it
 * comes under another client id (a device connecting with an empty one is given a new id each
 * time); when the edge crashed right after deleting the acknowledged segment that held the original
 * (a segment is deleted only once a newer one is being written, so only within moments of a 64 MiB
 * rollover); and — the common one — when the sender does not set DUP on resends, as mqtt.js 5 does
 * not (https://github.com/mqttjs/MQTT.js/issues/692; likewise esp-mqtt for QoS 1,
 * https://github.com/espressif/esp-mqtt/issues/151). Those duplicates remain at-least-once, as
 * before.
 */

/** Where an accepted publish came from, as far as MQTT tells one message from another. */
export interface Origin {
  /** Embedded broker: the device's MQTT client id. Client mode: the edge's own id at the plant broker. */
  client: string;
  /** The PUBLISH packet identifier (QoS 1 and 2 only). */
  packetId: number;
  /** The sender marks a possible resend (MQTT 3.1.1 and 5, §3.3.1.1). */
  dup: boolean;
}

export interface ResendIndexOptions {
  /** How long after it was stored a message's resend is still recognised. */
  maxAgeMs: number;
  /** Upper bound on remembered origins (about 130 bytes of heap each, measured), the oldest go first. */
  maxEntries: number;
}

/**
 * Two minutes is far longer than a device takes to reconnect and resend (seconds); 100 000 entries
 * (~13 MB) still hold several seconds of traffic at the edge's top rate of tens of thousands of events/s.
 */
export const RESEND_WINDOW = { maxAgeMs: 120_000, maxEntries: 100_000 } satisfies ResendIndexOptions;

/** Longer client ids (MQTT 5 allows 65 535 bytes) are not remembered: no resend recognition for them. */
export const MAX_REMEMBERED_CLIENT_ID = 256;
const DIGEST_BYTES = 32;

/**
 * SHA-256 of topic and payload, as a 32-character one-byte string ('binary', i.e. latin1: a byte per
 * character), which is cheap to make, compare and keep. Measured here (Node 20), hashing a string this
 * way costs about half of concatenating buffers or of asking for a Buffer back. The payload's bytes map
 * one-to-one onto latin1 characters, and a topic cannot contain U+0000 (MQTT §4.7.3), so the input is
 * unambiguous.
 */
export function messageDigest(topic: string, payload: Buffer): string {
  return hash('sha256', `${topic}\u0000${payload.toString('latin1')}`, 'binary');
}

/** The origin as kept in the outbox record: [packet id u16][digest 32 bytes][client id, UTF-8]. */
export function encodeOrigin(client: string, packetId: number, digest: string): Buffer {
  const clientBytes = Buffer.byteLength(client);
  const out = Buffer.allocUnsafe(2 + DIGEST_BYTES + clientBytes);
  out.writeUInt16LE(packetId, 0);
  out.write(digest, 2, DIGEST_BYTES, 'latin1');
  out.write(client, 2 + DIGEST_BYTES, 'utf8');
  return out;
}

export function decodeOrigin(
  origin: Buffer,
): { client: string; packetId: number; digest: string } | undefined {
  if (origin.length < 2 + DIGEST_BYTES) return undefined;
  return {
    packetId: origin.readUInt16LE(0),
    digest: origin.toString('latin1', 2, 2 + DIGEST_BYTES),
    client: origin.toString('utf8', 2 + DIGEST_BYTES),
  };
}

/** A stored message whose outbox write is still under way. */
export interface PendingWrite {
  readonly digest: string;
  readonly written: Promise<unknown>;
}

/** The digest of a message on disk, or its write in progress. */
type Slot = string | PendingWrite;

const digestOf = (slot: Slot) => (typeof slot === 'string' ? slot : slot.digest);

/**
 * The newest stored message per (client, packet id), bounded in age and count, expiring in the order
 * remembered. Built to add little per message at tens of thousands a second: what it keeps is the
 * digest string and map slots keyed by the packet id (a small integer); the expiry queue is parallel
 * arrays, times in a numbers-only array (unboxed). Measured on the ingress path, a first version that
 * kept an entry object, a "client/id" key string and the event id per message raised the garbage
 * collector's share of CPU from 10 % to 24 % (this one: 12 %). The event id is in the outbox record.
 */
export class ResendIndex {
  #clients = new Map<string, Map<number, Slot>>();
  #size = 0;
  #queueClients: string[] = [];
  #queueIds: number[] = [];
  #queueDigests: string[] = [];
  #queueTimes: number[] = [];
  #head = 0;

  constructor(private readonly options: ResendIndexOptions) {}

  get size(): number {
    return this.#size;
  }

  /**
   * A publish repeating the newest stored message under (client, packet id): true when that message is
   * on disk, its write when still under way, undefined when the digest differs or nothing is known.
   */
  match(client: string, packetId: number, digest: string, now: number): true | Promise<unknown> | undefined {
    this.#expire(now);
    const slot = this.#clients.get(client)?.get(packetId);
    if (slot === undefined || digestOf(slot) !== digest) return undefined;
    return typeof slot === 'string' ? true : slot.written;
  }

  /** With `written`, the message counts as stored only once settle() says it is on disk. */
  remember(
    client: string,
    packetId: number,
    digest: string,
    now: number,
    written?: Promise<unknown>,
  ): PendingWrite | undefined {
    let ids = this.#clients.get(client);
    if (ids === undefined) {
      ids = new Map();
      this.#clients.set(client, ids);
    }
    const pending = written === undefined ? undefined : { digest, written };
    const size = ids.size;
    ids.set(packetId, pending ?? digest);
    this.#size += ids.size - size;
    this.#queueClients.push(client);
    this.#queueIds.push(packetId);
    this.#queueDigests.push(digest);
    this.#queueTimes.push(now);
    this.#expire(now);
    return pending;
  }

  /** The write of `pending` ended: on disk it stays remembered, failed it is forgotten (unless replaced). */
  settle(client: string, packetId: number, pending: PendingWrite, ok: boolean): void {
    const ids = this.#clients.get(client);
    if (ids?.get(packetId) !== pending) return;
    if (ok) ids.set(packetId, pending.digest);
    else this.#delete(client, ids, packetId);
  }

  /** A use of the packet id for something not stored: what was known under it no longer applies. */
  forget(client: string, packetId: number): void {
    const ids = this.#clients.get(client);
    if (ids?.has(packetId)) this.#delete(client, ids, packetId);
  }

  #delete(client: string, ids: Map<number, Slot>, packetId: number): void {
    ids.delete(packetId);
    this.#size--;
    if (ids.size === 0) this.#clients.delete(client);
  }

  /**
   * Queue items whose slot now holds another digest are stale and skipped. One whose slot holds the
   * same digest again (the same bytes stored twice under one id) counts as live, so that message
   * expires by the older time: a shorter window, never a longer one.
   */
  #live(index: number): Map<number, Slot> | undefined {
    const ids = this.#clients.get(this.#queueClients[index]!);
    const slot = ids?.get(this.#queueIds[index]!);
    return slot !== undefined && digestOf(slot) === this.#queueDigests[index] ? ids : undefined;
  }

  #expire(now: number): void {
    const { maxAgeMs, maxEntries } = this.options;
    const length = this.#queueIds.length;
    while (this.#head < length) {
      const ids = this.#live(this.#head);
      if (ids && now - this.#queueTimes[this.#head]! < maxAgeMs && this.#size <= maxEntries) break;
      if (ids) this.#delete(this.#queueClients[this.#head]!, ids, this.#queueIds[this.#head]!);
      this.#head++;
    }
    // Dropped in bulk: the consumed head, and stale items behind a live head (packet ids reused often).
    if (this.#head > maxEntries || length - this.#head > 4 * maxEntries + 1024) this.#compact();
  }

  #compact(): void {
    const keep: number[] = [];
    for (let i = this.#head; i < this.#queueIds.length; i++) if (this.#live(i)) keep.push(i);
    this.#queueClients = keep.map((i) => this.#queueClients[i]!);
    this.#queueIds = keep.map((i) => this.#queueIds[i]!);
    this.#queueDigests = keep.map((i) => this.#queueDigests[i]!);
    this.#queueTimes = keep.map((i) => this.#queueTimes[i]!);
    this.#head = 0;
  }
}
