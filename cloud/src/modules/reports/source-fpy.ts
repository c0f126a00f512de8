import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { fpyReport } from '../kpi/index.js';
import type { ColumnSpec } from './definition.js';
import { type ComputedSource, type Row, ratioCell, type SourceContext } from './sources.js';

/*
 * First pass yield by product or by operation over the period (docs/reports.md): kpi.fpy's groups,
 * with the units reworked — the units that did not pass first time.
 */

const columns: ColumnSpec[] = [
  { key: 'group', label: 'Product or operation', type: 'text' },
  { key: 'unitsInspected', label: 'Units inspected', type: 'integer', unit: 'pcs' },
  { key: 'unitsPassedFirstTime', label: 'Passed first time', type: 'integer', unit: 'pcs' },
  { key: 'unitsReworked', label: 'Reworked', type: 'integer', unit: 'pcs' },
  { key: 'fpy', label: 'FPY', type: 'percent', unit: '%', decimals: 1 },
];

async function load(tx: Sql, context: SourceContext): Promise<Row[]> {
  const { params, period } = context;
  if (period === null) throw new DomainError('invalid', 'Choose a period', { period: 'Required' });
  const by = context.grouping.by === 'operation' ? 'operation' : 'product';
  const result = await fpyReport(tx, {
    from: new Date(period.start),
    to: new Date(period.end),
    plantId: params.plantId,
    productId: params.productId,
    by,
  });
  return result.groups.map((g) => ({
    group: g.key,
    unitsInspected: g.unitsInspected,
    unitsPassedFirstTime: g.unitsPassedFirstTime,
    unitsReworked: g.unitsReworked,
    fpy: ratioCell(g.fpy),
  }));
}

export const fpySource: ComputedSource = {
  kind: 'computed',
  key: 'fpy',
  permission: 'kpi.read',
  columns,
  grouping: { by: ['product', 'operation'] },
  parameters: ['plantId', 'productId', 'period'],
  requires: [],
  needsPeriod: true,
  load,
};
