import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { DeviceAuth, DeviceLogin } from '../devices/device-auth';
import { decidePublish, decideSubscribe } from '../devices/device-rights';
import type { Logger } from '../logger';
import {
  hostStatePayload,
  hostStateTopic,
  isHostStateTopic,
  isSparkplugCommandFilter,
} from '../sparkplug/sparkplug-topics';
import { listenOnFreePort } from '../status/listen';
import type { Unit } from '../unit';
import type { AnswerPublisher } from '../uplink/station-answers';
import type { BrokerStatus } from './broker-status';
import { MAX_PAYLOAD_BYTES, type MessageSink } from './ingress';
import { limitPacketSize } from './packet-size-guard';

/**
 * The largest remaining length (MQTT §2.2.3) a device may send: the contract's largest payload plus
 * room for the topic, packet id and MQTT 5 properties. Larger packets end the connection.
 */
export const MAX_PACKET_REMAINING_LENGTH = MAX_PAYLOAD_BYTES + 1024;

export interface EmbeddedBrokerOptions {
  host: string;
  /** First port to try; the next 20 are tried when it is taken, so a busy port never stops the edge. */
  port: number;
  /** Who may connect and what each device may publish (devices/device-auth.ts). */
  auth: DeviceAuth;
  ingress: MessageSink;
  /** Sparkplug B nodes may subscribe to their commands (docs/device-integration.md, "Sparkplug B"). */
  sparkplug?: boolean;
  /**
   * Publish the edge's STATE as this Sparkplug primary host (retained): nodes configured to wait for
   * their primary host publish only while it is online (docs/device-integration.md, "Sparkplug B").
   */
  sparkplugHostId?: string | undefined;
  log: Logger;
}

/** Only what status shows; the full list lives in aedes. */
const LISTED_DEVICES = 50;

/**
 * The default MQTT ingress: an aedes broker inside the edge. The outbox write happens in aedes's
 * authorizePublish hook, which runs before aedes sends PUBACK (lib/handlers/publish.js: authorize, then
 * enqueue → PUBACK), so a QoS 1 publisher is acknowledged only once its event is on disk.
 */
export class EmbeddedBroker implements Unit, AnswerPublisher {
  readonly name = 'embedded-broker';
  #aedes: Aedes | undefined;
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #url: string | null = null;
  #lastError: string | null = null;
  #logins = new WeakMap<Client, DeviceLogin>();
  /** When this run came online: its STATE birth and death carry it. */
  #onlineAt = 0;

  constructor(private readonly options: EmbeddedBrokerOptions) {}

  get url(): string | null {
    return this.#url;
  }

