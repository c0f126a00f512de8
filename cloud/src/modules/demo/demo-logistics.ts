import { allPermissions, DEMO_PLANTS, tables } from '@plantline/schema';
import type { Database } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';
import { addAddress, createCarrier, createCustomer, createRequest, promiseDate } from '../customers/index.js';

/*
 * The demo's customers and what they asked for (docs/demo.md, "Customers and delivery requests"):
 * three customers with their ship-to addresses, two carriers with tracking pages, and open delivery
 * requests for both plants over the next two weeks, some promised and some re-promised with the
 * reason, so the requests list, a request's promise history and the customer pages have something
 * to show from the first start. GLNs are of the GS1 example company prefix 0952876, check digits
 * included.
 */

interface DemoAddress {
  label: string;
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  gln: string;
}

interface DemoCustomer {
  code: string;
  name: string;
  gln: string;
  email: string;
  phone: string;
  /** The parts of the tenant's OTD policy that differ for this customer. */
  otdPolicy?: { lateDays?: number; reference?: 'first_promised'; earlyDays?: number };
  /** The first is the default ship-to. */
  addresses: readonly DemoAddress[];
}

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  {
    code: 'NORDBRAKE',
    name: 'Nordbrake Automotive GmbH',
    gln: '0952876000014',
    email: 'dispo@nordbrake.example',
    phone: '+49 40 555 0100',
    otdPolicy: { lateDays: 1 },
    addresses: [
      {
        label: 'Hamburg plant',
        name: 'Nordbrake Automotive GmbH, Goods receipt',
        street: 'Hafenstraße 12',
        postalCode: '20457',
        city: 'Hamburg',
        country: 'DE',
        gln: '0952876000021',
      },
      {
        label: 'Bremen dock 7',
        name: 'Nordbrake Automotive GmbH, Dock 7',
        street: 'Überseetor 3',
        postalCode: '28217',
        city: 'Bremen',
        country: 'DE',
        gln: '0952876000038',
      },
    ],
  },
  {
    code: 'ALPINE',
    name: 'Alpine Trucks AG',
    gln: '0952876000106',
    email: 'logistics@alpine-trucks.example',
    phone: '+43 316 555 0200',
    addresses: [
      {
        label: 'Graz assembly',
        name: 'Alpine Trucks AG, Assembly hall 2',
        street: 'Puchstraße 85',
        postalCode: '8020',
        city: 'Graz',
        country: 'AT',
        gln: '0952876000113',
      },
    ],
  },
  {
    code: 'LAKESHORE',
    name: 'Lakeshore Pumps Inc.',
    gln: '0952876000205',
    email: 'receiving@lakeshore-pumps.example',
    phone: '+1 414 555 0300',
    // Lakeshore counts against the first promise and takes deliveries up to two days early.
    otdPolicy: { reference: 'first_promised', earlyDays: 2 },
    addresses: [
      {
        label: 'Milwaukee receiving',
        name: 'Lakeshore Pumps Inc., Receiving',
        street: '2200 W Canal St',
        postalCode: '53233',
        city: 'Milwaukee',
        country: 'US',
        gln: '0952876000212',
      },
    ],
  },
];

export const DEMO_CARRIERS = [
  {
    code: 'DHL',
    name: 'DHL Freight',
    trackingUrl: 'https://www.dhl.com/global-en/home/tracking.html?tracking-id={tracking}',
  },
  { code: 'UPS', name: 'UPS', trackingUrl: 'https://www.ups.com/track?tracknum={tracking}' },
] as const;

interface DemoRequest {
  plant: string;
  customer: string;
  /** The customer's address by label; its default when left out. */
  shipTo?: string;
  product: string;
  quantity: number;
  /** Days from the seed's day in the plant's calendar. */
  requestedIn: number;
  customerPo: string;
  /** Promised dates in days from the seed's day, each after the first with its reason. */
  promises: readonly { in: number; reason?: string }[];
}

