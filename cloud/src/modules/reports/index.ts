/*
 * Reports (docs/reports.md): the catalogue shipped with Plantline, a tenant's copies of it, runs
 * done by a job into CSV, XLSX or PDF, and their download.
 */
export { catalogue } from './catalogue.js';
export { type ReportFormat, runFormats } from './execution.js';
export { calendarPeriod, resolvePeriod } from './periods.js';
export { prepareRun } from './prepare.js';
export { reportsRouter } from './reports.router.js';
export { REPORT_JOB, ReportRunner, type ReportStoreOptions } from './runner.js';
export { findRun, requestRun } from './runs.js';
export {
  deliverScheduledRuns,
  fireDueSchedules,
  SCHEDULE_FAILED_KIND,
  SCHEDULED_KIND,
  scheduleReportSchedules,
} from './schedule-runs.js';
export { createSchedule } from './schedules.js';
