import { tables } from '@plantline/schema';
import { and, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import type { ActInput, ActResult, Outcome } from './acting.js';

/*
 * Idempotent actions (docs/workflows.md, "Concurrency"): the client chooses a key once per attempt
 * and sends it again on a retry; the first attempt's answer is stored under the user and the key in
 * the action's transaction, and a retry gets that answer back without acting again.
 */

/**
 * Waits until an attempt with the same key still running has ended, so that a retry answers from it.
 * An advisory lock leaves the transaction without a write, as a replay must: a row lock would count as
 * one (the API refuses unaudited writes, docs/audit.md).
 */
export async function awaitEarlierAttempt(tx: Sql, userId: string, idempotencyKey: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${userId}:${idempotencyKey}`}, 0))`);
}

/** The stored answer to the same key from this user, or null; the key is never reused for another action. */
export async function storedResult(tx: Sql, userId: string, input: ActInput): Promise<ActResult | null> {
  const k = tables.workflowActionKeys;
  const [found] = await tx
    .select({ instanceId: k.instanceId, result: k.result })
    .from(k)
    .where(and(eq(k.userId, userId), eq(k.key, input.idempotencyKey)));
  if (found === undefined) return null;
  const result = found.result as Outcome & { transitionKey: string };
  if (found.instanceId !== input.instanceId || result.transitionKey !== input.transitionKey)
    throw new DomainError('conflict', 'This idempotency key was already used for another action');
  return {
    instanceVersion: result.instanceVersion,
    stateKey: result.stateKey,
    outcome: result.outcome,
    replayed: true,
  };
}

/** Keeps the answer to `idempotencyKey` for a retry, in the action's transaction. */
export async function storeResult(
  tx: Sql,
  key: { tenantId: string; userId: string; idempotencyKey: string; instanceId: string },
  transitionKey: string,
  outcome: Outcome,
): Promise<void> {
  await tx.insert(tables.workflowActionKeys).values({
    tenantId: key.tenantId,
    userId: key.userId,
    key: key.idempotencyKey,
    instanceId: key.instanceId,
    result: { ...outcome, transitionKey },
  });
}