export const DEMO_REQUESTS: readonly DemoRequest[] = [
  // Due today and not planned yet: a planner plans them, the dock packs and ships them, OTD moves.
  {
    plant: 'RIV',
    customer: 'ALPINE',
    product: 'BRK-100',
    quantity: 40,
    requestedIn: 0,
    customerPo: 'AT-77088',
    promises: [],
  },
  {
    plant: 'RIV',
    customer: 'ALPINE',
    product: 'BRK-200',
    quantity: 30,
    requestedIn: 0,
    customerPo: 'AT-77088',
    promises: [],
  },
  {
    plant: 'RIV',
    customer: 'NORDBRAKE',
    product: 'BRK-100',
    quantity: 400,
    requestedIn: 2,
    customerPo: 'NB-4500012345',
    promises: [{ in: 2 }],
  },
  {
    plant: 'RIV',
    customer: 'NORDBRAKE',
    shipTo: 'Bremen dock 7',
    product: 'BRK-200',
    quantity: 250,
    requestedIn: 5,
    customerPo: 'NB-4500012391',
    promises: [
      { in: 6 },
      { in: 8, reason: 'Seal feeder at L1 M4 jammed twice; the rest follows from the late shift' },
    ],
  },
  {
    plant: 'RIV',
    customer: 'ALPINE',
    product: 'BRK-200',
    quantity: 600,
    requestedIn: 9,
    customerPo: 'AT-77120',
    promises: [],
  },
  {
    plant: 'RIV',
    customer: 'ALPINE',
    product: 'HSG-310',
    quantity: 120,
    requestedIn: 12,
    customerPo: 'AT-77164',
    promises: [{ in: 12 }],
  },
  {
    plant: 'LAK',
    customer: 'LAKESHORE',
    product: 'HSG-310',
    quantity: 300,
    requestedIn: 3,
    customerPo: 'LP-20931',
    promises: [{ in: 4 }, { in: 5, reason: 'Castings of supplier lot SUP-2291 held for inspection' }],
  },
  {
    plant: 'LAK',
    customer: 'LAKESHORE',
    product: 'SHF-020',
    quantity: 800,
    requestedIn: 7,
    customerPo: 'LP-20977',
    promises: [{ in: 7 }],
  },
  {
    plant: 'LAK',
    customer: 'NORDBRAKE',
    product: 'FLG-450',
    quantity: 150,
    requestedIn: 10,
    customerPo: 'NB-4500012412',
    promises: [],
  },
  {
    plant: 'LAK',
    customer: 'ALPINE',
    product: 'SHF-020',
    quantity: 200,
    requestedIn: 13,
    customerPo: 'AT-77201',
    promises: [{ in: 13 }],
  },
];

/** The date `days` after `now`'s date in `timeZone`, as YYYY-MM-DD. */
export function plantDate(now: Date, timeZone: string, days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * Writes the demo's customers, carriers and delivery requests in the administrator's name. The
 * plants are the demo tenant's, in the order of DEMO_PLANTS.
 */
export async function seedDemoLogistics(
  db: Database,
  demo: { tenantId: string; adminUserId: string; plantIds: readonly string[] },
  now = new Date(),
): Promise<void> {
  const principal: Principal = {
    kind: 'user',
    tenantId: demo.tenantId,
    userId: demo.adminUserId,
    apiKeyId: null,
    sessionId: null,
    permissions: new Set(allPermissions),
    plantIds: 'all',
  };
  await db.ownerTransact(
    { tenantId: demo.tenantId, plantIds: 'all', userId: demo.adminUserId },
    async (tx) => {
      const call = { tx, principal };
      const customers = new Map<string, { id: string; addresses: Map<string, string> }>();
      for (const { addresses, ...fields } of DEMO_CUSTOMERS) {
        const customer = await createCustomer(call, fields);
        const byLabel = new Map<string, string>();
        for (const address of addresses)
          byLabel.set(
            address.label,
            (await addAddress(tx, principal, { customerId: customer.id, ...address })).id,
          );
        customers.set(customer.code, { id: customer.id, addresses: byLabel });
      }
      for (const carrier of DEMO_CARRIERS) await createCarrier(tx, principal, carrier);
      const products = new Map(
        (await tx.select({ id: tables.products.id, code: tables.products.code }).from(tables.products)).map(
          (p) => [p.code, p.id],
        ),
      );
      for (const request of DEMO_REQUESTS) {
        const index = DEMO_PLANTS.findIndex((p) => p.code === request.plant);
        const plant = DEMO_PLANTS[index]!;
        const customer = customers.get(request.customer)!;
        const created = await createRequest(call, {
          plantId: demo.plantIds[index]!,
          customerId: customer.id,
          shipToId: request.shipTo === undefined ? undefined : customer.addresses.get(request.shipTo),
          productId: products.get(request.product)!,
          quantity: request.quantity,
          requestedDate: plantDate(now, plant.timezone, request.requestedIn),
          customerPo: request.customerPo,
        });
        for (const promise of request.promises)
          await promiseDate(tx, principal, {
            requestId: created.id,
            promisedDate: plantDate(now, plant.timezone, promise.in),
            reason: promise.reason,
          });
      }
    },
  );
}
