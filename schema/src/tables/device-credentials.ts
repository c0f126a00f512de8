import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn } from './columns.js';
import { plants, tenants, users } from './identity.js';
import { lines, machines } from './masterdata.js';

/**
 * MQTT logins for devices on an edge's embedded broker. The scope (plant, optionally line and
 * machine) is the device's topic rights; edges of the plant receive the username, the scrypt hash and
 * the revocation (schema/src/contracts/device-credentials.ts), never the password, which is shown once.
 */
export const deviceCredentials = pgTable(
  'device_credentials',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    lineId: uuid('line_id'),
    machineId: uuid('machine_id'),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAtColumn(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    unique('device_credentials_tenant_id_id_key').on(t.tenantId, t.id),
    // Usernames identify a device on every edge of the tenant.
    unique('device_credentials_tenant_username_key').on(t.tenantId, t.username),
    foreignKey({
      name: 'device_credentials_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    // The line must lie in the plant (lines_tenant_plant_id_key).
    foreignKey({
      name: 'device_credentials_line_fk',
      columns: [t.tenantId, t.plantId, t.lineId],
      foreignColumns: [lines.tenantId, lines.plantId, lines.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'device_credentials_machine_fk',
      columns: [t.tenantId, t.machineId],
      foreignColumns: [machines.tenantId, machines.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'device_credentials_created_by_fk',
      columns: [t.tenantId, t.createdBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    index('device_credentials_plant_line_idx').on(t.tenantId, t.plantId, t.lineId),
    index('device_credentials_machine_idx').on(t.tenantId, t.machineId),
    index('device_credentials_created_by_idx').on(t.tenantId, t.createdBy),
    check('device_credentials_machine_needs_line', sql`${t.machineId} IS NULL OR ${t.lineId} IS NOT NULL`),
  ],
);
