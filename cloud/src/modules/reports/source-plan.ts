import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import type { ColumnSpec } from './definition.js';
import type { ComputedSource, Row, SourceContext } from './sources.js';

/*
 * Production against plan per production order (docs/reports.md, "The catalogue"): the orders due in
 * the period — by due date, else planned end, else planned start — with their planned quantity and
 * status beside the good and scrap the count events report for them. Counts name their order by its
 * number (`order` in the count payload, docs/device-integration.md); they are the same rows kpi.oee adds
 * up, here all of the order's counts whenever they came, since an order's progress is not cut by the
 * period. Percent of plan is good / planned.
 */

const columns: ColumnSpec[] = [
  { key: 'order', label: 'Order', type: 'text' },
  { key: 'product', label: 'Product', type: 'text' },
  { key: 'line', label: 'Line', type: 'text' },
  { key: 'status', label: 'Status', type: 'text' },
  { key: 'dueAt', label: 'Due', type: 'datetime' },
  { key: 'planned', label: 'Planned', type: 'number', unit: 'pcs' },
  { key: 'good', label: 'Good', type: 'integer', unit: 'pcs' },
  { key: 'scrap', label: 'Scrap', type: 'integer', unit: 'pcs' },
  { key: 'ofPlan', label: 'Of plan', type: 'percent', unit: '%', decimals: 1 },
  { key: 'remaining', label: 'Remaining', type: 'number', unit: 'pcs' },
];

interface OrderRow {
  number: string;
  product: string;
  line: string | null;
  status: string;
  due_at: Date | string | null;
  quantity: string;
  good: string | number;
  scrap: string | number;
}

async function load(tx: Sql, context: SourceContext): Promise<Row[]> {
  const { params, period } = context;
  if (period === null) throw new DomainError('invalid', 'Choose a period', { period: 'Required' });
  const from = new Date(period.start);
  const to = new Date(period.end);
  const found = await rows<OrderRow>(
    tx,
    sql`select o.number, p.code as product, l.code as line, o.status, o.due_at, o.quantity::text as quantity,
               coalesce(c.good, 0) as good, coalesce(c.scrap, 0) as scrap
          from production_orders o
          join products p on p.tenant_id = o.tenant_id and p.id = o.product_id
          left join lines l on l.tenant_id = o.tenant_id and l.id = o.line_id
          left join lateral (
            select sum(pc.good)::bigint as good, sum(pc.scrap)::bigint as scrap
              from production_counts pc
             where pc.tenant_id = o.tenant_id and pc.plant_id = o.plant_id and pc.order_code = o.number
          ) c on true
         where coalesce(o.due_at, o.planned_end, o.planned_start) >= ${from}
           and coalesce(o.due_at, o.planned_end, o.planned_start) < ${to}
           ${params.plantId === undefined ? sql`` : sql`and o.plant_id = ${params.plantId}::uuid`}
           ${params.lineId === undefined ? sql`` : sql`and o.line_id = ${params.lineId}::uuid`}
           ${params.productId === undefined ? sql`` : sql`and o.product_id = ${params.productId}::uuid`}
         order by coalesce(o.due_at, o.planned_end, o.planned_start), o.number`,
  );
  return found.map((o) => {
    const planned = Number(o.quantity);
    const good = Number(o.good);
    return {
      order: o.number,
      product: o.product,
      line: o.line ?? '',
      status: o.status,
      dueAt: o.due_at === null ? null : new Date(o.due_at).toISOString(),
      planned,
      good,
      scrap: Number(o.scrap),
      ofPlan: good / planned,
      remaining: Math.max(planned - good, 0),
    };
  });
}

export const planSource: ComputedSource = {
  kind: 'computed',
  key: 'production-plan',
  permission: 'kpi.read',
  columns,
  grouping: {},
  parameters: ['plantId', 'lineId', 'productId', 'period'],
  requires: [],
  needsPeriod: true,
  load,
};
