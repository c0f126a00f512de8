import { tables } from '@plantline/schema';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  type AfterCommit,
  audit,
  auditCreate,
  auditUpdate,
  canSeePlant,
  DomainError,
  type EventBus,
  type Principal,
} from '../../platform/index.js';
import { takeNumber, withCustomValues } from '../config/index.js';
import { type PlantName, tenantPlantNames } from './plant-names.js';
import { checkCarrier, checkProducts, type TransferLine, withReferences } from './references.js';
import {
  lockTransfer,
  reachOf,
  type Transfer,
  type TransferItem,
  transferItems,
} from './transfer-queries.js';
import { sideOf, sideRefusal, type TransferAction, transitionRefusal } from './transfer-rules.js';

/*
 * Planning transfers between two plants of a tenant (docs/logistics.md, "Transfers"): numbered from
 * the sending plant's `transfer_order` sequence, audited at every change, edited against the version
 * the editor saw, and each action taken only by the side it belongs to — the sending plant plans,
 * packs and ships, the receiving plant receives.
 */

/** What transfer work needs of a procedure's context: the transaction, the caller, the bus. */
export interface TransferCall {
  tx: Sql;
  principal: Principal;
  afterCommit: AfterCommit;
  deps: { bus: EventBus };
}

/** The tenant's plant names, for the codes of a transfer's two plants. */
export const plantNames = (call: TransferCall) => tenantPlantNames(call.tx);

/** Live pages and stations of both plants look again once the change has committed. */
export function announce(call: TransferCall, transfer: Pick<Transfer, 'id' | 'fromPlantId' | 'toPlantId'>) {
  const payload = {
    tenantId: call.principal.tenantId,
    fromPlantId: transfer.fromPlantId,
    toPlantId: transfer.toPlantId,
    transferOrderId: transfer.id,
  };
  call.afterCommit(() => call.deps.bus.emit('transfers.changed', payload));
}

/** A transfer as the audit trail records it. */
export const audited = (transfer: Transfer, items: readonly TransferItem[]) => ({
  id: transfer.id,
  number: transfer.number,
  status: transfer.status,
  from: transfer.fromPlantCode,
  to: transfer.toPlantCode,
  carrierId: transfer.carrierId,
  carrierCode: transfer.carrierCode,
  trackingNumber: transfer.trackingNumber,
  note: transfer.note,
  items: items.map((i) => ({ line: i.lineNo, product: i.productCode, lot: i.lot, quantity: i.quantity })),
});

/** Sending-side actions are recorded with the sending plant, receiving ones with the receiving plant. */
export const auditPlant = (transfer: Transfer, action: TransferAction) =>
  sideOf[action] === 'sending' ? transfer.fromPlantId : transfer.toPlantId;

/**
 * The transfer locked, in a status that allows `action`, and the caller of the side the action belongs
 * to; with `expectedVersion`, also as the caller last saw it.
 */
export async function lockedFor(
  call: TransferCall,
  plants: readonly PlantName[],
  move: { id: string; expectedVersion?: number | undefined },
  action: TransferAction,
) {
  const current = await lockTransfer(call.tx, move.id, plants);
  const side = sideRefusal(current, sideOf[action], reachOf(call.principal, current));
  if (side !== null) throw new DomainError('forbidden', side);
  const refusal = transitionRefusal(current.number, current.status, action);
  if (refusal !== null) throw new DomainError('conflict', refusal);
  if (move.expectedVersion !== undefined) await checkVersion(call.tx, current, move.expectedVersion);
  return current;
}

