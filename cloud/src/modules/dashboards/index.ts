export { viewerOf } from './dashboard-access.js';
export { findDashboard } from './dashboard-queries.js';
export { dashboardsRouter } from './dashboards.router.js';
export {
  type DashboardDefinition,
  definitionSchema,
  GRID_COLUMNS,
  MIN_REFRESH_SECONDS,
  type Widget,
} from './definition.js';
export { installShippedDashboards, shippedDashboards, syncShippedDashboards } from './shipped.js';
export {
  ChromiumMissing,
  DEFAULT_CHROMIUM_PATH,
  renderDashboardPdf,
  SNAPSHOT_VARIABLES,
  SnapshotSlots,
  snapshotUrl,
} from './snapshot.js';
