export { dashboardsRouter } from './dashboards.router.js';
export {
  type DashboardDefinition,
  definitionSchema,
  GRID_COLUMNS,
  MIN_REFRESH_SECONDS,
  type Widget,
} from './definition.js';
export { installShippedDashboards, shippedDashboards, syncShippedDashboards } from './shipped.js';
