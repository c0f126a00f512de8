import {
  type NotificationRequest,
  type Notified,
  type NotifyContext,
  notify,
} from '../notifications/index.js';

/*
 * What the workflow tells people about, by notification kind (docs/notifications.md, "What the
 * workflow sends"). Every notification of this module goes through `workflowNotify`, whose kind must
 * be one of these, and each is in the preferences catalogue so people can choose email for it before
 * the first one arrives: workflow-notify.test.ts checks both.
 */

/** A state's `notify` action ran on entering it (enter-state.ts). */
export const STATE_ENTERED_KIND = 'workflow.state-entered';
/** An edit voided the signer's signature and the vote it carried (signatures.ts). */
export const SIGNATURE_VOIDED_KIND = 'workflow.signature-voided';
/** A delegation naming the person was given or revoked (delegations.ts). */
export const DELEGATION_KIND = 'workflow.delegation';
/** A state's SLA is close to its due time (sla-job.ts). */
export const SLA_REMINDER_KIND = 'workflow.sla-reminder';
/** A state's SLA has passed its due time and was escalated (sla-job.ts). */
export const SLA_OVERDUE_KIND = 'workflow.sla-overdue';

export const workflowNotificationKinds = [
  STATE_ENTERED_KIND,
  SIGNATURE_VOIDED_KIND,
  DELEGATION_KIND,
  SLA_REMINDER_KIND,
  SLA_OVERDUE_KIND,
] as const;

export type WorkflowNotificationKind = (typeof workflowNotificationKinds)[number];

export type WorkflowNotification = NotificationRequest & { kind: WorkflowNotificationKind };

/** notify() for the workflow's own kinds: a new kind is added above, and so to the catalogue. */
export function workflowNotify(ctx: NotifyContext, request: WorkflowNotification): Promise<Notified> {
  return notify(ctx, request);
}
