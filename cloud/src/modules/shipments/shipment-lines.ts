import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { activeProducts } from './references.js';
import { requestsToShip } from './request-status.js';

/*
 * A shipment's lines (docs/logistics.md, "Shipments"): what is left of open delivery requests of its
 * customer, plant and ship-to, or products named by hand with an optional required lot.
 */

export interface RequestLine {
  requestId: string;
  /** Defaults to what is left of the request. */
  quantity?: number | undefined;
}

export interface ProductLine {
  productId: string;
  quantity: number;
  lot?: string | null | undefined;
}

/** An item row to insert, before it has its shipment and line number. */
export interface NewItem {
  productId: string;
  deliveryRequestId: string | null;
  lot: string | null;
  quantity: number;
}

export interface Consignment {
  plantId: string;
  customerId: string;
  shipToId: string;
  /** The shipment whose own lines are left out of "already on a shipment" (an edit). */
  shipmentId: string | null;
}

const onRequests = (message: string, problem: string) =>
  new DomainError('invalid', message, { requests: problem });

/**
 * The items for requests and product lines. A request must be of the shipment's plant, customer and
 * address, still open, and have something left to ship; the customer PO the requests share comes
 * back for a shipment that names none.
 */
export async function linesFor(
  tx: Sql,
  to: Consignment,
  requests: readonly RequestLine[],
  products: readonly ProductLine[],
): Promise<{ items: NewItem[]; customerPo: string | null }> {
  const ids = requests.map((r) => r.requestId);
  if (new Set(ids).size !== ids.length) throw onRequests('A request is named twice', 'Named twice');
  const found = await requestsToShip(tx, ids, { except: to.shipmentId, lock: true });
  const items: NewItem[] = [];
  for (const line of requests) {
    const request = found.find((r) => r.id === line.requestId);
    if (request === undefined)
      throw new DomainError('not_found', 'Delivery request not found', { requests: 'Not found' });
    const refusal = requestRefusal(request, to);
    if (refusal !== null)
      throw onRequests(
        `${request.number} cannot go on this shipment: ${refusal}`,
        `${request.number}: ${refusal}`,
      );
    const quantity = line.quantity ?? request.open;
    if (quantity > request.open)
      throw onRequests(
        `Only ${request.open} of ${request.number} is left to ship`,
        `${request.number}: at most ${request.open}`,
      );
    items.push({ productId: request.productId, deliveryRequestId: request.id, lot: null, quantity });
  }
  await activeProducts(
    tx,
    products.map((p) => p.productId),
  );
  for (const line of products)
    items.push({
      productId: line.productId,
      deliveryRequestId: null,
      lot: line.lot?.trim() || null,
      quantity: line.quantity,
    });
  const pos = [...new Set(found.map((r) => r.customerPo).filter((po) => po !== ''))];
  return { items, customerPo: pos.length === 1 ? (pos[0] ?? null) : null };
}

function requestRefusal(
  request: Awaited<ReturnType<typeof requestsToShip>>[number],
  to: Consignment,
): string | null {
  if (request.plantId !== to.plantId) return 'it is shipped from another plant';
  if (request.customerId !== to.customerId) return 'it is another customer’s';
  if (request.shipToId !== to.shipToId) return 'it goes to another address';
  if (request.status === 'cancelled' || request.status === 'shipped') return `it is ${request.status}`;
  if (request.open <= 0) return 'it is already on other shipments';
  return null;
}
