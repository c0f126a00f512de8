import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../app-deps.js';
import { tenantLogo } from '../modules/settings/index.js';
import { scopeOf } from '../platform/index.js';
import { createContext } from '../trpc/context.js';

/*
 * GET /api/tenant/logo: the signed-in user's tenant's logo (docs/settings.md, "Logo"), for the web's
 * header and the settings preview. Its ETag is the SHA-256 of the bytes, so a browser revalidates and
 * gets 304 until the logo changes; private, as it is the tenant's.
 */

export const TENANT_LOGO_PATH = '/api/tenant/logo';

function refuse(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, data: { code, httpStatus: status } } }));
}

export async function serveTenantLogo(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return refuse(res, 405, 'METHOD_NOT_SUPPORTED', 'Read the logo with GET');
  }
  const context = await createContext(deps, req, res);
  const { principal } = context;
  if (principal === null) return refuse(res, 401, 'UNAUTHORIZED', context.authProblem ?? 'Sign in first');
  const logo = await deps.db.transact(scopeOf(principal), (tx) => tenantLogo(tx));
  if (logo === null) return refuse(res, 404, 'NOT_FOUND', 'This tenant has no logo');
  const etag = `"${logo.sha256}"`;
  const headers = { etag, 'cache-control': 'private, no-cache' };
  const seen = (req.headers['if-none-match'] ?? '').split(',').map((tag) => tag.trim());
  if (seen.includes(etag) || seen.includes('*')) {
    res.writeHead(304, headers);
    return void res.end();
  }
  res.writeHead(200, {
    ...headers,
    'content-type': logo.type,
    'content-length': logo.data.length,
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : logo.data);
}
