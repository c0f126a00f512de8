import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import type { Unit } from '../unit';
import { listenOnFreePort, localUrl } from './listen';

export interface StatusServerOptions {
  host: string;
  /** First port to try; the next 20 are tried when it is taken. */
  port: number;
  /** Called per request so every unit's section is current; later units add sections here. */
  getStatus: () => object;
  log: Logger;
}

/** Local HTTP endpoint for operators, the CLI and supervisors: GET /status and GET /healthz. */
export class StatusServer implements Unit {
  readonly name = 'status-server';
  #server: Server | undefined;
  #url: string | undefined;

  constructor(private readonly options: StatusServerOptions) {}

  /** Base URL actually bound (the port may differ from the configured one). */
  get url(): string {
    if (this.#url === undefined) throw new Error('status server is not started');
    return this.#url;
  }

  get statusUrl(): string {
    return `${this.url}/status`;
  }

  async start(): Promise<void> {
    const { host, port, log } = this.options;
    const server = createServer((req, res) => this.#handle(req, res));
    const bound = await listenOnFreePort(server, host, port);
    this.#server = server;
    this.#url = localUrl(host, bound);
    if (port !== 0 && bound !== port)
      log.warn({ wanted: port, port: bound }, 'status port was taken, moved on');
    log.info({ statusUrl: this.statusUrl }, `status at ${this.statusUrl}`);
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.#url = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Answers are tiny and instant; a client holding a keep-alive socket must not delay shutdown.
      server.closeAllConnections();
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://edge').pathname;
    if (path !== '/status' && path !== '/healthz') {
      send(res, 404, { error: 'not found', path });
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, { error: 'method not allowed' });
    } else if (path === '/healthz') {
      send(res, 200, { status: 'ok' });
    } else {
      this.#sendStatus(res);
    }
  }

  #sendStatus(res: ServerResponse): void {
    try {
      send(res, 200, this.options.getStatus());
    } catch (err) {
      this.options.log.error({ err }, 'building the status failed');
      send(res, 500, { error: 'status unavailable' });
    }
  }
}

function send(res: ServerResponse, statusCode: number, body: object): void {
  res.writeHead(statusCode, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}
