import type { tables } from '@plantline/schema';
import type { ApiClient } from './api.js';

/*
 * Stock of a product for tests that ship it: shipping issues what was packed from the plant's stock
 * (docs/materials.md, "Goods issue on shipping"). Received through the API by a tenant's
 * administrator into a location of the plant, made when the plant has none of that code (a shipping
 * dock unless told otherwise), and into the named lot, made too, which makes the product lot-tracked.
 */

export interface ProductStock {
  plantId: string;
  productId: string;
  quantity: number;
  lot?: string | undefined;
  /** The location's code; `DOCK` by default. */
  location?: string | undefined;
  kind?: tables.LocationKind | undefined;
  allowNegative?: boolean | undefined;
}

export interface Stocked {
  materialId: string;
  lotId: string | null;
  locationId: string;
}

/** The finished material of a product. */
export async function materialOf(client: ApiClient, productId: string) {
  const found = (await client.trpc.materials.list.query({ kind: 'finished' })).find(
    (m) => m.productId === productId,
  );
  if (found === undefined) throw new Error(`No material for product ${productId}`);
  return found;
}

export async function stockProduct(client: ApiClient, input: ProductStock): Promise<Stocked> {
  const { materials, inventory } = client.trpc;
  const material = await materialOf(client, input.productId);
  const code = input.location ?? 'DOCK';
  const locations = await materials.locations.list.query({ plantId: input.plantId });
  const locationId =
    locations.find((l) => l.code === code)?.id ??
    (
      await materials.locations.create.mutate({
        plantId: input.plantId,
        code,
        name: code,
        kind: input.kind ?? 'shipping',
        allowNegative: input.allowNegative ?? false,
      })
    ).id;
  let lotId: string | null = null;
  if (input.lot !== undefined) {
    if (!material.lotTracked) await materials.update.mutate({ id: material.id, patch: { lotTracked: true } });
    const lots = await materials.lots.list.query({ materialId: material.id, limit: 200 });
    lotId =
      lots.find((l) => l.lotCode === input.lot)?.id ??
      (
        await materials.lots.create.mutate({
          plantId: input.plantId,
          materialId: material.id,
          lotCode: input.lot,
        })
      ).id;
  }
  if (input.quantity > 0)
    await inventory.receive.mutate({ materialId: material.id, lotId, locationId, quantity: input.quantity });
  return { materialId: material.id, lotId, locationId };
}
