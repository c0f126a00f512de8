export { notifyOnAuditFailure } from './audit-alerts.js';
export { EmailOutbox } from './email-outbox.js';
export { notificationKinds } from './kinds.js';
export { notificationsRouter } from './notifications.router.js';
export { type NotificationRequest, type Notified, type NotifyContext, notify, notifyNow } from './notify.js';
export type { Recipients } from './recipients.js';
export { smtpTransport } from './smtp.js';
