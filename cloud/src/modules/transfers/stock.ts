import { tables } from '@plantline/schema';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { receiveTransferGoods, type ShippedGoods, shipTransferGoods } from '../materials/index.js';
import { countedGoods, type PackedContent } from './receiving-rules.js';
import type { Transfer } from './transfer-queries.js';
import type { TransferCall } from './transfers.js';

/*
 * What a transfer's shipping and receiving book in the stock ledger (docs/materials.md, "Transfers
 * between plants"): the goods packed leave the sending plant into transit when it ships, and the
 * goods of each package received move from transit into the receiving plant's stock.
 */

const c = tables.packageContents;
const pk = tables.packages;

/** Everything packed for the transfer, per product and lot. */
async function packedGoods(tx: Sql, transferId: string): Promise<ShippedGoods[]> {
  return tx
    .select({ productId: c.productId, lot: c.lot, quantity: sql<string>`sum(${c.quantity})::text` })
    .from(c)
    .innerJoin(pk, eq(pk.id, c.packageId))
    .where(eq(pk.transferOrderId, transferId))
    .groupBy(c.productId, c.lot)
    .orderBy(asc(c.productId), asc(c.lot));
}

/** The sending plant's stock of what was packed moves into its transit location, at `time`. */
export async function shipTransferStock(call: TransferCall, transfer: Transfer, time: Date) {
  await shipTransferGoods(call, {
    transferId: transfer.id,
    document: transfer.number,
    fromPlantId: transfer.fromPlantId,
    toPlantId: transfer.toPlantId,
    time,
    goods: await packedGoods(call.tx, transfer.id),
  });
}

/**
 * The goods of the packages received move from transit into the receiving plant's stock: what they
 * hold, or, for a damaged package, what was counted of each item (countedGoods).
 */
export async function receiveTransferStock(
  call: TransferCall,
  transfer: Transfer,
  packageIds: readonly string[],
  counted?: ReadonlyMap<string, number>,
) {
  if (packageIds.length === 0) return;
  const contents: PackedContent[] = await call.tx
    .select({
      transferItemId: c.transferItemId,
      productId: c.productId,
      lot: c.lot,
      quantity: sql<string>`${c.quantity}::text`,
    })
    .from(c)
    .where(inArray(c.packageId, [...packageIds]))
    .orderBy(asc(c.packedAt), asc(c.id));
  await receiveTransferGoods(call, {
    transferId: transfer.id,
    document: transfer.number,
    fromPlantId: transfer.fromPlantId,
    toPlantId: transfer.toPlantId,
    time: new Date(),
    goods:
      counted === undefined
        ? contents.map(({ productId, lot, quantity }) => ({ productId, lot, quantity }))
        : countedGoods(contents, counted),
  });
}
