import { tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  audit,
  auditCreate,
  auditUpdate,
  DomainError,
  notFound,
  type Principal,
} from '../../platform/index.js';
import { takeNumber, withCustomValues } from '../config/index.js';
import { isOpenStatus, requestStatusFor, staleVersionMessage } from './customer-rules.js';
import { activeCustomer, activeProduct, lastChange, shipToOf, visiblePlant } from './references.js';
import { cancellationOf, type DeliveryRequest, findRequest, promiseHistory } from './request-queries.js';

/*
 * Delivery requests (docs/logistics.md, "Customers and delivery requests"): one line a customer
 * ordered, shipped by one plant and numbered from its `delivery_request` scheme. The requested date
 * never changes — OTD "to request" measures against it — so a new date is a promise (promises.ts).
 * A request is edited against the version its editor saw while it still has something to ship;
 * once part of it has shipped, its customer and product stay, and its quantity stays at least what
 * has shipped. Its status follows shipping (request-status.ts).
 */

/** What request work needs of a procedure's context. */
export interface RequestCall {
  tx: Sql;
  principal: Principal;
}

const r = tables.deliveryRequests;

/** A request as the audit trail records it: what it points at by code beside the ids. */
export const auditedRequest = (request: DeliveryRequest) => ({
  id: request.id,
  customerId: request.customerId,
  customerCode: request.customerCode,
  shipToId: request.shipToId,
  shipToLabel: request.shipToLabel,
  customerPo: request.customerPo,
  productId: request.productId,
  productCode: request.productCode,
  quantity: request.quantity,
  requestedDate: request.requestedDate,
  status: request.status,
  note: request.note,
});

export const requestRecord = (request: DeliveryRequest) => ({
  label: request.number,
  plantId: request.plantId,
});

async function writeCustom(
  call: RequestCall,
  id: string,
  creating: boolean,
  custom: Record<string, unknown> | undefined,
) {
  const save = withCustomValues({ entityType: 'delivery_request', creating }, async () => ({ id }));
  return (await save({ ctx: call, input: { custom } })).custom;
}

export interface NewRequest {
  plantId: string;
  customerId: string;
  /** The customer's default address when left out. */
  shipToId?: string | undefined;
  productId: string;
  quantity: number;
  requestedDate: string;
  customerPo?: string | undefined;
  note?: string | undefined;
  custom?: Record<string, unknown> | undefined;
}

/*
 * The scheme's pattern carries the plant and the year, so a number is taken at most once; a number
 * already used means an engineer changed the pattern back to one used before. The next is tried then,
 * up to this many.
 */
const MAX_SKIPPED_NUMBERS = 100;

/** Records a customer's request for a plant the caller reaches, numbered from the plant's scheme. */
export async function createRequest(call: RequestCall, input: NewRequest) {
  const { tx, principal } = call;
  const plant = await visiblePlant(tx, input.plantId);
  await activeCustomer(tx, input.customerId);
  const shipToId = await shipToOf(tx, input.customerId, input.shipToId);
  await activeProduct(tx, input.productId);
  const row = {
    tenantId: principal.tenantId,
    plantId: plant.id,
    customerId: input.customerId,
    shipToId,
    productId: input.productId,
    quantity: String(input.quantity),
    requestedDate: input.requestedDate,
    customerPo: input.customerPo ?? '',
    note: input.note ?? '',
    createdBy: principal.userId,
  };
  let id: string | undefined;
  for (let attempt = 0; id === undefined && attempt <= MAX_SKIPPED_NUMBERS; attempt++) {
    const number = await takeNumber(tx, {
      tenantId: principal.tenantId,
      code: 'delivery_request',
      plantId: plant.id,
      at: new Date(),
    });
    const [created] = await tx
      .insert(r)
      .values({ ...row, number })
      .onConflictDoNothing({ target: [r.tenantId, r.number] })
      .returning({ id: r.id });
    id = created?.id;
  }
  if (id === undefined)
    throw new DomainError(
      'conflict',
      `The next ${MAX_SKIPPED_NUMBERS} delivery request numbers are all in use; an engineer should change the numbering pattern`,
    );
  const request = await findRequest(tx, id);
  auditCreate(tx, 'delivery_request', auditedRequest(request), requestRecord(request));
  const custom = await writeCustom(call, id, true, input.custom);
  return { ...request, custom };
}

/** Locks the request for the rest of the transaction and reads it: changes of one request queue up. */
export async function lockRequest(tx: Sql, id: string): Promise<DeliveryRequest> {
  const [locked] = await tx.select({ id: r.id }).from(r).where(eq(r.id, id)).for('update');
  if (locked === undefined) throw notFound('Delivery request');
  return findRequest(tx, id);
}

/** Refuses a change of a request that has nothing left to ship. */
export function checkOpen(request: DeliveryRequest) {
  if (!isOpenStatus(request.status))
    throw new DomainError('conflict', `${request.number} is ${request.status}; it no longer changes`);
}

async function checkVersion(tx: Sql, request: DeliveryRequest, expectedVersion: number) {
  if (request.version !== expectedVersion)
    throw new DomainError(
      'conflict',
      staleVersionMessage(request.number, await lastChange(tx, 'delivery_request', request.id)),
      { expectedVersion: 'Changed since you opened it' },
    );
}

