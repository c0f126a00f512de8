import { TOPIC_NAMESPACE } from '@plantline/schema';
import { connect, type MqttClient } from 'mqtt';
import type { Logger } from '../logger';
import { hostStatePayload, hostStateTopic, SPARKPLUG_NAMESPACE } from '../sparkplug/sparkplug-topics';
import type { Unit } from '../unit';
import type { AnswerPublisher } from '../uplink/station-answers';
import type { BrokerStatus } from './broker-status';
import { InOrderAcks } from './in-order-acks';
import type { MessageSink } from './ingress';

export interface PlantBrokerClientOptions {
  /** EDGE_BROKER_URL, e.g. mqtt://broker.plant.local:1883 (credentials may be in the URL). */
  url: string;
  /** Fixed, so the plant broker keeps this edge's persistent session and queues while it is away. */
  clientId: string;
  username: string | undefined;
  password: string | undefined;
  ingress: MessageSink;
  /** Also subscribe to `spBv1.0/#` (docs/device-integration.md, "Sparkplug B"). */
  sparkplug?: boolean;
  /**
   * Be this Sparkplug primary host: STATE online (retained) once subscribed, offline as the
   * connection's will and at a clean stop (docs/device-integration.md, "Sparkplug B").
   */
  sparkplugHostId?: string | undefined;
  log: Logger;
}

/**
 * How many unacknowledged messages the plant broker may send at once (MQTT 5 Receive Maximum): they are
 * written to the outbox together, one sync for many. Without it Mosquitto sends 20 at a time.
 */
export const BROKER_RECEIVE_MAXIMUM = 1000;

/** The part of mqtt.js's MqttClient (private in its typings) that writes a packet on the connection. */
interface PacketSender {
  _sendPacket(packet: { cmd: 'puback'; messageId: number; reasonCode: number }): void;
}

/** Passed to mqtt.js instead of a reason code: it then sends no PUBACK and reads on (see start()). */
const ACK_LATER = new Error('acknowledged once stored');

/**
 * The edge as a client of the plant's own broker. It subscribes with QoS 1 on a persistent session
 * (clean: false), so the broker queues messages while the edge is down, and acknowledges each message
 * only after the outbox has it on disk — many at a time, in the order received
 * (docs/device-integration.md, "Plant broker: throughput and the acknowledgement").
 */
export class PlantBrokerClient implements Unit, AnswerPublisher {
  readonly name = 'plant-broker-client';
  #client: MqttClient | undefined;
  #lastError: string | null = null;
  /** The acknowledgements of one connection (stream); a new connection gets new ones. */
  #acks: { stream: unknown; acks: InOrderAcks } | undefined;
  #stateAt = 0;

  constructor(private readonly options: PlantBrokerClientOptions) {}

