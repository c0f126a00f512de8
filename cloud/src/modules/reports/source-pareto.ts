import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { downtimePareto } from '../kpi/index.js';
import type { ColumnSpec } from './definition.js';
import { type ComputedSource, minutes, type Row, type SourceContext } from './sources.js';

/*
 * The downtime Pareto by reason, by reason category or by loss bucket (docs/reports.md): kpi.downtimePareto's
 * entries, longest first with their shares. By category, the reasons' times are added per category
 * (reasons without one, and stops reported without a reason, fall under "—") and shared again.
 */

const columns: ColumnSpec[] = [
  { key: 'rank', label: 'Rank', type: 'integer' },
  { key: 'bucket', label: 'Loss', type: 'text' },
  { key: 'cause', label: 'Cause', type: 'text' },
  { key: 'name', label: 'Name', type: 'text' },
  { key: 'category', label: 'Category', type: 'text' },
  { key: 'duration', label: 'Duration', type: 'duration', unit: 'min', decimals: 1 },
  { key: 'share', label: 'Share', type: 'percent', unit: '%', decimals: 1 },
  { key: 'cumulativeShare', label: 'Cumulative share', type: 'percent', unit: '%', decimals: 1 },
];

function shared<T extends { durationMs: number }>(entries: readonly T[]) {
  const total = entries.reduce((sum, e) => sum + e.durationMs, 0);
  let running = 0;
  return entries.map((e) => {
    running += e.durationMs;
    return {
      entry: e,
      share: total > 0 ? e.durationMs / total : 0,
      cumulative: total > 0 ? running / total : 0,
    };
  });
}

async function load(tx: Sql, context: SourceContext): Promise<Row[]> {
  const { params, period } = context;
  if (period === null) throw new DomainError('invalid', 'Choose a period', { period: 'Required' });
  const scope =
    params.machineId !== undefined
      ? { kind: 'machine' as const, id: params.machineId }
      : params.lineId !== undefined
        ? { kind: 'line' as const, id: params.lineId }
        : { kind: 'plant' as const, id: params.plantId ?? '' };
  const pareto = await downtimePareto(
    tx,
    { scope, window: { from: new Date(period.start), to: new Date(period.end) } },
    context.now,
  );
  const by = context.grouping.by ?? 'reason';
  if (by === 'bucket') {
    return pareto.byBucket.map((b, i) => ({
      rank: i + 1,
      bucket: b.bucket,
      cause: '',
      name: '',
      category: '',
      duration: minutes(b.durationMs),
      share: b.share,
      cumulativeShare: b.cumulativeShare,
    }));
  }
  if (by === 'category') {
    const totals = new Map<string, number>();
    for (const e of pareto.byReason) {
      const category = e.category ?? '—';
      totals.set(category, (totals.get(category) ?? 0) + e.durationMs);
    }
    const sorted = [...totals.entries()]
      .map(([category, durationMs]) => ({ category, durationMs }))
      .sort((a, b) => b.durationMs - a.durationMs || a.category.localeCompare(b.category));
    return shared(sorted).map(({ entry, share, cumulative }, i) => ({
      rank: i + 1,
      bucket: '',
      cause: '',
      name: '',
      category: entry.category,
      duration: minutes(entry.durationMs),
      share,
      cumulativeShare: cumulative,
    }));
  }
  return pareto.byReason.map((e, i) => ({
    rank: i + 1,
    bucket: e.bucket,
    cause: e.cause,
    name: e.name,
    category: e.category ?? '',
    duration: minutes(e.durationMs),
    share: e.share,
    cumulativeShare: e.cumulativeShare,
  }));
}

export const paretoSource: ComputedSource = {
  kind: 'computed',
  key: 'downtime-pareto',
  permission: 'kpi.read',
  columns,
  grouping: { by: ['reason', 'category', 'bucket'] },
  parameters: ['plantId', 'lineId', 'machineId', 'period'],
  requires: ['plantId'],
  needsPeriod: true,
  load,
};
