import type { OtdPolicy } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows } from '../../db/index.js';
import type { TestApp } from '../../testing/app.js';
import { effectivePolicy, type OtdLine } from './otd.js';
import { type LineSpec, line } from './otd-fixtures.js';

/*
 * The OTD test lines (otd-fixtures.ts) stored as rows — customers with their exceptions, delivery
 * requests, promises in order, shipments with their items — by the owner, as the logistics modules
 * would have written them; and the same lines as the pure report takes them, with the stored ids.
 */

export interface StoredLines {
  readonly requests: Map<string, string>;
  readonly customers: Map<string, string>;
}

type Exceptions = Partial<OtdPolicy> | null;

export async function storeLines(
  app: TestApp,
  at: { tenantId: string; plantId: string; productId: string },
  specs: readonly LineSpec[],
  exceptions: Record<string, Exceptions>,
  into: StoredLines = { requests: new Map(), customers: new Map() },
): Promise<StoredLines> {
  const { tenantId, plantId, productId } = at;
  const run = <T>(query: ReturnType<typeof sql>) =>
    app.database.db.ownerTransact({ tenantId, plantIds: 'all' }, (tx) => rows<T>(tx, query));
  const one = async (query: ReturnType<typeof sql>) => (await run<{ id: string }>(query))[0]?.id ?? '';
  const shipTo = new Map<string, string>();
  for (const spec of specs) {
    const { customer } = line(spec);
    if (into.customers.has(customer.code)) continue;
    const policy = exceptions[customer.code] ?? null;
    const id = await one(
      sql`insert into customers (tenant_id, code, name, otd_policy)
          values (${tenantId}, ${customer.code}, ${customer.name}, ${policy === null ? null : JSON.stringify(policy)}::jsonb)
          returning id::text as id`,
    );
    into.customers.set(customer.code, id);
  }
  const addressOf = async (code: string) => {
    const known = shipTo.get(code);
    if (known !== undefined) return known;
    const id = await one(
      sql`insert into customer_addresses (tenant_id, customer_id, label, name, country)
          values (${tenantId}, ${into.customers.get(code)}, 'Dock', 'Receiving', 'DE') returning id::text as id`,
    );
    shipTo.set(code, id);
    return id;
  };
  const shipments = new Map<string, { code: string; items: { request: string; quantity: number }[] }>();
  const shipmentOf = new Map<string, NonNullable<LineSpec['shipments']>[number]>();
  for (const spec of specs) {
    const { code } = line(spec).customer;
    const customerId = into.customers.get(code);
    const requestId = await one(
      sql`insert into delivery_requests
            (tenant_id, plant_id, number, customer_id, ship_to_id, product_id, quantity, requested_date, status)
          values (${tenantId}, ${plantId}, ${spec.number}, ${customerId}, ${await addressOf(code)}, ${productId},
                  ${spec.quantity ?? 10}::numeric, ${spec.requested}::date, ${spec.cancelled ? 'cancelled' : 'open'})
          returning id::text as id`,
    );
    into.requests.set(spec.number, requestId);
    for (const [index, [date, reason]] of (spec.promises ?? []).entries()) {
      await run(
        sql`insert into delivery_promises (tenant_id, plant_id, request_id, promised_date, reason, promised_at)
            values (${tenantId}, ${plantId}, ${requestId}, ${date}::date, ${reason},
                    ${new Date(Date.parse('2026-01-01T00:00:00Z') + index * 60_000).toISOString()}::timestamptz)`,
      );
    }
    for (const s of spec.shipments ?? []) {
      const entry = shipments.get(s.number) ?? { code, items: [] };
      entry.items.push({ request: requestId, quantity: s.quantity });
      shipments.set(s.number, entry);
      shipmentOf.set(s.number, s);
    }
  }
  for (const [number, { code, items }] of shipments) {
    const s = shipmentOf.get(number);
    if (s === undefined) continue;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const status = s.shippedAt === null ? 'packed' : s.deliveredAt === null ? 'shipped' : 'delivered';
    const shipmentId = await one(
      sql`insert into shipments (tenant_id, plant_id, number, customer_id, ship_to_id, status, shipped_at,
                                 delivered_at, late_reason)
          values (${tenantId}, ${plantId}, ${number}, ${into.customers.get(code)}, ${await addressOf(code)}, ${status},
                  ${iso(s.shippedAt)}::timestamptz, ${iso(s.deliveredAt)}::timestamptz, ${s.lateReason})
          returning id::text as id`,
    );
    for (const [index, item] of items.entries()) {
      await run(
        sql`insert into shipment_items (tenant_id, plant_id, shipment_id, line_no, delivery_request_id, product_id,
                                        quantity, packed_quantity)
            values (${tenantId}, ${plantId}, ${shipmentId}, ${index + 1}, ${item.request}, ${productId},
                    ${item.quantity}::numeric, ${item.quantity}::numeric)`,
      );
    }
  }
  return into;
}

/** The specs as the report takes them, with the stored ids and the policy as the loader derives it. */
export function storedLines(
  specs: readonly LineSpec[],
  stored: StoredLines,
  at: { plantId: string; productId: string; timeZone?: string },
  tenant: OtdPolicy,
  exceptions: Record<string, Exceptions>,
): OtdLine[] {
  return specs.map((spec) => {
    const l = line(spec);
    return {
      ...l,
      requestId: stored.requests.get(spec.number) ?? '',
      plantId: at.plantId,
      timeZone: at.timeZone ?? 'UTC',
      customer: { ...l.customer, id: stored.customers.get(l.customer.code) ?? '' },
      product: { ...l.product, id: at.productId },
      policy: effectivePolicy(tenant, exceptions[l.customer.code] ?? null),
    };
  });
}
