import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { emailDigests } from '../settings.js';
import { createdAtColumn, idColumn } from './columns.js';
import { users } from './identity.js';

/*
 * Notifications (docs/notifications.md): one row per recipient, so "read" is per person and a role's
 * notification reaches each member once. Email goes through `notification_deliveries`, which is both
 * the queue the sender works from (retries with back-off) and the delivery log people read.
 */

export const notifications = pgTable(
  'notifications',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    /** What happened, in the sender's words (`audit.verify.failed`, `ncr.assigned`): opt-outs are per kind. */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    /** A path in the web app, such as `/production/orders/…`; emails turn it into a full link. */
    link: text('link'),
    plantId: uuid('plant_id'),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    createdAt: createdAtColumn(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_idx').on(t.tenantId, t.userId, t.createdAt),
    index('notifications_unread_idx').on(t.tenantId, t.userId).where(sql`${t.readAt} is null`),
    foreignKey({
      name: 'notifications_user_fk',
      columns: [t.tenantId, t.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
  ],
);

export const deliveryStatuses = ['pending', 'sent', 'failed', 'skipped'] as const;

/** One email: for one notification, or for a digest of several (notification_id null). */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    notificationId: uuid('notification_id'),
    userId: uuid('user_id').notNull(),
    channel: text('channel', { enum: ['email'] })
      .notNull()
      .default('email'),
    address: text('address').notNull(),
    subject: text('subject').notNull(),
    status: text('status', { enum: deliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    /** The SMTP server's message id once accepted. */
    messageId: text('message_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAtColumn(),
  },
  (t) => [
    index('notification_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('notification_deliveries_tenant_idx').on(t.tenantId, t.createdAt),
    index('notification_deliveries_user_idx').on(t.tenantId, t.userId, t.createdAt),
    index('notification_deliveries_notification_idx').on(t.tenantId, t.notificationId),
    foreignKey({
      name: 'notification_deliveries_user_fk',
      columns: [t.tenantId, t.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
  ],
);

/** A user's choice per kind of notification; no row means the tenant's default. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    email: boolean('email').notNull(),
  },
  (t) => [
    primaryKey({ name: 'notification_preferences_pkey', columns: [t.tenantId, t.userId, t.kind] }),
    foreignKey({
      name: 'notification_preferences_user_fk',
      columns: [t.tenantId, t.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
  ],
);

/** A user's email digest: instead of one email per notification, one per hour or day. */
export const notificationDigests = pgTable(
  'notification_digests',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    digest: text('digest', { enum: emailDigests }).notNull(),
    /** Notifications created after this instant go into the next digest. */
    coveredUntil: timestamp('covered_until', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'notification_digests_pkey', columns: [t.tenantId, t.userId] }),
    foreignKey({
      name: 'notification_digests_user_fk',
      columns: [t.tenantId, t.userId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
  ],
);
