import { tables } from '@plantline/schema';
import { and, desc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';

/*
 * What customers and delivery requests point at, looked up through row-level security: another
 * tenant's row, or a plant out of the caller's reach, is "not found" on its field, never "forbidden",
 * which would confirm it exists. A row that exists but may not be used any more (a deactivated
 * customer, address or product) is refused on its field with the reason.
 */

export const notFoundOn = (what: string, field: string) =>
  new DomainError('not_found', `${what} not found`, { [field]: 'Not found' });

const deactivated = (what: string, field: string) =>
  new DomainError('invalid', `The ${what} is deactivated`, { [field]: 'Deactivated' });

/** A plant the caller reaches, with its calendar's time zone. */
export async function visiblePlant(tx: Sql, plantId: string) {
  const p = tables.plants;
  const [plant] = await tx
    .select({ id: p.id, code: p.code, timezone: p.timezone })
    .from(p)
    .where(eq(p.id, plantId));
  if (plant === undefined) throw notFoundOn('Plant', 'plantId');
  return plant;
}

/** An active customer, for a new request or a change of one. */
export async function activeCustomer(tx: Sql, customerId: string) {
  const c = tables.customers;
  const [customer] = await tx
    .select({ id: c.id, code: c.code, isActive: c.isActive })
    .from(c)
    .where(eq(c.id, customerId));
  if (customer === undefined) throw notFoundOn('Customer', 'customerId');
  if (!customer.isActive) throw deactivated('customer', 'customerId');
  return customer;
}

/**
 * The ship-to address of a request: the one named, which must be an active address of the customer,
 * or else the customer's default.
 */
export async function shipToOf(tx: Sql, customerId: string, shipToId: string | undefined) {
  const a = tables.customerAddresses;
  if (shipToId === undefined) {
    const [fallback] = await tx
      .select({ id: a.id })
      .from(a)
      .where(and(eq(a.customerId, customerId), eq(a.isDefault, true), eq(a.isActive, true)));
    if (fallback === undefined)
      throw new DomainError('invalid', 'The customer has no default ship-to address; choose one', {
        shipToId: 'Choose an address',
      });
    return fallback.id;
  }
  const [address] = await tx
    .select({ customerId: a.customerId, isActive: a.isActive })
    .from(a)
    .where(eq(a.id, shipToId));
  if (address === undefined) throw notFoundOn('Address', 'shipToId');
  if (address.customerId !== customerId)
    throw new DomainError('invalid', 'The address is not one of the customer’s', {
      shipToId: 'Not this customer’s',
    });
  if (!address.isActive) throw deactivated('address', 'shipToId');
  return shipToId;
}

/** An active product of the tenant's catalogue. */
export async function activeProduct(tx: Sql, productId: string) {
  const p = tables.products;
  const [product] = await tx.select({ id: p.id, isActive: p.isActive }).from(p).where(eq(p.id, productId));
  if (product === undefined) throw notFoundOn('Product', 'productId');
  if (!product.isActive) throw deactivated('product', 'productId');
  return product;
}

/** Who changed a record last and when, from the audit trail: what a stale edit did not see. */
export async function lastChange(
  tx: Sql,
  entityType: string,
  id: string,
): Promise<{ actorName: string; at: Date } | null> {
  const a = tables.auditLog;
  const [entry] = await tx
    .select({ actorName: a.actorName, at: a.recordedAt })
    .from(a)
    .where(and(eq(a.entityType, entityType), eq(a.entityId, id)))
    .orderBy(desc(a.seq))
    .limit(1);
  return entry ?? null;
}
