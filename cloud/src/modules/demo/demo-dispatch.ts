import { DEMO_PLANTS } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import {
  createShipment,
  openPackage,
  recordPackingScan,
  type ShipmentCall,
  shipShipment,
} from '../shipments/index.js';
import { plantDate } from './demo-logistics.js';
import type { DemoShippingRefs } from './demo-shipping-history.js';

/*
 * What left the first demo plant from its completed orders' lots (docs/demo.md, "Shipments"): the
 * lots the demo's completed orders made (cloud/src/modules/materials/demo-boms.ts) are packed by scan
 * with their lot code and shipped to a customer this morning, through the same functions the packing
 * station and the dock call. Packing records the lot of every carton and pallet, so a trace forward
 * from the supplier's cast iron reaches these shipments and their customers, and the Lot recall
 * report lists them (docs/materials.md, "Recall"). Shipping books each dispatch's goods issue from
 * finished goods (docs/materials.md, "Goods issue on shipping"), so the lot's stock reads what is left.
 */

/** What each completed order's lot sends, by product: to whom and how many. */
export const DEMO_DISPATCHES = [
  { product: 'BRK-100', customer: 'NORDBRAKE', quantity: 240 },
  { product: 'HSG-310', customer: 'ALPINE', quantity: 150 },
] as const;

const HOUR_MS = 3_600_000;

/** A completed order's lot of its product with stock, where it is kept. */
export interface FinishedLot {
  orderNumber: string;
  productId: string;
  productCode: string;
  gtin: string | null;
  materialId: string;
  lotId: string;
  lotCode: string;
  locationId: string;
  quantity: string;
}

/** The lots the plant's completed orders made (named after the order) that are in stock, by product. */
export async function finishedLots(tx: Sql, plantId: string): Promise<Map<string, FinishedLot>> {
  const found = await rows<FinishedLot>(
    tx,
    sql`select o.number as "orderNumber", p.id as "productId", p.code as "productCode", p.gtin,
               m.id as "materialId", l.id as "lotId", l.lot_code as "lotCode",
               b.location_id as "locationId", b.quantity::text as quantity
          from production_orders o
          join products p on p.tenant_id = o.tenant_id and p.id = o.product_id
          join materials m on m.tenant_id = p.tenant_id and m.product_id = p.id
          join material_lots l on l.tenant_id = m.tenant_id and l.material_id = m.id and l.lot_code = o.number
          join inventory_balances b on b.tenant_id = l.tenant_id and b.lot_id = l.id and b.quantity > 0
         where o.plant_id = ${plantId}::uuid and o.status = 'completed'
         order by o.number, b.quantity desc`,
  );
  const byProduct = new Map<string, FinishedLot>();
  for (const lot of found) if (!byProduct.has(lot.productCode)) byProduct.set(lot.productCode, lot);
  return byProduct;
}

/**
 * Ships part of each completed order's lot of the first demo plant to a demo customer, packed onto a
 * pallet by one scan of the lot's label; shipping issues it from the lot's stock. Returns the lots found (by
 * product), which the open shipments and the transfer pack from too.
 */
export async function dispatchFinishedLots(
  call: ShipmentCall,
  refs: DemoShippingRefs,
  now = new Date(),
): Promise<Map<string, FinishedLot>> {
  const plantId = refs.plantIds[0];
  const plant = DEMO_PLANTS[0];
  if (plantId === undefined || plant === undefined) return new Map();
  const lots = await finishedLots(call.tx, plantId);
  for (const [index, dispatch] of DEMO_DISPATCHES.entries()) {
    const lot = lots.get(dispatch.product);
    const customer = refs.customers.get(dispatch.customer);
    if (lot?.gtin == null || customer === undefined) continue;
    const leaves = new Date(now.getTime() - (4 - index) * HOUR_MS);
    const shipment = await createShipment(call, {
      plantId,
      customerId: customer.customerId,
      shipToId: customer.shipToId,
      carrierId: refs.carrierIds[index % refs.carrierIds.length] ?? null,
      plannedShipDate: plantDate(now, plant.timezone, 0),
      customerPo: `45000${42000 + index}`,
      products: [{ productId: lot.productId, quantity: dispatch.quantity }],
      at: new Date(leaves.getTime() - 4 * HOUR_MS),
    });
    const packedAt = new Date(leaves.getTime() - 2 * HOUR_MS);
    const pallet = await openPackage(call, { shipmentId: shipment.id, kind: 'pallet', at: packedAt });
    const packed = await recordPackingScan(call, {
      shipmentId: shipment.id,
      packageId: pallet.id,
      data: `(01)${lot.gtin}(10)${lot.lotCode}(30)${dispatch.quantity}`,
      source: 'browser',
      at: packedAt,
    });
    if (packed.result !== 'ok') throw new Error(`Demo dispatch: ${shipment.number}: ${packed.message}`);
    await shipShipment(call, {
      id: shipment.id,
      expectedVersion: packed.version,
      trackingNumber: `${plant.code}-${lot.lotCode.slice(-5)}`,
      shippedAt: leaves,
    });
  }
  return finishedLots(call.tx, plantId);
}