  /** Returns once the first connection attempt is under way: the edge keeps running without the broker. */
  async start(): Promise<void> {
    const { url, clientId, username, password, ingress, log } = this.options;
    // One timestamp for the will and the births of this run: a node compares them (Sparkplug 3.0).
    this.#stateAt = Date.now();
    const will = this.#hostState(false);
    const client = connect(url, {
      ...(will === undefined ? {} : { will: { ...will, qos: 1, retain: true } }),
      clientId,
      // mqtt.js calls customHandleAcks only on MQTT 5 (lib/client.js); v5 also lets the session outlive
      // the connection explicitly. Seven days, like the oldest device time the edge trusts (skew bound).
      protocolVersion: 5,
      clean: false,
      properties: {
        sessionExpiryInterval: 7 * 24 * 3600,
        receiveMaximum: BROKER_RECEIVE_MAXIMUM,
      },
      username,
      password,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      // Subscribed below on every connect; mqtt.js's own resubscribe would do it a second time.
      resubscribe: false,
      // mqtt.js handles one incoming packet at a time and reads the next only once this one's PUBACK is
      // written (lib/handlers/publish.js): acknowledging from here would mean one disk sync per message.
      // Answering with an error makes it read on without a PUBACK (and emit the error, ignored below);
      // the PUBACK follows from InOrderAcks once the message is stored. QoS 0 comes by 'message' below.
      customHandleAcks: (topic, message, packet, done) => {
        const acks = this.#acksFor(client);
        // Refusing from the first failure on keeps per-machine order: the broker redelivers it all.
        if (!acks.stopped && packet.messageId !== undefined) {
          // Here the plant broker is the sender: after the edge restarts on its persistent session, the
          // broker resends what it had not seen acknowledged with DUP = 1 and the same packet id, and
          // the packet id belongs to the edge's own session, hence its client id (resend-index.ts).
          const origin = { client: clientId, packetId: packet.messageId, dup: packet.dup };
          acks.track(packet.messageId, ingress.accept(topic, message, origin));
        }
        acks.admit(() => done(ACK_LATER));
      },
    });
    client.on('connect', (connack) => {
      this.#lastError = null;
      log.info({ url: redact(url), sessionPresent: connack.sessionPresent }, 'connected to the plant broker');
      // Also with a session present: the broker may have expired it, and subscribing again is harmless.
      // The whole namespace, not just plantline/v1/: a device on a wrong topic there is dead-lettered.
      // `plantline/#` also matches `plantline` itself (MQTT 3.1.1 §4.7.1.2).
      const topics = [
        `${TOPIC_NAMESPACE}/#`,
        ...(this.options.sparkplug ? [`${SPARKPLUG_NAMESPACE}/#`] : []),
      ];
      client.subscribe(topics, { qos: 1, nl: true }, (err) => {
        if (err) log.error({ err }, 'subscribing to the plant broker failed');
        // Online only once subscribed: the nodes' messages then have somewhere to go.
        const online = err ? undefined : this.#hostState(true);
        if (online === undefined) return;
        client.publish(online.topic, online.payload, { qos: 1, retain: true }, (failed) => {
          if (failed) log.warn({ err: failed.message }, 'Sparkplug STATE not published');
        });
      });
    });
    // A device's QoS 0 publish reaches the edge as QoS 0: stored the same way, nothing to acknowledge.
    client.on('message', (topic, message, packet) => {
      if (packet.qos !== 0) return;
      ingress.accept(topic, message).catch((err: unknown) => {
        this.#lastError = err instanceof Error ? err.message : String(err);
        log.warn({ topic, err: this.#lastError }, 'QoS 0 message not stored');
      });
    });
    // A PUBACK now would go to the next connection, whose broker redelivers these messages anyway.
    client.on('close', () => this.#acks?.acks.stop());
    client.on('error', (err) => {
      if (err === ACK_LATER) return;
      this.#lastError = err.message;
      log.warn({ err: err.message }, 'plant broker error');
    });
    client.on('offline', () => log.warn({ url: redact(url) }, 'plant broker unreachable; retrying'));
    this.#client = client;
  }

  /** The edge's STATE as primary host, with this run's timestamp; undefined when it is none. */
  #hostState(online: boolean): { topic: string; payload: Buffer } | undefined {
    const hostId = this.options.sparkplugHostId;
    if (hostId === undefined) return undefined;
    return { topic: hostStateTopic(hostId), payload: hostStatePayload(online, this.#stateAt) };
  }

  /**
   * Per stream, not per 'connect' event: a broker resuming the session sends its unacknowledged
   * messages right behind the CONNACK, and mqtt.js may hand them over before it emits 'connect'.
   */
  #acksFor(client: MqttClient): InOrderAcks {
    const stream = client.stream;
    if (this.#acks?.stream === stream) return this.#acks.acks;
    this.#acks?.acks.stop();
    const acks = new InOrderAcks({
      maxWaiting: BROKER_RECEIVE_MAXIMUM,
      acknowledge: (packetId) => {
        if (client.stream !== stream || stream.destroyed) return;
        // mqtt.js has no public call for a PUBACK of one's own; _sendPacket is what its publish
        // handler uses (lib/handlers/publish.js). plant-broker-acks.test.ts fails if that changes.
        (client as unknown as PacketSender)._sendPacket({
          cmd: 'puback',
          messageId: packetId,
          reasonCode: 0,
        });
      },
      refuse: (err) => {
        this.#lastError = err.message;
        this.options.log.warn(
          { err: err.message },
          'message not accepted; reconnecting so the broker redelivers',
        );
        // MQTT 5 brokers redeliver unacknowledged messages only on a new connection.
        stream.destroy();
      },
    });
    this.#acks = { stream, acks };
    return acks;
  }

  /**
   * A station's answer, on the plant broker where its scanner subscribes. The edge's own
   * subscription to `plantline/#` receives it back; the ingress ignores answer topics.
   */
  async publishAnswer(topic: string, payload: Buffer): Promise<void> {
    const client = this.#client;
    if (client === undefined) throw new Error('not connected to the plant broker');
    await client.publishAsync(topic, payload, { qos: 1, retain: false });
  }

  /** A Sparkplug B command such as a rebirth request: QoS 0 (Sparkplug 3.0, section 6.4.18). */
  async publishCommand(topic: string, payload: Buffer): Promise<void> {
    const client = this.#client;
    if (client === undefined) throw new Error('not connected to the plant broker');
    await client.publishAsync(topic, payload, { qos: 0, retain: false });
  }

  async stop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    const offline = this.#hostState(false);
    if (client?.connected && offline !== undefined) {
      // A clean stop sends no will: the nodes hear of it here.
      await client
        .publishAsync(offline.topic, offline.payload, { qos: 1, retain: true })
        .catch(() => undefined);
    }
    // force: in-flight messages stay unacknowledged, and the broker redelivers them to the next run.
    if (client) await client.endAsync(true);
  }

  status(): BrokerStatus {
    return {
      mode: 'client',
      url: redact(this.options.url),
      connected: this.#client?.connected ?? false,
      connectedDevices: null,
      deviceIds: null,
      lastError: this.#lastError,
    };
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
