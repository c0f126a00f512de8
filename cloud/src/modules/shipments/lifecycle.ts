import { tables } from '@plantline/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate, auditUpdate, DomainError } from '../../platform/index.js';
import { refreshRequestStatus } from '../customers/index.js';
import { issueShippedGoods, type ShippedGoods } from '../materials/index.js';
import { checkCarrier } from './references.js';
import { findShipment, lockShipment, type Shipment, shipmentItems } from './shipment-queries.js';
import { remainders, shipRefusal } from './shipment-rules.js';
import {
  announce,
  audited,
  checkVersion,
  insertShipment,
  refuseUnless,
  type ShipmentCall,
} from './shipments.js';
import { endStationTasks } from './station-tasks.js';

/*
 * Moving a shipment on (docs/logistics.md, "Shipments"): start picking, ship (with a backorder for
 * what is not packed, asked for explicitly, and the goods issue of what is), record the delivery, or
 * cancel before it leaves. Each move locks the shipment, checks the version its caller saw, and is
 * audited with the reason given.
 */

interface Move {
  id: string;
  expectedVersion: number;
}

async function moveTo(
  call: ShipmentCall,
  current: Shipment,
  set: Partial<typeof tables.shipments.$inferInsert>,
) {
  const { tx } = call;
  const items = await shipmentItems(tx, current);
  await tx
    .update(tables.shipments)
    .set({ ...set, version: sql`${tables.shipments.version} + 1`, updatedAt: sql`now()` })
    .where(eq(tables.shipments.id, current.id));
  const moved = await findShipment(tx, current.id);
  auditUpdate(tx, 'shipment', audited(current, items), audited(moved, items), {
    label: current.number,
    plantId: current.plantId,
  });
  announce(call, moved);
  return moved;
}

async function locked(call: ShipmentCall, move: Move, action: Parameters<typeof refuseUnless>[1]) {
  const current = await lockShipment(call.tx, move.id);
  refuseUnless(current, action);
  await checkVersion(call.tx, current, move.expectedVersion);
  return current;
}

/** Draft → picking, for a shipment picked before its first scan. */
export async function startPicking(call: ShipmentCall, move: Move) {
  const current = await locked(call, move, 'startPicking');
  return moveTo(call, current, { status: 'picking' });
}

export interface Shipping extends Move {
  /** Needed unless the shipment names one already. */
  carrierId?: string | undefined;
  trackingNumber?: string | undefined;
  /** Ship what is packed and put the rest on a new draft shipment. */
  backorder?: boolean | undefined;
  /** Why it leaves after its planned date (listed with the late shipments beside OTD). */
  lateReason?: string | undefined;
  /**
   * When it left: now unless given. Not offered by the API; the demo records its past shipments
   * with it (docs/demo.md, "Shipments"), so their OTD is judged by the day they left.
   */
  shippedAt?: Date | undefined;
}

/** What the shipment's packages hold, per product and lot packed. */
async function packedGoods(tx: Sql, shipment: Shipment): Promise<ShippedGoods[]> {
  const c = tables.packageContents;
  const i = tables.shipmentItems;
  return tx
    .select({ productId: c.productId, lot: c.lot, quantity: sql<string>`sum(${c.quantity})::text` })
    .from(c)
    .innerJoin(i, and(eq(i.tenantId, c.tenantId), eq(i.plantId, c.plantId), eq(i.id, c.shipmentItemId)))
    .where(and(eq(c.plantId, shipment.plantId), eq(i.shipmentId, shipment.id)))
    .groupBy(c.productId, c.lot)
    .orderBy(asc(c.productId), asc(c.lot));
}

/**
 * Ships what is packed: carrier and tracking number, `shipped_at` now, the packages with it, and the
 * goods issue of everything packed from the plant's stock (docs/materials.md, "Goods issue on
 * shipping"), refused with what is missing when the stock is short. Items not fully packed need
 * `backorder: true`, which puts each remainder on a new draft shipment (`backorder_of_id`,
 * `backorder_of_item_id`); nothing is dropped silently.
 */
