import { tables } from '@plantline/schema';
import { and, asc, desc, eq, ne } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate, auditUpdate, DomainError, notFound, type Principal } from '../../platform/index.js';
import { lockCustomer } from './customer-queries.js';

/*
 * A customer's ship-to addresses (docs/logistics.md, "Customers and delivery requests"). A customer
 * with active addresses has exactly one default, the address a new request ships to unless it names
 * another: the first address becomes it, making another the default takes it over, and deactivating
 * the default hands it to the oldest active address left. Every address write locks the customer
 * first, so two writers cannot leave it with two defaults or none.
 */

const a = tables.customerAddresses;

const addressColumns = {
  id: a.id,
  customerId: a.customerId,
  label: a.label,
  name: a.name,
  street: a.street,
  street2: a.street2,
  postalCode: a.postalCode,
  city: a.city,
  region: a.region,
  country: a.country,
  gln: a.gln,
  isDefault: a.isDefault,
  isActive: a.isActive,
  createdAt: a.createdAt,
};

export type Address = Awaited<ReturnType<typeof findAddress>>;

/** An address as the audit trail records it. */
const audited = ({ createdAt: _, customerId: __, ...address }: Address) => address;

/** The customer's addresses: the default first, then the active ones, each group by label. */
export function listAddresses(tx: Sql, customerId: string) {
  return tx
    .select(addressColumns)
    .from(a)
    .where(eq(a.customerId, customerId))
    .orderBy(desc(a.isDefault), desc(a.isActive), asc(a.label), asc(a.id));
}

export async function findAddress(tx: Sql, id: string) {
  const [address] = await tx.select(addressColumns).from(a).where(eq(a.id, id));
  if (address === undefined) throw notFound('Address');
  return address;
}

export interface AddressFields {
  label: string;
  name: string;
  street?: string | undefined;
  street2?: string | undefined;
  postalCode?: string | undefined;
  city?: string | undefined;
  region?: string | undefined;
  country: string;
  gln?: string | null | undefined;
}

const recordOf = (customerCode: string, address: { label: string }) => ({
  label: `${customerCode} · ${address.label}`,
});

/** Takes the default from the customer's other addresses, each change audited. */
async function clearOtherDefaults(tx: Sql, customerCode: string, customerId: string, keepId: string | null) {
  const others = await tx
    .select(addressColumns)
    .from(a)
    .where(
      and(
        eq(a.customerId, customerId),
        eq(a.isDefault, true),
        keepId === null ? undefined : ne(a.id, keepId),
      ),
    );
  for (const other of others) {
    await tx.update(a).set({ isDefault: false }).where(eq(a.id, other.id));
    auditUpdate(
      tx,
      'customer_address',
      audited(other),
      { ...audited(other), isDefault: false },
      recordOf(customerCode, other),
    );
  }
}

/** Whether the customer has an active default address other than `exceptId`. */
async function hasDefault(tx: Sql, customerId: string, exceptId: string | null) {
  const [found] = await tx
    .select({ id: a.id })
    .from(a)
    .where(
      and(
        eq(a.customerId, customerId),
        eq(a.isDefault, true),
        eq(a.isActive, true),
        exceptId === null ? undefined : ne(a.id, exceptId),
      ),
    );
  return found !== undefined;
}

/** Adds a ship-to address; it becomes the default when asked to or when the customer has none. */
export async function addAddress(
  tx: Sql,
  principal: Principal,
  input: AddressFields & { customerId: string; isDefault?: boolean | undefined },
) {
  const customer = await lockCustomer(tx, input.customerId);
  const isDefault = input.isDefault === true || !(await hasDefault(tx, customer.id, null));
  if (isDefault) await clearOtherDefaults(tx, customer.code, customer.id, null);
  const [created] = await tx
    .insert(a)
    .values({
      tenantId: principal.tenantId,
      customerId: customer.id,
      label: input.label,
      name: input.name,
      street: input.street ?? '',
      street2: input.street2 ?? '',
      postalCode: input.postalCode ?? '',
      city: input.city ?? '',
      region: input.region ?? '',
      country: input.country,
      gln: input.gln ?? null,
      isDefault,
    })
    .returning(addressColumns);
  const address = created!;
  auditCreate(
    tx,
    'customer_address',
    { ...audited(address), customerId: customer.id },
    recordOf(customer.code, address),
  );
  return address;
}

/** The address and its customer, the customer locked: address writes of one customer queue up. */
async function lockAddress(tx: Sql, id: string) {
  const address = await findAddress(tx, id);
  const customer = await lockCustomer(tx, address.customerId);
  return { address: await findAddress(tx, id), customer };
}

/**
 * Changes an address. Making it the default takes the default from the others; the default is left
 * only by making another address the default, so the customer keeps one.
 */
export async function updateAddress(
  tx: Sql,
  id: string,
  patch: Partial<AddressFields> & { isDefault?: boolean | undefined },
) {
  const { address: current, customer } = await lockAddress(tx, id);
  if (patch.isDefault === false && current.isDefault)
    throw new DomainError('invalid', 'Make another address the default instead', {
      isDefault: 'Make another address the default instead',
    });
  if (patch.isDefault === true && !current.isActive)
    throw new DomainError('invalid', 'A deactivated address cannot be the default; reactivate it first', {
      isDefault: 'Deactivated',
    });
  const { isDefault, ...fields } = patch;
  if (isDefault === true && !current.isDefault) await clearOtherDefaults(tx, customer.code, customer.id, id);
  const set = { ...fields, ...(isDefault === true ? { isDefault } : {}) };
  const [updated] =
    Object.keys(set).length === 0
      ? [current]
      : await tx.update(a).set(set).where(eq(a.id, id)).returning(addressColumns);
  auditUpdate(tx, 'customer_address', audited(current), audited(updated!), recordOf(customer.code, updated!));
  return updated!;
}

/**
 * Deactivates or reactivates an address. Requests that ship to it keep it; new ones cannot choose
 * it. A deactivated default hands the default to the oldest active address left; a reactivated
 * address becomes the default of a customer that has none.
 */
export async function setAddressActive(tx: Sql, id: string, isActive: boolean) {
  const { address: current, customer } = await lockAddress(tx, id);
  if (current.isActive === isActive) {
    auditUpdate(tx, 'customer_address', audited(current), audited(current), recordOf(customer.code, current));
    return current;
  }
  const isDefault = isActive ? !(await hasDefault(tx, customer.id, id)) : false;
  const [updated] = await tx
    .update(a)
    .set({ isActive, isDefault })
    .where(eq(a.id, id))
    .returning(addressColumns);
  auditUpdate(tx, 'customer_address', audited(current), audited(updated!), recordOf(customer.code, updated!));
  if (!isActive && current.isDefault) {
    const [successor] = await tx
      .select(addressColumns)
      .from(a)
      .where(and(eq(a.customerId, customer.id), eq(a.isActive, true)))
      .orderBy(asc(a.createdAt), asc(a.id))
      .limit(1);
    if (successor !== undefined) {
      await tx.update(a).set({ isDefault: true }).where(eq(a.id, successor.id));
      auditUpdate(
        tx,
        'customer_address',
        audited(successor),
        { ...audited(successor), isDefault: true },
        recordOf(customer.code, successor),
      );
    }
  }
  return updated!;
}