/** Refuses a change made against an older version, naming the change the caller did not see. */
async function checkVersion(tx: Sql, transfer: Transfer, expectedVersion: number) {
  if (transfer.version === expectedVersion) return;
  const a = tables.auditLog;
  const [last] = await tx
    .select({ actorName: a.actorName, at: a.recordedAt })
    .from(a)
    .where(and(eq(a.entityType, 'transfer_order'), eq(a.entityId, transfer.id)))
    .orderBy(desc(a.seq))
    .limit(1);
  const by =
    last === undefined
      ? ''
      : ` (by ${last.actorName} at ${last.at.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
  throw new DomainError(
    'conflict',
    `${transfer.number} was changed since you opened it${by}; reload it and try again`,
    {
      expectedVersion: 'Changed since you opened it',
    },
  );
}

/** Moves the transfer on (status and header), a new version, audited on the side that acted. */
export async function moveTransfer(
  call: TransferCall,
  plants: readonly PlantName[],
  current: Transfer,
  action: TransferAction,
  set: Partial<typeof tables.transferOrders.$inferInsert>,
  options: { reason?: string; itemsBefore?: readonly TransferItem[] } = {},
) {
  const { tx } = call;
  const { reason } = options;
  const items = options.itemsBefore ?? (await transferItems(tx, current.id));
  await withReferences(
    tx
      .update(tables.transferOrders)
      .set({ ...set, version: sql`${tables.transferOrders.version} + 1`, updatedAt: sql`now()` })
      .where(eq(tables.transferOrders.id, current.id)),
  );
  const moved = await lockTransfer(tx, current.id, plants);
  const after = audited(moved, await transferItems(tx, current.id));
  if (reason === undefined)
    auditUpdate(tx, 'transfer_order', audited(current, items), after, {
      label: current.number,
      plantId: auditPlant(current, action),
    });
  else
    audit(tx, {
      action: `transfer_order.${action === 'finish' ? 'receive' : action}`,
      entityType: 'transfer_order',
      entityId: current.id,
      entityLabel: current.number,
      plantId: auditPlant(current, action),
      before: audited(current, items),
      after,
      reason,
    });
  announce(call, moved);
  return moved;
}

async function insertItems(
  tx: Sql,
  transfer: { tenantId: string; fromPlantId: string; toPlantId: string; transferOrderId: string },
  lines: readonly TransferLine[],
  firstLine: number,
) {
  if (lines.length === 0) return;
  await withReferences(
    tx.insert(tables.transferItems).values(
      lines.map((line, index) => ({
        ...transfer,
        lineNo: firstLine + index,
        productId: line.productId,
        lot: line.lot?.trim() || null,
        quantity: String(line.quantity),
      })),
    ),
  );
}

async function writeCustom(
  call: TransferCall,
  id: string,
  creating: boolean,
  custom: Record<string, unknown> | undefined,
) {
  const save = withCustomValues({ entityType: 'transfer_order', creating }, async () => ({ id }));
  return (await save({ ctx: call, input: { custom } })).custom;
}

/*
 * The pattern carries the plant and the year, so a number is taken at most once; one already used
 * means an engineer set the pattern back to an old one, and the next is tried.
 */
const MAX_SKIPPED_NUMBERS = 100;

export interface NewTransfer {
  fromPlantId: string;
  toPlantId: string;
  items: readonly TransferLine[];
  carrierId?: string | null | undefined;
  note?: string | undefined;
  custom?: Record<string, unknown> | undefined;
}

/** Plans a transfer from a plant the caller reaches to another plant of the tenant, as a draft. */
export async function createTransfer(call: TransferCall, input: NewTransfer) {
  const { tx, principal } = call;
  const plants = await plantNames(call);
  // A transfer leaves a plant the planner reaches; another is "not found", which confirms nothing.
  if (!plants.some((p) => p.id === input.fromPlantId) || !canSeePlant(principal, input.fromPlantId))
    throw new DomainError('not_found', 'Plant not found', { fromPlantId: 'Not found' });
  if (input.toPlantId === input.fromPlantId)
    throw new DomainError('invalid', 'A transfer goes to another plant', {
      toPlantId: 'The same plant it leaves',
    });
  if (!plants.some((p) => p.id === input.toPlantId))
    throw new DomainError('not_found', 'Plant not found', { toPlantId: 'Not a plant of this tenant' });
  if (input.items.length === 0)
    throw new DomainError('invalid', 'A transfer needs at least one line', { items: 'Add a product' });
  await checkProducts(tx, input.items);
  if (input.carrierId != null) await checkCarrier(tx, input.carrierId);
  let id: string | undefined;
  for (let attempt = 0; id === undefined && attempt <= MAX_SKIPPED_NUMBERS; attempt++) {
    const number = await takeNumber(tx, {
      tenantId: principal.tenantId,
      code: 'transfer_order',
      plantId: input.fromPlantId,
      at: new Date(),
    });
    const [created] = await withReferences(
      tx
        .insert(tables.transferOrders)
        .values({
          tenantId: principal.tenantId,
          fromPlantId: input.fromPlantId,
          toPlantId: input.toPlantId,
          number,
          carrierId: input.carrierId ?? null,
          note: input.note?.trim() ?? '',
          createdBy: principal.userId,
        })
        .onConflictDoNothing({ target: [tables.transferOrders.tenantId, tables.transferOrders.number] })
        .returning({ id: tables.transferOrders.id }),
    );
    id = created?.id;
  }
  if (id === undefined)
    throw new DomainError(
      'conflict',
      `The next ${MAX_SKIPPED_NUMBERS} transfer numbers are all in use; an engineer should change the transfer numbering pattern`,
    );
  const owner = {
    tenantId: principal.tenantId,
    fromPlantId: input.fromPlantId,
    toPlantId: input.toPlantId,
    transferOrderId: id,
  };
  await insertItems(tx, owner, input.items, 1);
  const transfer = await lockTransfer(tx, id, plants);
  const items = await transferItems(tx, id);
  auditCreate(tx, 'transfer_order', audited(transfer, items), {
    label: transfer.number,
    plantId: transfer.fromPlantId,
  });
  const custom = await writeCustom(call, id, true, input.custom);
  announce(call, transfer);
  return { ...transfer, items, custom };
}

export interface TransferUpdate {
  id: string;
  expectedVersion: number;
  patch?: { carrierId?: string | null | undefined; note?: string | undefined } | undefined;
  addItems?: readonly TransferLine[] | undefined;
  /** Items with nothing packed yet. */
  removeItemIds?: readonly string[] | undefined;
  /** New quantities; never below what is packed. */
  quantities?: readonly { itemId: string; quantity: number }[] | undefined;
  custom?: Record<string, unknown> | undefined;
}

/** Changes a transfer that has not left, against the version its editor saw. */
export async function updateTransfer(call: TransferCall, input: TransferUpdate) {
  const { tx } = call;
  const plants = await plantNames(call);
  const current = await lockedFor(call, plants, input, 'edit');
  const before = await transferItems(tx, current.id);
  const i = tables.transferItems;
  const itemOf = (id: string, field: string) => {
    const item = before.find((x) => x.id === id);
    if (item === undefined)
      throw new DomainError('not_found', 'Item not found', { [field]: 'Not an item of this transfer' });
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
    await tx.delete(i).where(eq(i.id, id));
  }
  for (const change of input.quantities ?? []) {
    const item = itemOf(change.itemId, 'quantities');
    if (change.quantity < item.packedQuantity)
      throw new DomainError('invalid', `Line ${item.lineNo} has ${item.packedQuantity} packed already`, {
        quantities: `At least ${item.packedQuantity}`,
      });
    await tx
      .update(i)
      .set({ quantity: String(change.quantity) })
      .where(eq(i.id, item.id));
  }
  await checkProducts(tx, input.addItems ?? []);
  const owner = {
    tenantId: call.principal.tenantId,
    fromPlantId: current.fromPlantId,
    toPlantId: current.toPlantId,
    transferOrderId: current.id,
  };
  await insertItems(tx, owner, input.addItems ?? [], Math.max(0, ...before.map((x) => x.lineNo)) + 1);
  if ((await transferItems(tx, current.id)).length === 0)
    throw new DomainError('invalid', 'A transfer needs at least one line', {
      removeItemIds: 'Keep at least one line',
    });
  const patch = input.patch ?? {};
  if (patch.carrierId != null && patch.carrierId !== current.carrierId)
    await checkCarrier(tx, patch.carrierId);
  const set: Partial<typeof tables.transferOrders.$inferInsert> = {};
  if (patch.carrierId !== undefined) set.carrierId = patch.carrierId;
  if (patch.note !== undefined) set.note = patch.note.trim();
  const updated = await moveTransfer(call, plants, current, 'edit', set, { itemsBefore: before });
  const custom = await writeCustom(call, current.id, false, input.custom);
  return { ...updated, items: await transferItems(tx, current.id), custom };
}

/** Cancels a transfer that has not left; both plants read the reason on the transfer. */
export async function cancelTransfer(
  call: TransferCall,
  input: { id: string; expectedVersion: number; reason: string },
) {
  const plants = await plantNames(call);
  const current = await lockedFor(call, plants, input, 'cancel');
  const pk = tables.packages;
  // What was packed goes back on the shelf: the open packages of a cancelled transfer are closed.
  await call.tx
    .update(pk)
    .set({ status: 'closed', closedAt: sql`coalesce(${pk.closedAt}, now())` })
    .where(and(eq(pk.transferOrderId, current.id), eq(pk.status, 'open')));
  return moveTransfer(
    call,
    plants,
    current,
    'cancel',
    { status: 'cancelled', cancelReason: input.reason.trim() },
    { reason: input.reason.trim() },
  );
}
