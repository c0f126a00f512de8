import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/index.js';

/*
 * How much history a dashboard keeps (docs/dashboards.md, "Editing and versions"). A dashboard saved
 * on every tweak would grow its version list without end, and the Versions panel and diffs read it;
 * the newest KEPT_DASHBOARD_VERSIONS are enough to undo any recent change. The audit trail keeps every
 * save's definition regardless (docs/audit.md), so pruning loses no record of who changed what.
 *
 * dashboard_versions is append-only for the application's role (no DELETE grant; migration 0028), so
 * the oldest versions are removed after the save commits, through the owner's connection, and only
 * below the version the save names — never anything newer, whatever else happens meanwhile.
 */

export const KEPT_DASHBOARD_VERSIONS = 50;

/** The newest version a save at `version` leaves to pruning, or null when everything is kept. */
export function prunedThrough(version: number): number | null {
  const through = version - KEPT_DASHBOARD_VERSIONS;
  return through >= 1 ? through : null;
}

export interface PruneDeps {
  readonly db: Database;
  readonly log: Logger;
}

/** Deletes a dashboard's versions up to and including `through`. */
export async function pruneDashboardVersions(
  deps: PruneDeps,
  tenantId: string,
  dashboardId: string,
  through: number,
): Promise<void> {
  await deps.db.ownerTransact({ tenantId, plantIds: 'all' }, (tx) =>
    tx.execute(sql`delete from dashboard_versions
                    where tenant_id = ${tenantId}::uuid and dashboard_id = ${dashboardId}::uuid
                      and version <= ${through}`),
  );
}

/** After the save's commit: prune, logging a failure (the next save prunes again). */
export function pruneAfterCommit(
  deps: PruneDeps,
  tenantId: string,
  dashboardId: string,
  through: number,
): void {
  pruneDashboardVersions(deps, tenantId, dashboardId, through).catch((error: unknown) => {
    deps.log.error({ err: error, dashboardId }, 'pruning old dashboard versions failed');
  });
}
