import type { OtdPolicy } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { notFound } from '../../platform/index.js';
import { tenantSettings } from '../settings/index.js';
import { zoneOf } from './kpi-scope.js';
import { effectivePolicy, type OtdLine, type OtdShipment } from './otd.js';
import { type OtdBucket, type OtdReport, otdReport } from './otd-report.js';

/*
 * `kpi.otd` (docs/kpis.md, "OTD and OTIF"): the delivery requests whose requested date or any promised
 * date falls in the period — a superset of those due by either reference —, their promises and the
 * shipments that carried them, read through row-level security (the caller's plants only) and handed
 * to the pure report. A plant or customer the caller cannot see is "not found".
 */

export interface OtdQuery {
  readonly plantId?: string | undefined;
  readonly customerId?: string | undefined;
  /** 'YYYY-MM-DD', both included. */
  readonly from: string;
  readonly to: string;
  readonly bucket: OtdBucket;
}

export interface OtdAnswer extends OtdReport {
  readonly from: string;
  readonly to: string;
  readonly bucket: OtdBucket;
  /** The policy of the totals: the tenant's, with the customer's exceptions when about one customer. */
  readonly policy: OtdPolicy;
}

/** The late lines sent per measure; lateLineCount says how many missed in all. */
export const OTD_LATE_LINE_LIMIT = 200;

interface LineRow {
  id: string;
  number: string;
  status: string;
  plant_id: string;
  timezone: string;
  customer_id: string;
  customer_code: string;
  customer_name: string;
  otd_policy: unknown;
  product_id: string;
  product_code: string;
  product_name: string;
  quantity: number;
  requested_date: string;
}

interface PromiseRow {
  request_id: string;
  promised_date: string;
  reason: string;
}

interface ShipmentRow {
  request_id: string;
  id: string;
  number: string;
  shipped_ms: number | null;
  delivered_ms: number | null;
  late_reason: string;
  quantity: number;
}

export async function otdKpi(tx: Sql, query: OtdQuery, now: number): Promise<OtdAnswer> {
  const tenant = (await tenantSettings(tx)).otd;
  if (query.plantId !== undefined) {
    const [plant] = await rows(tx, sql`select 1 from plants where id = ${query.plantId}::uuid`);
    if (plant === undefined) throw notFound('Plant');
  }
  let policy = tenant;
  if (query.customerId !== undefined) {
    const [customer] = await rows<{ otd_policy: unknown }>(
      tx,
      sql`select otd_policy from customers where id = ${query.customerId}::uuid`,
    );
    if (customer === undefined) throw notFound('Customer');
    policy = effectivePolicy(tenant, customer.otd_policy);
  }
  const lines = await loadLines(tx, query, tenant);
  return {
    ...otdReport({
      lines,
      from: query.from,
      to: query.to,
      bucket: query.bucket,
      now,
      unit: policy.unit,
      lateLimit: OTD_LATE_LINE_LIMIT,
    }),
    from: query.from,
    to: query.to,
    bucket: query.bucket,
    policy,
  };
}

async function loadLines(tx: Sql, query: OtdQuery, tenant: OtdPolicy): Promise<OtdLine[]> {
  const found = await rows<LineRow>(
    tx,
    sql`select r.id::text as id, r.number, r.status, r.plant_id::text as plant_id, p.timezone,
               c.id::text as customer_id, c.code as customer_code, c.name as customer_name, c.otd_policy,
               pr.id::text as product_id, pr.code as product_code, pr.name as product_name,
               r.quantity::float8 as quantity, r.requested_date::text as requested_date
          from delivery_requests r
          join plants p on p.id = r.plant_id
          join customers c on c.tenant_id = r.tenant_id and c.id = r.customer_id
          join products pr on pr.tenant_id = r.tenant_id and pr.id = r.product_id
         where (r.requested_date between ${query.from}::date and ${query.to}::date
                or exists (select 1 from delivery_promises dp
                            where dp.tenant_id = r.tenant_id and dp.plant_id = r.plant_id and dp.request_id = r.id
                              and dp.promised_date between ${query.from}::date and ${query.to}::date))
           ${query.plantId === undefined ? sql`` : sql`and r.plant_id = ${query.plantId}::uuid`}
           ${query.customerId === undefined ? sql`` : sql`and r.customer_id = ${query.customerId}::uuid`}
         order by r.number`,
  );
  if (found.length === 0) return [];
  const ids = found.map((r) => r.id);
  const promises = groupBy(
    await rows<PromiseRow>(
      tx,
      sql`select request_id::text as request_id, promised_date::text as promised_date, reason
            from delivery_promises where request_id = any(${sql.param(ids)}::uuid[])
           order by promised_at, id`,
    ),
  );
  // What left for each request with each shipment: the packed quantity of its items in it.
  const shipments = groupBy(
    await rows<ShipmentRow>(
      tx,
      sql`select si.delivery_request_id::text as request_id, s.id::text as id, s.number,
                 (extract(epoch from s.shipped_at) * 1000)::float8 as shipped_ms,
                 (extract(epoch from s.delivered_at) * 1000)::float8 as delivered_ms,
                 s.late_reason, sum(si.packed_quantity)::float8 as quantity
            from shipment_items si
            join shipments s on s.tenant_id = si.tenant_id and s.plant_id = si.plant_id and s.id = si.shipment_id
           where si.delivery_request_id = any(${sql.param(ids)}::uuid[])
             and s.shipped_at is not null and s.status <> 'cancelled'
           group by si.delivery_request_id, s.id
           order by s.shipped_at, s.id`,
    ),
  );
  // A plant's zone that the platform does not know is said plainly, before the report needs it.
  for (const zone of new Set(found.map((r) => r.timezone))) zoneOf(zone);
  return found.map((r) => ({
    requestId: r.id,
    number: r.number,
    cancelled: r.status === 'cancelled',
    plantId: r.plant_id,
    timeZone: r.timezone,
    customer: { id: r.customer_id, code: r.customer_code, name: r.customer_name },
    product: { id: r.product_id, code: r.product_code, name: r.product_name },
    quantity: r.quantity,
    requestedDate: r.requested_date,
    promises: (promises.get(r.id) ?? []).map((p) => ({ date: p.promised_date, reason: p.reason })),
    shipments: (shipments.get(r.id) ?? []).map(
      (s): OtdShipment => ({
        shipmentId: s.id,
        number: s.number,
        shippedAt: s.shipped_ms,
        deliveredAt: s.delivered_ms,
        quantity: s.quantity,
        lateReason: s.late_reason,
      }),
    ),
    policy: effectivePolicy(tenant, r.otd_policy),
  }));
}

function groupBy<T extends { request_id: string }>(list: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of list) {
    const group = groups.get(item.request_id);
    if (group === undefined) groups.set(item.request_id, [item]);
    else group.push(item);
  }
  return groups;
}
