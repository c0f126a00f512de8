import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../app-deps.js';
import { labelForRender, renderLabelPdf } from '../modules/labels/index.js';
import { DomainError, scopeOf } from '../platform/index.js';
import { createContext } from '../trpc/context.js';

/*
 * GET /api/labels/<id>.pdf: a label as a vector PDF of its own size, for office printers and archives
 * (docs/labels.md, "Issuing and printing"). A plain HTTP route like the signature page
 * (signature-pdf.ts), so the browser opens it as a file; it identifies the caller the way the API
 * does and needs logistics.read, and row-level security decides which labels exist for the caller:
 * another plant's label is "not found". The label is read in a transaction and drawn after it.
 */

export const LABEL_PDF_PREFIX = '/api/labels/';
const PATH = /^\/api\/labels\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.pdf$/i;

function refuse(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, data: { code, httpStatus: status } } }));
}

const refusals = {
  not_found: [404, 'NOT_FOUND'],
  forbidden: [403, 'FORBIDDEN'],
  invalid: [400, 'BAD_REQUEST'],
  throttled: [429, 'TOO_MANY_REQUESTS'],
} as const;

export async function serveLabelPdf(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    return refuse(res, 405, 'METHOD_NOT_SUPPORTED', 'Download the label with GET');
  }
  const context = await createContext(deps, req, res);
  const { principal } = context;
  if (principal === null) return refuse(res, 401, 'UNAUTHORIZED', context.authProblem ?? 'Sign in first');
  if (!principal.permissions.has('logistics.read'))
    return refuse(res, 403, 'FORBIDDEN', 'This needs the permission logistics.read');
  const match = PATH.exec(path);
  if (match === null) return refuse(res, 404, 'NOT_FOUND', 'No such label');
  const id = (match[1] ?? '').toLowerCase();
  let pdf: Buffer;
  let name: string;
  try {
    const { label, template } = await deps.db.transact(scopeOf(principal), (tx) => labelForRender(tx, id));
    name = label.sscc ?? label.id;
    pdf = await renderLabelPdf(deps.barcodes, template, label.data);
  } catch (error) {
    if (error instanceof DomainError && error.code in refusals) {
      const [status, code] = refusals[error.code as keyof typeof refusals];
      return refuse(res, status, code, error.message);
    }
    throw error;
  }
  res.writeHead(200, {
    'content-type': 'application/pdf',
    'content-length': pdf.length,
    'content-disposition': `inline; filename="label-${name}.pdf"`,
    'cache-control': 'no-store',
  });
  res.end(pdf);
}
