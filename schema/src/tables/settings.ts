import { integer, jsonb, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';

/*
 * Tenant settings (docs/settings.md): one row per tenant holding a document validated by
 * `tenantSettingsSchema` (schema/src/settings.ts), so a new setting needs no migration. A tenant
 * without a row has the defaults.
 */
export const systemSettings = pgTable('system_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  settings: jsonb('settings').notNull().default({}),
  /** Raised by every change: a save based on an older version is refused (concurrent edits). */
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});
