import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { freePort, waitFor } from './processes.js';

const MOSQUITTO = '/usr/sbin/mosquitto';

/**
 * A plant broker of the test's own (the machine's Mosquitto on 1883 is shared and must not be
 * restarted): a private Mosquitto on a free port that persists to a temp folder, so a restart on the
 * same port and folder brings back the edge's persistent session and what was queued for it.
 */
export class PlantBroker {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #output = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  output(): string {
    return this.#output;
  }

  static async start(): Promise<PlantBroker> {
    const dir = await mkdtemp(join(tmpdir(), 'plantline-e2e-mosquitto-'));
    const broker = new PlantBroker(dir, await freePort());
    await writeFile(
      join(dir, 'mosquitto.conf'),
      [
        `listener ${broker.port} 127.0.0.1`,
        'allow_anonymous true',
        // Started as root, Mosquitto drops to the user `mosquitto`, which cannot write to our temp
        // folder: every save would fail and a restart would find nothing. Stay who we are.
        `user ${userInfo().username}`,
        'persistence true',
        `persistence_location ${dir}/`,
        // Mosquitto 2.0 persists by snapshot. Saving after every change (rather than every 30 min)
        // keeps what a SIGKILL can take to the few messages between a PUBACK and the next save.
        'autosave_on_changes true',
        'autosave_interval 1',
        // The default of 1000 queued messages per client drops the rest; a plant broker serving
        // the edge must queue everything while the edge is away (docs/device-integration.md).
        'max_queued_messages 0',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        '',
      ].join('\n'),
    );
    try {
      await broker.restart();
    } catch (error) {
      await broker.remove();
      throw error;
    }
    return broker;
  }

  /** Starts Mosquitto on the same port and persistence folder; resolves once it takes connections. */
  async restart(): Promise<void> {
    const child = spawn(MOSQUITTO, ['-c', join(this.dir, 'mosquitto.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    const append = (chunk: Buffer) => {
      this.#output += chunk.toString();
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.#exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`mosquitto exited:\n${this.#output}`);
        const probe = await connectAsync(this.url, { reconnectPeriod: 0, connectTimeout: 500 }).catch(
          () => undefined,
        );
        await probe?.endAsync(true);
        return probe === undefined ? undefined : true;
      },
      10_000,
      () => `mosquitto to listen on ${this.url}:\n${this.#output}`,
    );
  }

  /** SIGKILL: no orderly save, no goodbye to the clients, as when a broker host loses its process. */
  async kill(): Promise<void> {
    this.#child?.kill('SIGKILL');
    await this.#exited;
  }

  async remove(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}
