import { tables } from '@plantline/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import { DomainError, notFound, type Principal } from '../../platform/index.js';
import { effectiveBom } from './boms.js';
import { getMaterial, materialOfProduct, toBaseQuantity } from './catalogue.js';
import { getLocation } from './locations.js';
import { createLot } from './lots.js';
import { recordMovement, type StockCall } from './movements.js';

/*
 * What production orders consume and produce (docs/materials.md, "Order materials"). An order's
 * requirements are exploded from the BOM version effective at its planned start and kept with the
 * order; what it consumed and produced is read from the ledger, whose movements carry the order's id.
 */

const o = tables.productionOrders;
const req = tables.productionOrderMaterials;
const mv = tables.inventoryMovements;
const m = tables.materials;

export async function orderRow(tx: Sql, id: string, lock?: 'update' | 'share') {
  const query = tx
    .select({
      id: o.id,
      plantId: o.plantId,
      number: o.number,
      lineId: o.lineId,
      productId: o.productId,
      quantity: o.quantity,
      status: o.status,
      plannedStart: o.plannedStart,
      bomId: o.bomId,
      backflush: o.backflush,
      lineSideLocationId: o.lineSideLocationId,
    })
    .from(o)
    .where(eq(o.id, id));
  const [order] = await (lock === undefined ? query : query.for(lock));
  if (order === undefined) throw notFound('Production order');
  return order;
}

/**
 * The requirement of one item for the whole order, in the component's base unit:
 * order quantity / BOM base quantity × item quantity × (1 + scrap %), to six decimals.
 */
async function requirement(
  tx: Sql,
  orderQuantity: string,
  baseQuantity: string,
  itemBase: string,
  scrap: string,
) {
  const [row] = await rows<{ quantity: string }>(
    tx,
    sql`select trim_scale(round(${orderQuantity}::numeric / ${baseQuantity}::numeric * ${itemBase}::numeric
          * (1 + ${scrap}::numeric / 100), 6))::text as quantity`,
  );
  return row?.quantity ?? '0';
}

/**
 * Replaces the order's requirements with the explosion of its product's BOM effective at the planned
 * start (or now), and records which version that was; an order whose product has none gets none.
 */
export async function explodeOrderRequirements(tx: Sql, tenantId: string, orderId: string) {
  const order = await orderRow(tx, orderId);
  const output = await materialOfProduct(tx, order.productId);
  const found = await effectiveBom(tx, output.id, order.plannedStart ?? new Date());
  await tx.delete(req).where(eq(req.productionOrderId, orderId));
  await tx
    .update(o)
    .set({ bomId: found?.id ?? null })
    .where(eq(o.id, orderId));
  if (found === null) return;
  const values = [];
  for (const item of found.items) {
    const component = await getMaterial(tx, item.materialId);
    const base = await toBaseQuantity(tx, component, item.quantity, item.unit);
    values.push({
      tenantId,
      plantId: order.plantId,
      productionOrderId: orderId,
      position: item.position,
      materialId: item.materialId,
      quantity: await requirement(tx, order.quantity, found.baseQuantity, base, item.scrapPercent),
      scrapPercent: item.scrapPercent,
      backflush: item.backflush,
    });
  }
  if (values.length > 0) await tx.insert(req).values(values);
}

/** Whether the order backflushes: its own choice, else its BOM's, else not. */
async function backflushes(tx: Sql, order: Awaited<ReturnType<typeof orderRow>>) {
  if (order.backflush !== null) return order.backflush;
  if (order.bomId === null) return false;
  const [found] = await tx
    .select({ backflush: tables.boms.backflush, code: tables.boms.code })
    .from(tables.boms)
    .where(eq(tables.boms.id, order.bomId));
  return found?.backflush ?? false;
}

/**
 * The order's materials: per component planned, consumed and remaining (components consumed without
 * being planned are listed too, planned 0), and for its output planned and produced. Reversals count
 * against what they reverse.
 */