  async start(): Promise<void> {
    const { host, port, log, ingress, auth } = this.options;
    if (!auth.anyLoginPossible) {
      log.warn(
        'no device can connect yet: no device credentials from the cloud, no EDGE_MQTT_USERNAME, anonymous not allowed',
      );
    }
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) =>
        void this.#authenticate(client, username, password, done).catch((err: Error) => {
          // Not expected (verification failures resolve to a refusal), but never an unhandled rejection.
          log.error({ clientId: client.id, err }, 'device authentication failed');
          done(err as AuthenticateError, null);
        }),
      // Devices publish; none reads another's events. The embedded broker is the edge's ingress, not a
      // plant bus: a device may subscribe to the answers for devices within its rights and nothing
      // else (SUBACK 0x80 otherwise, `$SYS/#` and `#` included).
      authorizeSubscribe: (client, subscription, callback) => {
        const login = client ? this.#logins.get(client) : undefined;
        const rights = login ? auth.rightsOf(login) : null;
        // A node's rebirth requests and commands carry no plant data: any device may read them.
        const decision = !rights
          ? { allowed: false as const, reason: 'login no longer valid' }
          : this.options.sparkplug &&
              (isSparkplugCommandFilter(subscription.topic) || isHostStateFilter(subscription.topic))
            ? { allowed: true as const }
            : decideSubscribe(rights, subscription.topic);
        if (decision.allowed) return callback(null, subscription);
        log.warn(
          { clientId: client?.id, topic: subscription.topic, reason: decision.reason },
          'subscription refused',
        );
        callback(null, null);
      },
      authorizePublish: (client, packet, callback) => {
        // The broker's own $SYS heartbeats have no client and are not device data.
        if (!client) return callback(null);
        const login = this.#logins.get(client);
        const rights = login ? auth.rightsOf(login) : null;
        const decision = rights
          ? decidePublish(rights, packet.topic)
          : { allowed: false as const, reason: 'login no longer valid' };
        if (!decision.allowed) {
          // MQTT 3.1.1 has no negative PUBACK: aedes closes the connection, nothing is stored.
          log.warn({ clientId: client.id, topic: packet.topic, reason: decision.reason }, 'publish refused');
          return callback(new Error(decision.reason));
        }
        // Retained messages would only pile up in memory: nobody may subscribe to receive them.
        packet.retain = false;
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        // The packet as parsed off the wire: its DUP flag and packet id let the ingress recognise a
        // device's resend of a message stored before the PUBACK was lost (resend-index.ts).
        const origin =
          packet.qos > 0 && packet.messageId !== undefined
            ? { client: client.id, packetId: packet.messageId, dup: packet.dup }
            : undefined;
        // A Sparkplug B metric lands on the machine its mapping names: the device's rights must cover it.
        const allows = (plantlineTopic: string) =>
          rights !== null && decidePublish(rights, plantlineTopic).allowed;
        ingress.accept(packet.topic, payload, origin, undefined, allows).then(
          () => callback(null),
          (err: Error) => {
            // No PUBACK: aedes closes the connection and the device resends after reconnecting.
            this.#lastError = err.message;
            log.warn({ clientId: client.id, topic: packet.topic, err: err.message }, 'message not accepted');
            callback(err);
          },
        );
      },
    });
    aedes.on('clientError', (client, err) =>
      log.debug({ clientId: client.id, err: err.message }, 'device error'),
    );
    const server = createServer((socket) => {
      // PUBACKs and station answers are small packets a device waits for: without this, Nagle's
      // algorithm may hold one until the device's delayed ACK arrives (40 ms on Linux).
      socket.setNoDelay(true);
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      const guarded = limitPacketSize(socket, MAX_PACKET_REMAINING_LENGTH, (reason) =>
        log.warn(
          { remoteAddress: socket.remoteAddress, reason },
          'device connection closed: packet too large',
        ),
      );
      aedes.handle(guarded);
    });
    this.#aedes = aedes;
    try {
      const bound = await listenOnFreePort(server, host, port, 20, 'EDGE_MQTT_PORT');
      this.#server = server;
      this.#url = `mqtt://${host}:${bound}`;
      if (port !== 0 && bound !== port)
        log.warn({ wanted: port, port: bound }, 'MQTT port was taken, moved on');
      log.info({ mqttUrl: this.#url }, `MQTT broker at ${this.#url}`);
      await this.#publishHostState(true);
    } catch (err) {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      throw err;
    }
  }

  /** A station's answer to the device subscribed to `topic` (uplink/station-answers.ts). */
  publishAnswer(topic: string, payload: Buffer): Promise<void> {
    return this.#publish(topic, payload, 1);
  }

  /** A Sparkplug B command such as a rebirth request: QoS 0 (Sparkplug 3.0, section 6.4.18). */
  publishCommand(topic: string, payload: Buffer): Promise<void> {
    return this.#publish(topic, payload, 0);
  }

  #publish(topic: string, payload: Buffer, qos: 0 | 1, retain = false): Promise<void> {
    const aedes = this.#aedes;
    if (aedes === undefined) return Promise.reject(new Error('the broker is stopped'));
    return new Promise((resolve, reject) =>
      aedes.publish({ cmd: 'publish', topic, payload, qos, retain, dup: false }, (err?: Error) =>
        err ? reject(err) : resolve(),
      ),
    );
  }

  /** The edge's STATE as a Sparkplug primary host, retained (sparkplug-topics.ts). */
  async #publishHostState(online: boolean): Promise<void> {
    const hostId = this.options.sparkplugHostId;
    if (hostId === undefined) return;
    if (online) this.#onlineAt = Date.now();
    await this.#publish(hostStateTopic(hostId), hostStatePayload(online, this.#onlineAt), 1, true);
  }

  async stop(): Promise<void> {
    // Nodes still connected hear that their primary host is going before they are cut off.
    await this.#publishHostState(false).catch(() => undefined);
    const server = this.#server;
    const aedes = this.#aedes;
    this.#server = undefined;
    this.#aedes = undefined;
    this.#url = null;
    // Devices are cut off rather than drained: anything not yet acknowledged they will resend.
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : undefined;
    for (const socket of this.#sockets) socket.destroy();
    await closed;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
  }

  status(): BrokerStatus {
    const aedes = this.#aedes;
    // aedes keeps connected clients by id in `clients`, which its typings leave out.
    const clients = aedes
      ? Object.keys((aedes as unknown as { clients: Record<string, unknown> }).clients)
      : [];
    return {
      mode: 'embedded',
      url: this.#url,
      connected: this.#server !== undefined,
      connectedDevices: aedes ? aedes.connectedClients : 0,
      deviceIds: clients.slice(0, LISTED_DEVICES),
      lastError: this.#lastError,
    };
  }

  async #authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): Promise<void> {
    const result = await this.options.auth.authenticate(username, password);
    if (result.ok) {
      this.#logins.set(client, result.login);
      done(null, true);
      return;
    }
    this.options.log.warn({ clientId: client.id, username, reason: result.reason }, 'device refused');
    const error = new Error(result.reason) as AuthenticateError;
    // CONNACK 5 "not authorized" for anonymous devices, 4 "bad user name or password" otherwise.
    error.returnCode = username ? 4 : 5;
    done(error, null);
  }
}

/** A node watching its primary host's STATE: `spBv1.0/STATE/{host}` or `spBv1.0/STATE/+`. */
function isHostStateFilter(filter: string): boolean {
  const levels = filter.split('/');
  return levels.length === 3 && isHostStateTopic(filter) && levels[2] !== '#' && levels[2] !== '';
}
