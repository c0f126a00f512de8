import { tables } from '@plantline/schema';
import { and, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate, auditUpdate, DomainError, notFound, type Scope } from '../../platform/index.js';
import { takeNumber, withCustomValues } from '../config/index.js';
import { checkRecordEdit, recordEdited, startWorkflow, type WorkflowContext } from '../workflow/index.js';
import { checkItems, type ItemInput, insertItems, removeItems } from './change-order-items.js';
import { auditedChangeOrder, type ChangeOrder, getChangeOrder } from './change-order-reads.js';

/*
 * Raising and editing engineering change orders (docs/change-orders.md). A change order is numbered
 * from the tenant's change_order sequence, names the products (and routings) it changes, and is
 * edited against the version its editor saw, so two people editing at once cannot overwrite each
 * other unknowingly. Its status is not written here: the workflow engine mirrors its state into it.
 * Once implemented (implementation.ts), a change order no longer changes.
 */

const co = tables.changeOrders;

export interface ChangeOrderFields {
  title: string;
  reason: string;
  description: string;
  urgency: tables.ChangeUrgency;
  effectivity: tables.ChangeEffectivity;
  /** A local date (`2026-11-25`), for effectivity `date`. */
  effectiveDate?: string | null | undefined;
  /** The first lot made to the change, for effectivity `lot`. */
  effectiveLot?: string | null | undefined;
  ownerId?: string | null | undefined;
}

export interface NewChangeOrder extends ChangeOrderFields {
  /** Null or absent: a change of tenant-wide products everywhere, seen by the whole tenant. */
  plantId?: string | null | undefined;
  items: readonly ItemInput[];
}

/**
 * The effectivity with only the value it uses: a date for `date`, a lot for `lot`, neither for
 * `immediate` (a value left over from an earlier choice would read as if it applied).
 */
function effectiveWhen(fields: Pick<ChangeOrderFields, 'effectivity' | 'effectiveDate' | 'effectiveLot'>) {
  const date = fields.effectiveDate ?? null;
  const lot = fields.effectiveLot ?? null;
  if (fields.effectivity === 'date' && date === null)
    throw new DomainError('invalid', 'Give the date the change takes effect', {
      effectiveDate: 'Enter a date',
    });
  if (fields.effectivity === 'lot' && lot === null)
    throw new DomainError('invalid', 'Give the first lot made to the change', {
      effectiveLot: 'Enter a lot',
    });
  return {
    effectivity: fields.effectivity,
    effectiveDate: fields.effectivity === 'date' ? date : null,
    effectiveLot: fields.effectivity === 'lot' ? lot : null,
  };
}

async function checkPlant(tx: Sql, plantId: string) {
  const [plant] = await tx
    .select({ id: tables.plants.id })
    .from(tables.plants)
    .where(eq(tables.plants.id, plantId));
  if (plant === undefined) throw new DomainError('not_found', 'Plant not found', { plantId: 'Not found' });
}

/** The owner is an active user of the tenant (row-level security scopes the lookup to it). */
async function checkOwner(tx: Sql, ownerId: string) {
  const [user] = await tx
    .select({ id: tables.users.id })
    .from(tables.users)
    .where(and(eq(tables.users.id, ownerId), eq(tables.users.isActive, true)));
  if (user === undefined) throw new DomainError('not_found', 'Owner not found', { ownerId: 'No such user' });
}

/**
 * Raises a change order. Its owner is the one given, else whoever raises it; each item records the
 * product's revision as it is now, the revision the change starts from.
 */
export async function createChangeOrder(tx: Sql, actor: Scope, input: NewChangeOrder) {
  const plantId = input.plantId ?? null;
  if (plantId !== null) await checkPlant(tx, plantId);
  const when = effectiveWhen(input);
  const ownerId = input.ownerId === undefined ? (actor.userId ?? null) : input.ownerId;
  if (ownerId !== null && input.ownerId !== undefined) await checkOwner(tx, ownerId);
  const items = await checkItems(tx, input.items, 'items');
  const number = await takeNumber(tx, {
    tenantId: actor.tenantId,
    code: 'change_order',
    plantId,
    at: new Date(),
  });
  const [created] = await tx
    .insert(co)
    .values({
      tenantId: actor.tenantId,
      plantId,
      number,
      title: input.title,
      reason: input.reason,
      description: input.description,
      urgency: input.urgency,
      ...when,
      ownerId,
      raisedBy: actor.userId ?? null,
    })
    .returning({ id: co.id });
  await insertItems(tx, { tenantId: actor.tenantId, id: created!.id, plantId }, items);
  const order = await getChangeOrder(tx, created!.id);
  auditCreate(
    tx,
    'change_order',
    { ...auditedChangeOrder(order), plantId },
    {
      label: order.number,
      plantId,
    },
  );
  return order;
}

export interface ChangeOrderUpdate {
  id: string;
  /** The version the editor saw (ChangeOrder.version); an older one is refused. */
  expectedVersion: number;
  patch?: Partial<ChangeOrderFields> | undefined;
  addItems?: readonly ItemInput[] | undefined;
  removeItemIds?: readonly string[] | undefined;
}

const staleVersion = (number: string) =>
  new DomainError(
    'conflict',
    `${number} was changed by someone else since you opened it; reload it and make your change again`,
  );

/** The built-in fields an update changes, by the keys workflows know them by (workflow-entity.ts). */
const fieldKeys: Record<keyof ChangeOrderFields, string> = {
  title: 'title',
  reason: 'reason',
  description: 'description',
  urgency: 'urgency',
  effectivity: 'effectivity',
  effectiveDate: 'effective_date',
  effectiveLot: 'effective_lot',
  ownerId: 'owner',
};

