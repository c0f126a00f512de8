import { tables } from '@plantline/schema';
import { asc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  auditCreate,
  auditUpdate,
  notFound,
  type Principal,
  takenCode,
  uniqueCode,
} from '../../platform/index.js';

/*
 * Carriers (docs/logistics.md, "Customers and delivery requests"): who takes a shipment away, and
 * their tracking page with `{tracking}` where the number goes (customer-rules.ts trackingLink).
 * Tenant-wide, deactivated rather than deleted: shipments keep pointing at them.
 */

const k = tables.carriers;

const carrierColumns = {
  id: k.id,
  code: k.code,
  name: k.name,
  trackingUrl: k.trackingUrl,
  isActive: k.isActive,
};

export type Carrier = Awaited<ReturnType<typeof findCarrier>>;

export function listCarriers(tx: Sql, input: { includeInactive?: boolean | undefined }) {
  return tx
    .select(carrierColumns)
    .from(k)
    .where(input.includeInactive === true ? undefined : eq(k.isActive, true))
    .orderBy(asc(k.code), asc(k.id));
}

export async function findCarrier(tx: Sql, id: string) {
  const [carrier] = await tx.select(carrierColumns).from(k).where(eq(k.id, id));
  if (carrier === undefined) throw notFound('Carrier');
  return carrier;
}

export interface CarrierFields {
  code: string;
  name: string;
  trackingUrl?: string | undefined;
}

export async function createCarrier(tx: Sql, principal: Principal, input: CarrierFields) {
  const [carrier] = await tx
    .insert(k)
    .values({ tenantId: principal.tenantId, ...input })
    .onConflictDoNothing({ target: [k.tenantId, k.code] })
    .returning(carrierColumns);
  if (carrier === undefined) throw takenCode();
  auditCreate(tx, 'carrier', carrier, { label: carrier.code });
  return carrier;
}

/** Changes a carrier's fields, or deactivates or reactivates it (`isActive`). */
export async function updateCarrier(
  tx: Sql,
  id: string,
  patch: Partial<CarrierFields> & { isActive?: boolean | undefined },
) {
  const [before] = await tx.select(carrierColumns).from(k).where(eq(k.id, id)).for('update');
  if (before === undefined) throw notFound('Carrier');
  const [carrier] = await uniqueCode(tx.update(k).set(patch).where(eq(k.id, id)).returning(carrierColumns));
  auditUpdate(tx, 'carrier', before, carrier!, { label: carrier!.code });
  return carrier!;
}
