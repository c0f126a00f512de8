import { tables } from '@plantline/schema';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditUpdate } from '../../platform/index.js';
import { type RequestStatus, requestStatusFor } from './customer-rules.js';
import { shippedOf } from './request-queries.js';

/*
 * A delivery request's status follows what has left for it (docs/logistics.md, "Customers and
 * delivery requests"): open until something ships, partially shipped, then shipped once the packed
 * quantities of its items in shipped or delivered shipments reach its quantity. Shipping calls this
 * in the transaction that ships, delivers or takes back a shipment, with the requests its items
 * deliver.
 */

const r = tables.deliveryRequests;

/**
 * Brings the status of each request in `requestIds` in line with what has shipped for it, auditing
 * each change and moving its version on (an editor who saw the old status must reload). Requests
 * the caller cannot see are left out; cancelled ones stay cancelled. Answers every request's status
 * and shipped quantity, changed or not.
 */
export async function refreshRequestStatus(tx: Sql, requestIds: readonly string[]) {
  const ids = [...new Set(requestIds)];
  if (ids.length === 0) return [];
  // Locked in one order, so two shipments of the same requests cannot deadlock each other.
  await tx.select({ id: r.id }).from(r).where(inArray(r.id, ids)).orderBy(asc(r.id)).for('update');
  const found = await tx
    .select({
      id: r.id,
      number: r.number,
      plantId: r.plantId,
      quantity: r.quantity,
      status: r.status,
      shipped: sql<string>`${shippedOf('"delivery_requests"')}::text`,
    })
    .from(r)
    .where(inArray(r.id, ids))
    .orderBy(asc(r.id));
  const refreshed: { id: string; status: RequestStatus; quantity: number; shippedQuantity: number }[] = [];
  for (const request of found) {
    const quantity = Number(request.quantity);
    const shippedQuantity = Number(request.shipped);
    const status = requestStatusFor(request.status, quantity, shippedQuantity);
    if (status !== request.status) {
      await tx
        .update(r)
        .set({ status, version: sql`${r.version} + 1`, updatedAt: sql`now()` })
        .where(eq(r.id, request.id));
      auditUpdate(
        tx,
        'delivery_request',
        { id: request.id, status: request.status },
        { id: request.id, status },
        { label: request.number, plantId: request.plantId },
      );
    }
    refreshed.push({ id: request.id, status, quantity, shippedQuantity });
  }
  return refreshed;
}
