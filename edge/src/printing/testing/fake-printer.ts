import { createServer, type Server, type Socket } from 'node:net';

export interface StatusFlags {
  paperOut?: boolean;
  paused?: boolean;
  headOpen?: boolean;
  bufferFull?: boolean;
  formats?: number;
}

/** A `~HS` answer framed as a Zebra printer sends it (host-status.ts). */
export function hostStatusAnswer(flags: StatusFlags): string {
  const bit = (on: boolean | undefined) => (on ? '1' : '0');
  const formats = String(flags.formats ?? 0).padStart(3, '0');
  const first = `030,${bit(flags.paperOut)},${bit(flags.paused)},1245,${formats},${bit(flags.bufferFull)},0,0,000,0,0,0`;
  const second = `001,0,${bit(flags.headOpen)},0,1,2,6,0,00000000,1,000`;
  return `\u0002${first}\u0003\r\n\u0002${second}\u0003\r\n\u00021234,0\u0003\r\n`;
}

export interface FakePrinterOptions {
  /** Answers `~HS` with these flags; without them the printer ignores `~HS`, as a non-Zebra would. */
  status?: StatusFlags;
  /** Resets the connection once this many bytes of a job arrived. */
  closeAfterBytes?: number;
  /** Takes one connection at a time and drops the others at once, as a printer busy with a sender does. */
  oneAtATime?: boolean;
}

/**
 * A network label printer on a loopback port for tests: it keeps what each connection sent (less the
 * `~HS` requests) and closes its side when the sender closes, like a printer's raw port.
 */
export class FakePrinter {
  readonly jobs: string[] = [];
  connections = 0;
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();

  constructor(private readonly options: FakePrinterOptions = {}) {}

  get port(): number {
    const address = this.#server?.address();
    if (address == null || typeof address === 'string') throw new Error('the fake printer is not listening');
    return address.port;
  }

  async listen(port = 0): Promise<void> {
    const server = createServer((socket) => this.#accept(socket));
    if (this.options.oneAtATime) server.maxConnections = 1;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.#server = server;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    this.connections++;
    this.#sockets.add(socket);
    let job = '';
    socket.on('error', () => {});
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      let text = chunk.toString('latin1');
      if (text.includes('~HS')) {
        text = text.replace('~HS', '');
        if (this.options.status) socket.write(hostStatusAnswer(this.options.status));
      }
      job += text;
      const limit = this.options.closeAfterBytes;
      if (limit !== undefined && job.length >= limit) socket.resetAndDestroy();
    });
    socket.on('end', () => {
      if (job !== '') this.jobs.push(job);
    });
  }
}
