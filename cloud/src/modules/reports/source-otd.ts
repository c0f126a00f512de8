import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { otdKpi, timeZone } from '../kpi/index.js';
import type { ColumnSpec } from './definition.js';
import type { ResolvedPeriod } from './periods.js';
import type { ComputedSource, Row, SourceContext } from './sources.js';

/*
 * On-time delivery and on time in full (docs/reports.md): kpi.otd's series per day, ISO week or
 * month, its figures per customer, or the lines that missed (late, early, short or not shipped).
 * The period's local dates are the dates kpi.otd takes: its first day to the day of its last instant.
 */

const columns: ColumnSpec[] = [
  { key: 'bucket', label: 'Period', type: 'date' },
  { key: 'customer', label: 'Customer', type: 'text' },
  { key: 'due', label: 'Due', type: 'number' },
  { key: 'onTime', label: 'On time', type: 'number' },
  { key: 'inFull', label: 'In full', type: 'number' },
  { key: 'otd', label: 'OTD', type: 'percent', unit: '%', decimals: 1 },
  { key: 'otif', label: 'OTIF', type: 'percent', unit: '%', decimals: 1 },
  { key: 'duePromised', label: 'Due (promised)', type: 'number' },
  { key: 'otdPromised', label: 'OTD to promise', type: 'percent', unit: '%', decimals: 1 },
  { key: 'otifPromised', label: 'OTIF to promise', type: 'percent', unit: '%', decimals: 1 },
  { key: 'request', label: 'Request', type: 'text' },
  { key: 'product', label: 'Product', type: 'text' },
  { key: 'quantity', label: 'Quantity', type: 'number' },
  { key: 'deliveredQuantity', label: 'Delivered', type: 'number' },
  { key: 'referenceDate', label: 'Requested date', type: 'date' },
  { key: 'actualDate', label: 'Delivered on', type: 'date' },
  { key: 'daysLate', label: 'Days late', type: 'integer', unit: 'd' },
  { key: 'status', label: 'Status', type: 'text' },
  { key: 'reason', label: 'Reason', type: 'text' },
];

/** The period's first and last local dates, both included, as kpi.otd takes them. */
export function otdDates(period: ResolvedPeriod): { from: string; to: string } {
  const zone = timeZone(period.timezone);
  const text = (ms: number) => {
    const d = zone.localAt(ms);
    return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  };
  return { from: text(period.start), to: text(period.end - 1) };
}

interface Figures {
  due: number;
  onTime: number;
  inFull: number;
  otd: number | null;
  otif: number | null;
}

const measured = (request: Figures, promised: Figures) => ({
  due: request.due,
  onTime: request.onTime,
  inFull: request.inFull,
  otd: request.otd,
  otif: request.otif,
  duePromised: promised.due,
  otdPromised: promised.otd,
  otifPromised: promised.otif,
});

async function load(tx: Sql, context: SourceContext): Promise<Row[]> {
  const { params, period } = context;
  if (period === null) throw new DomainError('invalid', 'Choose a period', { period: 'Required' });
  const by = context.grouping.by ?? 'week';
  const { from, to } = otdDates(period);
  const answer = await otdKpi(
    tx,
    {
      plantId: params.plantId,
      customerId: params.customerId,
      from,
      to,
      bucket: by === 'day' || by === 'month' ? by : 'week',
    },
    context.now,
  );
  if (by === 'customer') {
    return answer.customers.map((c) => ({
      customer: c.customer.code,
      ...measured(c.toRequest, c.toPromise),
    }));
  }
  if (by === 'late') {
    return answer.lateLines.toRequest.map((l) => ({
      request: l.number,
      customer: l.customer.code,
      product: l.product.code,
      quantity: l.quantity,
      deliveredQuantity: l.deliveredQuantity,
      referenceDate: l.referenceDate,
      actualDate: l.actualDate,
      daysLate: l.daysLate,
      status: l.status,
      reason: l.reason,
    }));
  }
  return answer.series.map((p) => ({ bucket: p.start, ...measured(p.toRequest, p.toPromise) }));
}

export const otdSource: ComputedSource = {
  kind: 'computed',
  key: 'otd',
  permission: 'logistics.read',
  columns,
  grouping: { by: ['week', 'day', 'month', 'customer', 'late'] },
  parameters: ['plantId', 'customerId', 'period'],
  requires: [],
  needsPeriod: true,
  load,
};
