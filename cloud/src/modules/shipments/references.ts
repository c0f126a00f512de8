import { tables } from '@plantline/schema';
import { and, eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError, withConstraintErrors } from '../../platform/index.js';

/*
 * What a shipment points at must be of its own tenant, and its requests and stations of its plant
 * (docs/logistics.md, "Shipments"). Lookups go through row-level security, so another tenant's
 * record, or a plant out of the caller's reach, is "not found" on its field, never "forbidden",
 * which would confirm it exists. The foreign keys hold the tenant for the rest (withReferences).
 */

export const notFoundOn = (what: string, field: string) =>
  new DomainError('not_found', `${what} not found`, { [field]: 'Not found' });

const invalidOn = (message: string, field: string, problem: string) =>
  new DomainError('invalid', message, { [field]: problem });

export async function visiblePlant(tx: Sql, plantId: string) {
  const p = tables.plants;
  const [plant] = await tx
    .select({ id: p.id, code: p.code, timezone: p.timezone })
    .from(p)
    .where(eq(p.id, plantId));
  if (plant === undefined) throw notFoundOn('Plant', 'plantId');
  return plant;
}

/** An active customer and one of its active ship-to addresses. */
export async function checkConsignee(tx: Sql, customerId: string, shipToId: string) {
  const c = tables.customers;
  const [customer] = await tx
    .select({ id: c.id, code: c.code, isActive: c.isActive })
    .from(c)
    .where(eq(c.id, customerId));
  if (customer === undefined) throw notFoundOn('Customer', 'customerId');
  if (!customer.isActive)
    throw invalidOn(`Customer ${customer.code} is deactivated`, 'customerId', 'Deactivated');
  await checkShipTo(tx, customerId, shipToId);
  return customer;
}

export async function checkShipTo(tx: Sql, customerId: string, shipToId: string) {
  const a = tables.customerAddresses;
  const [address] = await tx
    .select({ customerId: a.customerId, isActive: a.isActive, label: a.label })
    .from(a)
    .where(eq(a.id, shipToId));
  if (address === undefined) throw notFoundOn('Address', 'shipToId');
  if (address.customerId !== customerId)
    throw invalidOn('The address is not one of the customer’s', 'shipToId', 'Not this customer’s address');
  if (!address.isActive)
    throw invalidOn(`The address ${address.label} is deactivated`, 'shipToId', 'Deactivated');
}

export async function checkCarrier(tx: Sql, carrierId: string) {
  const c = tables.carriers;
  const [carrier] = await tx
    .select({ code: c.code, isActive: c.isActive })
    .from(c)
    .where(eq(c.id, carrierId));
  if (carrier === undefined) throw notFoundOn('Carrier', 'carrierId');
  if (!carrier.isActive)
    throw invalidOn(`Carrier ${carrier.code} is deactivated`, 'carrierId', 'Deactivated');
}

/** Active products by id; a missing one is "not found" on `products`. */
export async function activeProducts(tx: Sql, productIds: readonly string[]) {
  if (productIds.length === 0) return new Map<string, { code: string }>();
  const p = tables.products;
  const found = await tx
    .select({ id: p.id, code: p.code, isActive: p.isActive })
    .from(p)
    .where(inArray(p.id, [...new Set(productIds)]));
  for (const id of productIds) {
    const product = found.find((f) => f.id === id);
    if (product === undefined) throw notFoundOn('Product', 'products');
    if (!product.isActive)
      throw invalidOn(`Product ${product.code} is deactivated`, 'products', `${product.code} is deactivated`);
  }
  return new Map(found.map((f) => [f.id, { code: f.code }]));
}

/** A station of the shipment's plant, for scans made at one. */
export async function checkStation(tx: Sql, stationId: string, plantId: string) {
  const s = tables.stations;
  const [station] = await tx
    .select({ plantId: s.plantId })
    .from(s)
    .where(and(eq(s.id, stationId)));
  if (station === undefined) throw notFoundOn('Station', 'stationId');
  if (station.plantId !== plantId)
    throw invalidOn('The station is not one of the shipment’s plant', 'stationId', 'Not in this plant');
}

/*
 * The foreign keys check, without row-level security and with the tenant, what the lookups above
 * leave to them.
 */
const constraintErrors: Record<string, () => DomainError> = {
  shipments_customer_fk: () => notFoundOn('Customer', 'customerId'),
  shipments_ship_to_fk: () =>
    invalidOn('The address is not one of the customer’s', 'shipToId', 'Not this customer’s address'),
  shipments_carrier_fk: () => notFoundOn('Carrier', 'carrierId'),
  shipment_items_product_fk: () => notFoundOn('Product', 'products'),
  shipment_items_request_fk: () => notFoundOn('Delivery request', 'requests'),
  packing_scans_station_fk: () => notFoundOn('Station', 'stationId'),
};

/** Runs a write, turning a refused reference into its field's error. */
export const withReferences = <T>(work: Promise<T>): Promise<T> =>
  withConstraintErrors(work, constraintErrors);
