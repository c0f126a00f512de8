import { tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import { rows } from '../../db/index.js';
import { audit, DomainError, keepWrite, type Principal } from '../../platform/index.js';
import { verifyPassword } from '../identity/index.js';
import { tenantSettings } from '../settings/index.js';
import { entityOf, type WorkflowContext } from './context.js';
import type { WorkflowEntity } from './entities.js';
import { loadRecord } from './record-fields.js';

/*
 * Who may sign and with what (docs/workflows.md, "Electronic signatures"). 21 CFR 11.200(a)(1): the
 * first signing of a continuous session uses both identification components, the email and the
 * password; later ones in the same session the password only, until the tenant's idle time has passed
 * since the last signing with both. Only a person in a session signs (11.100(a): a signature is
 * unique to one individual; an API key is no one). Every refused attempt is recorded (11.300(d)).
 */

export type SigningComponents = 'both' | 'password';

export interface SigningRequirement {
  components: SigningComponents;
  /** The tenant's setting `workflow.signatureIdleMinutes`. */
  idleMinutes: number;
}

/** The one refusal of a wrong email or password: the caller is not told which was wrong. */
export const PASSWORD_NOT_CORRECT = 'The password is not correct';

/** The signing person: a user in a session. */
export function signerOf(principal: Principal): { userId: string; sessionId: string } {
  if (principal.kind !== 'user' || principal.userId === null || principal.sessionId === null) {
    throw new DomainError('forbidden', 'Only a person signed in with a session can sign; an API key cannot');
  }
  return { userId: principal.userId, sessionId: principal.sessionId };
}

/** Which components the caller's next signing needs. */
export async function signingRequirement(
  ctx: Pick<WorkflowContext, 'tx' | 'principal'>,
): Promise<SigningRequirement> {
  const { userId, sessionId } = signerOf(ctx.principal);
  const idleMinutes = (await tenantSettings(ctx.tx)).workflow.signatureIdleMinutes;
  const [session] = await rows<{ recent: boolean }>(
    ctx.tx,
    sql`select coalesce(signing_verified_at > now() - make_interval(mins => ${idleMinutes}::int), false) as recent
          from sessions where id = ${sessionId}::uuid and user_id = ${userId}::uuid`,
  );
  return { components: session?.recent === true ? 'password' : 'both', idleMinutes };
}

export interface SignerInput {
  /** Required when both components are; optional otherwise (given, it is checked and counts). */
  email?: string | undefined;
  password: string;
  entityType: string;
  entityId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Failure = 'wrong password' | 'wrong email' | 'too many attempts';

/**
 * Checks that the caller is who signs: the password, and the email when both components are needed
 * or given. A success with both starts a new period in which the password alone will do. A refusal
 * is recorded on the record — audit entry and timeline — in a transaction that stays although the
 * call fails (platform/kept-writes.ts), and repeated refusals are throttled like sign-in.
 */
export async function verifySigner(
  ctx: WorkflowContext,
  input: SignerInput,
): Promise<{ components: SigningComponents }> {
  const { userId, sessionId } = signerOf(ctx.principal);
  const entity = entityOf(ctx, input.entityType);
  const requirement = await signingRequirement(ctx);
  const email = input.email?.trim() ?? '';
  if (requirement.components === 'both' && email === '') {
    throw new DomainError('invalid', 'Enter your email too: this signing needs both components', {
      email: 'Required for this signing',
    });
  }
  const limiter = ctx.deps.loginLimiter;
  const key = `signing:${userId}`;
  const attempt = await limiter.reserve(key, key);
  if (!attempt.allowed) {
    if (await limiter.firstRefusalInWindow(key))
      keepFailure(ctx, entity, input.entityId, 'too many attempts');
    const minutes = Math.max(1, Math.ceil(attempt.retryAfterMs / 60_000));
    throw new DomainError(
      'throttled',
      `Too many signing attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    );
  }
  const [account] = await ctx.tx
    .select({ email: tables.users.email, passwordHash: tables.users.passwordHash })
    .from(tables.users)
    .where(eq(tables.users.id, userId));
  const confirmations = ctx.deps.passwordConfirmations;
  const session = account === undefined ? null : { sessionId, userId, passwordHash: account.passwordHash };
  // Within a signing period the password this session already proved compares by HMAC
  // (identity/password-confirmations.ts); anything else — and every first signing — pays Argon2id.
  // The password is checked whatever the email, so a wrong email takes as long as a wrong password.
  const confirmed =
    session !== null &&
    requirement.components === 'password' &&
    confirmations?.matches(session, input.password) === true;
  const passwordOk =
    confirmed || (account !== undefined && (await verifyPassword(account.passwordHash, input.password)));
  const emailOk = email === '' || email.toLowerCase() === account?.email.toLowerCase();
  if (!passwordOk || !emailOk) {
    keepFailure(ctx, entity, input.entityId, passwordOk ? 'wrong email' : 'wrong password');
    throw new DomainError('invalid', PASSWORD_NOT_CORRECT, { password: PASSWORD_NOT_CORRECT });
  }
  await attempt.succeeded();
  if (session !== null && !confirmed) {
    confirmations?.remember(session, input.password, requirement.idleMinutes * 60_000);
  }
  if (email === '') return { components: 'password' };
  await ctx.tx
    .update(tables.sessions)
    .set({ signingVerifiedAt: sql`now()` })
    .where(eq(tables.sessions.id, sessionId));
  return { components: 'both' };
}

/** The refused attempt, recorded after the call's transaction ends (it is rolled back). */
function keepFailure(ctx: WorkflowContext, entity: WorkflowEntity, entityId: string, failure: Failure) {
  const userId = ctx.principal.userId;
  keepWrite(ctx.tx, async (tx) => {
    // Not found is an answer, not a failed statement; an id that is no uuid is not looked up at all.
    const record = UUID.test(entityId) ? await loadRecord(tx, entity, entityId).catch(() => null) : null;
    const [instance] =
      record === null
        ? []
        : await rows<{ id: string; round: number; plant_id: string | null }>(
            tx,
            sql`select id, round, plant_id from workflow_instances
                 where entity_type = ${entity.key} and entity_id = ${record.id}::uuid`,
          );
    audit(tx, {
      action: 'signature.failed',
      entityType: entity.key,
      entityId,
      entityLabel: record?.code ?? null,
      plantId: record?.plantId ?? null,
      after: { failure },
    });
    if (instance === undefined) return;
    // The timeline says a signing was refused, not why: record readers need not know which part was wrong.
    await tx.insert(tables.workflowEvents).values({
      tenantId: ctx.principal.tenantId,
      plantId: instance.plant_id,
      instanceId: instance.id,
      kind: 'signature_failed',
      round: instance.round,
      actorId: userId,
    });
  });
}
