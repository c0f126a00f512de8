import { randomUUID } from 'node:crypto';
import { tables } from '@plantline/schema';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { rows } from '../../db/index.js';
import { audit, DomainError, notFound } from '../../platform/index.js';
import { type Material, materialOfProduct, toBaseQuantity } from './catalogue.js';
import {
  allocateGoods,
  fromUnits,
  type GoodsNeed,
  type GoodsTake,
  type NegativeLocation,
  type StockOnHand,
  shortageSentence,
  toUnits,
} from './goods-issue-rules.js';
import { type MovementRow, writeMovements } from './ledger.js';
import { getLocation, type Location } from './locations.js';
import { getLot, type Lot } from './lots.js';
import type { StockCall } from './movements.js';

/*
 * The goods issue of a shipment (docs/materials.md, "Goods issue on shipping"): what was packed leaves
 * the shipping plant's stock as one act of the ledger, in the transaction that ships it. The balances
 * it may take from are locked before they are read, so two shipments racing for the last stock take
 * turns and the second sees what the first left; a shortage refuses the whole act.
 */

/** What left, as packing recorded it: a product, the lot packed (if any), in the product's unit. */
export interface ShippedGoods {
  productId: string;
  lot: string | null;
  quantity: string;
}

export interface GoodsIssue {
  plantId: string;
  /** The shipment's number: the note of every row and the audit entry's label. */
  document: string;
  time: Date;
  goods: readonly ShippedGoods[];
}

const b = tables.inventoryBalances;
const loc = tables.inventoryLocations;
const lots = tables.materialLots;

/** The needs, one per material and lot, in the material's base unit. */
export async function needsOf(call: StockCall, goods: readonly ShippedGoods[]) {
  const { tx } = call;
  const p = tables.products;
  const products = new Map(
    (
      await tx
        .select({ id: p.id, unit: p.unit })
        .from(p)
        .where(inArray(p.id, [...new Set(goods.map((g) => g.productId))]))
    ).map((x) => [x.id, x]),
  );
  const materials = new Map<string, Material>();
  const needs = new Map<string, GoodsNeed>();
  for (const item of goods) {
    const product = products.get(item.productId);
    if (product === undefined) throw notFound('Product');
    const material = materials.get(item.productId) ?? (await materialOfProduct(tx, item.productId));
    materials.set(item.productId, material);
    // A lot on the label of a material that is not lot-tracked stays on the package only.
    const lotCode = material.lotTracked ? item.lot || null : null;
    const base = await toBaseQuantity(tx, material, item.quantity, product.unit);
    const key = `${material.id}/${lotCode ?? ''}`;
    const known = needs.get(key);
    if (known !== undefined) {
      known.quantity = fromUnits(toUnits(known.quantity) + toUnits(base));
      continue;
    }
    const [lot] =
      lotCode === null
        ? []
        : await tx
            .select({ id: lots.id })
            .from(lots)
            .where(and(eq(lots.materialId, material.id), eq(lots.lotCode, lotCode)));
    needs.set(key, {
      materialId: material.id,
      code: material.code,
      lotTracked: material.lotTracked,
      lotCode,
      lotId: lot?.id ?? null,
      quantity: base,
    });
  }
  return { needs: [...needs.values()], materials: [...materials.values()] };
}

/**
 * The plant's positive balances of `materialIds` at its active locations, not in transit (goods on
 * their way to another plant are no longer at hand; docs/materials.md, "Transfers between plants"), locked in one statement
 * before anything is chosen, in the order every act of the ledger locks (material, lot, location;
 * ledger.ts), so this act and another cannot each hold what the other waits for.
 */
async function stockOnHand(call: StockCall, plantId: string, materialIds: readonly string[]) {
  return rows<StockOnHand>(
    call.tx,
    sql`select ${b.materialId} as "materialId", ${b.lotId} as "lotId",
               coalesce(${lots.status} = 'released', false) as "lotReleased",
               ${lots.expiresOn}::text as "lotExpiresOn", ${lots.createdAt}::text as "lotCreatedAt",
               ${lots.lotCode} as "lotCode", ${b.locationId} as "locationId", ${loc.code} as "locationCode",
               ${loc.kind} = 'shipping' as "atShipping", ${b.quantity}::text as quantity
          from ${b}
          join ${loc} on ${loc.id} = ${b.locationId}
          left join ${lots} on ${lots.id} = ${b.lotId}
         where ${b.plantId} = ${plantId}::uuid and ${inArray(b.materialId, [...materialIds])}
           and ${loc.isActive} and ${loc.kind} <> 'transit' and ${b.quantity} > 0
         order by ${b.materialId}, ${b.lotId} nulls first, ${b.locationId}
           for update of ${b}`,
  );
}

async function negativeLocations(call: StockCall, plantId: string): Promise<NegativeLocation[]> {
  return call.tx
    .select({
      locationId: loc.id,
      locationCode: loc.code,
      atShipping: sql<boolean>`${loc.kind} = 'shipping'`,
    })
    .from(loc)
    .where(
      and(
        eq(loc.plantId, plantId),
        eq(loc.isActive, true),
        eq(loc.allowNegative, true),
        ne(loc.kind, 'transit'),
      ),
    );
}

