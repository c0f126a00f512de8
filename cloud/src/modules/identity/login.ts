import { tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../app-deps.js';
import { rows } from '../../db/index.js';
import type { RequestInfo } from '../../http/request-info.js';
import { DomainError } from '../../platform/index.js';
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

/**
 * Email + password sign-in. Throttled per account, per client address and per both; a deactivated account,
 * an unknown email and a wrong password are indistinguishable to the caller (and take as long).
 */
export async function login(
  deps: Pick<AppDeps, 'db' | 'loginLimiter' | 'sessionPolicy' | 'log'>,
  input: { email: string; password: string },
  request: RequestInfo,
): Promise<SignedInUser & { session: NewSession }> {
  // Reserved before the password is looked at: concurrent attempts each take a place (login-limiter.ts).
  const attempt = deps.loginLimiter.reserve(input.email, request.ip);
  if (!attempt.allowed) throw throttled(attempt.retryAfterMs);

  const [account] = await deps.db.transact(null, (tx) =>
    rows<{ user_id: string; tenant_id: string; password_hash: string; is_active: boolean }>(
      tx,
      sql`select * from plantline.auth_user_by_email(${input.email})`,
    ),
  );
  const passwordOk =
    account === undefined
      ? await burnPasswordCheck(input.password).then(() => false)
      : await verifyPassword(account.password_hash, input.password);
  if (account === undefined || !passwordOk || !account.is_active) {
    deps.log.info({ ip: request.ip, known: account !== undefined }, 'sign-in refused');
    throw new DomainError('unauthenticated', INVALID_CREDENTIALS);
  }
  attempt.succeeded();

  const scope = { tenantId: account.tenant_id, userId: account.user_id, plantIds: [] };
  const session = await createSession(
    deps.db,
    scope,
    {
      userId: account.user_id,
      ipAddress: request.ip === 'unknown' ? null : request.ip,
      userAgent: request.userAgent,
    },
    deps.sessionPolicy,
  );
  const who = await deps.db.transact(scope, async (tx) => {
    const [user] = await tx
      .update(tables.users)
      .set({ lastLoginAt: new Date() })
      .where(eq(tables.users.id, account.user_id))
      .returning({ id: tables.users.id, email: tables.users.email, displayName: tables.users.displayName });
    const [tenant] = await tx
      .select({ id: tables.tenants.id, name: tables.tenants.name })
      .from(tables.tenants)
      .where(eq(tables.tenants.id, account.tenant_id));
    return { user: user!, tenant: tenant! };
  });
  return { ...who, session };
}
