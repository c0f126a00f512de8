import { tables } from '@plantline/schema';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  type AfterCommit,
  auditCreate,
  auditUpdate,
  DomainError,
  type EventBus,
  type Principal,
} from '../../platform/index.js';
import { takeNumber, withCustomValues } from '../config/index.js';
import { checkCarrier, checkConsignee, checkShipTo, visiblePlant, withReferences } from './references.js';
import { linesFor, type NewItem, type ProductLine, type RequestLine } from './shipment-lines.js';
import {
  findShipment,
  lockShipment,
  type Shipment,
  type ShipmentItem,
  shipmentItems,
} from './shipment-queries.js';
import { statusAfterPacking, transitionRefusal } from './shipment-rules.js';

/*
 * Planning shipments (docs/logistics.md, "Shipments"): numbered from the plant's `shipment` sequence,
 * audited as they are created and at every edit, and edited against the version their editor saw
 * while they are a draft or being picked.
 */

/** What shipment work needs of a procedure's context: the transaction, the caller, the bus. */
export interface ShipmentCall {
  tx: Sql;
  principal: Principal;
  afterCommit: AfterCommit;
  deps: { bus: EventBus };
}

export interface ShipmentHeader {
  carrierId?: string | null | undefined;
  plannedShipDate?: string | null | undefined;
  customerPo?: string | undefined;
  note?: string | undefined;
}

/** Live pages and stations of the shipment look again once the change has committed. */
export function announce(call: ShipmentCall, shipment: { id: string; plantId: string }) {
  const payload = { tenantId: call.principal.tenantId, plantId: shipment.plantId, shipmentId: shipment.id };
  call.afterCommit(() => call.deps.bus.emit('shipments.changed', payload));
}

/** A shipment as the audit trail records it: what it points at by code beside the ids. */
export const audited = (shipment: Shipment, items: readonly ShipmentItem[]) => ({
  id: shipment.id,
  number: shipment.number,
  status: shipment.status,
  customerId: shipment.customerId,
  customerCode: shipment.customerCode,
  shipToId: shipment.shipToId,
  shipToLabel: shipment.shipToLabel,
  carrierId: shipment.carrierId,
  carrierCode: shipment.carrierCode,
  customerPo: shipment.customerPo,
  plannedShipDate: shipment.plannedShipDate,
  trackingNumber: shipment.trackingNumber,
  lateReason: shipment.lateReason,
  cancelReason: shipment.cancelReason,
  note: shipment.note,
  items: items.map((i) => ({
    line: i.lineNo,
    product: i.productCode,
    lot: i.lot,
    quantity: i.quantity,
    request: i.requestNumber,
  })),
});

/*
 * The sequence's pattern carries the plant and the year, so a number is taken at most once; one
 * already used means an engineer set the pattern back to an old one. The next is tried then.
 */
const MAX_SKIPPED_NUMBERS = 100;

/** Inserts a shipment numbered from the plant's `shipment` sequence, with its items in line order. */
export async function insertShipment(
  tx: Sql,
  row: Omit<typeof tables.shipments.$inferInsert, 'number'> & { plantId: string; tenantId: string },
  items: readonly (NewItem & { backorderOfItemId?: string | null })[],
): Promise<string> {
  let id: string | undefined;
  for (let attempt = 0; id === undefined && attempt <= MAX_SKIPPED_NUMBERS; attempt++) {
    const number = await takeNumber(tx, {
      tenantId: row.tenantId,
      code: 'shipment',
      plantId: row.plantId,
      at: row.createdAt ?? new Date(),
    });
    const [created] = await withReferences(
      tx
        .insert(tables.shipments)
        .values({ ...row, number })
        .onConflictDoNothing({ target: [tables.shipments.tenantId, tables.shipments.number] })
        .returning({ id: tables.shipments.id }),
    );
    id = created?.id;
  }
  if (id === undefined)
    throw new DomainError(
      'conflict',
      `The next ${MAX_SKIPPED_NUMBERS} shipment numbers are all in use; an engineer should change the shipment numbering pattern`,
    );
  await insertItems(tx, { tenantId: row.tenantId, plantId: row.plantId, shipmentId: id }, items, 1);
  return id;
}

async function insertItems(
  tx: Sql,
  shipment: { tenantId: string; plantId: string; shipmentId: string },
  items: readonly (NewItem & { backorderOfItemId?: string | null })[],
  firstLine: number,
) {
  if (items.length === 0) return;
  await withReferences(
    tx.insert(tables.shipmentItems).values(
      items.map((item, index) => ({
        ...shipment,
        lineNo: firstLine + index,
        productId: item.productId,
        deliveryRequestId: item.deliveryRequestId,
        lot: item.lot,
        quantity: String(item.quantity),
        backorderOfItemId: item.backorderOfItemId ?? null,
      })),
    ),
  );
}

/** Custom values are written through the configuration engine, in the same transaction. */
async function writeCustom(
  call: ShipmentCall,
  id: string,
  creating: boolean,
  custom: Record<string, unknown> | undefined,
) {
  const save = withCustomValues({ entityType: 'shipment', creating }, async () => ({ id }));
  return (await save({ ctx: call, input: { custom } })).custom;
}

