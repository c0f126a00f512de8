import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { oeeReport } from '../kpi/index.js';
import type { ColumnSpec } from './definition.js';
import type { ComputedSource, Row, SourceContext } from './sources.js';

/*
 * Scrap by product or by machine over the period, most first (docs/reports.md, "The catalogue"):
 * kpi.oee's quantities — the counts inside planned operation time that its quality factor uses —
 * with each group's scrap rate and its share of all scrap. Products are the machines' per-product
 * quantities added up; counts reported without a product fall under "—". Count events carry no
 * defect code, so scrap cannot be split by defect here (docs/reports.md says where defect codes are).
 */

const columns: ColumnSpec[] = [
  { key: 'rank', label: 'Rank', type: 'integer' },
  { key: 'group', label: 'Product or machine', type: 'text' },
  { key: 'produced', label: 'Produced', type: 'integer', unit: 'pcs' },
  { key: 'good', label: 'Good', type: 'integer', unit: 'pcs' },
  { key: 'scrap', label: 'Scrap', type: 'integer', unit: 'pcs' },
  { key: 'scrapRate', label: 'Scrap rate', type: 'percent', unit: '%', decimals: 1 },
  { key: 'share', label: 'Share of scrap', type: 'percent', unit: '%', decimals: 1 },
  { key: 'cumulativeShare', label: 'Cumulative share', type: 'percent', unit: '%', decimals: 1 },
];

interface Quantities {
  group: string;
  produced: number;
  good: number;
  scrap: number;
}

/** Most scrap first, then by name; groups without scrap stay, at the end, for their produced count. */
export function scrapPareto(groups: readonly Quantities[]): Row[] {
  const total = groups.reduce((sum, g) => sum + g.scrap, 0);
  const sorted = [...groups].sort((a, b) => b.scrap - a.scrap || a.group.localeCompare(b.group));
  let running = 0;
  return sorted.map((g, i) => {
    running += g.scrap;
    return {
      rank: i + 1,
      ...g,
      // A group that produced nothing has no scrap rate ("no data", never 0).
      scrapRate: g.produced > 0 ? g.scrap / g.produced : null,
      share: total > 0 ? g.scrap / total : null,
      cumulativeShare: total > 0 ? running / total : null,
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
  const kpi = await oeeReport(
    tx,
    { scope, window: { from: new Date(period.start), to: new Date(period.end) } },
    context.now,
  );
  if (context.grouping.by === 'machine') {
    return scrapPareto(
      kpi.machines.map((m) => ({
        group: m.code,
        produced: m.components.producedQuantity,
        good: m.components.goodQuantity,
        scrap: m.components.scrapQuantity,
      })),
    );
  }
  const byProduct = new Map<string, Quantities>();
  for (const m of kpi.machines) {
    for (const p of m.byProduct) {
      const group = p.productCode ?? '—';
      const acc = byProduct.get(group) ?? { group, produced: 0, good: 0, scrap: 0 };
      acc.produced += p.produced;
      acc.good += p.good;
      acc.scrap += p.scrap;
      byProduct.set(group, acc);
    }
  }
  return scrapPareto([...byProduct.values()]);
}

export const scrapSource: ComputedSource = {
  kind: 'computed',
  key: 'scrap',
  permission: 'kpi.read',
  columns,
  grouping: { by: ['product', 'machine'] },
  parameters: ['plantId', 'lineId', 'machineId', 'period'],
  requires: ['plantId'],
  needsPeriod: true,
  load,
};
