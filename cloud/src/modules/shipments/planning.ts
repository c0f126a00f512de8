import { tables } from '@plantline/schema';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { visiblePlant } from './references.js';
import { requestsToShip } from './request-status.js';

/*
 * What a planner chooses from for a plant's new shipment (docs/logistics.md, "Shipments"): the active
 * customers with their active ship-to addresses, the active carriers, and the plant's delivery
 * requests with what is still to be put on a shipment, oldest requested date first.
 */
export async function shipmentChoices(tx: Sql, plantId: string) {
  await visiblePlant(tx, plantId);
  const c = tables.customers;
  const a = tables.customerAddresses;
  const customers = await tx
    .select({ id: c.id, code: c.code, name: c.name })
    .from(c)
    .where(eq(c.isActive, true))
    .orderBy(asc(c.code));
  const addresses = await tx
    .select({
      id: a.id,
      customerId: a.customerId,
      label: a.label,
      name: a.name,
      city: a.city,
      country: a.country,
      isDefault: a.isDefault,
    })
    .from(a)
    .where(eq(a.isActive, true))
    .orderBy(asc(a.label));
  const carriers = await tx
    .select({ id: tables.carriers.id, code: tables.carriers.code, name: tables.carriers.name })
    .from(tables.carriers)
    .where(eq(tables.carriers.isActive, true))
    .orderBy(asc(tables.carriers.code));
  const r = tables.deliveryRequests;
  const open = await tx
    .select({
      id: r.id,
      number: r.number,
      customerId: r.customerId,
      shipToId: r.shipToId,
      productId: r.productId,
      productCode: tables.products.code,
      productName: tables.products.name,
      requestedDate: r.requestedDate,
      customerPo: r.customerPo,
    })
    .from(r)
    .innerJoin(
      tables.products,
      and(eq(tables.products.tenantId, r.tenantId), eq(tables.products.id, r.productId)),
    )
    .where(and(eq(r.plantId, plantId), inArray(r.status, ['open', 'partially_shipped'])))
    .orderBy(asc(r.requestedDate), asc(r.number))
    .limit(500);
  const rest = new Map(
    (
      await requestsToShip(
        tx,
        open.map((o) => o.id),
        { lock: false },
      )
    ).map((o) => [o.id, o]),
  );
  const requests = open
    .map((request) => ({
      ...request,
      quantity: rest.get(request.id)?.quantity ?? 0,
      open: rest.get(request.id)?.open ?? 0,
    }))
    .filter((request) => request.open > 0);
  return {
    customers: customers.map((customer) => ({
      ...customer,
      addresses: addresses.filter((address) => address.customerId === customer.id),
    })),
    carriers,
    requests,
  };
}
