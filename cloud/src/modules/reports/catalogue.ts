import { DomainError } from '../../platform/index.js';
import { type ReportDefinition, reportDefinition } from './definition.js';
import { auditSource } from './source-audit.js';
import { fpySource } from './source-fpy.js';
import { oeeSource } from './source-oee.js';
import { otdSource } from './source-otd.js';
import { paretoSource } from './source-pareto.js';
import { planSource } from './source-plan.js';
import { recallSource } from './source-recall.js';
import { rtySource } from './source-rty.js';
import { scrapSource } from './source-scrap.js';
import type { DataSource } from './sources.js';

/*
 * The reports shipped with Plantline (docs/reports.md, "The catalogue"): each a definition over a
 * data source. A tenant's report is a copy of one of these (its baseKey) with its own definition,
 * validated against the same source: the columns it may show, its grouping options.
 */

export const dataSources = {
  oee: oeeSource,
  'downtime-pareto': paretoSource,
  fpy: fpySource,
  rty: rtySource,
  scrap: scrapSource,
  'production-plan': planSource,
  otd: otdSource,
  audit: auditSource,
  recall: recallSource,
} satisfies Record<string, DataSource>;

export type SourceKey = keyof typeof dataSources;

export interface CatalogueReport {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly source: SourceKey;
  readonly definition: ReportDefinition;
}

const oeeColumns = [
  'period',
  'shift',
  'line',
  'machine',
  'name',
  'oee',
  'availability',
  'performance',
  'quality',
  'plannedBusyTime',
  'productionTime',
  'produced',
  'good',
  'scrap',
  'flags',
];

const define = (definition: Partial<ReportDefinition> & Pick<ReportDefinition, 'columns'>) =>
  reportDefinition.parse({ grouping: {}, ...definition });

export const catalogue: readonly CatalogueReport[] = [
  {
    key: 'oee-by-shift',
    name: 'OEE by shift',
    description: 'OEE with availability, performance and quality of each machine per shift.',
    source: 'oee',
    definition: define({
      columns: oeeColumns,
      grouping: { time: 'shift', level: 'machine' },
      parameters: { period: { preset: 'lastShift' } },
      chart: { kind: 'bars', x: 'machine', y: ['oee', 'availability', 'performance', 'quality'] },
    }),
  },
  {
    key: 'oee-by-day',
    name: 'OEE by day',
    description: "Each line's OEE with A, P and Q per day in the plant's calendar.",
    source: 'oee',
    definition: define({
      columns: oeeColumns.filter((c) => c !== 'shift' && c !== 'machine'),
      grouping: { time: 'day', level: 'line' },
      parameters: { period: { preset: 'lastIsoWeek' } },
      chart: { kind: 'lines', x: 'period', y: ['oee'] },
    }),
  },
  {
    key: 'oee-by-week',
    name: 'OEE by week',
    description: "The plant's OEE with A, P and Q per ISO week.",
    source: 'oee',
    definition: define({
      columns: oeeColumns.filter((c) => !['shift', 'line', 'machine', 'name'].includes(c)),
      grouping: { time: 'week', level: 'plant' },
      parameters: { period: { preset: 'lastMonth' } },
      chart: { kind: 'lines', x: 'period', y: ['oee', 'availability', 'performance', 'quality'] },
    }),
  },
  {
    key: 'downtime-pareto',
    name: 'Downtime Pareto',
    description: 'Stop time by reason, longest first, with each share and the cumulative share.',
    source: 'downtime-pareto',
    definition: define({
      columns: ['rank', 'bucket', 'cause', 'name', 'category', 'duration', 'share', 'cumulativeShare'],
      grouping: { by: 'reason' },
      parameters: { period: { preset: 'yesterday' } },
      chart: { kind: 'pareto', x: 'cause', y: ['duration', 'cumulativeShare'] },
    }),
  },
  {
    key: 'downtime-by-category',
    name: 'Downtime by category',
    description: 'Stop time by reason category, longest first.',
    source: 'downtime-pareto',
    definition: define({
      columns: ['rank', 'category', 'duration', 'share', 'cumulativeShare'],
      grouping: { by: 'category' },
      parameters: { period: { preset: 'lastIsoWeek' } },
      chart: { kind: 'pareto', x: 'category', y: ['duration', 'cumulativeShare'] },
    }),
  },
  {
    key: 'fpy-by-product',
    name: 'First pass yield by product',
    description: 'Units inspected, passed first time and reworked, and FPY, per product.',
    source: 'fpy',
    definition: define({
      columns: ['group', 'unitsInspected', 'unitsPassedFirstTime', 'unitsReworked', 'fpy'],
      grouping: { by: 'product' },
      parameters: { period: { preset: 'lastIsoWeek' } },
      chart: { kind: 'bars', x: 'group', y: ['fpy'] },
    }),
  },
  {
    key: 'rty-by-routing',
    name: 'Rolled throughput yield by routing',
    description: 'RTY of each routing inspected in the period, and the operations that lack inspections.',
    source: 'rty',
    definition: define({
      columns: ['routing', 'product', 'rty', 'operationsWithoutData'],
      grouping: { by: 'routing' },
      parameters: { period: { preset: 'lastIsoWeek' } },
      chart: { kind: 'bars', x: 'routing', y: ['rty'] },
    }),
  },
  {
    key: 'scrap-by-product',
    name: 'Scrap by product',
    description: 'Scrap per product, most first, with the scrap rate and the cumulative share.',
    source: 'scrap',
    definition: define({
      columns: ['rank', 'group', 'produced', 'good', 'scrap', 'scrapRate', 'share', 'cumulativeShare'],
      grouping: { by: 'product' },
      parameters: { period: { preset: 'lastIsoWeek' } },
      chart: { kind: 'pareto', x: 'group', y: ['scrap', 'cumulativeShare'] },
    }),
  },
  {
    key: 'production-vs-plan',
    name: 'Production against plan',
    description: 'Each production order due in the period: planned, good and scrap, and the share done.',
    source: 'production-plan',
    definition: define({
      columns: ['order', 'product', 'line', 'status', 'dueAt', 'planned', 'good', 'scrap', 'ofPlan'],
      parameters: { period: { preset: 'lastIsoWeek' } },
      chart: { kind: 'bars', x: 'order', y: ['ofPlan'] },
    }),
  },
  {
    key: 'otd-otif',
    name: 'OTD and OTIF',
    description: 'On-time delivery and on time in full, to request and to promise, per week.',
    source: 'otd',
    definition: define({
      columns: [
        'bucket',
        'due',
        'onTime',
        'inFull',
        'otd',
        'otif',
        'duePromised',
        'otdPromised',
        'otifPromised',
      ],
      grouping: { by: 'week' },
      parameters: { period: { preset: 'lastMonth' } },
      chart: { kind: 'lines', x: 'bucket', y: ['otd', 'otif'] },
    }),
  },
  {
    key: 'late-shipments',
    name: 'Late deliveries',
    description: 'The delivery lines that missed: late, early, short or not shipped, with the reason.',
    source: 'otd',
    definition: define({
      columns: [
        'request',
        'customer',
        'product',
        'quantity',
        'deliveredQuantity',
        'referenceDate',
        'actualDate',
        'daysLate',
        'status',
        'reason',
      ],
      grouping: { by: 'late' },
      parameters: { period: { preset: 'lastMonth' } },
    }),
  },
  {
    key: 'lot-recall',
    name: 'Lot recall',
    description: 'Customers, shipments, transfers and quantities reached by everything made from a lot.',
    source: 'recall',
    definition: define({ columns: recallSource.columns.map((c) => c.key) }),
  },
  {
    key: 'audit-extract',
    name: 'Audit extract',
    description: 'Every audit trail entry of the period, newest first, with the changes written out.',
    source: 'audit',
    definition: define({
      columns: auditSource.columns.map((c) => c.key),
      parameters: { period: { preset: 'yesterday' } },
    }),
  },
];

