import { customType, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Raw bytes: drizzle-orm has no bytea column of its own. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/*
 * Tenant settings (docs/settings.md): one row per tenant holding a document validated by
 * `tenantSettingsSchema` (schema/src/settings.ts), so a new setting needs no migration. A tenant
 * without a row has the defaults.
 *
 * The tenant's logo (docs/settings.md, "Logo") sits beside the document rather than in it: bytes,
 * not a setting, checked when uploaded and read only by the report PDFs and the logo route, so the
 * readers of the settings never load it.
 */
export const systemSettings = pgTable('system_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  settings: jsonb('settings').notNull().default({}),
  /** Raised by every change: a save based on an older version is refused (concurrent edits). */
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
  /** PNG or JPEG, at most 256 KB and 2000×2000 px (cloud/src/modules/settings/logo-image.ts). */
  logo: bytea('logo'),
  /** image/png or image/jpeg, as read from the bytes. */
  logoType: text('logo_type'),
  /** Hex SHA-256 of the bytes: the ETag of /api/tenant/logo and what the audit trail records. */
  logoSha256: text('logo_sha256'),
  logoWidth: integer('logo_width'),
  logoHeight: integer('logo_height'),
  logoUpdatedAt: timestamp('logo_updated_at', { withTimezone: true }),
});
