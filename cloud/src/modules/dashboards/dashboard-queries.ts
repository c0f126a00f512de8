import { type SQL, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError, notFound } from '../../platform/index.js';
import {
  canDelete,
  canEdit,
  canSee,
  canShare,
  type DashboardAccess,
  type Viewer,
} from './dashboard-access.js';
import type { DashboardDefinition } from './definition.js';

/*
 * Reading dashboards: one row shape for the list and the single dashboard, with the roles it is
 * shared with and what the caller may do with it. A dashboard the caller may not see reads as not
 * found, so its existence is not given away.
 */

interface DashboardRow extends DashboardAccess {
  id: string;
  slug: string;
  name: string;
  description: string;
  ownerName: string | null;
  definition: DashboardDefinition;
  shippedKey: string | null;
  version: number;
  updatedAt: Date;
  sharedRoles: { id: string; key: string; name: string }[];
}

export type Dashboard = ReturnType<typeof withRights>;

function withRights(row: DashboardRow, viewer: Viewer) {
  return {
    ...row,
    updatedAt: new Date(row.updatedAt).getTime(),
    mine: viewer.userId !== null && row.ownerId === viewer.userId,
    canEdit: canEdit(row, viewer),
    canShare: canShare(row, viewer),
    canDelete: canDelete(row, viewer),
  };
}

function selectDashboards(where: SQL) {
  return sql`
    select d.id::text as id, d.slug, d.name, d.description, d.visibility, d.owner_id::text as "ownerId",
           u.display_name as "ownerName", d.definition, d.shipped_key as "shippedKey", d.version,
           d.updated_at as "updatedAt",
           coalesce((select json_agg(json_build_object('id', r.id, 'key', r.key, 'name', r.name) order by r.name)
                       from dashboard_shares s join roles r on r.tenant_id = s.tenant_id and r.id = s.role_id
                      where s.tenant_id = d.tenant_id and s.dashboard_id = d.id), '[]'::json) as "sharedRoles"
      from dashboards d
      left join users u on u.tenant_id = d.tenant_id and u.id = d.owner_id
     where d.is_active and ${where}`;
}

const accessOf = (row: DashboardRow): DashboardRow => ({
  ...row,
  sharedRoleIds: row.sharedRoles.map((r) => r.id),
});

/** The dashboards the caller sees: their own, those shared with their roles, the shipped ones among them. */
export async function listDashboards(tx: Sql, viewer: Viewer) {
  const found = await rows<DashboardRow>(tx, sql`${selectDashboards(sql`true`)} order by d.name, d.slug`);
  return found
    .map(accessOf)
    .filter((row) => canSee(row, viewer))
    .map((row) => {
      const { definition, ...rest } = withRights(row, viewer);
      return { ...rest, widgetCount: definition.widgets.length };
    });
}

/** One dashboard by id or slug, if the caller may see it. */
export async function findDashboard(tx: Sql, viewer: Viewer, key: { id: string } | { slug: string }) {
  const where = 'id' in key ? sql`d.id = ${key.id}::uuid` : sql`d.slug = ${key.slug}`;
  const [row] = await rows<DashboardRow>(tx, selectDashboards(where));
  if (row === undefined) throw notFound('Dashboard');
  const access = accessOf(row);
  if (!canSee(access, viewer)) throw notFound('Dashboard');
  return withRights(access, viewer);
}

/** Like findDashboard, for a change the caller must be allowed to make. */
export async function editableDashboard(tx: Sql, viewer: Viewer, id: string) {
  const dashboard = await findDashboard(tx, viewer, { id });
  if (!dashboard.canEdit)
    throw new DomainError(
      'forbidden',
      dashboard.visibility === 'shared'
        ? 'Changing a shared dashboard needs the permission dashboards.manage; make a personal copy instead'
        : 'Only its owner changes a personal dashboard',
    );
  return dashboard;
}

export interface SavedVersion {
  version: number;
  name: string;
  definition: DashboardDefinition;
  message: string;
  restoredFrom: number | null;
  savedBy: string | null;
  savedByName: string | null;
  savedAt: number;
}

/** Every saved version, newest first, without their definitions. */
export async function listVersions(tx: Sql, dashboardId: string) {
  const found = await rows<Omit<SavedVersion, 'definition'> & { widgetCount: number; savedAt: Date }>(
    tx,
    sql`select v.version, v.name, v.message, v.restored_from as "restoredFrom", v.saved_by::text as "savedBy",
               u.display_name as "savedByName", v.saved_at as "savedAt",
               jsonb_array_length(v.definition->'widgets') as "widgetCount"
          from dashboard_versions v
          left join users u on u.tenant_id = v.tenant_id and u.id = v.saved_by
         where v.dashboard_id = ${dashboardId}::uuid
         order by v.version desc`,
  );
  return found.map((v) => ({ ...v, savedAt: new Date(v.savedAt).getTime() }));
}

export async function findVersion(tx: Sql, dashboardId: string, version: number): Promise<SavedVersion> {
  const [found] = await rows<SavedVersion & { savedAt: Date }>(
    tx,
    sql`select v.version, v.name, v.definition, v.message, v.restored_from as "restoredFrom",
               v.saved_by::text as "savedBy", u.display_name as "savedByName", v.saved_at as "savedAt"
          from dashboard_versions v
          left join users u on u.tenant_id = v.tenant_id and u.id = v.saved_by
         where v.dashboard_id = ${dashboardId}::uuid and v.version = ${version}`,
  );
  if (found === undefined)
    throw new DomainError('not_found', `The dashboard has no version ${version}`, {
      version: 'No such version',
    });
  return { ...found, savedAt: new Date(found.savedAt).getTime() };
}

/** Slugs the web app's own pages use under /dashboards/ (the kiosk), so no dashboard may have them. */
const RESERVED_SLUGS = new Set(['kiosk']);

/** A slug from a name: lower case, words joined by "-". */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  if (RESERVED_SLUGS.has(slug)) return `${slug}-dashboard`;
  return slug === '' ? 'dashboard' : slug;
}

/**
 * A slug free in the tenant: the name's, else with -2, -3 … after it. Slugs of dashboards the caller
 * cannot see count too: they are unique in the tenant.
 */
export async function freeSlug(tx: Sql, tenantId: string, name: string): Promise<string> {
  const base = slugOf(name);
  const taken = await rows<{ slug: string }>(
    tx,
    sql`select slug from dashboards
         where tenant_id = ${tenantId}::uuid and (slug = ${base} or slug like ${`${base}-%`})`,
  );
  const used = new Set(taken.map((t) => t.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}
