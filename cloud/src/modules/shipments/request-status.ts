import type { tables } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';

/*
 * What shipping does to the customer's lines (docs/logistics.md, "Shipments"): a delivery request is
 * open until something of it ships, partially shipped until what shipped reaches its quantity, then
 * shipped. What shipped is what was packed on shipments that left (shipped or delivered); a
 * cancelled request stays cancelled.
 */

/**
 * How much of each request is still to be put on a shipment: its quantity less what live shipments
 * hold (the full item on one not yet shipped, what was packed on one that left). `except` leaves one
 * shipment out, for an edit of its own lines; `lock` holds the requests (in id order) until the
 * transaction ends, so two planners cannot both put the rest of one request on a shipment.
 */
export async function requestsToShip(
  tx: Sql,
  requestIds: readonly string[],
  options: { except?: string | null; lock: boolean },
) {
  const except = options.except ?? null;
  const ids = [...new Set(requestIds)];
  if (ids.length === 0) return [];
  const found = await rows<{
    id: string;
    number: string;
    plant_id: string;
    customer_id: string;
    ship_to_id: string;
    product_id: string;
    customer_po: string;
    status: tables.DeliveryRequestStatus;
    quantity: string;
    open: string;
  }>(
    tx,
    sql`select r.id, r.number, r.plant_id, r.customer_id, r.ship_to_id, r.product_id, r.customer_po, r.status,
               r.quantity, r.quantity - coalesce((
                 select sum(case when s.status in ('shipped', 'delivered') then i.packed_quantity else i.quantity end)
                   from shipment_items i
                   join shipments s on s.tenant_id = i.tenant_id and s.plant_id = i.plant_id and s.id = i.shipment_id
                  where i.tenant_id = r.tenant_id and i.plant_id = r.plant_id and i.delivery_request_id = r.id
                    and s.status <> 'cancelled'
                    and (${except}::uuid is null or s.id <> ${except}::uuid)), 0) as open
          from delivery_requests r
         where r.id in (${sql.join(
           ids.map((id) => sql`${id}::uuid`),
           sql`, `,
         )})
         order by r.id
         ${options.lock ? sql`for update of r` : sql``}`,
  );
  return found.map((r) => ({
    id: r.id,
    number: r.number,
    plantId: r.plant_id,
    customerId: r.customer_id,
    shipToId: r.ship_to_id,
    productId: r.product_id,
    customerPo: r.customer_po,
    status: r.status,
    quantity: Number(r.quantity),
    open: Number(r.open),
  }));
}
