import { DEMO_PLANTS, tables } from '@plantline/schema';
import { and, eq } from 'drizzle-orm';
import { createRequest } from '../customers/index.js';
import { makeDemoLot } from '../materials/index.js';
import {
  createShipment,
  deliverShipment,
  openPackage,
  recordPackingScan,
  type ShipmentCall,
  shipShipment,
} from '../shipments/index.js';
import { plantDate } from './demo-logistics.js';

/*
 * The demo's past eight weeks of shipping (docs/demo.md, "Shipments"), so on-time delivery has real
 * figures from the first start: delivery requests of the demo customers that were planned, packed by
 * scan onto a pallet, shipped and delivered through the same functions the API calls, each on its own
 * day. A few left late, each with the reason the dock gave; the newest may still be on the road. Each
 * pallet's lot was made the day before it was packed, so shipping has the stock it issues.
 */

interface PastDelivery {
  customer: string;
  product: string;
  quantity: number;
  /** Days before the seed's day the customer asked for it, in the plant's calendar. */
  requestedAgo: number;
  /** Days after the requested date it left; 0 is on the day. */
  daysLate: number;
  /** Why it left late, as the dock said when shipping. */
  lateReason?: string;
}

/** What each plant shipped, oldest first. Nordbrake's one day of grace (demo-logistics.ts) forgives a day. */
export const PAST_DELIVERIES: Readonly<Record<string, readonly PastDelivery[]>> = {
  RIV: [
    { customer: 'NORDBRAKE', product: 'BRK-100', quantity: 240, requestedAgo: 54, daysLate: 0 },
    {
      customer: 'ALPINE',
      product: 'HSG-310',
      quantity: 60,
      requestedAgo: 44,
      daysLate: 3,
      lateReason: 'Housing castings from the foundry arrived two days late',
    },
    { customer: 'NORDBRAKE', product: 'BRK-200', quantity: 150, requestedAgo: 38, daysLate: 1 },
    { customer: 'ALPINE', product: 'BRK-100', quantity: 120, requestedAgo: 25, daysLate: 0 },
    {
      customer: 'ALPINE',
      product: 'BRK-200',
      quantity: 200,
      requestedAgo: 19,
      daysLate: 2,
      lateReason: 'Seal feeder at L1 M4 jammed; the last 80 calipers waited for the night shift',
    },
    { customer: 'NORDBRAKE', product: 'BRK-100', quantity: 260, requestedAgo: 12, daysLate: 0 },
    { customer: 'ALPINE', product: 'HSG-310', quantity: 80, requestedAgo: 6, daysLate: 0 },
    { customer: 'NORDBRAKE', product: 'BRK-200', quantity: 90, requestedAgo: 1, daysLate: 0 },
  ],
  LAK: [
    { customer: 'LAKESHORE', product: 'HSG-310', quantity: 200, requestedAgo: 53, daysLate: 0 },
    { customer: 'NORDBRAKE', product: 'FLG-450', quantity: 120, requestedAgo: 39, daysLate: 0 },
    {
      customer: 'LAKESHORE',
      product: 'HSG-310',
      quantity: 250,
      requestedAgo: 32,
      daysLate: 4,
      lateReason: 'Carrier cancelled the pickup; rebooked for the next available truck',
    },
    { customer: 'LAKESHORE', product: 'SHF-020', quantity: 400, requestedAgo: 17, daysLate: 0 },
    {
      customer: 'NORDBRAKE',
      product: 'FLG-450',
      quantity: 100,
      requestedAgo: 10,
      daysLate: 3,
      lateReason: 'Flange lot failed the hardness check and was remade',
    },
    { customer: 'LAKESHORE', product: 'HSG-310', quantity: 220, requestedAgo: 4, daysLate: 0 },
  ],
};

/** Days on the road to each demo customer (Graz and Hamburg from Riverside, the rest as the truck drives). */
const TRANSIT_DAYS: Readonly<Record<string, number>> = { NORDBRAKE: 1, ALPINE: 2, LAKESHORE: 1 };

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** An instant on a plant calendar day: noon UTC is that day in every demo plant's zone. */
const onDay = (date: string, hoursAfterNoon = 0) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + hoursAfterNoon * HOUR_MS);

