import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../app-deps.js';
import { entryFiltersInput, recordCsvExport, streamEntriesCsv } from '../modules/audit/index.js';
import { createContext } from '../trpc/context.js';

/*
 * GET /api/audit/entries.csv?<the filters of audit.entries.list>: the audit trail as a CSV download
 * (docs/audit.md, "Exporting"). A plain HTTP route rather than a tRPC query, so the browser can
 * download it as a file of any length; it identifies the caller the way the API does (session
 * cookie or API key) and needs audit.read.
 */

export const AUDIT_CSV_PATH = '/api/audit/entries.csv';

function refuse(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, data: { code, httpStatus: status } } }));
}

export async function serveAuditCsv(deps: AppDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    return refuse(res, 405, 'METHOD_NOT_SUPPORTED', 'Download the audit trail with GET');
  }
  const context = await createContext(deps, req, res);
  const { principal } = context;
  if (principal === null) return refuse(res, 401, 'UNAUTHORIZED', context.authProblem ?? 'Sign in first');
  if (!principal.permissions.has('audit.read')) {
    return refuse(res, 403, 'FORBIDDEN', 'This needs the permission audit.read');
  }
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const parsed = entryFiltersInput.safeParse(Object.fromEntries(query));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '_'}: ${i.message}`).join('; ');
    return refuse(res, 400, 'BAD_REQUEST', `Invalid input: ${problems}`);
  }
  try {
    await recordCsvExport(deps.db, principal, parsed.data, {
      requestId: context.request.requestId,
      clientAddress: context.request.ip,
    });
  } catch (error) {
    context.log.error({ err: error }, 'recording an audit CSV export failed');
    return refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  }
  const day = new Date().toISOString().slice(0, 10);
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="audit-trail-${day}.csv"`,
    'cache-control': 'no-store',
  });
  try {
    await streamEntriesCsv(deps.db, principal, parsed.data, res);
  } catch (error) {
    // The status went out with the first bytes: a cut-off download is all that can say it failed.
    if (!res.destroyed) context.log.error({ err: error }, 'audit CSV export failed');
    res.destroy();
  }
}
