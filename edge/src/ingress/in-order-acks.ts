/*
 * The acknowledgements of one connection to a plant broker. Many messages are written at once (the
 * outbox syncs them together), and each is acknowledged once it is on disk — but MQTT 5 §4.6 has a
 * client send PUBACKs in the order the publishes arrived [MQTT-4.6.0-2], and the broker may take a
 * PUBACK as covering nothing else. So a message stored early waits for those before it, and the first
 * message that cannot be stored stops the connection's acknowledgements for good: it and everything
 * after it stay unacknowledged, and the broker redelivers them on the next connection
 * (docs/device-integration.md, "Plant broker: throughput and the acknowledgement").
 */

type State = 'waiting' | 'stored' | 'failed';

interface Entry {
  packetId: number;
  state: State;
  error: Error | undefined;
}

/** Compacting the array once this many entries are behind the head keeps memory flat. */
const COMPACT_AFTER = 1024;

export interface InOrderAcksOptions {
  /** Sends the PUBACK for this packet id: its message, and every one before it, is stored. */
  acknowledge: (packetId: number) => void;
  /** Called once, with the first message that could not be stored: the connection must be given up. */
  refuse: (error: Error) => void;
  /**
   * Messages waiting for their acknowledgement beyond which admit() holds the reader back. The broker
   * should send no more than the edge's Receive Maximum, but Mosquitto 2.0 sends a resumed session's
   * whole backlog at once (measured here); without this every one of those would be held in memory.
   */
  maxWaiting: number;
}

export class InOrderAcks {
  #entries: Entry[] = [];
  #head = 0;
  #stopped = false;
  #held: (() => void)[] = [];

  constructor(private readonly options: InOrderAcksOptions) {}

  /** True once a message failed or the connection ended: nothing more is acknowledged. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Messages received and not yet acknowledged. */
  get waiting(): number {
    return this.#entries.length - this.#head;
  }

  /** `stored` resolves once the message is on disk, or rejects when it will not be. */
  track(packetId: number, stored: Promise<unknown>): void {
    const entry: Entry = { packetId, state: 'waiting', error: undefined };
    this.#entries.push(entry);
    stored.then(
      () => {
        entry.state = 'stored';
        this.#flush();
      },
      (err: unknown) => {
        entry.state = 'failed';
        entry.error = err instanceof Error ? err : new Error(String(err));
        this.#flush();
      },
    );
  }

  /** Runs `readOn` (let the next message be read) now, or once fewer than maxWaiting are waiting. */
  admit(readOn: () => void): void {
    if (this.#stopped || this.waiting < this.options.maxWaiting) readOn();
    else this.#held.push(readOn);
  }

  /** The connection is gone: a PUBACK now would reach the next connection, which has its own. */
  stop(): void {
    this.#stopped = true;
    this.#entries = [];
    this.#head = 0;
    this.#release();
  }

  #release(): void {
    while (this.#held.length > 0 && (this.#stopped || this.waiting < this.options.maxWaiting)) {
      this.#held.shift()!();
    }
  }

  #flush(): void {
    while (!this.#stopped && this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head]!;
      if (entry.state === 'waiting') break;
      if (entry.state === 'failed') {
        this.stop();
        this.options.refuse(entry.error!);
        return;
      }
      this.#head++;
      this.options.acknowledge(entry.packetId);
    }
    if (this.#head >= COMPACT_AFTER) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    this.#release();
  }
}
