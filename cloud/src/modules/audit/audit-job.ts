import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, everyTenantId, rows } from '../../db/index.js';
import type { EventBus, Scheduler } from '../../platform/index.js';
import { type CheckpointOutcome, verifyAndCheckpoint } from './checkpoints.js';
import type { AuditSigningKey } from './signing-key.js';

/*
 * The daily check of every tenant's audit chain (docs/audit.md, "Verifying"): verify from the last
 * signed checkpoint, record the run, and sign a checkpoint of the head when the chain checks. A broken
 * chain is logged as an error and announced on the bus (audit.verification-failed), where the
 * notification to the tenant's administrators listens.
 */

const EVERY_MS = 24 * 3_600_000;

export interface AuditCheckDeps {
  db: Database;
  bus: EventBus;
  log: Logger;
  signingKey: AuditSigningKey;
}

export interface AuditCheckSummary {
  tenants: number;
  signed: number;
  failed: { tenantId: string; firstBadSeq: number; reason: string }[];
}

/** One tenant: its chain verified and, if it checks, its head signed. Null when it has no chain yet. */
export async function checkTenantChain(
  deps: AuditCheckDeps,
  tenantId: string,
): Promise<CheckpointOutcome | null> {
  const outcome = await deps.db.transact({ tenantId, plantIds: 'all' }, async (tx) => {
    const [chain] = await rows<{ exists: boolean }>(
      tx,
      sql`select exists (select 1 from audit_chain_heads where tenant_id = ${tenantId}) as exists`,
    );
    if (!chain?.exists) return null;
    return verifyAndCheckpoint(tx, tenantId, deps.signingKey, { trigger: 'schedule', requestedBy: null });
  });
  const { verification } = outcome ?? {};
  if (verification !== undefined && !verification.ok && verification.firstBadSeq !== null) {
    const failure = {
      tenantId,
      firstBadSeq: verification.firstBadSeq,
      reason: verification.reason ?? 'the chain does not check',
    };
    deps.log.error(failure, 'audit chain verification failed');
    deps.bus.emit('audit.verification-failed', { ...failure, trigger: 'schedule' });
  }
  return outcome;
}

/** Every tenant, one transaction each, so one tenant's long chain never holds another's. */
export async function checkAllChains(deps: AuditCheckDeps): Promise<AuditCheckSummary> {
  const tenants = await everyTenantId(deps.db);
  const summary: AuditCheckSummary = { tenants: 0, signed: 0, failed: [] };
  for (const id of tenants) {
    const outcome = await checkTenantChain(deps, id);
    if (outcome === null) continue;
    summary.tenants += 1;
    if (outcome.signed) summary.signed += 1;
    const { verification } = outcome;
    if (!verification.ok && verification.firstBadSeq !== null) {
      summary.failed.push({
        tenantId: id,
        firstBadSeq: verification.firstBadSeq,
        reason: verification.reason ?? '',
      });
    }
  }
  return summary;
}

export function scheduleAuditCheck(scheduler: Pick<Scheduler, 'every'>, deps: AuditCheckDeps): void {
  scheduler.every('audit-chain-check', EVERY_MS, async () => {
    const { tenants, signed, failed } = await checkAllChains(deps);
    deps.log.info({ tenants, signed, failed: failed.length }, 'audit chains verified');
  });
}