export function catalogueReport(key: string): CatalogueReport {
  const found = catalogue.find((r) => r.key === key);
  if (found === undefined) throw new DomainError('not_found', `No report "${key}" in the catalogue`);
  return found;
}

/**
 * A definition checked against its data source: known columns, one known option per grouping
 * dimension (missing ones take the default), filters on shown columns, a chart over them.
 */
export function checkDefinition(source: DataSource, definition: ReportDefinition): ReportDefinition {
  const known = new Set(source.columns.map((c) => c.key));
  const unknown = definition.columns.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new DomainError('invalid', `Unknown column ${unknown.join(', ')}`, { columns: 'Unknown column' });
  }
  if (new Set(definition.columns).size !== definition.columns.length) {
    throw new DomainError('invalid', 'A column is chosen twice', { columns: 'Chosen twice' });
  }
  const grouping: Record<string, string> = {};
  for (const [dimension, options] of Object.entries(source.grouping)) {
    const chosen = definition.grouping[dimension] ?? options[0];
    if (chosen === undefined || !options.includes(chosen)) {
      throw new DomainError('invalid', `Group ${dimension} by one of ${options.join(', ')}`, {
        grouping: 'Unknown option',
      });
    }
    grouping[dimension] = chosen;
  }
  for (const dimension of Object.keys(definition.grouping)) {
    if (!(dimension in source.grouping)) {
      throw new DomainError('invalid', `This report has no grouping "${dimension}"`, { grouping: 'Unknown' });
    }
  }
  for (const filter of definition.filters) {
    if (!known.has(filter.column)) {
      throw new DomainError('invalid', `Cannot filter on unknown column ${filter.column}`, {
        filters: 'Unknown column',
      });
    }
  }
  const charted = [definition.chart.x, ...definition.chart.y].filter((c) => c !== undefined);
  if (charted.some((c) => !known.has(c))) {
    throw new DomainError('invalid', 'The chart names an unknown column', { chart: 'Unknown column' });
  }
  return { ...definition, grouping };
}