export interface RequestPatch {
  customerId?: string | undefined;
  shipToId?: string | undefined;
  productId?: string | undefined;
  quantity?: number | undefined;
  customerPo?: string | undefined;
  note?: string | undefined;
}

const shippedAlready = (field: string) =>
  new DomainError('invalid', 'Part of the request has shipped: its customer and product stay as they are', {
    [field]: 'Part of it has shipped',
  });

/** The request's values after `patch`, each reference checked when it changes. */
async function patchedValues(tx: Sql, current: DeliveryRequest, patch: RequestPatch) {
  const shipped = current.shippedQuantity > 0;
  const customerId = patch.customerId ?? current.customerId;
  const customerChanged = customerId !== current.customerId;
  if (customerChanged) {
    if (shipped) throw shippedAlready('customerId');
    await activeCustomer(tx, customerId);
  }
  const shipToChanged = patch.shipToId !== undefined && patch.shipToId !== current.shipToId;
  // A new customer ships to the address named, else to its default.
  const shipToId =
    customerChanged || shipToChanged ? await shipToOf(tx, customerId, patch.shipToId) : current.shipToId;
  const productId = patch.productId ?? current.productId;
  if (productId !== current.productId) {
    if (shipped) throw shippedAlready('productId');
    await activeProduct(tx, productId);
  }
  const quantity = patch.quantity ?? current.quantity;
  if (quantity < current.shippedQuantity)
    throw new DomainError('invalid', `${current.shippedQuantity} of ${current.number} have shipped already`, {
      quantity: `At least the ${current.shippedQuantity} shipped`,
    });
  return {
    customerId,
    shipToId,
    productId,
    quantity,
    customerPo: patch.customerPo ?? current.customerPo,
    note: patch.note ?? current.note,
  };
}

/**
 * Changes a request that still has something to ship, if the editor saw its current version. Only
 * what differs is written and audited; any change moves the version on. A quantity lowered to what
 * has shipped makes the request shipped.
 */
export async function updateRequest(
  call: RequestCall,
  input: {
    id: string;
    expectedVersion: number;
    patch?: RequestPatch | undefined;
    custom?: Record<string, unknown> | undefined;
  },
) {
  const { tx } = call;
  const current = await lockRequest(tx, input.id);
  await checkVersion(tx, current, input.expectedVersion);
  checkOpen(current);
  const next = await patchedValues(tx, current, input.patch ?? {});
  const changed = (Object.keys(next) as (keyof typeof next)[]).some((key) => next[key] !== current[key]);
  if (!changed && Object.keys(input.custom ?? {}).length === 0) {
    auditUpdate(
      tx,
      'delivery_request',
      auditedRequest(current),
      auditedRequest(current),
      requestRecord(current),
    );
    return { ...current, custom: {} };
  }
  await tx
    .update(r)
    .set({
      ...next,
      quantity: String(next.quantity),
      status: requestStatusFor(current.status, next.quantity, current.shippedQuantity),
      version: sql`${r.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(r.id, current.id));
  const updated = await findRequest(tx, current.id);
  auditUpdate(
    tx,
    'delivery_request',
    auditedRequest(current),
    auditedRequest(updated),
    requestRecord(updated),
  );
  const custom = await writeCustom(call, current.id, false, input.custom);
  return { ...updated, custom };
}

/**
 * Cancels a request nothing of which has shipped, keeping the reason with it (and in the audit
 * trail). A request partly shipped is closed by lowering its quantity to what has shipped instead.
 */
export async function cancelRequest(tx: Sql, input: { id: string; expectedVersion: number; reason: string }) {
  const current = await lockRequest(tx, input.id);
  await checkVersion(tx, current, input.expectedVersion);
  checkOpen(current);
  if (current.status !== 'open')
    throw new DomainError(
      'conflict',
      `Part of ${current.number} has shipped: lower its quantity to the ${current.shippedQuantity} shipped instead`,
    );
  await tx
    .update(r)
    .set({
      status: 'cancelled',
      cancelReason: input.reason.trim(),
      version: sql`${r.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(r.id, current.id));
  const updated = await findRequest(tx, current.id);
  audit(tx, {
    action: 'delivery_request.cancel',
    entityType: 'delivery_request',
    entityId: current.id,
    entityLabel: current.number,
    plantId: current.plantId,
    before: { status: current.status, cancelReason: current.cancelReason },
    after: { status: updated.status, cancelReason: updated.cancelReason },
    reason: input.reason.trim(),
  });
  return updated;
}

/** The record page's request: its fields, its promises, why it was cancelled, whether it still changes. */
export async function getRequest(tx: Sql, id: string) {
  const request = await findRequest(tx, id);
  const promises = await promiseHistory(tx, request);
  return {
    ...request,
    promises,
    firstPromise: promises[0] ?? null,
    latestPromise: promises.at(-1) ?? null,
    cancellation: await cancellationOf(tx, request),
    editable: isOpenStatus(request.status),
  };
}
