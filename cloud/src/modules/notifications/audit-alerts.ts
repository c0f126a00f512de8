import type { Logger } from 'pino';
import type { Database } from '../../db/index.js';
import type { BusEvents, EventBus } from '../../platform/index.js';
import { AUDIT_FAILED_KIND } from './kinds.js';
import { notifyNow } from './notify.js';

/*
 * A broken audit chain must reach people, not only the log: every holder of audit.read is notified
 * (in the app, and by email where they take it) when a verification, scheduled or asked for, finds
 * the chain broken (docs/audit.md, "Verifying"; docs/notifications.md).
 */

type Failure = BusEvents['audit.verification-failed'];

/** The notification a failed verification sends: what broke, and the page that shows it. */
export function auditFailureNotice(failure: Failure) {
  const how = failure.trigger === 'schedule' ? 'The daily verification' : 'A verification';
  return {
    to: { permission: 'audit.read' as const },
    kind: AUDIT_FAILED_KIND,
    title: `${how} of the audit trail failed at entry ${failure.firstBadSeq}`,
    body: failure.reason,
    link: `/admin/audit/verification`,
  };
}

/** Listens until the returned function is called. */
export function notifyOnAuditFailure(deps: {
  db: Database;
  bus: EventBus;
  email: { readonly enabled: boolean } | null;
  log: Logger;
}): () => void {
  return deps.bus.on('audit.verification-failed', (failure) => {
    notifyNow(deps, { tenantId: failure.tenantId, plantIds: 'all' }, auditFailureNotice(failure)).catch(
      (error: unknown) =>
        deps.log.error(
          { err: error, tenantId: failure.tenantId },
          'could not notify of a broken audit trail',
        ),
    );
  });
}
