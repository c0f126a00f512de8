import type { tables } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';

/*
 * Who sees and who changes a dashboard (docs/dashboards.md, "Sharing"). A personal dashboard is its
 * owner's alone: nobody else sees or changes it, dashboards.manage included. A shared one is seen by
 * the members of the roles it is shared with and by dashboards.manage holders, and changed only by
 * dashboards.manage holders. Every rule here is pure; the caller's roles come from `viewerOf`.
 */

export interface Viewer {
  userId: string | null;
  roleIds: ReadonlySet<string>;
  /** Holds dashboards.manage. */
  manages: boolean;
}

export interface DashboardAccess {
  visibility: tables.DashboardVisibility;
  ownerId: string | null;
  sharedRoleIds: readonly string[];
}

export function canSee(dashboard: DashboardAccess, viewer: Viewer): boolean {
  if (dashboard.visibility === 'personal')
    return viewer.userId !== null && dashboard.ownerId === viewer.userId;
  return viewer.manages || dashboard.sharedRoleIds.some((role) => viewer.roleIds.has(role));
}

export function canEdit(dashboard: DashboardAccess, viewer: Viewer): boolean {
  if (dashboard.visibility === 'personal')
    return viewer.userId !== null && dashboard.ownerId === viewer.userId;
  return viewer.manages;
}

/** Sharing makes a dashboard everyone's in its roles: only dashboards.manage may, and only what it may change. */
export function canShare(dashboard: DashboardAccess, viewer: Viewer): boolean {
  return viewer.manages && canEdit(dashboard, viewer);
}

/** The owner may delete a personal dashboard; a shared one, whoever may change it or made it. */
export function canDelete(dashboard: DashboardAccess, viewer: Viewer): boolean {
  if (canEdit(dashboard, viewer)) return true;
  return dashboard.visibility === 'shared' && viewer.userId !== null && dashboard.ownerId === viewer.userId;
}

/** The caller as these rules see them: an API key has no roles, so it sees what dashboards.manage allows. */
export async function viewerOf(tx: Sql, principal: Principal): Promise<Viewer> {
  const manages = principal.permissions.has('dashboards.manage');
  if (principal.userId === null) return { userId: null, roleIds: new Set(), manages };
  const held = await rows<{ roleId: string }>(
    tx,
    sql`select role_id::text as "roleId" from user_roles where user_id = ${principal.userId}::uuid`,
  );
  return { userId: principal.userId, roleIds: new Set(held.map((r) => r.roleId)), manages };
}
