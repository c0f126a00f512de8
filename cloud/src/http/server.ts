import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { AnyProcedure, TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import type { AppDeps } from '../app-deps.js';
import { appRouter } from '../app-router.js';
import { DEFAULT_CHROMIUM_PATH, SnapshotSlots } from '../modules/dashboards/index.js';
import { healthReport } from '../modules/health/index.js';
import { CallBudget, type CallLimits } from '../trpc/call-limits.js';
import { createContext } from '../trpc/context.js';
import type { ProcedureMeta } from '../trpc/meta.js';
import { AUDIT_CSV_PATH, serveAuditCsv } from './audit-csv.js';
import { DASHBOARD_PDF_PREFIX, serveDashboardPdf } from './dashboard-pdf.js';
import { jsonCallsHandler } from './json-calls.js';
import { LABEL_PDF_PREFIX, serveLabelPdf } from './label-pdf.js';
import { originAllowed } from './origin.js';
import { REPORT_DOWNLOAD_PREFIX, serveReportDownload } from './report-download.js';
import { SIGNATURE_PDF_PREFIX, serveSignaturePdf } from './signature-pdf.js';
import { SYSTEM_API_PREFIX, serveSystemApi } from './system-api.js';
import { serveTenantLogo, TENANT_LOGO_PATH } from './tenant-logo.js';

const gunzipAsync = promisify(gunzip);

/** A Node middleware such as the SvelteKit adapter-node handler. */
export type WebHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface HttpServerOptions {
  deps: AppDeps;
  host: string;
  port: number;
  maxBodyBytes: number;
  /** The most calls one HTTP request may carry. */
  maxBatchCalls: number;
  /** Bounds on open calls and subscriptions per WebSocket connection and per user (call-limits.ts). */
  callLimits: CallLimits;
  /** Browser origins besides the cloud's own that may call the API (origin.ts). */
  allowedOrigins: readonly string[];
  startedAt: number;
  web: WebHandler | null;
  /** Debian's Chromium, which draws dashboard PDFs (dashboard-pdf.ts); its usual path when unset. */
  chromiumPath?: string;
  /**
   * Whether JSON calls are answered straight from Node's request (json-calls.ts) rather than by
   * tRPC's own handler, which gets everything else; on unless a test compares the two.
   */
  directJsonCalls?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A query or mutation that runs in one call transaction finds its caller in it (procedures.ts), so
 * the request's context leaves that to it; a subscription or a waiting call needs its caller first.
 * An unknown path has no procedure and is answered NOT_FOUND before any caller matters.
 */
function checksItsCaller(procedure: AnyProcedure | null): boolean {
  if (procedure === null) return true;
  const { type, meta } = procedure._def;
  return type !== 'subscription' && (meta as ProcedureMeta | undefined)?.waits !== true;
}

/** How many ports after the configured one are tried when it is taken: a busy port never stops it. */
const PORT_ATTEMPTS = 20;

/** tRPC over HTTP and WebSocket, /healthz and the web UI, on one port and one origin. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const { deps } = options;
  const allowedOrigins = new Set(options.allowedOrigins.map((origin) => origin.toLowerCase()));
  const callBudget = new CallBudget(options.callLimits);
  const printer = {
    chromiumPath: options.chromiumPath ?? DEFAULT_CHROMIUM_PATH,
    slots: new SnapshotSlots(),
  };
  const contextOf = async (
    req: IncomingMessage,
    res: ServerResponse,
    calls: readonly { procedure: AnyProcedure | null }[],
  ) => {
    const context = await createContext(deps, req, res, {
      batched: calls.length > 1,
      callsCheckCaller: calls.every((call) => checksItsCaller(call.procedure)),
    });
    // A subscription over HTTP (server-sent events) lasts as long as its response.
    const connection = callBudget.connection(context.principal);
    res.once('close', () => connection.close());
    return { ...context, connection };
  };
  const onError = ({ error, path }: { error: TRPCError; path: string | undefined }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR')
      deps.log.error({ err: error.cause ?? error, path }, 'procedure failed');
  };
  // Queries may come as POST: the web client sends them so, as a long id list does not fit a URL.
  const allowMethodOverride = true;
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: options.maxBodyBytes,
    maxBatchSize: options.maxBatchCalls,
    allowMethodOverride,
    createContext: ({ req, res, info }) => contextOf(req, res, info.calls),
    onError,
  });
  const jsonCalls =
    options.directJsonCalls === false
      ? () => false
      : jsonCallsHandler({
          router: appRouter,
          basePath: '/trpc/',
          maxBodyBytes: options.maxBodyBytes,
          maxBatchCalls: options.maxBatchCalls,
          allowMethodOverride,
          createContext: contextOf,
          onError,
        });
  const answerCall = (req: IncomingMessage, res: ServerResponse) => {
    if (!jsonCalls(req, res)) trpc(req, res);
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz') {
      void healthReport(deps.db, deps.version, options.startedAt).then((report) => {
        res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(report));
      });
      return;
    }
    if (path === AUDIT_CSV_PATH) {
      serveAuditCsv(deps, req, res).catch((error: unknown) => {
        deps.log.error({ err: error }, 'audit CSV export failed');
        if (res.headersSent) res.destroy();
        else sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
      return;
    }
    if (path === TENANT_LOGO_PATH) {
      serveTenantLogo(deps, req, res).catch((error: unknown) => {
        deps.log.error({ err: error }, 'tenant logo failed');
        if (res.headersSent) res.destroy();
        else sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
      return;
    }
    if (path.startsWith(SYSTEM_API_PREFIX)) {
      serveSystemApi(deps, req, res, path).catch((error: unknown) => {
        deps.log.error({ err: error }, 'system API call failed');
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
      return;
    }
    if (path.startsWith(SIGNATURE_PDF_PREFIX)) {
      serveSignaturePdf(deps, req, res, path).catch((error: unknown) => {
        deps.log.error({ err: error }, 'signature PDF failed');
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
      return;
    }
    if (path.startsWith(DASHBOARD_PDF_PREFIX)) {
      serveDashboardPdf(deps, printer, req, res, path).catch((error: unknown) => {
        deps.log.error({ err: error }, 'dashboard PDF failed');
        if (res.headersSent) res.destroy();
        else sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
      return;
    }
    if (path.startsWith(LABEL_PDF_PREFIX)) {
      serveLabelPdf(deps, req, res, path).catch((error: unknown) => {
        deps.log.error({ err: error }, 'label PDF failed');
        if (res.headersSent) res.destroy();
        else sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
      return;
    }
    if (path.startsWith(REPORT_DOWNLOAD_PREFIX)) {
      serveReportDownload(deps, req, res, path).catch((error: unknown) => {
        deps.log.error({ err: error }, 'report download failed');
        if (res.headersSent) res.destroy();
        else sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      });
      return;
    }
    if (path === '/trpc' || path.startsWith('/trpc/')) {
      if (!originAllowed(req, deps.trustProxy, allowedOrigins)) {
        req.resume();
        return sendError(
          res,
          403,
          'FORBIDDEN',
          'Calls from this origin are not allowed (see ALLOWED_ORIGINS)',
        );
      }
      // Browsers send cross-site form posts (urlencoded, multipart, text/plain) with cookies; only
      // JSON calls, which need a CORS preflight cross-site, may reach a mutation.
      if (req.method === 'POST' && !(req.headers['content-type'] ?? '').startsWith('application/json')) {
        res.writeHead(415, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              message: 'Send tRPC calls as application/json',
              data: { code: 'UNSUPPORTED_MEDIA_TYPE', httpStatus: 415 },
            },
          }),
        );
        return;
      }
      const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      if (req.method === 'POST' && encoding !== 'identity') {
        void decodeBody(req, encoding, options.maxBodyBytes).then((decoded) => {
          if (decoded.ok) {
            // tRPC reads a body that an earlier step has already read from req.body.
            (req as IncomingMessage & { body?: string }).body = decoded.body;
            answerCall(req, res);
          } else sendError(res, decoded.status, decoded.code, decoded.message);
        });
        return;
      }
      return answerCall(req, res);
    }
    if (options.web !== null) return options.web(req, res, () => notFound(res));
    notFound(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxBodyBytes });
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    // No batch cap here: the client resends all its subscriptions in one message after a reconnect,
    // and the connection's budget bounds what any message can start.
    // The context lives as long as the connection, and so does its budget.
    createContext: async ({ req, res: socket }) => {
      const context = await createContext(deps, req, null);
      const connection = callBudget.connection(context.principal);
      socket.once('close', () => connection.close());
      return { ...context, connection };
    },
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        deps.log.error({ err: error.cause ?? error, path }, 'subscription failed');
    },
  });
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/trpc')) {
      socket.destroy();
      return;
    }
    if (!originAllowed(req, deps.trustProxy, allowedOrigins)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const port = await listenOnFreePort(server, options.host, options.port);
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: async () => {
      // Clients are told to reconnect (to another instance, or to this one after a restart).
      wsHandler.broadcastReconnectNotification();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Decoded = { ok: true; body: string } | { ok: false; status: number; code: string; message: string };

/**
 * Request bodies compressed with gzip (the edge compresses its batches). Both the bytes
 * received and the decompressed size are held to the body limit, so a small "zip bomb" is refused
 * like a large body.
 */
async function decodeBody(req: IncomingMessage, encoding: string, maxBytes: number): Promise<Decoded> {
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    req.resume();
    return {
      ok: false,
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Send bodies plain or gzip-encoded',
    };
  }
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) {
        req.resume();
        return tooLarge(maxBytes);
      }
      chunks.push(chunk);
    }
    const body = await gunzipAsync(Buffer.concat(chunks), { maxOutputLength: maxBytes });
    return { ok: true, body: body.toString('utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(maxBytes);
    return {
      ok: false,
      status: 400,
      code: 'BAD_REQUEST',
      message: 'The gzip body could not be decompressed',
    };
  }
}

function tooLarge(maxBytes: number): Decoded {
  return {
    ok: false,
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: `The request body exceeds ${maxBytes} bytes (after decompression)`,
  };
}

function sendError(res: ServerResponse, status: number, code: string, message: string) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, data: { code, httpStatus: status } } }));
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'Not found' }));
}

/** Never fail because a port is taken: move up to the next free one and report the one in use. */
async function listenOnFreePort(server: Server, host: string, firstPort: number): Promise<number> {
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = firstPort === 0 ? 0 : firstPort + attempt;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      return typeof address === 'object' && address !== null ? address.port : port;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  throw new Error(`No free port in ${firstPort}–${firstPort + PORT_ATTEMPTS - 1}; set PORT to a free one`);
}
