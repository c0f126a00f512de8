import { tables } from '@plantline/schema';
import type { Database } from '../db/index.js';
import type { ApiClient } from './api.js';

/*
 * Logistics records for tests of what builds on them: a customer with two ship-to addresses, a
 * carrier, delivery requests, written as the database owner within the tenant's scope, and the
 * tenant's GS1 company prefix set through the settings API.
 */

export interface TestCustomer {
  customerId: string;
  shipToId: string;
  /** A second address of the same customer. */
  otherShipToId: string;
}

export async function addCustomer(
  db: Database,
  tenantId: string,
  fields: { code: string; name?: string; isActive?: boolean },
): Promise<TestCustomer> {
  return db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const [customer] = await tx
      .insert(tables.customers)
      .values({
        tenantId,
        code: fields.code,
        name: fields.name ?? fields.code,
        isActive: fields.isActive ?? true,
      })
      .returning({ id: tables.customers.id });
    const addresses = await tx
      .insert(tables.customerAddresses)
      .values(
        ['Main dock', 'Second dock'].map((label, index) => ({
          tenantId,
          customerId: customer!.id,
          label,
          name: `${fields.name ?? fields.code} ${label}`,
          city: 'Springfield',
          country: 'DE',
          gln: index === 0 ? '0952876000013' : null,
          isDefault: index === 0,
        })),
      )
      .returning({ id: tables.customerAddresses.id });
    return { customerId: customer!.id, shipToId: addresses[0]!.id, otherShipToId: addresses[1]!.id };
  });
}

export async function addCarrier(
  db: Database,
  tenantId: string,
  fields: { code: string; trackingUrl?: string; isActive?: boolean },
): Promise<string> {
  return db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const [carrier] = await tx
      .insert(tables.carriers)
      .values({
        tenantId,
        code: fields.code,
        name: fields.code,
        trackingUrl: fields.trackingUrl ?? '',
        isActive: fields.isActive ?? true,
      })
      .returning({ id: tables.carriers.id });
    return carrier!.id;
  });
}

let requestCount = 0;

export async function addRequest(
  db: Database,
  tenantId: string,
  fields: {
    plantId: string;
    customerId: string;
    shipToId: string;
    productId: string;
    quantity: number;
    requestedDate?: string;
    customerPo?: string;
    status?: tables.DeliveryRequestStatus;
  },
): Promise<{ id: string; number: string }> {
  requestCount += 1;
  const number = `DR-TEST-${String(requestCount).padStart(5, '0')}`;
  return db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const [request] = await tx
      .insert(tables.deliveryRequests)
      .values({
        tenantId,
        plantId: fields.plantId,
        number,
        customerId: fields.customerId,
        shipToId: fields.shipToId,
        productId: fields.productId,
        quantity: String(fields.quantity),
        requestedDate: fields.requestedDate ?? '2026-03-10',
        customerPo: fields.customerPo ?? '',
        status: fields.status ?? 'open',
      })
      .returning({ id: tables.deliveryRequests.id });
    return { id: request!.id, number };
  });
}

/** Sets the tenant's GS1 company prefix (and extension digit), under which SSCCs are issued. */
export async function setGs1Prefix(
  admin: ApiClient,
  prefix: string | null,
  extensionDigit = 0,
): Promise<void> {
  const { version } = await admin.trpc.settings.get.query();
  await admin.trpc.settings.update.mutate({
    version,
    patch: { logistics: { gs1CompanyPrefix: prefix, ssccExtensionDigit: extensionDigit } },
  });
}
