/*
 * What a notification email says (docs/notifications.md, "Email"). Plain text: it reads the same in
 * every mail client, and every link in it is an absolute URL of the web app, so it opens in the browser
 * wherever the email is read.
 */

export interface EmailNotification {
  title: string;
  body: string | null;
  /** A path of the web app, or null. */
  link: string | null;
  /** ISO 8601. */
  createdAt: string;
}

export interface EmailMessage {
  subject: string;
  text: string;
}

const NOTIFICATIONS_PAGE = '/notifications';

/** `path` of the web app at `publicUrl` (no trailing slash). */
export function browserLink(publicUrl: string, path: string | null): string {
  return `${publicUrl.replace(/\/+$/, '')}${path ?? NOTIFICATIONS_PAGE}`;
}

const footer = (publicUrl: string) =>
  [
    '',
    '--',
    `All your notifications, and whether they come by email: ${browserLink(publicUrl, NOTIFICATIONS_PAGE)}`,
  ].join('\n');

/** The email for one notification: its title as the subject, its body and the link to open it. */
export function notificationEmail(publicUrl: string, notification: EmailNotification): EmailMessage {
  const lines = [notification.title, ''];
  if (notification.body !== null) lines.push(notification.body, '');
  lines.push(`Open in Plantline: ${browserLink(publicUrl, notification.link)}`);
  return { subject: notification.title, text: `${lines.join('\n')}\n${footer(publicUrl)}\n` };
}

export function digestSubject(count: number): string {
  return count === 1 ? 'Plantline: 1 new notification' : `Plantline: ${count} new notifications`;
}

/** One email for several notifications, oldest first, each with its time and link. */
export function digestEmail(publicUrl: string, notifications: readonly EmailNotification[]): EmailMessage {
  const lines = [
    `${digestSubject(notifications.length).replace(/^Plantline: /, '')} since your last digest:`,
    '',
  ];
  for (const n of notifications) {
    lines.push(`- ${n.title} (${n.createdAt.slice(0, 16).replace('T', ' ')} UTC)`);
    if (n.body !== null) lines.push(`  ${n.body.replace(/\n/g, '\n  ')}`);
    lines.push(`  ${browserLink(publicUrl, n.link)}`, '');
  }
  return {
    subject: digestSubject(notifications.length),
    text: `${lines.join('\n')}${footer(publicUrl)}\n`,
  };
}
