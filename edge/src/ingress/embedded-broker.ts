import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type AuthenticateError } from 'aedes';
import type { Logger } from '../logger';
import { listenOnFreePort } from '../status/listen';
import type { Unit } from '../unit';
import type { BrokerStatus } from './broker-status';
import type { Ingress } from './ingress';

export interface EmbeddedBrokerOptions {
  host: string;
  /** First port to try; the next 20 are tried when it is taken (DESIGN §2). */
  port: number;
  /** Both set: devices must present them. */
  username: string | undefined;
  password: string | undefined;
  ingress: Ingress;
  log: Logger;
}

/** Only what status shows; the full list lives in aedes. */
const LISTED_DEVICES = 50;

/**
 * The default MQTT ingress: an aedes broker inside the edge. The outbox write happens in aedes's
 * authorizePublish hook, which runs before aedes sends PUBACK (lib/handlers/publish.js: authorize, then
 * enqueue → PUBACK), so a QoS 1 publisher is acknowledged only once its event is on disk.
 */
export class EmbeddedBroker implements Unit {
  readonly name = 'embedded-broker';
  #aedes: Aedes | undefined;
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #url: string | null = null;
  #lastError: string | null = null;

  constructor(private readonly options: EmbeddedBrokerOptions) {}

  get url(): string | null {
    return this.#url;
  }

  async start(): Promise<void> {
    const { host, port, log, ingress } = this.options;
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) =>
        this.#authenticate(client.id, username, password, done),
      authorizePublish: (client, packet, callback) => {
        // The broker's own $SYS heartbeats have no client and are not device data.
        if (!client) return callback(null);
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        // The packet as parsed off the wire: its DUP flag and packet id let the ingress recognise a
        // device's resend of a message stored before the PUBACK was lost (resend-index.ts).
        const origin =
          packet.qos > 0 && packet.messageId !== undefined
            ? { client: client.id, packetId: packet.messageId, dup: packet.dup }
            : undefined;
        ingress.accept(packet.topic, payload, origin).then(
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
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      aedes.handle(socket);
    });
    this.#aedes = aedes;
    try {
      const bound = await listenOnFreePort(server, host, port, 20, 'EDGE_MQTT_PORT');
      this.#server = server;
      this.#url = `mqtt://${host}:${bound}`;
      if (port !== 0 && bound !== port)
        log.warn({ wanted: port, port: bound }, 'MQTT port was taken, moved on');
      log.info(
        { mqttUrl: this.#url, auth: this.options.username !== undefined },
        `MQTT broker at ${this.#url}`,
      );
    } catch (err) {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      throw err;
    }
  }

  async stop(): Promise<void> {
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

  #authenticate(
    clientId: string,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    const expected = this.options;
    if (expected.username === undefined || expected.password === undefined) {
      done(null, true);
      return;
    }
    const ok =
      sameSecret(username ?? '', expected.username) &&
      sameSecret(password?.toString('utf8') ?? '', expected.password);
    if (ok) {
      done(null, true);
      return;
    }
    this.options.log.warn({ clientId, username }, 'device refused: wrong username or password');
    const error = new Error('bad username or password') as AuthenticateError;
    error.returnCode = 4;
    done(error, null);
  }
}

/** Constant-time for equal lengths; a length difference is no secret worth protecting here. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