/** Which built-in fields `update` would change (workflow field locks are checked on these). */
export function changedFields(
  current: ChangeOrderFields,
  update: Omit<ChangeOrderUpdate, 'id' | 'expectedVersion'>,
) {
  const changed = Object.entries(update.patch ?? {}).flatMap(([key, value]) =>
    value === undefined || value === current[key as keyof ChangeOrderFields]
      ? []
      : [fieldKeys[key as keyof ChangeOrderFields]],
  );
  if ((update.addItems?.length ?? 0) > 0 || (update.removeItemIds?.length ?? 0) > 0) changed.push('items');
  return changed;
}

/** The change order as an update starts from: locked, at the version the editor saw, not implemented. */
export async function lockForUpdate(tx: Sql, id: string, expectedVersion: number) {
  const [locked] = await tx
    .select({ id: co.id, version: co.version, implementedAt: co.implementedAt })
    .from(co)
    .where(eq(co.id, id))
    .for('update');
  if (locked === undefined) throw notFound('Change order');
  const current = await getChangeOrder(tx, id);
  if (locked.version !== expectedVersion) throw staleVersion(current.number);
  if (locked.implementedAt !== null)
    throw new DomainError('conflict', `${current.number} is implemented; it no longer changes`);
  return current;
}

/**
 * Changes a change order's fields and items as seen at `expectedVersion`; `current` is what
 * lockForUpdate returned. Items are removed before others are added, so an item can be replaced
 * (another routing, say) in one call. The audit trail gets the fields that changed, items among them.
 */
export async function updateChangeOrder(
  tx: Sql,
  actor: Scope,
  current: Awaited<ReturnType<typeof lockForUpdate>>,
  update: ChangeOrderUpdate,
) {
  const patch = update.patch ?? {};
  const when = effectiveWhen({
    effectivity: patch.effectivity ?? current.effectivity,
    effectiveDate: patch.effectiveDate === undefined ? current.effectiveDate : patch.effectiveDate,
    effectiveLot: patch.effectiveLot === undefined ? current.effectiveLot : patch.effectiveLot,
  });
  if (patch.ownerId != null && patch.ownerId !== current.ownerId) await checkOwner(tx, patch.ownerId);
  await removeItems(tx, current.id, update.removeItemIds ?? []);
  const remaining = await tx
    .select({ productId: tables.changeOrderItems.productId })
    .from(tables.changeOrderItems)
    .where(eq(tables.changeOrderItems.changeOrderId, current.id));
  const added = await checkItems(
    tx,
    update.addItems ?? [],
    'addItems',
    new Set(remaining.map((r) => r.productId)),
  );
  await insertItems(tx, { tenantId: actor.tenantId, id: current.id, plantId: current.plantId }, added);
  const { effectivity: _e, effectiveDate: _d, effectiveLot: _l, ...rest } = patch;
  await tx
    .update(co)
    .set({ ...rest, ...when, version: sql`${co.version} + 1`, updatedAt: sql`now()` })
    .where(eq(co.id, current.id));
  const updated = await getChangeOrder(tx, current.id);
  auditUpdate(tx, 'change_order', auditedChangeOrder(current), auditedChangeOrder(updated), {
    label: updated.number,
    plantId: updated.plantId,
  });
  return updated;
}

type WithCustom<T> = T & { custom?: Record<string, unknown> | undefined };

/** The custom values a call writes, as the fields workflows know them by (`custom.<key>`). */
const customFields = (custom: Record<string, unknown> | undefined) =>
  Object.keys(custom ?? {}).map((key) => `custom.${key}`);

/**
 * `changeOrders.create`: the change order and its custom values in one transaction, then its
 * workflow, which starts in the initial state of the tenant's published change order workflow (none
 * published: the change order has no workflow and keeps its status).
 */
export async function raiseChangeOrder(ctx: WorkflowContext, input: WithCustom<NewChangeOrder>) {
  const save = withCustomValues<WithCustom<NewChangeOrder>, ChangeOrder>(
    { entityType: 'change_order', creating: true },
    ({ tx, principal }, fields) => createChangeOrder(tx, principal, fields),
  );
  const created = await save({ ctx, input });
  const started = await startWorkflow(ctx, { entityType: 'change_order', entityId: created.id });
  return started === null ? created : { ...created, status: started.stateKey };
}

/**
 * `changeOrders.update`: the edit is checked against the workflow state's field locks first (the
 * fields it changes, `items` for its items, `custom.<key>` for custom values), and the workflow is
 * told afterwards, which remembers the editor (docs/workflows.md, "Field locks and signatures").
 */
export async function editChangeOrder(ctx: WorkflowContext, input: WithCustom<ChangeOrderUpdate>) {
  const current = await lockForUpdate(ctx.tx, input.id, input.expectedVersion);
  const edit = {
    entityType: 'change_order',
    entityId: input.id,
    fields: [...changedFields(current, input), ...customFields(input.custom)],
  };
  await checkRecordEdit(ctx, edit);
  const save = withCustomValues<WithCustom<ChangeOrderUpdate>, ChangeOrder>(
    { entityType: 'change_order', creating: false },
    ({ tx, principal }, fields) => updateChangeOrder(tx, principal, current, fields),
  );
  const saved = await save({ ctx, input });
  await recordEdited(ctx, edit);
  return saved;
}
