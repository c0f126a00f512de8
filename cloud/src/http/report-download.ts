import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { AppDeps } from '../app-deps.js';
import { findRun } from '../modules/reports/index.js';
import { DomainError, scopeOf } from '../platform/index.js';
import { createContext } from '../trpc/context.js';

/*
 * GET /api/reports/runs/<id>/download: a run's output as a file (docs/reports.md, "Retention and
 * download"). A plain HTTP route like the audit CSV and label PDF routes, so the browser downloads it
 * with the session cookie; who may see the run decides (row-level security for its plant, then its
 * requester or anyone who may read its data). The file name says the report, the period and the run.
 */

export const REPORT_DOWNLOAD_PREFIX = '/api/reports/runs/';
const PATH =
  /^\/api\/reports\/runs\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/download$/i;

const contentTypes = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

function refuse(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, data: { code, httpStatus: status } } }));
}

/** "OEE by shift 2026-W48" → "oee-by-shift-2026-w48": safe in every file system and header. */
export function fileNameOf(name: string, period: string | null, id: string, format: string): string {
  const slug = [name, period ?? '']
    .join(' ')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 80);
  return `${slug || 'report'}-${id.slice(0, 8)}.${format}`;
}

export async function serveReportDownload(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    return refuse(res, 405, 'METHOD_NOT_SUPPORTED', 'Download a report with GET');
  }
  const context = await createContext(deps, req, res);
  const { principal } = context;
  if (principal === null) return refuse(res, 401, 'UNAUTHORIZED', context.authProblem ?? 'Sign in first');
  const match = PATH.exec(path);
  if (match === null) return refuse(res, 404, 'NOT_FOUND', 'No such run');
  let run: Awaited<ReturnType<typeof findRun>>;
  try {
    run = await deps.db.transact(scopeOf(principal), (tx) =>
      findRun(tx, principal, (match[1] ?? '').toLowerCase()),
    );
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found')
      return refuse(res, 404, 'NOT_FOUND', error.message);
    throw error;
  }
  if (run.status !== 'succeeded') {
    return refuse(
      res,
      409,
      'CONFLICT',
      run.status === 'failed' ? `The run failed: ${run.error ?? ''}` : 'The run has not finished yet',
    );
  }
  if (run.outputPath === null) {
    return refuse(res, 410, 'GONE', 'The output was deleted after its retention; run the report again');
  }
  const file = deps.reports.pathOf(run.outputPath);
  const size = await stat(file)
    .then((s) => s.size)
    .catch(() => null);
  if (size === null)
    return refuse(res, 410, 'GONE', 'The output is no longer in the reports store; run the report again');
  const name = fileNameOf(run.reportName, run.period?.label ?? null, run.id, run.format);
  res.writeHead(200, {
    'content-type': contentTypes[run.format],
    'content-length': size,
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'no-store',
    ...(run.outputSha256 === null ? {} : { 'x-content-sha256': run.outputSha256 }),
  });
  await pipeline(createReadStream(file), res);
}
