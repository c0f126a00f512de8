import { type OtdOverride, otdOverrideSchema, tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  auditCreate,
  auditUpdate,
  DomainError,
  type Principal,
  takenCode,
  uniqueCode,
} from '../../platform/index.js';
import { withCustomValues } from '../config/index.js';
import { listAddresses } from './addresses.js';
import { type Customer, findCustomer, lockCustomer } from './customer-queries.js';
import { staleVersionMessage } from './customer-rules.js';
import { lastChange } from './references.js';
import { listRequests, OPEN_STATUSES } from './request-queries.js';

/*
 * Customers (docs/logistics.md, "Customers and delivery requests"): tenant-wide, found by code,
 * name, GLN or email, edited against the version the editor saw, deactivated rather than deleted
 * (their requests and shipments keep pointing at them). A customer's OTD exceptions name only the
 * parts of the tenant's policy that differ for them.
 */

/** What customer work needs of a procedure's context. */
export interface CustomerCall {
  tx: Sql;
  principal: Principal;
}

const c = tables.customers;

/** Exceptions as stored: the parts given, in the policy's order; none at all is null. */
function policyToStore(policy: OtdOverride | null | undefined): OtdOverride | null {
  if (policy == null) return null;
  const ordered = Object.fromEntries(
    Object.keys(otdOverrideSchema.shape)
      .map((key) => [key, policy[key as keyof OtdOverride]] as const)
      .filter(([, value]) => value !== undefined),
  ) as OtdOverride;
  return Object.keys(ordered).length === 0 ? null : ordered;
}

/** A customer as the audit trail records it. */
const audited = (customer: Customer) => ({
  id: customer.id,
  code: customer.code,
  name: customer.name,
  gln: customer.gln,
  email: customer.email,
  phone: customer.phone,
  notes: customer.notes,
  otdPolicy: customer.otdPolicy,
  isActive: customer.isActive,
});

/** The customer's page: its fields, its ship-to addresses and the requests still to ship. */
export async function getCustomer(tx: Sql, id: string) {
  const customer = await findCustomer(tx, id);
  const addresses = await listAddresses(tx, id);
  const requests = await listRequests(tx, { customerId: id, status: [...OPEN_STATUSES], limit: 100 });
  return {
    ...customer,
    addresses,
    openRequests: requests.items,
    moreOpenRequests: requests.nextCursor !== null,
  };
}

export interface CustomerFields {
  code: string;
  name: string;
  gln?: string | null | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  notes?: string | undefined;
  otdPolicy?: OtdOverride | null | undefined;
}

/** Custom values are written through the configuration engine, in the same transaction. */
async function writeCustom(
  call: CustomerCall,
  id: string,
  creating: boolean,
  custom: Record<string, unknown> | undefined,
) {
  const save = withCustomValues({ entityType: 'customer', creating }, async () => ({ id }));
  return (await save({ ctx: call, input: { custom } })).custom;
}

export async function createCustomer(
  call: CustomerCall,
  input: CustomerFields & { custom?: Record<string, unknown> | undefined },
) {
  const { tx, principal } = call;
  const [created] = await tx
    .insert(c)
    .values({
      tenantId: principal.tenantId,
      code: input.code,
      name: input.name,
      gln: input.gln ?? null,
      email: input.email ?? '',
      phone: input.phone ?? '',
      notes: input.notes ?? '',
      otdPolicy: policyToStore(input.otdPolicy),
    })
    .onConflictDoNothing({ target: [c.tenantId, c.code] })
    .returning({ id: c.id });
  if (created === undefined) throw takenCode();
  const customer = await findCustomer(tx, created.id);
  auditCreate(tx, 'customer', audited(customer), { label: customer.code });
  const custom = await writeCustom(call, customer.id, true, input.custom);
  return { ...customer, custom };
}

export interface CustomerUpdate {
  id: string;
  /** The `version` the editor saw. */
  expectedVersion: number;
  patch?: Partial<CustomerFields> | undefined;
  custom?: Record<string, unknown> | undefined;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Changes a customer's fields and custom values if the editor saw its current version. Only what
 * differs is written and audited; any change moves the version on.
 */
export async function updateCustomer(call: CustomerCall, input: CustomerUpdate) {
  const { tx } = call;
  const current = await lockCustomer(tx, input.id);
  if (current.version !== input.expectedVersion)
    throw new DomainError(
      'conflict',
      staleVersionMessage(`Customer ${current.code}`, await lastChange(tx, 'customer', current.id)),
      { expectedVersion: 'Changed since you opened it' },
    );
  const patch = input.patch ?? {};
  const next = {
    code: patch.code ?? current.code,
    name: patch.name ?? current.name,
    gln: patch.gln === undefined ? current.gln : patch.gln,
    email: patch.email ?? current.email,
    phone: patch.phone ?? current.phone,
    notes: patch.notes ?? current.notes,
    otdPolicy: patch.otdPolicy === undefined ? current.otdPolicy : policyToStore(patch.otdPolicy),
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
    (key) => !same(next[key], current[key]),
  );
  if (changed.length === 0 && Object.keys(input.custom ?? {}).length === 0) {
    // Nothing differs: nothing is written, and the trail says so by recording no change.
    auditUpdate(tx, 'customer', audited(current), audited(current), { label: current.code });
    return { ...current, custom: {} };
  }
  await uniqueCode(
    tx
      .update(c)
      .set({ ...next, version: sql`${c.version} + 1`, updatedAt: sql`now()` })
      .where(eq(c.id, current.id)),
  );
  const updated = await findCustomer(tx, current.id);
  auditUpdate(tx, 'customer', audited(current), audited(updated), { label: updated.code });
  const custom = await writeCustom(call, current.id, false, input.custom);
  return { ...updated, custom };
}

/**
 * Deactivates or reactivates a customer. A deactivated customer takes no new requests; what it has
 * stays as it is. Asking for the state it is in changes nothing.
 */
export async function setCustomerActive(tx: Sql, id: string, isActive: boolean) {
  const current = await lockCustomer(tx, id);
  if (current.isActive !== isActive)
    await tx
      .update(c)
      .set({ isActive, version: sql`${c.version} + 1`, updatedAt: sql`now()` })
      .where(eq(c.id, id));
  const updated = await findCustomer(tx, id);
  auditUpdate(tx, 'customer', audited(current), audited(updated), { label: updated.code });
  return updated;
}
