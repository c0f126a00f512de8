import { DefaultMessageIdProvider, type MqttClient, Store } from 'mqtt';

type StoredPacket = Parameters<Store['put']>[0];

/**
 * An outgoing store for devices that follow MQTT 3.1.1 / 5 §3.3.1.1: "the DUP flag MUST be set to 1
 * … when it attempts to re-deliver a PUBLISH", and 0 on a first attempt. mqtt.js 5 resends
 * unacknowledged publishes from its store after reconnecting but never sets DUP itself
 * (https://github.com/mqttjs/MQTT.js/issues/692); Paho and libmosquitto do. This store marks, when
 * mqtt.js replays it, the publishes that were written to some connection and not acknowledged; one
 * queued while offline keeps DUP = 0 on its first attempt. Call watch() with the client that uses
 * it.
 */
export class ResendMarkingStore extends Store {
  readonly #written = new Set<number>();

  /** mqtt.js emits `packetsend` for every packet it writes to the socket. */
  watch(client: MqttClient): void {
    client.on('packetsend', (packet) => {
      if (packet.cmd === 'publish' && packet.qos > 0 && packet.messageId !== undefined)
        this.#written.add(packet.messageId);
    });
  }

  override del(packet: Pick<StoredPacket, 'messageId'>, cb: Parameters<Store['del']>[1]): this {
    if (packet.messageId !== undefined) this.#written.delete(packet.messageId);
    return super.del(packet, cb);
  }

  override createStream(): ReturnType<Store['createStream']> {
    for (const messageId of this.#written) {
      // The in-memory store answers synchronously, with the very packet the replay sends.
      this.get({ messageId }, (err, stored) => {
        if (!err && stored?.cmd === 'publish') stored.dup = true;
      });
    }
    return super.createStream();
  }
}

/**
 * Gives every publish the same packet id: a client that hands out the lowest free id and waits for each
 * PUBACK does exactly that (MQTT §2.3.1 allows any unused id). Publish one at a time with it.
 */
export class FixedPacketId extends DefaultMessageIdProvider {
  constructor(private readonly id: number) {
    super();
  }

  override allocate(): number {
    return this.id;
  }

  override getLastAllocated(): number {
    return this.id;
  }
}
