import { sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import { notFound } from '../../platform/index.js';
import { firstPassYield, firstPassYieldBy, type InspectionRecord, rolledThroughputYield } from './fpy.js';

export interface YieldWindow {
  from: Date;
  to: Date;
  plantId?: string | undefined;
}

interface InspectionRow {
  unit_id: string;
  quantity: number;
  operation: string;
  product_code: string;
  inspected_at: Date | string;
  passed: boolean;
  reinspection: boolean;
}

/**
 * The inspections that decide FPY for units first inspected in [from, to): their first inspections
 * in the window, and every re-inspection since `from` — rework after the period's end still means the
 * unit did not pass first time. Re-inspections of units first inspected before `from` come along too;
 * the core counts them apart (reinspectionsWithoutFirst). Row-level security limits them to the
 * caller's plants.
 */
async function inspectionRecords(
  tx: Sql,
  window: YieldWindow,
  filter: { productId?: string | undefined; operationIds?: readonly string[] | undefined },
): Promise<InspectionRecord[]> {
  const found = await rows<InspectionRow>(
    tx,
    sql`select coalesce(i.serial, 'lot:' || i.lot) as unit_id, i.quantity, o.code as operation,
               p.code as product_code, i.inspected_at, i.result = 'pass' as passed, i.attempt > 1 as reinspection
          from inspections i
          join routing_operations o on o.tenant_id = i.tenant_id and o.id = i.operation_id
          join products p on p.tenant_id = i.tenant_id and p.id = i.product_id
         where i.inspected_at >= ${window.from}
           and (i.attempt > 1 or i.inspected_at < ${window.to})
           ${window.plantId === undefined ? sql`` : sql`and i.plant_id = ${window.plantId}::uuid`}
           ${filter.productId === undefined ? sql`` : sql`and i.product_id = ${filter.productId}::uuid`}
           ${filter.operationIds === undefined ? sql`` : sql`and i.operation_id = any(${sql.param(filter.operationIds)}::uuid[])`}`,
  );
  return found.map((r) => ({
    unitId: r.unit_id,
    quantity: r.quantity,
    operation: r.operation,
    productCode: r.product_code,
    time: new Date(r.inspected_at),
    passed: r.passed,
    isReinspection: r.reinspection,
  }));
}

/** FPY over a period, in total and by operation or product (docs/kpis.md). */
export async function fpyReport(
  tx: Sql,
  input: YieldWindow & { productId?: string | undefined; by: 'operation' | 'product' },
) {
  const records = await inspectionRecords(tx, input, { productId: input.productId });
  return {
    total: firstPassYield(records),
    groups: firstPassYieldBy(records, (unit) =>
      input.by === 'operation' ? unit.operation : (unit.productCode ?? ''),
    ),
  };
}

/** RTY over a routing's operations in their order, for the routing's product over a period. */
export async function rtyReport(tx: Sql, input: YieldWindow & { routingId: string }) {
  const operations = await rows<{ id: string; code: string; product_id: string }>(
    tx,
    sql`select o.id, o.code, r.product_id from routings r
          join routing_operations o on o.tenant_id = r.tenant_id and o.routing_id = r.id
         where r.id = ${input.routingId}::uuid order by o.sequence`,
  );
  const productId = operations[0]?.product_id;
  if (productId === undefined) throw notFound('Routing');
  const records = await inspectionRecords(tx, input, {
    productId,
    operationIds: operations.map((o) => o.id),
  });
  return rolledThroughputYield(
    operations.map((o) => o.code),
    records,
  );
}
