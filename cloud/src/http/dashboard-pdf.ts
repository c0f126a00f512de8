import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../app-deps.js';
import {
  ChromiumMissing,
  findDashboard,
  renderDashboardPdf,
  SNAPSHOT_VARIABLES,
  type SnapshotSlots,
  viewerOf,
} from '../modules/dashboards/index.js';
import { createSession, revokeSession } from '../modules/identity/index.js';
import { actorOf, audit, DomainError, describeAuditCaller, scopeOf } from '../platform/index.js';
import { createContext } from '../trpc/context.js';
import { SESSION_COOKIE } from './cookies.js';

/*
 * GET /api/dashboards/<slug>.pdf?plant=…: a dashboard snapshot as a PDF (docs/dashboards.md,
 * "Snapshot PDF"). A plain HTTP route like the label PDF, so the browser downloads it with the
 * session cookie. It needs kpi.read and a dashboard the caller sees (another's personal one is "not
 * found"). The headless browser signs in with a session of its own, two minutes long, made for this
 * snapshot and revoked as soon as it is printed, never with the caller's cookie (docs/security.md,
 * "Dashboard snapshots").
 */

export const DASHBOARD_PDF_PREFIX = '/api/dashboards/';
const PATH = /^\/api\/dashboards\/([a-z0-9][a-z0-9-]{0,79})\.pdf$/;

/** Long enough to load and print a dashboard of 48 widgets; the session is revoked when done anyway. */
export const SNAPSHOT_SESSION_MS = 2 * 60_000;

function refuse(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, data: { code, httpStatus: status } } }));
}

/** The browser talks to this cloud on the address the request came in on: it is listening there. */
function ownAddress(req: IncomingMessage): string {
  const address = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
}

const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export async function serveDashboardPdf(
  deps: AppDeps,
  printer: { chromiumPath: string; slots: SnapshotSlots },
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    return refuse(res, 405, 'METHOD_NOT_SUPPORTED', 'Download the dashboard PDF with GET');
  }
  const context = await createContext(deps, req, res);
  const { principal } = context;
  if (principal === null) return refuse(res, 401, 'UNAUTHORIZED', context.authProblem ?? 'Sign in first');
  if (!principal.permissions.has('kpi.read'))
    return refuse(res, 403, 'FORBIDDEN', 'This needs the permission kpi.read');
  if (principal.userId === null)
    return refuse(res, 403, 'FORBIDDEN', 'A dashboard PDF is drawn as a signed-in user, not with an API key');
  const userId = principal.userId;
  const match = PATH.exec(path);
  if (match === null) return refuse(res, 404, 'NOT_FOUND', 'Dashboard not found');
  const slug = match[1] ?? '';
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const variables = Object.fromEntries(
    SNAPSHOT_VARIABLES.flatMap((name) => {
      const value = query.get(name);
      return value === null || value === '' ? [] : [[name, value.slice(0, 100)]];
    }),
  );
  const release = printer.slots.take();
  if (release === null)
    return refuse(
      res,
      429,
      'TOO_MANY_REQUESTS',
      `${printer.slots.size} dashboard PDFs are being made already; try again in a moment`,
    );
  try {
    const scope = scopeOf(principal);
    let session: { sessionId: string; token: string };
    let name: string;
    let dashboardId: string;
    try {
      ({ session, name, dashboardId } = await deps.db.transact(scope, async (tx) => {
        const dashboard = await findDashboard(tx, await viewerOf(tx, principal), { slug });
        // Before anything is written: a cloud without Chromium says how to fix it.
        if (!existsSync(printer.chromiumPath)) throw new ChromiumMissing(printer.chromiumPath);
        describeAuditCaller(tx, {
          actor: actorOf(principal),
          requestId: context.request.requestId,
          clientAddress: context.request.ip,
          reason: null,
        });
        const now = new Date();
        const made = await createSession(
          tx,
          principal.tenantId,
          { userId, ipAddress: context.request.ip, userAgent: 'Plantline dashboard snapshot' },
          // Neither sliding nor rotated: it ends two minutes after it starts.
          { idleMs: SNAPSHOT_SESSION_MS, maxMs: SNAPSHOT_SESSION_MS, rotateMs: SNAPSHOT_SESSION_MS },
          now,
        );
        audit(tx, {
          action: 'dashboard.snapshot',
          entityType: 'dashboard',
          entityId: dashboard.id,
          entityLabel: dashboard.name,
          after: { format: 'pdf', variables, sessionId: made.sessionId },
        });
        return { session: made, name: dashboard.name, dashboardId: dashboard.id };
      }));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found')
        return refuse(res, 404, 'NOT_FOUND', error.message);
      if (error instanceof ChromiumMissing) return refuse(res, 503, 'SERVICE_UNAVAILABLE', error.message);
      throw error;
    }

    let pdf: Buffer | null = null;
    let failure: unknown = null;
    try {
      pdf = await renderDashboardPdf({
        chromiumPath: printer.chromiumPath,
        baseUrl: ownAddress(req),
        slug,
        variables,
        sessionToken: session.token,
        sessionCookie: SESSION_COOKIE,
      });
    } catch (error) {
      failure = error;
    }
    // The session ends as soon as the page is printed, or failed to be.
    await deps.db.transact(scope, async (tx) => {
      describeAuditCaller(tx, {
        actor: actorOf(principal),
        requestId: context.request.requestId,
        clientAddress: context.request.ip,
        reason: null,
      });
      await revokeSession(tx, session.sessionId);
      audit(tx, {
        action: 'dashboard.snapshot-end',
        entityType: 'dashboard',
        entityId: dashboardId,
        entityLabel: name,
        after:
          pdf === null
            ? { sessionId: session.sessionId, error: String(failure).slice(0, 500) }
            : { sessionId: session.sessionId, bytes: pdf.length, sha256: sha256Hex(pdf) },
      });
    });
    if (failure instanceof ChromiumMissing) return refuse(res, 503, 'SERVICE_UNAVAILABLE', failure.message);
    if (pdf === null) throw failure;
    const fileName = `${slug}-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.pdf`;
    res.writeHead(200, {
      'content-type': 'application/pdf',
      'content-length': pdf.length,
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
      'x-content-sha256': sha256Hex(pdf),
    });
    res.end(pdf);
  } finally {
    release();
  }
}