export async function orderMaterials(tx: Sql, orderId: string) {
  const order = await orderRow(tx, orderId);
  const output = await materialOfProduct(tx, order.productId);
  const [bom] =
    order.bomId === null
      ? [undefined]
      : await tx
          .select({ id: tables.boms.id, code: tables.boms.code, version: tables.boms.version })
          .from(tables.boms)
          .where(eq(tables.boms.id, order.bomId));
  const [produced] = await tx
    .select({ quantity: sql<string>`trim_scale(coalesce(sum(${mv.quantity}), 0))::text` })
    .from(mv)
    .where(
      and(
        eq(mv.productionOrderId, orderId),
        eq(mv.materialId, output.id),
        sql`${mv.kind} in ('production', 'reversal')`,
      ),
    );
  const components = await rows<{
    materialId: string;
    code: string;
    name: string;
    unit: string;
    lotTracked: boolean;
    position: number | null;
    scrapPercent: string | null;
    backflush: boolean | null;
    planned: string;
    consumed: string;
    remaining: string;
  }>(
    tx,
    sql`with consumed as (
          select ${mv.materialId} as material_id, -sum(${mv.quantity}) as quantity from ${mv}
           where ${mv.productionOrderId} = ${orderId} and ${mv.materialId} <> ${output.id}
             and ${mv.kind} in ('consumption', 'reversal')
           group by ${mv.materialId}
        ), wanted as (
          select ${req.materialId} as material_id, ${req.position} as position, ${req.quantity} as planned,
                 ${req.scrapPercent} as scrap, ${req.backflush} as backflush
            from ${req} where ${req.productionOrderId} = ${orderId}
        )
        select mat.id as "materialId", mat.code, mat.name, mat.base_unit as unit, mat.lot_tracked as "lotTracked",
               w.position, w.scrap::text as "scrapPercent", w.backflush,
               trim_scale(coalesce(w.planned, 0))::text as planned,
               trim_scale(coalesce(c.quantity, 0))::text as consumed,
               trim_scale(greatest(coalesce(w.planned, 0) - coalesce(c.quantity, 0), 0))::text as remaining
          from wanted w full join consumed c on c.material_id = w.material_id
          join ${m} mat on mat.id = coalesce(w.material_id, c.material_id)
         order by w.position nulls last, mat.code`,
  );
  return {
    orderId: order.id,
    number: order.number,
    status: order.status,
    plantId: order.plantId,
    bom: bom ?? null,
    backflush: await backflushes(tx, order),
    lineSideLocationId: order.lineSideLocationId,
    output: {
      materialId: output.id,
      code: output.code,
      name: output.name,
      unit: output.baseUnit,
      lotTracked: output.lotTracked,
      planned: order.quantity,
      produced: produced?.quantity ?? '0',
    },
    components: components.map((c) => ({ ...c, inPlan: c.position !== null })),
  };
}

/** Consumption and output need an order that is released or in progress, and a location of its plant. */
async function openOrderAt(tx: Sql, orderId: string, locationId: string) {
  const order = await orderRow(tx, orderId, 'share');
  if (order.status !== 'released' && order.status !== 'in_progress')
    throw new DomainError(
      'conflict',
      `Order ${order.number} is ${order.status.replace('_', ' ')}; stock is booked against released orders and orders in progress`,
      { status: 'Not released or in progress' },
    );
  const location = await getLocation(tx, locationId);
  if (location.plantId !== order.plantId)
    throw new DomainError('invalid', `Location ${location.code} is not in order ${order.number}'s plant`, {
      locationId: 'Another plant',
    });
  return order;
}

export interface OrderStockInput {
  orderId: string;
  locationId: string;
  quantity: number;
  unit?: string | undefined;
  time?: Date | undefined;
  note?: string | undefined;
}

/** A component consumed by the order from a lot at a location, through the ledger with the order's id. */
export async function consumeForOrder(
  call: StockCall,
  input: OrderStockInput & { materialId: string; lotId?: string | null | undefined },
) {
  const order = await openOrderAt(call.tx, input.orderId, input.locationId);
  const output = await materialOfProduct(call.tx, order.productId);
  if (input.materialId === output.id)
    throw new DomainError('invalid', `${output.code} is what order ${order.number} makes, not a component`, {
      materialId: 'The order’s output',
    });
  return recordMovement(call, {
    ...input,
    kind: 'consumption',
    productionOrderId: order.id,
    orderCode: order.number,
  });
}

/**
 * Output of the order into a location: a production receipt with the order's id. A lot-tracked
 * product goes into the lot named (the order's number when none is), made if it does not exist yet.
 */
export async function recordOrderOutput(
  call: StockCall & { principal: Principal },
  input: OrderStockInput & { lotCode?: string | undefined; expiresOn?: string | null | undefined },
) {
  const { tx } = call;
  const order = await openOrderAt(tx, input.orderId, input.locationId);
  const output = await materialOfProduct(tx, order.productId);
  if (!output.lotTracked && input.lotCode !== undefined)
    throw new DomainError('invalid', `${output.code} is not lot-tracked; give no lot`, {
      lotCode: 'Not lot-tracked',
    });
  let lotId: string | null = null;
  if (output.lotTracked) {
    const lotCode = input.lotCode ?? order.number;
    const lots = tables.materialLots;
    const [existing] = await tx
      .select({ id: lots.id })
      .from(lots)
      .where(and(eq(lots.materialId, output.id), eq(lots.lotCode, lotCode)))
      .orderBy(asc(lots.createdAt));
    lotId =
      existing?.id ??
      (
        await createLot(tx, call.principal, {
          plantId: order.plantId,
          materialId: output.id,
          lotCode,
          expiresOn: input.expiresOn,
          producedAt: input.time ?? new Date(),
        })
      ).id;
  }
  return recordMovement(call, {
    ...input,
    kind: 'production',
    materialId: output.id,
    lotId,
    productionOrderId: order.id,
    orderCode: order.number,
  });
}

/**
 * The materials an order's requirements list, for the consume scan's "wrong item" check; null when
 * the order has none (its product has no BOM), and then any material but the product itself is taken.
 */
export async function plannedMaterials(
  tx: Sql,
  productionOrderId: string,
): Promise<ReadonlySet<string> | null> {
  const found = await tx
    .select({ materialId: req.materialId })
    .from(req)
    .where(eq(req.productionOrderId, productionOrderId));
  return found.length === 0 ? null : new Set(found.map((r) => r.materialId));
}
