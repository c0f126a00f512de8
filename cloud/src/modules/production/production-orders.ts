import { tables } from '@plantline/schema';
import { and, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  auditCreate,
  auditUpdate,
  DomainError,
  notFound,
  type Principal,
  withConstraintErrors,
} from '../../platform/index.js';
import { takeNumber } from '../config/index.js';
import { backflushOrder, explodeOrderRequirements } from '../materials/index.js';
import { visiblePlant } from './visibility.js';

/*
 * Production orders: what a plant is asked to make, numbered from the
 * tenant's production_order sequence unless the caller brings a number (from an ERP, say). Orders are
 * plant-scoped by row-level security, so an order of a plant outside the caller's reach is not found.
 */

type Status = tables.ProductionOrderStatus;

/**
 * The order life cycle: planned → released → in_progress → completed, and any order not yet finished
 * may be cancelled. Completed and cancelled orders are closed: nothing about them changes any more.
 */
const nextStatuses: Record<Status, readonly Status[]> = {
  planned: ['released', 'cancelled'],
  released: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

const statusWords: Record<Status, string> = {
  planned: 'planned',
  released: 'released',
  in_progress: 'in progress',
  completed: 'completed',
  cancelled: 'cancelled',
};

const anOrder: Record<Status, string> = {
  planned: 'A planned order',
  released: 'A released order',
  in_progress: 'An order in progress',
  completed: 'A completed order',
  cancelled: 'A cancelled order',
};

export const isFinalStatus = (status: Status) => nextStatuses[status].length === 0;

/** A closed order (completed or cancelled) refuses every change, its status included. */
const closedOrder = (status: Status) => {
  const message = `${anOrder[status]} is closed; it no longer changes`;
  return new DomainError('conflict', message, { status: message });
};

export function checkTransition(from: Status, to: Status) {
  if (isFinalStatus(from)) throw closedOrder(from);
  if (from === to || nextStatuses[from].includes(to)) return;
  const allowed = nextStatuses[from].map((s) => statusWords[s]).join(' or ');
  const message = `${anOrder[from]} can become ${allowed}, not ${statusWords[to]}`;
  throw new DomainError('conflict', message, { status: message });
}

const o = tables.productionOrders;

const orderColumns = {
  id: o.id,
  plantId: o.plantId,
  plantCode: tables.plants.code,
  number: o.number,
  productId: o.productId,
  productCode: tables.products.code,
  productName: tables.products.name,
  lineId: o.lineId,
  lineCode: tables.lines.code,
  quantity: o.quantity,
  status: o.status,
  dueAt: o.dueAt,
  plannedStart: o.plannedStart,
  plannedEnd: o.plannedEnd,
  note: o.note,
  bomId: o.bomId,
  backflush: o.backflush,
  lineSideLocationId: o.lineSideLocationId,
  createdAt: o.createdAt,
  updatedAt: o.updatedAt,
};

/** Quantities are numeric in the database (kilograms as well as pieces); the API speaks numbers. */
/** An order as the API returns it: quantity as a number, and the statuses it may move to next (forms offer those). */
const withQuantity = <T extends { quantity: string; status: Status }>(
  row: T,
): Omit<T, 'quantity'> & { quantity: number; nextStatuses: readonly Status[] } => ({
  ...row,
  quantity: Number(row.quantity),
  nextStatuses: nextStatuses[row.status],
});

function selectOrders(tx: Sql) {
  return tx
    .select(orderColumns)
    .from(o)
    .innerJoin(tables.plants, and(eq(tables.plants.tenantId, o.tenantId), eq(tables.plants.id, o.plantId)))
    .innerJoin(
      tables.products,
      and(eq(tables.products.tenantId, o.tenantId), eq(tables.products.id, o.productId)),
    )
    .leftJoin(tables.lines, and(eq(tables.lines.tenantId, o.tenantId), eq(tables.lines.id, o.lineId)));
}

export interface OrderFilter {
  plantId?: string | undefined;
  status?: readonly Status[] | undefined;
  productId?: string | undefined;
  lineId?: string | undefined;
  /** Orders due in [dueFrom, dueTo). */
  dueFrom?: Date | undefined;
  dueTo?: Date | undefined;
  limit: number;
  /** The id of the last order of the previous page. */
  cursor?: string | undefined;
}

/**
 * Orders, newest first, one page at a time. The cursor is the last order's id, compared by
 * (created_at, id) in the database, so the page boundary keeps created_at's microseconds.
 */
export async function listProductionOrders(tx: Sql, input: OrderFilter) {
  const conditions: (SQL | undefined)[] = [];
  if (input.plantId !== undefined) conditions.push(eq(o.plantId, input.plantId));
  if (input.status !== undefined && input.status.length > 0)
    conditions.push(inArray(o.status, [...input.status]));
  if (input.productId !== undefined) conditions.push(eq(o.productId, input.productId));
  if (input.lineId !== undefined) conditions.push(eq(o.lineId, input.lineId));
  if (input.dueFrom !== undefined) conditions.push(gte(o.dueAt, input.dueFrom));
  if (input.dueTo !== undefined) conditions.push(lt(o.dueAt, input.dueTo));
  if (input.cursor !== undefined)
    conditions.push(
      sql`(${o.createdAt}, ${o.id}) < (select c.created_at, c.id from ${o} c where c.id = ${input.cursor})`,
    );
  const found = await selectOrders(tx)
    .where(and(...conditions))
    .orderBy(desc(o.createdAt), desc(o.id))
    .limit(input.limit + 1);
  const items = found.slice(0, input.limit).map(withQuantity);
  return { items, nextCursor: found.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

export async function getProductionOrder(tx: Sql, id: string) {
  const [order] = await selectOrders(tx).where(eq(o.id, id));
  if (order === undefined) throw notFound('Production order');
  return withQuantity(order);
}

type Order = Awaited<ReturnType<typeof getProductionOrder>>;

/** An order as the audit trail records it: its product and line by code beside their ids. */
const auditedOrder = (order: Order) => ({
  id: order.id,
  number: order.number,
  productId: order.productId,
  productCode: order.productCode,
  lineId: order.lineId,
  lineCode: order.lineCode,
  quantity: order.quantity,
  dueAt: order.dueAt,
  plannedStart: order.plannedStart,
  plannedEnd: order.plannedEnd,
  note: order.note,
  backflush: order.backflush,
  lineSideLocationId: order.lineSideLocationId,
});

/** Each move of the life cycle is its own action in the audit trail; none leads back to planned. */
const statusVerbs: Record<Status, string> = {
  planned: 'plan',
  released: 'release',
  in_progress: 'start',
  completed: 'complete',
  cancelled: 'cancel',
};

/** A new order's requirements come from its product's BOM (docs/materials.md, "Order materials"). */
async function created(tx: Sql, tenantId: string, id: string) {
  await explodeOrderRequirements(tx, tenantId, id);
  return auditCreatedOrder(tx, await getProductionOrder(tx, id));
}

function auditCreatedOrder(tx: Sql, order: Order) {
  auditCreate(
    tx,
    'production_order',
    { ...auditedOrder(order), status: order.status },
    {
      label: order.number,
      plantId: order.plantId,
    },
  );
  return order;
}

export interface OrderFields {
  productId: string;
  lineId?: string | null | undefined;
  quantity: number;
  dueAt?: Date | null | undefined;
  plannedStart?: Date | null | undefined;
  plannedEnd?: Date | null | undefined;
  note?: string | null | undefined;
  /** Backflush on completion; null follows the BOM (docs/materials.md, "Backflush"). */
  backflush?: boolean | null | undefined;
  lineSideLocationId?: string | null | undefined;
}

function checkPlan(plannedStart: Date | null | undefined, plannedEnd: Date | null | undefined) {
  if (plannedStart != null && plannedEnd != null && plannedEnd <= plannedStart)
    throw new DomainError('invalid', 'The planned end must come after the planned start', {
      plannedEnd: 'Not after the planned start',
    });
}

/*
 * Foreign keys check references without row-level security and include the tenant (and, for the
 * line, the plant), so a product of another tenant or a line of another plant fails here whether or
 * not the caller could see it; the refusal names the field and says nothing about what exists.
 */
const referenceErrors: Record<string, () => DomainError> = {
  production_orders_line_fk: () =>
    new DomainError('invalid', 'The line is not a line of the order’s plant', {
      lineId: 'Not in this plant',
    }),
  production_orders_product_fk: () =>
    new DomainError('not_found', 'Product not found', { productId: 'Not found' }),
  production_orders_line_side_fk: () =>
    new DomainError('invalid', 'The line-side location is not a location of the order’s plant', {
      lineSideLocationId: 'Not in this plant',
    }),
};

/** Runs a write, turning a refused reference into its field's error. */
const withReferences = <T>(work: Promise<T>): Promise<T> => withConstraintErrors(work, referenceErrors);

const takenNumber = () =>
  new DomainError('conflict', 'That order number is already in use', { number: 'Already in use' });

/*
 * A number the sequence hands out may already belong to an order whose number was given by hand.
 * That number is used, so the next one is taken instead; a run of hand-given numbers longer than this
 * means the pattern and the hand-given numbers overlap, which an engineer should resolve.
 */
const MAX_SKIPPED_NUMBERS = 100;

export async function createProductionOrder(
  tx: Sql,
  tenantId: string,
  input: OrderFields & { plantId: string; number?: string | undefined },
) {
  await visiblePlant(tx, input.plantId);
  checkPlan(input.plannedStart, input.plannedEnd);
  const row = {
    tenantId,
    plantId: input.plantId,
    productId: input.productId,
    lineId: input.lineId ?? null,
    quantity: String(input.quantity),
    dueAt: input.dueAt ?? null,
    plannedStart: input.plannedStart ?? null,
    plannedEnd: input.plannedEnd ?? null,
    note: input.note ?? null,
    backflush: input.backflush ?? null,
    lineSideLocationId: input.lineSideLocationId ?? null,
  };
  const insert = (number: string) =>
    withReferences(
      tx
        .insert(o)
        .values({ ...row, number })
        .onConflictDoNothing({ target: [o.tenantId, o.number] })
        .returning({ id: o.id }),
    );
  if (input.number !== undefined) {
    const [inserted] = await insert(input.number);
    if (inserted === undefined) throw takenNumber();
    return created(tx, tenantId, inserted.id);
  }
  for (let attempt = 0; attempt <= MAX_SKIPPED_NUMBERS; attempt++) {
    const number = await takeNumber(tx, {
      tenantId,
      code: 'production_order',
      plantId: input.plantId,
      at: new Date(),
    });
    const [inserted] = await insert(number);
    if (inserted !== undefined) return created(tx, tenantId, inserted.id);
  }
  throw new DomainError(
    'conflict',
    `The next ${MAX_SKIPPED_NUMBERS} order numbers are all in use; give a number or change the numbering pattern`,
    { number: 'Give a number' },
  );
}

export type OrderPatch = Partial<OrderFields> & { status?: Status | undefined };

/** A planned or released order follows its BOM when released or when what it makes, how much or when changes. */
const reExplodes = (before: Order, after: Order) =>
  (after.status === 'planned' || after.status === 'released') &&
  (after.status !== before.status ||
    after.quantity !== before.quantity ||
    after.productId !== before.productId ||
    after.plannedStart?.getTime() !== before.plannedStart?.getTime());

/**
 * Changes an open order; a status change must follow the life cycle (checkTransition). The audit trail
 * gets the change of its fields as `production_order.update` and the move of its status as its own
 * action (`production_order.release`, `.start`, `.complete`, `.cancel`). Completing an order that
 * backflushes consumes its components in the same transaction, or is refused with nothing written.
 */
export async function updateProductionOrder(
  tx: Sql,
  id: string,
  patch: OrderPatch,
  by: Pick<Principal, 'tenantId' | 'userId'>,
) {
  const [locked] = await tx.select({ id: o.id }).from(o).where(eq(o.id, id)).for('update');
  if (locked === undefined) throw notFound('Production order');
  const current = await getProductionOrder(tx, id);
  checkTransition(current.status, patch.status ?? current.status);
  checkPlan(
    patch.plannedStart === undefined ? current.plannedStart : patch.plannedStart,
    patch.plannedEnd === undefined ? current.plannedEnd : patch.plannedEnd,
  );
  const { quantity, ...rest } = patch;
  await withReferences(
    tx
      .update(o)
      .set({
        ...rest,
        ...(quantity === undefined ? {} : { quantity: String(quantity) }),
        updatedAt: sql`now()`,
      })
      .where(eq(o.id, id)),
  );
  const updated = await getProductionOrder(tx, id);
  if (reExplodes(current, updated)) await explodeOrderRequirements(tx, by.tenantId, id);
  if (updated.status === 'completed' && current.status !== 'completed') await backflushOrder(tx, by, id);
  const record = { label: updated.number, plantId: updated.plantId };
  auditUpdate(tx, 'production_order', auditedOrder(current), auditedOrder(updated), record, 'update');
  if (updated.status !== current.status)
    auditUpdate(
      tx,
      'production_order',
      { id, status: current.status },
      { id, status: updated.status },
      record,
      statusVerbs[updated.status],
    );
  return updated;
}
