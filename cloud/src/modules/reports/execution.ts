/*
 * The formats a report runs to (docs/reports.md, "Formats"). The table also allows 'dashboard_pdf',
 * which the dashboards module writes; a report run is one of these three.
 */
export const runFormats = ['csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof runFormats)[number];