export interface NewShipment extends ShipmentHeader {
  plantId: string;
  customerId: string;
  shipToId: string;
  requests?: readonly RequestLine[] | undefined;
  products?: readonly ProductLine[] | undefined;
  custom?: Record<string, unknown> | undefined;
  /**
   * When it was planned: now unless given. Not offered by the API; the demo plans its past shipments
   * on their days (docs/demo.md, "Shipments").
   */
  at?: Date | undefined;
}

/** Plans a shipment in the caller's name, as a draft. */
export async function createShipment(call: ShipmentCall, input: NewShipment) {
  const { tx, principal } = call;
  await visiblePlant(tx, input.plantId);
  await checkConsignee(tx, input.customerId, input.shipToId);
  if (input.carrierId != null) await checkCarrier(tx, input.carrierId);
  const to = {
    plantId: input.plantId,
    customerId: input.customerId,
    shipToId: input.shipToId,
    shipmentId: null,
  };
  const lines = await linesFor(tx, to, input.requests ?? [], input.products ?? []);
  if (lines.items.length === 0)
    throw new DomainError('invalid', 'A shipment needs at least one line', {
      products: 'Add a request or a product',
    });
  const id = await insertShipment(
    tx,
    {
      tenantId: principal.tenantId,
      plantId: input.plantId,
      customerId: input.customerId,
      shipToId: input.shipToId,
      carrierId: input.carrierId ?? null,
      plannedShipDate: input.plannedShipDate ?? null,
      customerPo: input.customerPo?.trim() || lines.customerPo || '',
      note: input.note?.trim() ?? '',
      createdBy: principal.userId,
      ...(input.at === undefined ? {} : { createdAt: input.at, updatedAt: input.at }),
    },
    lines.items,
  );
  const shipment = await findShipment(tx, id);
  const items = await shipmentItems(tx, shipment);
  auditCreate(tx, 'shipment', audited(shipment, items), {
    label: shipment.number,
    plantId: shipment.plantId,
  });
  const custom = await writeCustom(call, id, true, input.custom);
  announce(call, shipment);
  return { ...shipment, items, custom };
}

export interface ShipmentUpdate {
  id: string;
  /** The `version` the editor saw. */
  expectedVersion: number;
  /** The tracking number may be known before it leaves (a booked pickup); shipping can still change it. */
  patch?:
    | (ShipmentHeader & { shipToId?: string | undefined; trackingNumber?: string | undefined })
    | undefined;
  addRequests?: readonly RequestLine[] | undefined;
  addProducts?: readonly ProductLine[] | undefined;
  /** Items with nothing packed yet. */
  removeItemIds?: readonly string[] | undefined;
  /** New quantities; never below what is packed. */
  quantities?: readonly { itemId: string; quantity: number }[] | undefined;
  custom?: Record<string, unknown> | undefined;
}

/** Who changed a shipment last and when, from the audit trail: what a stale edit did not see. */
async function lastChange(tx: Sql, id: string) {
  const a = tables.auditLog;
  const [entry] = await tx
    .select({ actorName: a.actorName, at: a.recordedAt })
    .from(a)
    .where(and(eq(a.entityType, 'shipment'), eq(a.entityId, id)))
    .orderBy(desc(a.seq))
    .limit(1);
  return entry ?? null;
}

