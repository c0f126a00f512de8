import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { roles, tenants, users } from './identity.js';

/*
 * Dashboards (docs/dashboards.md): a grid of widgets on 24 columns with variables, kept as one JSON
 * definition. A personal dashboard is its owner's; a shared one is seen by the roles it is shared
 * with (dashboard_shares) and edited by people holding dashboards.manage. Every save is a row of
 * dashboard_versions; restoring an old version saves it again as the newest. The newest 50 versions
 * are kept: older ones are pruned after a save (cloud/src/modules/dashboards/dashboard-pruning.ts).
 * What a widget shows is read through the KPI procedures, so plant access applies there.
 */

export const dashboardVisibilities = ['personal', 'shared'] as const;
export type DashboardVisibility = (typeof dashboardVisibilities)[number];

export const dashboards = pgTable(
  'dashboards',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** Short and stable, for links and kiosk rotations: "plant-manager". Unique in the tenant. */
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    visibility: text('visibility', { enum: dashboardVisibilities }).notNull().default('personal'),
    ownerId: uuid('owner_id'),
    /** Widgets with their grid places, variables, time range and refresh (validated by the module). */
    definition: jsonb('definition').notNull(),
    /** Set for the dashboards Plantline ships: their key in the catalogue. */
    shippedKey: text('shipped_key'),
    isActive: boolean('is_active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('dashboards_tenant_id_id_key').on(t.tenantId, t.id),
    unique('dashboards_tenant_slug_key').on(t.tenantId, t.slug),
    unique('dashboards_tenant_shipped_key').on(t.tenantId, t.shippedKey),
    check('dashboards_visibility_check', inList(t.visibility, dashboardVisibilities)),
    check('dashboards_personal_owner_check', sql`${t.visibility} = 'shared' or ${t.ownerId} is not null`),
    index('dashboards_owner_idx').on(t.tenantId, t.ownerId),
    foreignKey({
      name: 'dashboards_owner_fk',
      columns: [t.tenantId, t.ownerId],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

/** Which roles see a shared dashboard. */
export const dashboardShares = pgTable(
  'dashboard_shares',
  {
    tenantId: uuid('tenant_id').notNull(),
    dashboardId: uuid('dashboard_id').notNull(),
    roleId: uuid('role_id').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    primaryKey({ name: 'dashboard_shares_pkey', columns: [t.tenantId, t.dashboardId, t.roleId] }),
    index('dashboard_shares_role_idx').on(t.tenantId, t.roleId),
    foreignKey({
      name: 'dashboard_shares_dashboard_fk',
      columns: [t.tenantId, t.dashboardId],
      foreignColumns: [dashboards.tenantId, dashboards.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'dashboard_shares_role_fk',
      columns: [t.tenantId, t.roleId],
      foreignColumns: [roles.tenantId, roles.id],
    }).onDelete('cascade'),
  ],
);

/** Every saved definition, append-only; `restoredFrom` names the version a restore copied. */
export const dashboardVersions = pgTable(
  'dashboard_versions',
  {
    tenantId: uuid('tenant_id').notNull(),
    dashboardId: uuid('dashboard_id').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    definition: jsonb('definition').notNull(),
    message: text('message').notNull().default(''),
    restoredFrom: integer('restored_from'),
    savedBy: uuid('saved_by'),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'dashboard_versions_pkey', columns: [t.tenantId, t.dashboardId, t.version] }),
    check('dashboard_versions_version_check', sql`${t.version} >= 1`),
    foreignKey({
      name: 'dashboard_versions_dashboard_fk',
      columns: [t.tenantId, t.dashboardId],
      foreignColumns: [dashboards.tenantId, dashboards.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'dashboard_versions_saved_by_fk',
      columns: [t.tenantId, t.savedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    index('dashboard_versions_saved_by_idx').on(t.tenantId, t.savedBy),
  ],
);
