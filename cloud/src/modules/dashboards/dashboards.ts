import { tables } from '@plantline/schema';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate, auditDelete, auditUpdate, DomainError, type Principal } from '../../platform/index.js';
import { type Viewer, viewerOf } from './dashboard-access.js';
import { type PruneDeps, pruneAfterCommit, prunedThrough } from './dashboard-pruning.js';
import {
  type Dashboard,
  editableDashboard,
  findDashboard,
  findVersion,
  freeSlug,
} from './dashboard-queries.js';
import type { DashboardDefinition } from './definition.js';
import { diffDefinitions } from './definition-diff.js';

/*
 * Saving dashboards (docs/dashboards.md). Every save of a definition is a new row of
 * dashboard_versions, made against the version its editor saw; a restore saves an old definition
 * again as the newest version, naming the one it copied. Every change is on the audit trail.
 */

export interface DashboardCall {
  tx: Sql;
  principal: Principal;
  /** With these (a tRPC call has them), a save prunes the oldest versions once it commits. */
  deps?: PruneDeps;
  afterCommit?: (effect: () => void) => void;
}

/** A dashboard as the audit trail records it. */
const audited = (
  d: Pick<Dashboard, 'id' | 'slug' | 'name' | 'description' | 'visibility' | 'ownerId' | 'definition'>,
) => ({
  id: d.id,
  slug: d.slug,
  name: d.name,
  description: d.description,
  visibility: d.visibility,
  ownerId: d.ownerId,
  definition: d.definition,
});

const staleVersion = (current: number) =>
  new DomainError(
    'conflict',
    `The dashboard was saved by someone else since you opened it (now version ${current}); reload it and make your change again`,
    { expectedVersion: 'Out of date' },
  );

async function withViewer(call: DashboardCall) {
  return viewerOf(call.tx, call.principal);
}

function refuseSharedWithoutManage(viewer: Viewer) {
  if (!viewer.manages)
    throw new DomainError('forbidden', 'A shared dashboard needs the permission dashboards.manage', {
      visibility: 'Needs dashboards.manage',
    });
}

async function insertVersion(
  tx: Sql,
  principal: Principal,
  dashboardId: string,
  saved: {
    version: number;
    name: string;
    definition: DashboardDefinition;
    message: string;
    restoredFrom?: number;
  },
) {
  await tx.insert(tables.dashboardVersions).values({
    tenantId: principal.tenantId,
    dashboardId,
    version: saved.version,
    name: saved.name,
    definition: saved.definition,
    message: saved.message,
    restoredFrom: saved.restoredFrom ?? null,
    savedBy: principal.userId,
  });
}

export interface NewDashboard {
  name: string;
  description?: string | undefined;
  visibility: 'personal' | 'shared';
  definition: DashboardDefinition;
  message?: string | undefined;
}

/** A dashboard of the caller's, at version 1, under a slug of its name that is free in the tenant. */
export async function createDashboard(call: DashboardCall, input: NewDashboard) {
  const { tx, principal } = call;
  const viewer = await withViewer(call);
  if (input.visibility === 'shared') refuseSharedWithoutManage(viewer);
  if (principal.userId === null && input.visibility === 'personal')
    throw new DomainError('invalid', 'An API key has no personal dashboards', {
      visibility: 'Choose shared',
    });
  const slug = await freeSlug(tx, principal.tenantId, input.name);
  const [created] = await tx
    .insert(tables.dashboards)
    .values({
      tenantId: principal.tenantId,
      slug,
      name: input.name,
      description: input.description ?? '',
      visibility: input.visibility,
      ownerId: principal.userId,
      definition: input.definition,
    })
    .returning({ id: tables.dashboards.id });
  const id = created!.id;
  await insertVersion(tx, principal, id, {
    version: 1,
    name: input.name,
    definition: input.definition,
    message: input.message ?? 'Created',
  });
  const dashboard = await findDashboard(tx, viewer, { id });
  auditCreate(tx, 'dashboard', audited(dashboard), { label: dashboard.slug });
  return dashboard;
}

export interface DashboardSave {
  id: string;
  expectedVersion: number;
  name?: string | undefined;
  description?: string | undefined;
  definition?: DashboardDefinition | undefined;
  message?: string | undefined;
}

