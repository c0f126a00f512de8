import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError, notFound } from '../../platform/index.js';
import { rtyReport } from '../kpi/index.js';
import type { ColumnSpec } from './definition.js';
import { type ComputedSource, type Row, ratioCell, type SourceContext } from './sources.js';

/*
 * Rolled throughput yield per routing over the period (docs/reports.md, "The catalogue"): kpi.rty for
 * each routing, or each routing's operations with the FPY that goes into it. Without a routing
 * parameter the report covers the active routings whose operations have inspections in the period
 * (of the product, when one is named): a routing nobody inspected would only say "no data".
 */

const columns: ColumnSpec[] = [
  { key: 'routing', label: 'Routing', type: 'text' },
  { key: 'product', label: 'Product', type: 'text' },
  { key: 'operation', label: 'Operation', type: 'text' },
  { key: 'unitsInspected', label: 'Units inspected', type: 'integer', unit: 'pcs' },
  { key: 'unitsPassedFirstTime', label: 'Passed first time', type: 'integer', unit: 'pcs' },
  { key: 'unitsReworked', label: 'Reworked', type: 'integer', unit: 'pcs' },
  { key: 'fpy', label: 'FPY', type: 'percent', unit: '%', decimals: 1 },
  { key: 'rty', label: 'RTY', type: 'percent', unit: '%', decimals: 1 },
  { key: 'operationsWithoutData', label: 'Operations without inspections', type: 'text' },
];

interface RoutingRow {
  id: string;
  code: string;
  product: string;
}

async function routingsOf(tx: Sql, context: SourceContext, from: Date, to: Date) {
  const { params } = context;
  if (params.routingId !== undefined) {
    const named = await rows<RoutingRow>(
      tx,
      sql`select r.id::text as id, r.code, p.code as product
            from routings r join products p on p.tenant_id = r.tenant_id and p.id = r.product_id
           where r.id = ${params.routingId}::uuid`,
    );
    if (named.length === 0) throw notFound('Routing');
    return named;
  }
  return rows<RoutingRow>(
    tx,
    sql`select r.id::text as id, r.code, p.code as product
          from routings r join products p on p.tenant_id = r.tenant_id and p.id = r.product_id
         where r.is_active
           ${params.productId === undefined ? sql`` : sql`and r.product_id = ${params.productId}::uuid`}
           and exists (select 1 from inspections i
                         join routing_operations o on o.tenant_id = i.tenant_id and o.id = i.operation_id
                        where o.routing_id = r.id and i.product_id = r.product_id
                          and i.inspected_at >= ${from} and i.inspected_at < ${to}
                          ${params.plantId === undefined ? sql`` : sql`and i.plant_id = ${params.plantId}::uuid`})
         order by r.code`,
  );
}

async function load(tx: Sql, context: SourceContext): Promise<Row[]> {
  const { params, period } = context;
  if (period === null) throw new DomainError('invalid', 'Choose a period', { period: 'Required' });
  const from = new Date(period.start);
  const to = new Date(period.end);
  const out: Row[] = [];
  for (const routing of await routingsOf(tx, context, from, to)) {
    const kpi = await rtyReport(tx, { routingId: routing.id, from, to, plantId: params.plantId });
    const base = { routing: routing.code, product: routing.product, rty: ratioCell(kpi.rty) };
    if (context.grouping.by === 'operation') {
      for (const o of kpi.operations) {
        out.push({
          ...base,
          operation: o.operation,
          unitsInspected: o.unitsInspected,
          unitsPassedFirstTime: o.unitsPassedFirstTime,
          unitsReworked: o.unitsReworked,
          fpy: ratioCell(o.fpy),
        });
      }
    } else {
      out.push({ ...base, operationsWithoutData: kpi.operationsWithoutData.join(', ') });
    }
  }
  return out;
}

export const rtySource: ComputedSource = {
  kind: 'computed',
  key: 'rty',
  permission: 'kpi.read',
  columns,
  grouping: { by: ['routing', 'operation'] },
  parameters: ['plantId', 'productId', 'routingId', 'period'],
  requires: [],
  needsPeriod: true,
  load,
};