/** Refuses a change made against an older version, naming the change the editor did not see. */
export async function checkVersion(tx: Sql, shipment: Shipment, expectedVersion: number) {
  if (shipment.version === expectedVersion) return;
  const last = await lastChange(tx, shipment.id);
  const by =
    last === null
      ? ''
      : ` (by ${last.actorName} at ${last.at.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
  throw new DomainError(
    'conflict',
    `${shipment.number} was changed since you opened it${by}; reload it and try again`,
    {
      expectedVersion: 'Changed since you opened it',
    },
  );
}

export function refuseUnless(
  shipment: Pick<Shipment, 'number' | 'status'>,
  action: Parameters<typeof transitionRefusal>[2],
) {
  const refusal = transitionRefusal(shipment.number, shipment.status, action);
  if (refusal !== null) throw new DomainError('conflict', refusal);
}

/** Changes a draft or picking shipment's header, lines and custom values, against the version its editor saw. */
export async function updateShipment(call: ShipmentCall, input: ShipmentUpdate) {
  const { tx } = call;
  const current = await lockShipment(tx, input.id);
  refuseUnless(current, 'edit');
  await checkVersion(tx, current, input.expectedVersion);
  const before = await shipmentItems(tx, current);
  const patch = input.patch ?? {};
  const shipToId = patch.shipToId ?? current.shipToId;
  if (patch.shipToId !== undefined && patch.shipToId !== current.shipToId) {
    await checkShipTo(tx, current.customerId, patch.shipToId);
    await refuseOtherAddress(tx, before, patch.shipToId);
  }
  if (patch.carrierId != null && patch.carrierId !== current.carrierId)
    await checkCarrier(tx, patch.carrierId);
  await changeItems(tx, current, before, input);
  const to = { plantId: current.plantId, customerId: current.customerId, shipToId, shipmentId: current.id };
  const added = await linesFor(tx, to, input.addRequests ?? [], input.addProducts ?? []);
  const onShipment = new Set(before.map((i) => i.deliveryRequestId).filter((r) => r !== null));
  if (added.items.some((i) => i.deliveryRequestId !== null && onShipment.has(i.deliveryRequestId)))
    throw new DomainError('invalid', 'A request is on this shipment already', { requests: 'Already on it' });
  const lastLine = Math.max(0, ...before.map((i) => i.lineNo));
  await insertItems(
    tx,
    { tenantId: call.principal.tenantId, plantId: current.plantId, shipmentId: current.id },
    added.items,
    lastLine + 1,
  );
  const items = await shipmentItems(tx, current);
  if (items.length === 0)
    throw new DomainError('invalid', 'A shipment needs at least one line', {
      removeItemIds: 'Keep at least one line',
    });
  const progress = items.map((i) => ({ id: i.id, quantity: i.quantity, packed: i.packedQuantity }));
  const set: Partial<typeof tables.shipments.$inferInsert> = {
    status: statusAfterPacking(current.status, progress, false),
  };
  if (patch.shipToId !== undefined) set.shipToId = patch.shipToId;
  if (patch.carrierId !== undefined) set.carrierId = patch.carrierId;
  if (patch.plannedShipDate !== undefined) set.plannedShipDate = patch.plannedShipDate;
  if (patch.customerPo !== undefined) set.customerPo = patch.customerPo.trim();
  if (patch.note !== undefined) set.note = patch.note.trim();
  if (patch.trackingNumber !== undefined) set.trackingNumber = patch.trackingNumber.trim();
  await withReferences(
    tx
      .update(tables.shipments)
      .set({ ...set, version: sql`${tables.shipments.version} + 1`, updatedAt: sql`now()` })
      .where(eq(tables.shipments.id, current.id)),
  );
  const updated = await findShipment(tx, current.id);
  const record = { label: current.number, plantId: current.plantId };
  auditUpdate(tx, 'shipment', audited(current, before), audited(updated, items), record);
  const custom = await writeCustom(call, current.id, false, input.custom);
  announce(call, updated);
  return { ...updated, items, custom };
}

/** A new address must be where the shipment's requests go. */
async function refuseOtherAddress(tx: Sql, items: readonly ShipmentItem[], shipToId: string) {
  const requestIds = items.map((i) => i.deliveryRequestId).filter((r): r is string => r !== null);
  if (requestIds.length === 0) return;
  const r = tables.deliveryRequests;
  const elsewhere = await tx
    .select({ number: r.number })
    .from(r)
    .where(and(inArray(r.id, requestIds), sql`${r.shipToId} <> ${shipToId}::uuid`));
  if (elsewhere.length > 0)
    throw new DomainError(
      'invalid',
      `${elsewhere.map((e) => e.number).join(', ')} go${elsewhere.length === 1 ? 'es' : ''} to another address`,
      { shipToId: 'Not where the requests go' },
    );
}

/** Removes unpacked items and sets new quantities, never below what is packed or above a request's rest. */
async function changeItems(
  tx: Sql,
  shipment: Shipment,
  items: readonly ShipmentItem[],
  input: ShipmentUpdate,
) {
  const i = tables.shipmentItems;
  const itemOf = (id: string, field: string) => {
    const item = items.find((x) => x.id === id);
    if (item === undefined)
      throw new DomainError('not_found', 'Item not found', { [field]: 'Not an item of this shipment' });
    return item;
  };
  for (const id of input.removeItemIds ?? []) {
    const item = itemOf(id, 'removeItemIds');
    if (item.packedQuantity > 0)
      throw new DomainError(
        'invalid',
        `Line ${item.lineNo} (${item.productCode}) has packed units and stays`,
        {
          removeItemIds: `Line ${item.lineNo} has packed units`,
        },
      );
    await tx.delete(i).where(and(eq(i.plantId, shipment.plantId), eq(i.id, id)));
  }
  for (const change of input.quantities ?? []) {
    const item = itemOf(change.itemId, 'quantities');
    if (change.quantity < item.packedQuantity)
      throw new DomainError('invalid', `Line ${item.lineNo} has ${item.packedQuantity} packed already`, {
        quantities: `At least ${item.packedQuantity}`,
      });
    if (item.deliveryRequestId !== null) {
      const [request] = await linesFor(
        tx,
        {
          plantId: shipment.plantId,
          customerId: shipment.customerId,
          shipToId: shipment.shipToId,
          shipmentId: shipment.id,
        },
        [{ requestId: item.deliveryRequestId, quantity: change.quantity }],
        [],
      ).then((lines) => lines.items);
      if (request === undefined) throw new DomainError('not_found', 'Delivery request not found');
    }
    await tx
      .update(i)
      .set({ quantity: String(change.quantity) })
      .where(and(eq(i.plantId, shipment.plantId), eq(i.id, item.id)));
  }
}