/** Saves a new version against the one the editor saw. */
export async function updateDashboard(call: DashboardCall, input: DashboardSave) {
  const { tx } = call;
  const viewer = await withViewer(call);
  const before = await editableDashboard(tx, viewer, input.id);
  if (before.version !== input.expectedVersion) throw staleVersion(before.version);
  const name = input.name ?? before.name;
  const definition = input.definition ?? before.definition;
  return saveVersion(call, viewer, before, {
    name,
    description: input.description ?? before.description,
    definition,
    message: input.message ?? '',
  });
}

async function saveVersion(
  call: DashboardCall,
  viewer: Viewer,
  before: Dashboard,
  next: {
    name: string;
    description: string;
    definition: DashboardDefinition;
    message: string;
    restoredFrom?: number;
  },
) {
  const { tx, principal } = call;
  const version = before.version + 1;
  const updated = await tx
    .update(tables.dashboards)
    .set({
      name: next.name,
      description: next.description,
      definition: next.definition,
      version,
      updatedAt: sql`now()`,
    })
    .where(and(eq(tables.dashboards.id, before.id), eq(tables.dashboards.version, before.version)))
    .returning({ id: tables.dashboards.id });
  if (updated.length === 0) throw staleVersion(before.version + 1);
  await insertVersion(tx, principal, before.id, { version, ...next });
  const after = await findDashboard(tx, viewer, { id: before.id });
  const through = prunedThrough(version);
  const { deps, afterCommit } = call;
  if (through !== null && deps !== undefined && afterCommit !== undefined) {
    afterCommit(() => pruneAfterCommit(deps, principal.tenantId, before.id, through));
  }
  auditUpdate(
    tx,
    'dashboard',
    { ...audited(before), version: before.version },
    {
      ...audited(after),
      version,
      message: next.message,
      ...(next.restoredFrom ? { restoredFrom: next.restoredFrom } : {}),
      ...(through === null ? {} : { versionsPrunedThrough: through }),
    },
    { label: after.slug },
    next.restoredFrom === undefined ? 'update' : 'restore',
  );
  return after;
}

/** Saves an old version's name and definition again, as the newest version. */
export async function restoreVersion(
  call: DashboardCall,
  input: { id: string; version: number; expectedVersion: number; message?: string | undefined },
) {
  const viewer = await withViewer(call);
  const before = await editableDashboard(call.tx, viewer, input.id);
  if (before.version !== input.expectedVersion) throw staleVersion(before.version);
  const old = await findVersion(call.tx, input.id, input.version);
  return saveVersion(call, viewer, before, {
    name: old.name,
    description: before.description,
    definition: old.definition,
    message: input.message?.trim() || `Restored version ${old.version}`,
    restoredFrom: old.version,
  });
}

/** What changed from one saved version to another (either order). */
export async function diffVersions(call: DashboardCall, input: { id: string; from: number; to: number }) {
  const viewer = await withViewer(call);
  await findDashboard(call.tx, viewer, { id: input.id });
  const [from, to] = await Promise.all([
    findVersion(call.tx, input.id, input.from),
    findVersion(call.tx, input.id, input.to),
  ]);
  return { from: from.version, to: to.version, ...diffDefinitions(from, to) };
}

/**
 * Shares the dashboard with exactly these roles, making it a shared dashboard if it was the caller's
 * personal one. Needs dashboards.manage.
 */
