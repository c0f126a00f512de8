import { TOPIC_NAMESPACE } from '@plantline/schema';
import { connect, type MqttClient } from 'mqtt';
import type { Logger } from '../logger';
import type { Unit } from '../unit';
import type { AnswerPublisher } from '../uplink/station-answers';
import type { BrokerStatus } from './broker-status';
import type { Ingress } from './ingress';

export interface PlantBrokerClientOptions {
  /** EDGE_BROKER_URL, e.g. mqtt://broker.plant.local:1883 (credentials may be in the URL). */
  url: string;
  /** Fixed, so the plant broker keeps this edge's persistent session and queues while it is away. */
  clientId: string;
  username: string | undefined;
  password: string | undefined;
  ingress: Ingress;
  log: Logger;
}

/**
 * The edge as a client of the plant's own broker. It subscribes with QoS 1 on a persistent session
 * (clean: false), so the broker queues messages while the edge is down, and acknowledges each message
 * with customHandleAcks only after the outbox has it on disk. mqtt.js handles one incoming packet at a
 * time, so in this mode throughput is bounded by the outbox's sync latency (docs/device-integration.md,
 * "The broker").
 */
export class PlantBrokerClient implements Unit, AnswerPublisher {
  readonly name = 'plant-broker-client';
  #client: MqttClient | undefined;
  #lastError: string | null = null;
  /** Set after a refusal: later messages of the same connection are refused too, keeping per-machine order. */
  #refusing = false;

  constructor(private readonly options: PlantBrokerClientOptions) {}

  /** Returns once the first connection attempt is under way: the edge keeps running without the broker. */
  async start(): Promise<void> {
    const { url, clientId, username, password, ingress, log } = this.options;
    const client = connect(url, {
      clientId,
      // mqtt.js calls customHandleAcks only on MQTT 5 (lib/client.js); v5 also lets the session outlive
      // the connection explicitly. Seven days, like the oldest device time the edge trusts (skew bound).
      protocolVersion: 5,
      clean: false,
      properties: { sessionExpiryInterval: 7 * 24 * 3600 },
      username,
      password,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      // Subscribed below on every connect; mqtt.js's own resubscribe would do it a second time.
      resubscribe: false,
      customHandleAcks: (topic, message, packet, done) => {
        const refuse = (err: Error) => {
          if (!this.#refusing) {
            log.warn(
              { topic, err: err.message },
              'message not accepted; reconnecting so the broker redelivers',
            );
          }
          this.#refusing = true;
          this.#lastError = err.message;
          done(err);
          // MQTT 5 brokers redeliver unacknowledged messages only on a new connection.
          client.stream.destroy();
        };
        if (this.#refusing) return refuse(new Error('refusing until reconnected'));
        // Here the plant broker is the sender: after the edge restarts on its persistent session, the
        // broker resends what it had not seen acknowledged with DUP = 1 and the same packet id, and
        // the packet id belongs to the edge's own session, hence its client id (resend-index.ts).
        const origin =
          packet.qos > 0 && packet.messageId !== undefined
            ? { client: clientId, packetId: packet.messageId, dup: packet.dup }
            : undefined;
        ingress.accept(topic, message, origin).then(() => done(0), refuse);
      },
    });
    client.on('connect', (connack) => {
      this.#lastError = null;
      this.#refusing = false;
      log.info({ url: redact(url), sessionPresent: connack.sessionPresent }, 'connected to the plant broker');
      // Also with a session present: the broker may have expired it, and subscribing again is harmless.
      // The whole namespace, not just plantline/v1/: a device on a wrong topic there is dead-lettered.
      // `plantline/#` also matches `plantline` itself (MQTT 3.1.1 §4.7.1.2).
      client.subscribe(`${TOPIC_NAMESPACE}/#`, { qos: 1, nl: true }, (err) => {
        if (err) log.error({ err }, 'subscribing to the plant broker failed');
      });
    });
    // Also our own refusals land here (mqtt.js emits them), already logged above.
    client.on('error', (err) => {
      if (this.#refusing) return;
      this.#lastError = err.message;
      log.warn({ err: err.message }, 'plant broker error');
    });
    client.on('offline', () => log.warn({ url: redact(url) }, 'plant broker unreachable; retrying'));
    this.#client = client;
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

  async stop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
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
