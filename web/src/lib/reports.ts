import type { trpc } from './trpc';

/*
 * The reports pages' pure parts (docs/reports.md): the catalogue grouped for the list, the period a
 * run form means, how a cell reads on screen, and a run's progress. Tested in reports.test.ts.
 */
type Client = typeof trpc;
export type ReportList = Awaited<ReturnType<Client['reports']['list']['query']>>;
export type ReportEntry = ReportList['catalogue'][number];
export type RunRow = Awaited<ReturnType<Client['reports']['runs']['query']>>['runs'][number];
export type ColumnInfo = ReportEntry['source']['columns'][number];
export type Cell = string | number | boolean | null;

export const PRESETS = [
  { value: 'lastShift', label: 'Last shift' },
  { value: 'currentShift', label: 'Current shift' },
  { value: 'today', label: 'Today' },
  { value: 'yesterday', label: 'Yesterday' },
  { value: 'lastIsoWeek', label: 'Last ISO week' },
  { value: 'lastMonth', label: 'Last month' },
  { value: 'range', label: 'From … to …' },
] as const;
export type Preset = (typeof PRESETS)[number]['value'];

const SOURCE_GROUPS: Record<string, string> = {
  oee: 'Production',
  'downtime-pareto': 'Production',
  'production-plan': 'Production',
  fpy: 'Quality',
  rty: 'Quality',
  scrap: 'Quality',
  otd: 'Delivery',
  audit: 'Audit',
};

/** Reports by subject, shipped first then the tenant's, each group in name order. */
export function groupReports(list: ReportList): { label: string; reports: ReportEntry[] }[] {
  const groups = new Map<string, ReportEntry[]>();
  for (const report of [...list.catalogue, ...list.tenant]) {
    const label = SOURCE_GROUPS[report.source.key] ?? 'Other';
    groups.set(label, [...(groups.get(label) ?? []), report]);
  }
  const order = ['Production', 'Quality', 'Delivery', 'Audit', 'Other'];
  return order
    .filter((label) => groups.has(label))
    .map((label) => ({ label, reports: groups.get(label) ?? [] }));
}

/**
 * The period a run form means: a preset, or a range from two local date-times (`YYYY-MM-DDTHH:MM`
 * read as UTC-free local time of the browser) — null with a reason when the range is not whole.
 */
export function periodOf(
  preset: Preset,
  from: string,
  to: string,
):
  | { period: { preset: Exclude<Preset, 'range'> } | { preset: 'range'; from: Date; to: Date } }
  | { problem: string } {
  if (preset !== 'range') return { period: { preset } };
  const start = new Date(from);
  const end = new Date(to);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
    return { problem: 'Enter both ends of the period' };
  if (end <= start) return { problem: 'The period ends before it starts' };
  return { period: { preset: 'range', from: start, to: end } };
}

/** A cell as the preview shows it: percentages ×100, minutes with one decimal, "–" for no data. */
export function cellText(column: Pick<ColumnInfo, 'type' | 'decimals'>, cell: Cell): string {
  if (cell === null || cell === '') return column.type === 'text' ? '' : '–';
  if (typeof cell === 'number') {
    if (column.type === 'percent') return `${(cell * 100).toFixed(column.decimals ?? 1)} %`;
    if (column.type === 'integer') return String(Math.round(cell));
    return cell.toFixed(column.decimals ?? (Number.isInteger(cell) ? 0 : 2));
  }
  if (column.type === 'datetime' && typeof cell === 'string') return cell.replace('T', ' ').slice(0, 16);
  return String(cell);
}

/** 0–1 when the run knows how many rows to expect, null while it cannot tell. */
export function progressOf(run: Pick<RunRow, 'status' | 'progressRows' | 'expectedRows'>): number | null {
  if (run.status === 'succeeded') return 1;
  if (run.expectedRows === null || run.expectedRows === 0) return null;
  return Math.min(1, run.progressRows / run.expectedRows);
}

export const downloadHref = (runId: string) => `/api/reports/runs/${runId}/download`;

export function bytesText(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Moves the column at `index` one place up (-1) or down (+1); out of range leaves the order. */
export function moveColumn(columns: readonly string[], index: number, by: -1 | 1): string[] {
  const target = index + by;
  if (index < 0 || index >= columns.length || target < 0 || target >= columns.length) return [...columns];
  const next = [...columns];
  [next[index], next[target]] = [next[target] as string, next[index] as string];
  return next;
}