export async function shareDashboard(call: DashboardCall, input: { id: string; roleIds: readonly string[] }) {
  const { tx, principal } = call;
  const viewer = await withViewer(call);
  const before = await editableDashboard(tx, viewer, input.id);
  refuseSharedWithoutManage(viewer);
  const roleIds = [...new Set(input.roleIds)];
  if (roleIds.length > 0) {
    const known = await tx
      .select({ id: tables.roles.id })
      .from(tables.roles)
      .where(inArray(tables.roles.id, roleIds));
    const missing = roleIds.filter((r) => !known.some((k) => k.id === r));
    if (missing.length > 0)
      throw new DomainError('not_found', 'A role to share with does not exist', { roleIds: 'Unknown role' });
  }
  await tx.delete(tables.dashboardShares).where(eq(tables.dashboardShares.dashboardId, before.id));
  if (roleIds.length > 0)
    await tx
      .insert(tables.dashboardShares)
      .values(roleIds.map((roleId) => ({ tenantId: principal.tenantId, dashboardId: before.id, roleId })));
  if (before.visibility === 'personal')
    await tx
      .update(tables.dashboards)
      .set({ visibility: 'shared', updatedAt: sql`now()` })
      .where(eq(tables.dashboards.id, before.id));
  const after = await findDashboard(tx, viewer, { id: before.id });
  auditUpdate(
    tx,
    'dashboard',
    { id: before.id, visibility: before.visibility, sharedWith: before.sharedRoles.map((r) => r.key).sort() },
    { id: after.id, visibility: after.visibility, sharedWith: after.sharedRoles.map((r) => r.key).sort() },
    { label: after.slug },
    'share',
  );
  return after;
}

export async function shareableRoles(call: DashboardCall) {
  refuseSharedWithoutManage(await withViewer(call));
  return call.tx
    .select({ id: tables.roles.id, key: tables.roles.key, name: tables.roles.name })
    .from(tables.roles)
    .orderBy(tables.roles.name);
}

/** Makes a shared dashboard personal again, its maker's (or the caller's), seen by nobody else. */
export async function unshareDashboard(call: DashboardCall, input: { id: string }) {
  const { tx, principal } = call;
  const viewer = await withViewer(call);
  const before = await editableDashboard(tx, viewer, input.id);
  if (before.visibility === 'personal') return before;
  if (before.shippedKey !== null)
    throw new DomainError(
      'invalid',
      'A shipped dashboard stays shared; change the roles it is shared with instead',
    );
  const ownerId = before.ownerId ?? principal.userId;
  if (ownerId === null) throw new DomainError('invalid', 'An API key has no personal dashboards');
  await tx.delete(tables.dashboardShares).where(eq(tables.dashboardShares.dashboardId, before.id));
  await tx
    .update(tables.dashboards)
    .set({ visibility: 'personal', ownerId, updatedAt: sql`now()` })
    .where(eq(tables.dashboards.id, before.id));
  // The maker may no longer be the caller: then the caller no longer sees it.
  const after = { ...before, visibility: 'personal' as const, ownerId, sharedRoles: [] };
  auditUpdate(
    tx,
    'dashboard',
    {
      id: before.id,
      visibility: before.visibility,
      ownerId: before.ownerId,
      sharedWith: before.sharedRoles.map((r) => r.key).sort(),
    },
    { id: after.id, visibility: after.visibility, ownerId, sharedWith: [] },
    { label: after.slug },
    'unshare',
  );
  return { id: after.id, slug: after.slug, visibility: after.visibility, ownerId };
}

/** A personal copy of a dashboard the caller sees, to change without changing the original. */
export async function copyDashboard(call: DashboardCall, input: { id: string; name?: string | undefined }) {
  const viewer = await withViewer(call);
  const original = await findDashboard(call.tx, viewer, { id: input.id });
  return createDashboard(call, {
    name: input.name ?? `${original.name} (copy)`,
    description: original.description,
    visibility: 'personal',
    definition: original.definition,
    message: `Copied from ${original.slug} version ${original.version}`,
  });
}

/**
 * Deletes a dashboard with its versions and shares. A shipped one is only switched off, so the next
 * start does not bring it back (shipped.ts).
 */
export async function deleteDashboard(call: DashboardCall, input: { id: string }) {
  const { tx } = call;
  const viewer = await withViewer(call);
  const dashboard = await findDashboard(tx, viewer, input);
  if (!dashboard.canDelete)
    throw new DomainError('forbidden', 'Deleting this dashboard needs the permission dashboards.manage');
  if (dashboard.shippedKey === null)
    await tx.delete(tables.dashboards).where(eq(tables.dashboards.id, dashboard.id));
  else
    await tx
      .update(tables.dashboards)
      .set({ isActive: false, updatedAt: sql`now()` })
      .where(eq(tables.dashboards.id, dashboard.id));
  auditDelete(tx, 'dashboard', audited(dashboard), { label: dashboard.slug });
  return { id: dashboard.id };
}
