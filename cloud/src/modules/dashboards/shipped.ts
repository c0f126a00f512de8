import { tables } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { type Database, rows, type Sql } from '../../db/index.js';
import { auditCreate } from '../../platform/index.js';
import { freeSlug } from './dashboard-queries.js';
import { type DashboardDefinition, definitionSchema } from './definition.js';

/*
 * The dashboards Plantline ships (docs/dashboards.md, "Shipped dashboards"), created in every tenant
 * that lacks them — at tenant creation and at every start — keyed by `shipped_key`, and shared with
 * the built-in roles that use them. A tenant may change or delete them: a deleted one is switched off,
 * not removed, so it is not created again. Like the built-in roles (db/builtin-roles.ts), a start
 * where nothing is missing costs one read per tenant.
 */

interface ShippedDashboard {
  key: string;
  name: string;
  description: string;
  roles: readonly string[];
  definition: DashboardDefinition;
}

export const shippedDashboards: readonly ShippedDashboard[] = [
  {
    key: 'plant-manager',
    name: 'Plant manager',
    description: 'OEE per line and its trend, downtime Pareto, machines and on-time delivery',
    roles: ['engineer', 'supervisor', 'executive'],
    definition: definitionSchema.parse({
      variables: ['plant', 'line', 'timeRange'],
      timeRange: 'currentShift',
      refreshSeconds: 60,
      widgets: [
        {
          id: 'plant-oee',
          type: 'kpi',
          title: 'Plant OEE',
          gridPos: { x: 0, y: 0, w: 6, h: 4 },
          options: { metric: 'oee', breakdown: 'total' },
        },
        {
          id: 'line-oee',
          type: 'kpi',
          title: 'OEE per line',
          gridPos: { x: 6, y: 0, w: 12, h: 4 },
          options: { metric: 'oee', breakdown: 'lines' },
        },
        {
          id: 'otd',
          type: 'kpi',
          title: 'On-time delivery',
          gridPos: { x: 18, y: 0, w: 6, h: 4 },
          options: { metric: 'otd', breakdown: 'total' },
        },
        {
          id: 'oee-trend',
          type: 'trend',
          title: 'OEE per day',
          gridPos: { x: 0, y: 4, w: 12, h: 8 },
          options: { by: 'day', days: 14 },
        },
        {
          id: 'downtime',
          type: 'pareto',
          title: 'Downtime Pareto',
          gridPos: { x: 12, y: 4, w: 12, h: 8 },
          options: { source: 'downtime', top: 10 },
        },
        {
          id: 'machines',
          type: 'machines',
          title: 'Machines',
          gridPos: { x: 0, y: 12, w: 24, h: 10 },
          options: { onlyDown: false },
        },
      ],
    }),
  },
  {
    key: 'quality',
    name: 'Quality',
    description: 'First pass and rolled throughput yield, scrap Pareto and open NCRs',
    roles: ['engineer', 'supervisor', 'quality', 'executive'],
    definition: definitionSchema.parse({
      variables: ['plant', 'timeRange'],
      timeRange: 'last7d',
      refreshSeconds: 300,
      widgets: [
        {
          id: 'fpy',
          type: 'kpi',
          title: 'First pass yield',
          gridPos: { x: 0, y: 0, w: 8, h: 4 },
          options: { metric: 'fpy', breakdown: 'total' },
        },
        {
          id: 'rty',
          type: 'kpi',
          title: 'Rolled throughput yield',
          gridPos: { x: 8, y: 0, w: 8, h: 4 },
          options: { metric: 'rty', breakdown: 'total' },
        },
        {
          id: 'quality-rate',
          type: 'kpi',
          title: 'Quality rate (OEE Q)',
          gridPos: { x: 16, y: 0, w: 8, h: 4 },
          options: { metric: 'quality', breakdown: 'total' },
        },
        {
          id: 'scrap',
          type: 'pareto',
          title: 'Scrap by machine',
          gridPos: { x: 0, y: 4, w: 12, h: 9 },
          options: { source: 'scrap', top: 10 },
        },
        {
          id: 'ncrs',
          type: 'table',
          title: 'Open NCRs',
          gridPos: { x: 12, y: 4, w: 12, h: 9 },
          options: { source: 'openNcrs', rows: 15 },
        },
      ],
    }),
  },
];

/** Creates the shipped dashboards a tenant lacks, shared with its built-in roles of the same keys. */
export async function installShippedDashboards(tx: Sql, tenantId: string): Promise<number> {
  const present = await rows<{ key: string }>(
    tx,
    sql`select shipped_key as key from dashboards where tenant_id = ${tenantId}::uuid and shipped_key is not null`,
  );
  const have = new Set(present.map((p) => p.key));
  const missing = shippedDashboards.filter((d) => !have.has(d.key));
  if (missing.length === 0) return 0;
  const roles = await rows<{ id: string; key: string }>(
    tx,
    sql`select id::text as id, key from roles where tenant_id = ${tenantId}::uuid and builtin`,
  );
  for (const shipped of missing) {
    const slug = await freeSlug(tx, tenantId, shipped.key);
    const [created] = await tx
      .insert(tables.dashboards)
      .values({
        tenantId,
        slug,
        name: shipped.name,
        description: shipped.description,
        visibility: 'shared',
        ownerId: null,
        definition: shipped.definition,
        shippedKey: shipped.key,
      })
      .returning({ id: tables.dashboards.id });
    const id = created!.id;
    await tx.insert(tables.dashboardVersions).values({
      tenantId,
      dashboardId: id,
      version: 1,
      name: shipped.name,
      definition: shipped.definition,
      message: 'Shipped with Plantline',
    });
    const roleIds = roles.filter((r) => shipped.roles.includes(r.key)).map((r) => r.id);
    if (roleIds.length > 0)
      await tx
        .insert(tables.dashboardShares)
        .values(roleIds.map((roleId) => ({ tenantId, dashboardId: id, roleId })));
    auditCreate(
      tx,
      'dashboard',
      {
        id,
        slug,
        name: shipped.name,
        visibility: 'shared',
        shippedKey: shipped.key,
        sharedWith: roles.filter((r) => shipped.roles.includes(r.key)).map((r) => r.key),
      },
      { label: slug },
    );
  }
  return missing.length;
}

/**
 * At start: every tenant gets the shipped dashboards it lacks. One query finds the tenants that lack
 * any, so an unchanged start opens no transaction per tenant.
 */
export async function syncShippedDashboards(database: Database): Promise<void> {
  const keys = shippedDashboards.map((d) => d.key);
  const lacking = await database.ownerTransact(null, (tx) =>
    rows<{ id: string }>(
      tx,
      sql`select t.id::text as id from tenants t
           where (select count(distinct d.shipped_key) from dashboards d
                   where d.tenant_id = t.id
                     and d.shipped_key in (${sql.join(
                       keys.map((k) => sql`${k}`),
                       sql`, `,
                     )})) < ${keys.length}
           order by t.id`,
    ),
  );
  for (const { id: tenantId } of lacking)
    await database.ownerTransact({ tenantId, plantIds: 'all' }, (tx) =>
      installShippedDashboards(tx, tenantId),
    );
}
