import { allPermissions, tables } from '@plantline/schema';
import { asc } from 'drizzle-orm';
import type { Database } from '../../db/index.js';
import type { EventBus, Principal } from '../../platform/index.js';
import {
  createTransfer,
  openTransferPackage,
  recordTransferScan,
  shipTransfer,
  type TransferCall,
} from '../transfers/index.js';
import { finishedLots } from './demo-dispatch.js';

/*
 * The demo's transfer (docs/demo.md, "Transfers"): one pallet on its way from the first
 * demo plant to the second, so the transfers list, a record page and the receiving station have
 * something to show from the first start. It is packed by scan and shipped under the SSCC prefix the
 * demo shipments set (demo-shipments.ts), which therefore run first, from the lots the first plant's
 * completed orders made, so their trace reaches the second plant. Shipping takes the pallet's goods out
 * of the first plant's finished goods into its transit location (docs/materials.md, "Transfers between
 * plants").
 */

const DEMO_LINES = [
  { product: 'BRK-100', quantity: 12 },
  { product: 'HSG-310', quantity: 6 },
] as const;

/** Plans, packs and ships one transfer between the first two demo plants in the administrator's name. */
export async function seedDemoTransfers(
  db: Database,
  deps: { bus: EventBus },
  demo: { tenantId: string; adminUserId: string; plantIds: readonly string[] },
): Promise<string | null> {
  const [fromPlantId, toPlantId] = demo.plantIds;
  if (fromPlantId === undefined || toPlantId === undefined) return null;
  const principal: Principal = {
    kind: 'user',
    tenantId: demo.tenantId,
    userId: demo.adminUserId,
    apiKeyId: null,
    sessionId: null,
    permissions: new Set(allPermissions),
    plantIds: 'all',
  };
  const effects: (() => void)[] = [];
  const number = await db.ownerTransact(
    { tenantId: demo.tenantId, plantIds: 'all', userId: demo.adminUserId },
    async (tx) => {
      const call: TransferCall = { tx, principal, afterCommit: (effect) => effects.push(effect), deps };
      const p = tables.products;
      const products = await tx.select({ id: p.id, code: p.code, gtin: p.gtin }).from(p).orderBy(asc(p.code));
      const lines = DEMO_LINES.flatMap((line) => {
        const product = products.find((x) => x.code === line.product);
        return product?.gtin == null ? [] : [{ ...line, productId: product.id, gtin: product.gtin }];
      });
      if (lines.length === 0) return null;
      // The pallet carries the first plant's completed orders' lots where it has them (demo-dispatch.ts).
      const lots = await finishedLots(tx, fromPlantId);
      const transfer = await createTransfer(call, {
        fromPlantId,
        toPlantId,
        items: lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
        note: 'Stock for the second plant’s line',
      });
      const pallet = await openTransferPackage(call, { transferOrderId: transfer.id, kind: 'pallet' });
      let version = transfer.version;
      for (const line of lines)
        ({ version } = await recordTransferScan(call, {
          transferOrderId: transfer.id,
          mode: 'pack',
          packageId: pallet.id,
          data: `(01)${line.gtin}(10)${lots.get(line.product)?.lotCode ?? 'DEMO-LOT-2'}(30)${line.quantity}`,
          source: 'browser',
        }));
      await shipTransfer(call, { id: transfer.id, expectedVersion: version, trackingNumber: 'DEMO-TRUCK-7' });
      return transfer.number;
    },
  );
  for (const effect of effects) effect();
  return number;
}
