import { tables } from '@plantline/schema';
import { and, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';
import { materialOfProduct } from './catalogue.js';
import { createLocation } from './locations.js';
import { createLot } from './lots.js';
import { recordMovement } from './movements.js';

/*
 * Finished goods the demo's shipments leave from (docs/demo.md, "Shipments"): shipping issues what
 * was packed from the plant's stock (docs/materials.md, "Goods issue on shipping"), so the lots the
 * demo packs are made first, into the plant's finished goods store.
 */

const FINISHED_GOODS = { code: 'FG', name: 'Finished goods', kind: 'warehouse' } as const;

/** The plant's finished goods store, made when the plant has none. */
async function finishedGoodsOf(call: { tx: Sql; principal: Principal }, plantId: string) {
  const l = tables.inventoryLocations;
  const [found] = await call.tx
    .select({ id: l.id })
    .from(l)
    .where(and(eq(l.plantId, plantId), eq(l.code, FINISHED_GOODS.code)));
  return found?.id ?? (await createLocation(call.tx, call.principal, { plantId, ...FINISHED_GOODS })).id;
}

/**
 * `quantity` of a product made into its lot `lotCode` (made too, when the product's material has no
 * lot of that code) at the plant's finished goods store, at `time`: a production receipt.
 */
export async function makeDemoLot(
  call: { tx: Sql; principal: Principal },
  input: { plantId: string; productId: string; lotCode: string; quantity: number; time: Date },
) {
  const { tx, principal } = call;
  const material = await materialOfProduct(tx, input.productId);
  const lots = tables.materialLots;
  const [known] = material.lotTracked
    ? await tx
        .select({ id: lots.id })
        .from(lots)
        .where(and(eq(lots.materialId, material.id), eq(lots.lotCode, input.lotCode)))
    : [];
  const lotId = !material.lotTracked
    ? null
    : (known?.id ??
      (
        await createLot(tx, principal, {
          plantId: input.plantId,
          materialId: material.id,
          lotCode: input.lotCode,
          producedAt: input.time,
        })
      ).id);
  await recordMovement(call, {
    kind: 'production',
    materialId: material.id,
    lotId,
    locationId: await finishedGoodsOf(call, input.plantId),
    quantity: input.quantity,
    time: input.time,
  });
}