export async function plantCode(call: StockCall, plantId: string) {
  const [plant] = await call.tx
    .select({ code: tables.plants.code })
    .from(tables.plants)
    .where(eq(tables.plants.id, plantId));
  if (plant === undefined) throw notFound('Plant');
  return plant.code;
}

/** Whether the plant keeps stock in Plantline: it has an inventory location, active or not. */
export async function keepsStock(call: StockCall, plantId: string): Promise<boolean> {
  const [any] = await call.tx.select({ id: loc.id }).from(loc).where(eq(loc.plantId, plantId)).limit(1);
  return any !== undefined;
}

/** One take resolved for the ledger: a positive quantity leaving `location`. */
export interface ResolvedTake {
  material: Material;
  lot: Lot | null;
  location: Location;
  quantity: string;
}

/**
 * Where the goods leave the plant's stock, by the allocation of goods-issue-rules.ts, with every
 * balance it may take locked first; or a refusal naming every shortage, `${document} cannot ship: …`.
 * None when nothing was packed or the plant keeps no stock.
 */
export async function takeShippedGoods(
  call: StockCall,
  input: Pick<GoodsIssue, 'plantId' | 'document' | 'goods'>,
): Promise<ResolvedTake[]> {
  const goods = input.goods.filter((g) => Number(g.quantity) > 0);
  if (goods.length === 0 || !(await keepsStock(call, input.plantId))) return [];
  const { needs, materials } = await needsOf(call, goods);
  const stock = await stockOnHand(
    call,
    input.plantId,
    materials.map((m) => m.id),
  );
  const { takes, shortages } = allocateGoods(needs, stock, await negativeLocations(call, input.plantId));
  if (shortages.length > 0) {
    const code = await plantCode(call, input.plantId);
    const list = shortages.map((s) => shortageSentence(s, code));
    throw new DomainError('invalid', `${input.document} cannot ship: not enough stock. ${list.join('; ')}`, {
      shortages: list.join('\n'),
    });
  }
  return resolveTakes(call, takes, materials);
}

/** The takes with their material, lot and location read once each, as the ledger writes them. */
export async function resolveTakes(
  call: StockCall,
  takes: readonly GoodsTake[],
  materials: readonly Material[],
): Promise<ResolvedTake[]> {
  const lotCache = new Map<string, Lot>();
  const locationCache = new Map<string, Location>();
  const resolved: ResolvedTake[] = [];
  for (const take of takes) {
    const material = materials.find((m) => m.id === take.materialId)!;
    let lot: Lot | null = null;
    if (take.lotId !== null) {
      lot = lotCache.get(take.lotId) ?? (await getLot(call.tx, take.lotId));
      lotCache.set(take.lotId, lot);
    }
    const location = locationCache.get(take.locationId) ?? (await getLocation(call.tx, take.locationId));
    locationCache.set(take.locationId, location);
    resolved.push({ material, lot, location, quantity: take.quantity });
  }
  return resolved;
}

/**
 * Writes one act of goods moving for a document and its one audit entry, recorded with `plantId`
 * (the plant whose people did it), labelled with the document.
 */
export async function recordGoodsAct(
  call: StockCall,
  act: { action: string; plantId: string; document: string; time: Date; note: string; groupId: string },
  movementRows: readonly MovementRow[],
) {
  const written = await writeMovements(call.tx, call.principal, {
    time: act.time,
    rows: movementRows,
    groupId: act.groupId,
    note: act.note,
  });
  const first = written[0]!;
  audit(call.tx, {
    action: `inventory_movement.${act.action}`,
    entityType: 'inventory_movement',
    entityId: first.id,
    entityLabel: act.document,
    plantId: act.plantId,
    before: null,
    after: {
      time: act.time.toISOString(),
      groupId: act.groupId,
      note: act.note,
      rows: written.map((w) => ({
        kind: w.kind,
        materialId: w.materialId,
        lotId: w.lotId,
        locationId: w.locationId,
        quantity: w.quantity,
      })),
    },
  });
  return written;
}

/**
 * Issues the shipped goods from the plant's stock as one act (kind `issue`, one group, one audit
 * entry `inventory_movement.goods_issue`), or refuses with every shortage and writes nothing.
 * Returns the rows written; none when nothing was packed, or when the plant keeps no stock in
 * Plantline (no inventory location: logistics without inventory, as before stock was kept).
 */
export async function issueShippedGoods(call: StockCall, input: GoodsIssue) {
  const takes = await takeShippedGoods(call, input);
  if (takes.length === 0) return [];
  return recordGoodsAct(
    call,
    {
      action: 'goods_issue',
      plantId: input.plantId,
      document: input.document,
      time: input.time,
      note: `Shipped on ${input.document}`,
      groupId: randomUUID(),
    },
    takes.map((t) => ({ ...t, kind: 'issue' as const, quantity: `-${t.quantity}` })),
  );
}
