import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DeadLetter } from '../dead-letter/dead-letter-store';
import type { Logger } from '../logger';
import type { Unit } from '../unit';
import type { EdgeStatus } from './edge-status';
import { listenOnFreePort, localUrl } from './listen';
import { STATUS_REALM, type StatusAuth } from './status-auth';
import { renderStatusPage, STATUS_PAGE_CSP } from './status-page';

export interface StatusServerOptions {
  host: string;
  /** First port to try; the next 20 are tried when it is taken. */
  port: number;
  /** Called per request so every unit's section is current. */
  getStatus: () => EdgeStatus;
  /** The newest dead letters, for the page. */
  getDeadLetters: () => readonly DeadLetter[];
  /** Who may read the page and the status; /healthz is open to all. */
  auth: StatusAuth;
  log: Logger;
}

/**
 * Local HTTP endpoint for operators, the CLI and supervisors: GET / (the edge's page), GET /status
 * (the same as JSON) and GET /healthz (docs/device-integration.md, "The edge's own page").
 */
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
    log.info({ statusUrl: this.statusUrl, page: `${this.url}/` }, `status at ${this.statusUrl}`);
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
    if (path !== '/' && path !== '/status' && path !== '/healthz') {
      send(res, 404, { error: 'not found', path });
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, { error: 'method not allowed' });
    } else if (path === '/healthz') {
      send(res, 200, { status: 'ok' });
    } else if (!this.options.auth.allows(req.headers.authorization)) {
      // RFC 7617: the browser asks for a user and a password and sends them with every later request.
      res.setHeader('www-authenticate', `Basic realm="${STATUS_REALM}", charset="UTF-8"`);
      send(res, 401, { error: "sign in with the edge's login or its API key" });
    } else {
      this.#answer(path, res);
    }
  }

  #answer(path: string, res: ServerResponse): void {
    let status: EdgeStatus;
    try {
      status = this.options.getStatus();
    } catch (err) {
      this.options.log.error({ err }, 'building the status failed');
      send(res, 500, { error: 'status unavailable' });
      return;
    }
    if (path === '/status') {
      send(res, 200, status);
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': STATUS_PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(renderStatusPage(status, this.options.getDeadLetters(), new Date()));
  }
}

function send(res: ServerResponse, statusCode: number, body: object): void {
  res.writeHead(statusCode, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}
