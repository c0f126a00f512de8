import { auditRouter } from './modules/audit/index.js';
import { changeOrdersRouter } from './modules/change-orders/index.js';
import { configRouter } from './modules/config/index.js';
import { dashboardsRouter } from './modules/dashboards/index.js';
import { demoRouter } from './modules/demo/index.js';
import {
  deviceCredentialsRouter,
  edgeSparkplugRules,
  edgeTelemetryDeadbands,
  sparkplugRulesRouter,
  telemetryDeadbandsRouter,
} from './modules/devices/index.js';
import { eventsRouter } from './modules/events/index.js';
import { apiKeysRouter, authRouter, edgeRouter, usersRouter } from './modules/identity/index.js';
import { ingestRouter } from './modules/ingest/index.js';
import { kpiRouter } from './modules/kpi/index.js';
import { logisticsRouter } from './modules/logistics/index.js';
import { masterdataRouter } from './modules/masterdata/index.js';
import {
  bomsRouter,
  inventoryRouter,
  materialsRouter,
  orderMaterialsRouter,
} from './modules/materials/index.js';
import { ncrsRouter } from './modules/ncrs/index.js';
import { notificationsRouter } from './modules/notifications/index.js';
import { productionRouter } from './modules/production/index.js';
import { qualityRouter } from './modules/quality/index.js';
import { rbacRouter } from './modules/rbac/index.js';
import { reportsRouter } from './modules/reports/index.js';
import { searchRouter } from './modules/search/index.js';
import { settingsRouter } from './modules/settings/index.js';
import { tenancyRouter } from './modules/tenancy/index.js';
import { workflowRouter } from './modules/workflow/index.js';
import { mergeRouters, router } from './trpc/procedures.js';

/** The whole API. Each domain contributes one router; the web and the edge import its type. */
export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  rbac: rbacRouter,
  apiKeys: apiKeysRouter,
  deviceCredentials: deviceCredentialsRouter,
  telemetryDeadbands: telemetryDeadbandsRouter,
  sparkplugRules: sparkplugRulesRouter,
  tenancy: tenancyRouter,
  // What an edge asks for with its key; each module contributes the part of its configuration it owns.
  edge: mergeRouters(
    edgeRouter,
    router({ telemetryDeadbands: edgeTelemetryDeadbands, sparkplugRules: edgeSparkplugRules }),
  ),
  masterdata: masterdataRouter,
  production: productionRouter,
  quality: qualityRouter,
  ingest: ingestRouter,
  events: eventsRouter,
  kpi: kpiRouter,
  config: configRouter,
  demo: demoRouter,
  settings: settingsRouter,
  notifications: notificationsRouter,
  search: searchRouter,
  audit: auditRouter,
  workflow: workflowRouter,
  changeOrders: changeOrdersRouter,
  ncrs: ncrsRouter,
  logistics: logisticsRouter,
  materials: materialsRouter,
  inventory: inventoryRouter,
  boms: bomsRouter,
  orderMaterials: orderMaterialsRouter,
  reports: reportsRouter,
  dashboards: dashboardsRouter,
});

export type AppRouter = typeof appRouter;
