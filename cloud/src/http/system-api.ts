import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import {
  createTenant,
  findOperator,
  listTenants,
  newTenantInput,
  resumeTenant,
  suspendTenant,
  tenantSummary,
} from '../modules/tenancy/index.js';
import { DomainError, isUniqueViolation } from '../platform/index.js';

/*
 * The system API (docs/security.md, "Tenants"): what `pnpm tenant` does, over HTTP for an operator's
 * automation, with an operator key (`Authorization: Bearer plo_…`) — a credential outside every tenant,
 * which no tenant's session or API key is. It runs as the database's owner.
 *
 *   GET  /api/system/tenants                  the tenants, with plants, users and suspension
 *   POST /api/system/tenants                  a new tenant: {name, slug, plants[], admin}
 *   POST /api/system/tenants/<slug>/suspend   {reason}
 *   POST /api/system/tenants/<slug>/resume
 */
export const SYSTEM_API_PREFIX = '/api/system/';

/** Small JSON bodies only: a tenant with its plants is a few kB. */
const MAX_BODY_BYTES = 64 * 1024;

const suspendInput = z.object({
  reason: z.string().trim().min(1, 'Say why the tenant is suspended').max(500),
});

export async function serveSystemApi(
  deps: Pick<AppDeps, 'db' | 'bus' | 'log' | 'workflowEntities'>,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const key = /^Bearer (plo_\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const operator = key === undefined ? null : await findOperator(deps.db, key);
  if (operator === null) {
    req.resume();
    return answer(res, 401, { error: 'An operator key is needed (Authorization: Bearer plo_…)' });
  }
  const log = deps.log.child({ operator: operator.name });
  const route = path.slice(SYSTEM_API_PREFIX.length).split('/');
  try {
    if (route.length === 1 && route[0] === 'tenants') {
      if (req.method === 'GET') return answer(res, 200, { tenants: await listTenants(deps.db) });
      if (req.method === 'POST') {
        const input = parse(newTenantInput, await readJson(req));
        const created = await createTenant(deps.db, input, { workflowEntities: deps.workflowEntities });
        log.info({ slug: input.slug, tenantId: created.tenantId }, 'tenant created through the system API');
        const tenant = await tenantSummary(deps.db, input.slug);
        return answer(res, 201, { tenant, adminUserId: created.adminUserId });
      }
    }
    const [collection, slug, action] = route;
    if (route.length === 3 && collection === 'tenants' && slug !== undefined && req.method === 'POST') {
      if (action === 'suspend') {
        const { reason } = parse(suspendInput, await readJson(req));
        log.info({ slug, reason }, 'tenant suspended through the system API');
        return answer(res, 200, { tenant: await suspendTenant(deps.db, slug, reason, deps.bus) });
      }
      if (action === 'resume') {
        req.resume();
        log.info({ slug }, 'tenant resumed through the system API');
        return answer(res, 200, { tenant: await resumeTenant(deps.db, slug) });
      }
    }
    req.resume();
    return answer(res, 404, { error: `No system API at ${req.method} ${path}` });
  } catch (error) {
    if (error instanceof DomainError) {
      const status = { not_found: 404, conflict: 409, invalid: 400 }[error.code as string] ?? 400;
      return answer(res, status, {
        error: error.message,
        ...(error.fieldErrors ? { fields: error.fieldErrors } : {}),
      });
    }
    if (isUniqueViolation(error))
      return answer(res, 409, {
        error: 'A tenant with this slug, or a user with this email, exists already',
      });
    throw error;
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = Object.fromEntries(
    parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]),
  );
  throw new DomainError('invalid', 'The request is not valid', fields);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new DomainError('invalid', `The body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new DomainError('invalid', 'The body is not JSON');
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