export async function shipShipment(call: ShipmentCall, input: Shipping) {
  const { tx, principal } = call;
  const current = await locked(call, input, 'ship');
  const carrierId = input.carrierId ?? current.carrierId;
  if (carrierId === null)
    throw new DomainError('invalid', 'Choose the carrier that takes the shipment', {
      carrierId: 'Choose a carrier',
    });
  if (carrierId !== current.carrierId) await checkCarrier(tx, carrierId);
  const items = await shipmentItems(tx, current);
  const progress = items.map((i) => ({ ...i, packed: i.packedQuantity }));
  const refusal = shipRefusal(progress, input.backorder === true);
  if (refusal !== null) throw new DomainError('conflict', refusal, { backorder: refusal });
  const shippedAt = input.shippedAt ?? new Date();
  await issueShippedGoods(call, {
    plantId: current.plantId,
    document: current.number,
    time: shippedAt,
    goods: await packedGoods(tx, current),
  });
  const shipped = await moveTo(call, current, {
    status: 'shipped',
    shippedAt,
    carrierId,
    trackingNumber: input.trackingNumber?.trim() ?? current.trackingNumber,
    lateReason: input.lateReason?.trim() ?? current.lateReason,
  });
  const pk = tables.packages;
  await tx
    .update(pk)
    .set({
      status: 'shipped',
      closedAt: sql`coalesce(${pk.closedAt}, ${shippedAt.toISOString()}::timestamptz)`,
    })
    .where(and(eq(pk.plantId, current.plantId), eq(pk.shipmentId, current.id)));
  await endStationTasks(tx, current);
  const rest = remainders(progress);
  let backorder: Shipment | null = null;
  if (rest.length > 0) {
    const id = await insertShipment(
      tx,
      {
        tenantId: principal.tenantId,
        plantId: current.plantId,
        customerId: current.customerId,
        shipToId: current.shipToId,
        carrierId,
        customerPo: current.customerPo,
        note: current.note,
        backorderOfId: current.id,
        createdBy: principal.userId,
      },
      rest.map((item) => ({
        productId: item.productId,
        deliveryRequestId: item.deliveryRequestId,
        lot: item.lot,
        quantity: item.remainder,
        backorderOfItemId: item.id,
      })),
    );
    backorder = await findShipment(tx, id);
    const lines = await shipmentItems(tx, backorder);
    auditCreate(
      tx,
      'shipment',
      { ...audited(backorder, lines), backorderOf: current.number },
      {
        label: backorder.number,
        plantId: backorder.plantId,
      },
    );
    announce(call, backorder);
  }
  await refreshRequestStatus(tx, requestIdsOf(items));
  return {
    ...shipped,
    backorder: backorder === null ? null : { id: backorder.id, number: backorder.number },
  };
}

const requestIdsOf = (items: readonly { deliveryRequestId: string | null }[]) =>
  items.map((i) => i.deliveryRequestId).filter((id): id is string => id !== null);

/** Shipped → delivered, when it arrived (now unless the proof of delivery says otherwise). */
export async function deliverShipment(call: ShipmentCall, input: Move & { deliveredAt?: Date | undefined }) {
  const current = await locked(call, input, 'deliver');
  const at = input.deliveredAt ?? new Date();
  if (current.shippedAt !== null && at < current.shippedAt)
    throw new DomainError('invalid', 'A shipment arrives after it left', {
      deliveredAt: 'Before it was shipped',
    });
  if (at.getTime() > Date.now() + 60_000)
    throw new DomainError('invalid', 'A delivery cannot be recorded ahead of time', {
      deliveredAt: 'In the future',
    });
  const delivered = await moveTo(call, current, { status: 'delivered', deliveredAt: at });
  await refreshRequestStatus(call.tx, requestIdsOf(await shipmentItems(call.tx, current)));
  return delivered;
}

/** Cancels a shipment that has not left, keeping the reason with it. Its requests are free to plan again. */
export async function cancelShipment(call: ShipmentCall, input: Move & { reason: string }) {
  const current = await locked(call, input, 'cancel');
  await endStationTasks(call.tx, current);
  return moveTo(call, current, {
    status: 'cancelled',
    cancelledAt: new Date(),
    cancelReason: input.reason.trim(),
  });
}
