import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../app-deps.js';
import { renderSignaturePage, signatureManifest } from '../modules/workflow/index.js';
import { DomainError, scopeOf } from '../platform/index.js';
import { createContext } from '../trpc/context.js';

/*
 * GET /api/workflow/signatures/<entityType>/<entityId>.pdf: the printable manifestation of a record's
 * electronic signatures (docs/workflows.md, "Electronic signatures"). A plain HTTP route like the
 * audit trail's CSV (audit-csv.ts), so the browser opens it as a file; it identifies the caller the
 * way the API does and needs the record type's read permission; row-level security decides which
 * records exist for the caller.
 */

export const SIGNATURE_PDF_PREFIX = '/api/workflow/signatures/';
const PATH =
  /^\/api\/workflow\/signatures\/([a-z][a-z0-9_]{0,99})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.pdf$/i;

function refuse(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, data: { code, httpStatus: status } } }));
}

const refusals = {
  not_found: [404, 'NOT_FOUND'],
  forbidden: [403, 'FORBIDDEN'],
  invalid: [400, 'BAD_REQUEST'],
} as const;

export async function serveSignaturePdf(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    return refuse(res, 405, 'METHOD_NOT_SUPPORTED', 'Download the signatures with GET');
  }
  const context = await createContext(deps, req, res);
  const { principal } = context;
  if (principal === null) return refuse(res, 401, 'UNAUTHORIZED', context.authProblem ?? 'Sign in first');
  const match = PATH.exec(path);
  if (match === null) return refuse(res, 404, 'NOT_FOUND', 'No such record');
  const input = { entityType: match[1] ?? '', entityId: (match[2] ?? '').toLowerCase() };
  let pdf: Buffer;
  let code: string;
  try {
    const manifest = await deps.db.transact(scopeOf(principal), (tx) =>
      signatureManifest({ tx, principal, deps }, input),
    );
    code = manifest.code;
    pdf = await renderSignaturePage(manifest);
  } catch (error) {
    if (error instanceof DomainError && error.code in refusals) {
      const [status, name] = refusals[error.code as keyof typeof refusals];
      return refuse(res, status, name, error.message);
    }
    throw error;
  }
  const file = `signatures-${code.replace(/[^A-Za-z0-9._-]+/g, '_')}.pdf`;
  res.writeHead(200, {
    'content-type': 'application/pdf',
    'content-length': pdf.length,
    'content-disposition': `inline; filename="${file}"`,
    'cache-control': 'no-store',
  });
  res.end(pdf);
}
