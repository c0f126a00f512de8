import { tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.js';
import { rows } from '../../db/index.js';
import type { RequestInfo } from '../../http/request-info.js';
import { type AuditActor, audit, DomainError, describeAuditCaller } from '../../platform/index.js';
import { TENANT_SUSPENDED } from './callers.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';
import { createSession, type NewSession } from './sessions.js';

export interface SignedInUser {
  user: { id: string; email: string; displayName: string };
  tenant: { id: string; name: string };
}

function throttled(retryAfterMs: number): DomainError {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return new DomainError(
    'throttled',
    `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  );
}

/** One message for every refusal, so the answer does not say whether the email has an account. */
export const INVALID_CREDENTIALS = 'Invalid email or password';

type LoginDeps = Pick<AppDeps, 'db' | 'loginLimiter' | 'sessionPolicy' | 'log'>;

interface Account {
  user_id: string;
  tenant_id: string;
  password_hash: string;
  is_active: boolean;
}

/** Why a sign-in was refused, as the audit trail says it (the caller is told none of it). */
type SignInFailure = 'wrong password' | 'account deactivated' | 'too many attempts' | 'tenant suspended';

/**
 * Email + password sign-in. Throttled per account, per client address and per both; a deactivated account,
 * an unknown email and a wrong password are indistinguishable to the caller (and take as long).
 * Successes and refusals of known accounts are in the account's tenant's audit trail.
 */
export async function login(
  deps: LoginDeps,
  input: { email: string; password: string },
  request: RequestInfo,
): Promise<SignedInUser & { session: NewSession }> {
  // Reserved before the password is looked at: concurrent attempts each take a place (login-limiter.ts).
  const attempt = await deps.loginLimiter.reserve(input.email, request.ip);
  if (!attempt.allowed) {
    if (await deps.loginLimiter.firstRefusalInWindow(input.email)) {
      await recordRefusal(
        deps,
        input.email,
        await findAccount(deps, input.email),
        'too many attempts',
        request,
      );
    }
    throw throttled(attempt.retryAfterMs);
  }

  const account = await findAccount(deps, input.email);
  const passwordOk =
    account === undefined
      ? await burnPasswordCheck(input.password).then(() => false)
      : await verifyPassword(account.password_hash, input.password);
  if (account === undefined || !passwordOk || !account.is_active) {
    await recordRefusal(
      deps,
      input.email,
      account,
      passwordOk ? 'account deactivated' : 'wrong password',
      request,
    );
    throw new DomainError('unauthenticated', INVALID_CREDENTIALS);
  }
  await attempt.succeeded();
  // Said only to someone who knows the password: the account is theirs, its tenant is what stops them.
  if (!(await tenantOpen(deps, account.tenant_id))) {
    await recordRefusal(deps, input.email, account, 'tenant suspended', request);
    throw new DomainError('unauthenticated', TENANT_SUSPENDED);
  }

  // The session, the last sign-in time and the entry that records them commit together.
  const scope = { tenantId: account.tenant_id, userId: account.user_id, plantIds: [] };
  return deps.db.transact(scope, async (tx) => {
    describeAuditCaller(tx, callerOf(request, { ...SYSTEM, kind: 'user', userId: account.user_id }));
    const session = await createSession(
      tx,
      account.tenant_id,
      {
        userId: account.user_id,
        ipAddress: request.ip === 'unknown' ? null : request.ip,
        userAgent: request.userAgent,
      },
      deps.sessionPolicy,
    );
    const [user] = await tx
      .update(tables.users)
      .set({ lastLoginAt: new Date() })
      .where(eq(tables.users.id, account.user_id))
      .returning({ id: tables.users.id, email: tables.users.email, displayName: tables.users.displayName });
    const [tenant] = await tx
      .select({ id: tables.tenants.id, name: tables.tenants.name })
      .from(tables.tenants)
      .where(eq(tables.tenants.id, account.tenant_id));
    audit(tx, {
      action: 'user.sign-in',
      entityType: 'user',
      entityId: user!.id,
      entityLabel: user!.email,
      after: clientOf(request),
    });
    return { user: user!, tenant: tenant!, session };
  });
}

async function tenantOpen(deps: LoginDeps, tenantId: string): Promise<boolean> {
  const [tenant] = await deps.db.transact({ tenantId, plantIds: [] }, (tx) =>
    tx
      .select({ suspendedAt: tables.tenants.suspendedAt })
      .from(tables.tenants)
      .where(eq(tables.tenants.id, tenantId)),
  );
  return tenant !== undefined && tenant.suspendedAt === null;
}

async function findAccount(deps: LoginDeps, email: string): Promise<Account | undefined> {
  const [account] = await deps.db.transact(null, (tx) =>
    rows<Account>(tx, sql`select * from plantline.auth_user_by_email(${email})`),
  );
  return account;
}

const SYSTEM: AuditActor = { kind: 'system', userId: null, apiKeyId: null, onBehalfOfUserId: null };

/** The client as the trail names it; the user agent bounded as the session stores it. */
function clientOf(request: RequestInfo) {
  return { userAgent: request.userAgent?.slice(0, 512) ?? null };
}

function callerOf(request: RequestInfo, actor: AuditActor) {
  return {
    actor,
    requestId: request.requestId,
    clientAddress: request.ip === 'unknown' ? null : request.ip,
    reason: null,
  };
}

/**
 * A refused sign-in of a known account is committed in a transaction of its own before the call
 * fails: the call's failure must not take its record with it. The entry's actor is the system, not
 * the account, since whoever tried has not shown who they are.
 */
async function recordRefusal(
  deps: LoginDeps,
  email: string,
  account: Account | undefined,
  failure: SignInFailure,
  request: RequestInfo,
) {
  deps.log.info({ ip: request.ip, email, known: account !== undefined, failure }, 'sign-in refused');
  // An unknown email belongs to no tenant, so there is no chain to record it in and none is made up
  // for it (docs/audit.md): the log line above is its only record.
  if (account === undefined) return;
  await deps.db.transact({ tenantId: account.tenant_id, plantIds: [] }, async (tx) => {
    describeAuditCaller(tx, callerOf(request, SYSTEM));
    audit(tx, {
      action: 'user.sign-in-failed',
      entityType: 'user',
      entityId: account.user_id,
      entityLabel: email,
      after: { failure, ...clientOf(request) },
    });
  });
}