export interface DemoShippingRefs {
  plantIds: readonly string[];
  customers: ReadonlyMap<string, { customerId: string; shipToId: string }>;
  carrierIds: readonly string[];
}

/**
 * Records the past deliveries of each demo plant in `call`'s transaction: a request per delivery, a
 * shipment planned two days before it left, packed onto a pallet by one scan the morning it left,
 * shipped (late ones with their reason) and delivered once the transit days are over — unless they
 * are not over yet, when it is still on the road.
 */
export async function seedShippingHistory(call: ShipmentCall, refs: DemoShippingRefs, now = new Date()) {
  const products = new Map(
    (
      await call.tx
        .select({ id: tables.products.id, code: tables.products.code, gtin: tables.products.gtin })
        .from(tables.products)
        .where(eq(tables.products.isActive, true))
    ).map((p) => [p.code, p]),
  );
  let shipped = 0;
  for (const [plantIndex, plant] of DEMO_PLANTS.entries()) {
    const plantId = refs.plantIds[plantIndex];
    if (plantId === undefined) continue;
    for (const [index, past] of (PAST_DELIVERIES[plant.code] ?? []).entries()) {
      const customer = refs.customers.get(past.customer);
      const product = products.get(past.product);
      if (customer === undefined || product?.gtin == null) continue;
      const requestedDate = plantDate(now, plant.timezone, -past.requestedAgo);
      const leftOn = plantDate(now, plant.timezone, past.daysLate - past.requestedAgo);
      const request = await createRequest(call, {
        plantId,
        customerId: customer.customerId,
        shipToId: customer.shipToId,
        productId: product.id,
        quantity: past.quantity,
        requestedDate,
        customerPo: `${past.customer.slice(0, 2)}-${requestedDate.replaceAll('-', '').slice(2)}`,
      });
      const leaves = onDay(leftOn, 2);
      const shipment = await createShipment(call, {
        plantId,
        customerId: customer.customerId,
        shipToId: customer.shipToId,
        carrierId: refs.carrierIds[index % refs.carrierIds.length] ?? null,
        plannedShipDate: requestedDate,
        requests: [{ requestId: request.id }],
        at: new Date(leaves.getTime() - 2 * DAY_MS),
      });
      const packedAt = new Date(leaves.getTime() - 4 * HOUR_MS);
      const lotCode = `L${leftOn.replaceAll('-', '').slice(2)}`;
      await makeDemoLot(call, {
        plantId,
        productId: product.id,
        lotCode,
        quantity: past.quantity,
        time: new Date(packedAt.getTime() - DAY_MS),
      });
      const pallet = await openPackage(call, { shipmentId: shipment.id, kind: 'pallet', at: packedAt });
      const packed = await recordPackingScan(call, {
        shipmentId: shipment.id,
        packageId: pallet.id,
        data: `(01)${product.gtin}(10)${lotCode}(30)${past.quantity}`,
        source: 'browser',
        at: packedAt,
      });
      if (packed.result !== 'ok') throw new Error(`Demo history: ${shipment.number}: ${packed.message}`);
      const left = await shipShipment(call, {
        id: shipment.id,
        expectedVersion: packed.version,
        trackingNumber: `${plant.code}${leftOn.replaceAll('-', '')}${String(index + 1).padStart(3, '0')}`,
        lateReason: past.lateReason,
        shippedAt: leaves,
      });
      shipped++;
      const arrives = new Date(leaves.getTime() + (TRANSIT_DAYS[past.customer] ?? 1) * DAY_MS);
      if (arrives.getTime() <= now.getTime())
        await deliverShipment(call, { id: left.id, expectedVersion: left.version, deliveredAt: arrives });
    }
  }
  return shipped;
}

/** The demo customers' default ship-to addresses, by customer code. */
export async function defaultShipTos(call: Pick<ShipmentCall, 'tx'>) {
  const c = tables.customers;
  const a = tables.customerAddresses;
  const found = await call.tx
    .select({ code: c.code, customerId: c.id, shipToId: a.id })
    .from(c)
    .innerJoin(a, and(eq(a.tenantId, c.tenantId), eq(a.customerId, c.id)))
    .where(and(eq(c.isActive, true), eq(a.isActive, true), eq(a.isDefault, true)));
  return new Map(found.map((row) => [row.code, { customerId: row.customerId, shipToId: row.shipToId }]));
}
