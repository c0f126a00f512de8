/*
 * Kinds of notification (docs/notifications.md, "Notifying from a module"). A kind is the producer's
 * name for what happened, `<area>.<event>`; users turn email on or off per kind. The catalogue gives
 * the kinds that exist before anyone has received one a label on the preferences page; a kind outside
 * it still works and is listed by its name once a user has received it.
 */

export const KIND_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;
export const KIND_MAX_LENGTH = 100;

/** "Send me a test notification": by email whenever email is set up, whatever the preferences. */
export const TEST_KIND = 'notifications.test';

/** A verification found the audit chain broken (audit-alerts.ts). */
export const AUDIT_FAILED_KIND = 'audit.verify.failed';

/*
 * The workflow's kinds are named here rather than imported: the workflow module builds on this one,
 * not the other way round. Its test (workflow-notify.test.ts) fails on a kind it sends that is missing.
 */
export const notificationKinds: readonly { kind: string; label: string }[] = [
  { kind: AUDIT_FAILED_KIND, label: 'The audit trail failed its verification' },
  { kind: 'workflow.state-entered', label: 'Workflow: a record reached a step you follow' },
  { kind: 'workflow.sla-reminder', label: 'Workflow: a step waiting for you is due soon' },
  { kind: 'workflow.sla-overdue', label: 'Workflow: a step is overdue and escalated' },
  { kind: 'workflow.delegation', label: 'Workflow: someone acts for you, or you for them' },
  { kind: 'workflow.signature-voided', label: 'Workflow: an edit voided your signature' },
  { kind: 'reports.scheduled', label: 'Reports: a scheduled report is ready to download' },
  { kind: 'reports.schedule-failed', label: 'Reports: a report you scheduled failed to run' },
  { kind: 'materials.lot-blocked', label: 'Materials: a lot was blocked; what was made from it is in stock' },
  { kind: 'materials.line-short', label: 'Materials: a line side is short of a component for counted parts' },
];

const labels = new Map(notificationKinds.map((k) => [k.kind, k.label]));

export function kindLabel(kind: string): string {
  return labels.get(kind) ?? kind;
}
