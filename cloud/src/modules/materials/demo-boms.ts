import { tables } from '@plantline/schema';
import { asc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';
import { backflushOrder } from './backflush.js';
import { createBom, releaseBom } from './boms.js';
import { materialOfProduct, updateMaterial } from './catalogue.js';
import { createLot } from './lots.js';
import { recordMovement, transferStock } from './movements.js';
import { consumeForOrder, explodeOrderRequirements, recordOrderOutput } from './order-materials.js';

/*
 * The demo's BOMs and what its orders consumed and made (docs/demo.md, "Materials"): every demo product
 * has a released BOM, every demo order its requirements, and in Riverside stock went to the line side,
 * the completed orders made lots of calipers and housings and backflushed their components, and the
 * orders in progress have made part of their quantity from cast iron booked by hand.
 */

type Item = { material: string; quantity: number; scrapPercent?: number };

/** Per product: how much the items make (in pieces) and the items, all backflushed. */
const BOMS: Record<string, { baseQuantity: number; items: Item[] }> = {
  'BRK-100': {
    baseQuantity: 10,
    items: [
      { material: 'RM-CAST-IRON', quantity: 12, scrapPercent: 2 },
      { material: 'RM-FRICTION', quantity: 1 },
      { material: 'RM-BOLT-M8', quantity: 40 },
      { material: 'PK-CARTON-S', quantity: 1 },
    ],
  },
  'BRK-200': {
    baseQuantity: 10,
    items: [
      { material: 'RM-CAST-IRON', quantity: 15, scrapPercent: 2 },
      { material: 'RM-FRICTION', quantity: 1.2 },
      { material: 'RM-BOLT-M8', quantity: 40 },
      { material: 'PK-CARTON-S', quantity: 1 },
    ],
  },
  'HSG-310': {
    baseQuantity: 1,
    items: [
      { material: 'RM-CAST-IRON', quantity: 2.5, scrapPercent: 3 },
      { material: 'RM-BOLT-M8', quantity: 6 },
    ],
  },
  'SHF-020': { baseQuantity: 1, items: [{ material: 'RM-CAST-IRON', quantity: 1.8 }] },
  'FLG-450': {
    baseQuantity: 1,
    items: [
      { material: 'RM-CAST-IRON', quantity: 0.9 },
      { material: 'RM-BOLT-M8', quantity: 8 },
    ],
  },
};

/** Stock sent from the stores to the line side before the first demo order started. */
const TO_LINE = [
  { material: 'RM-CAST-IRON', lot: 'CI-2401', from: 'RM-01', quantity: 1500 },
  { material: 'RM-CAST-IRON', lot: 'CI-2402', from: 'RM-01', quantity: 1200 },
  { material: 'RM-FRICTION', lot: 'FC-0117', from: 'RM-02', quantity: 200 },
  { material: 'RM-BOLT-M8', lot: null, from: 'RM-02', quantity: 6000 },
  { material: 'PK-CARTON-S', lot: null, from: 'RM-02', quantity: 200 },
] as const;

/** Of each order in progress: made so far, and the cast iron booked against it by hand. */
const IN_PROGRESS = { made: 250, castIron: 380 } as const;

const HOUR = 3_600_000;

export async function seedDemoBoms(
  tx: Sql,
  admin: Principal,
  plantId: string,
  ids: {
    materials: ReadonlyMap<string, string>;
    locations: ReadonlyMap<string, string>;
    lots: ReadonlyMap<string, string>;
  },
) {
  const p = tables.products;
  const products = await tx.select({ id: p.id, code: p.code }).from(p).orderBy(asc(p.code));
  const validFrom = new Date(Date.now() - 60 * 24 * HOUR);
  for (const product of products) {
    const spec = BOMS[product.code];
    if (spec === undefined) continue;
    const material = await materialOfProduct(tx, product.id);
    await updateMaterial(tx, material.id, { lotTracked: true });
    const bom = await createBom(tx, admin.tenantId, {
      materialId: material.id,
      baseQuantity: spec.baseQuantity,
      backflush: true,
      items: spec.items.map((i) => ({ ...i, materialId: ids.materials.get(i.material)!, backflush: true })),
    });
    await releaseBom(tx, admin.tenantId, bom.id, { validFrom });
  }
  const o = tables.productionOrders;
  const orders = await tx
    .select({
      id: o.id,
      plantId: o.plantId,
      status: o.status,
      plannedStart: o.plannedStart,
      quantity: o.quantity,
    })
    .from(o)
    .orderBy(asc(o.plannedStart), asc(o.number));
  for (const order of orders) await explodeOrderRequirements(tx, admin.tenantId, order.id);
  const here = orders.filter((order) => order.plantId === plantId && order.plannedStart !== null);
  const first = here[0]?.plannedStart;
  if (first == null) return;
  const call = { tx, principal: admin };
  const lineSide = ids.locations.get('LINE-SIDE')!;
  for (const move of TO_LINE)
    await transferStock(call, {
      materialId: ids.materials.get(move.material)!,
      lotId: move.lot === null ? null : ids.lots.get(move.lot)!,
      locationId: ids.locations.get(move.from)!,
      toLocationId: lineSide,
      quantity: move.quantity,
      time: new Date(first.getTime() - 2 * HOUR),
      note: 'To the line',
    });
  const finished = ids.locations.get('FG')!;
  for (const order of here) {
    const start = order.plannedStart!.getTime();
    if (order.status === 'completed') await completedOrder(call, order, start, finished);
    if (order.status === 'in_progress') {
      const castIron = ids.materials.get('RM-CAST-IRON')!;
      const stock = { orderId: order.id, time: new Date(Date.now() - 2 * HOUR) };
      await consumeForOrder(call, {
        ...stock,
        materialId: castIron,
        lotId: ids.lots.get('CI-2402')!,
        locationId: lineSide,
        quantity: IN_PROGRESS.castIron,
      });
      await recordOrderOutput(call, { ...stock, locationId: finished, quantity: IN_PROGRESS.made });
    }
  }
}

/**
 * A completed order's output, booked as it would have been before it closed: its lot, the receipt of
 * the whole quantity into finished goods, and the backflush of its components an hour later.
 */
async function completedOrder(
  call: { tx: Sql; principal: Principal },
  order: { id: string; plantId: string; quantity: string },
  start: number,
  finished: string,
) {
  const { tx, principal } = call;
  const [row] = await tx
    .select({ number: tables.productionOrders.number, productId: tables.productionOrders.productId })
    .from(tables.productionOrders)
    .where(eq(tables.productionOrders.id, order.id));
  const material = await materialOfProduct(tx, row!.productId);
  const made = new Date(start + 14 * HOUR);
  const lot = await createLot(tx, principal, {
    plantId: order.plantId,
    materialId: material.id,
    lotCode: row!.number,
    producedAt: made,
  });
  await recordMovement(call, {
    kind: 'production',
    materialId: material.id,
    lotId: lot.id,
    locationId: finished,
    quantity: Number(order.quantity),
    time: made,
    productionOrderId: order.id,
    orderCode: row!.number,
  });
  await backflushOrder(tx, principal, order.id, new Date(start + 15 * HOUR));
}
