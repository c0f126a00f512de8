import { tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import { DomainError } from '../../platform/index.js';
import { checkCarrier } from './references.js';
import { shipTransferStock } from './stock.js';
import { transferItems } from './transfer-queries.js';
import { shipRefusal } from './transfer-rules.js';
import { lockedFor, moveTransfer, plantNames, type TransferCall } from './transfers.js';

/*
 * The sending plant ships a transfer (docs/logistics.md, "Transfers"): what is packed leaves with its
 * packages, and the receiving plant expects exactly that. Nothing packed ships nothing; items not fully
 * packed leave only when the shipper says so. The goods leave the sending plant's stock into transit
 * in the same transaction (docs/materials.md, "Transfers between plants"); short stock refuses it.
 */

const pk = tables.packages;

export interface Shipping {
  id: string;
  expectedVersion: number;
  carrierId?: string | null | undefined;
  trackingNumber?: string | undefined;
  /** Ship what is packed though some items are not fully packed. */
  partial?: boolean | undefined;
}

/** Picking → in transit: what is packed leaves, with its packages, carrier and tracking number. */
export async function shipTransfer(call: TransferCall, input: Shipping) {
  const { tx } = call;
  const plants = await plantNames(call);
  const current = await lockedFor(call, plants, input, 'ship');
  const items = await transferItems(tx, current.id);
  const refusal = shipRefusal(
    items.map((i) => ({ ...i, packed: i.packedQuantity })),
    input.partial === true,
  );
  if (refusal !== null) throw new DomainError('conflict', refusal, { partial: refusal });
  if (input.carrierId != null && input.carrierId !== current.carrierId)
    await checkCarrier(tx, input.carrierId);
  const shippedAt = new Date();
  await shipTransferStock(call, current, shippedAt);
  await tx
    .update(pk)
    .set({ status: 'shipped', closedAt: sql`coalesce(${pk.closedAt}, now())` })
    .where(eq(pk.transferOrderId, current.id));
  const set: Partial<typeof tables.transferOrders.$inferInsert> = { status: 'in_transit', shippedAt };
  if (input.carrierId !== undefined) set.carrierId = input.carrierId;
  if (input.trackingNumber !== undefined) set.trackingNumber = input.trackingNumber.trim();
  return moveTransfer(call, plants, current, 'ship', set);
}
