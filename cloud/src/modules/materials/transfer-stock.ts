import { randomUUID } from 'node:crypto';
import { tables } from '@plantline/schema';
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { rows, withPlantsInScope } from '../../db/index.js';
import { auditCreate, DomainError } from '../../platform/index.js';
import {
  keepsStock,
  needsOf,
  plantCode,
  type ResolvedTake,
  recordGoodsAct,
  resolveTakes,
  type ShippedGoods,
  takeShippedGoods,
} from './goods-issue.js';
import {
  allocateGoods,
  fromUnits,
  type GoodsShortage,
  type StockOnHand,
  toUnits,
} from './goods-issue-rules.js';
import type { MovementRow } from './ledger.js';
import { getLocation, type Location, locationColumns } from './locations.js';
import type { StockCall } from './movements.js';

/*
 * The stock of a transfer between two plants (docs/materials.md, "Transfers between plants"). Shipping
 * takes what was packed from the sending plant's stock by the goods issue's rule and puts it in the
 * sending plant's transit location, as one act whose group is the transfer's id; each receipt takes
 * what arrived out of transit into the receiving plant's receiving location, in the same lots. What
 * never arrives stays in transit, where the sending plant sees it.
 */

export interface TransferGoods {
  /** The transfer order: the shipping act's group, so a receipt finds what went into transit. */
  transferId: string;
  /** The transfer's number: the rows' notes and the audit entries' label. */
  document: string;
  fromPlantId: string;
  toPlantId: string;
  time: Date;
  goods: readonly ShippedGoods[];
}

const loc = tables.inventoryLocations;
const b = tables.inventoryBalances;
const mv = tables.inventoryMovements;
const lots = tables.materialLots;

/** The code of the location made when a plant needs one of `kind` and has none active. */
const STANDING = { transit: 'TRANSIT', receiving: 'RECEIVING' } as const;
const NAMES = { transit: 'In transit', receiving: 'Receiving' } as const;

/**
 * The plant's active location of `kind`, the first by code; when it has none, one made with the fixed
 * code (audited as any new location). A code already taken by another location is refused: the plant
 * decides what that location is. It inserts itself rather than calling createLocation: a taken code
 * is found by `on conflict do nothing`, which leaves the transaction usable, where createLocation's
 * unique violation would abort it on PostgreSQL under a caller that catches the refusal.
 */
async function standingLocation(call: StockCall, plantId: string, kind: keyof typeof STANDING) {
  const { tx } = call;
  const [found] = await tx
    .select({ id: loc.id })
    .from(loc)
    .where(and(eq(loc.plantId, plantId), eq(loc.kind, kind), eq(loc.isActive, true)))
    .orderBy(asc(loc.code))
    .limit(1);
  if (found !== undefined) return getLocation(tx, found.id);
  const code = STANDING[kind];
  const [made] = await tx
    .insert(loc)
    .values({ tenantId: call.principal.tenantId, plantId, code, name: NAMES[kind], kind })
    .onConflictDoNothing()
    .returning(locationColumns);
  if (made === undefined)
    throw new DomainError(
      'invalid',
      `Plant ${await plantCode(call, plantId)} has no active ${kind} location and its code ${code} is taken: activate a ${kind} location or add one`,
    );
  auditCreate(tx, 'inventory_location', made, { label: made.code, plantId });
  return made;
}

/** The takes summed per material and lot: what one location receives of them. */
function intoOne(takes: readonly ResolvedTake[], location: Location): MovementRow[] {
  const byStock = new Map<string, MovementRow>();
  for (const take of takes) {
    const key = `${take.material.id}/${take.lot?.id ?? ''}`;
    const known = byStock.get(key);
    if (known === undefined)
      byStock.set(key, {
        kind: 'transfer_in',
        material: take.material,
        lot: take.lot,
        location,
        quantity: take.quantity,
      });
    else known.quantity = fromUnits(toUnits(known.quantity) + toUnits(take.quantity));
  }
  return [...byStock.values()];
}

/**
 * Ships a transfer's goods: `transfer_out` from each location they leave (chosen and refused as a
 * customer shipment's goods issue), `transfer_in` into the sending plant's transit location, one act
 * grouped under the transfer's id and audited `inventory_movement.transfer_ship`. Nothing when nothing
 * was packed or the sending plant keeps no stock.
 */
export async function shipTransferGoods(call: StockCall, input: TransferGoods) {
  const takes = await takeShippedGoods(call, {
    plantId: input.fromPlantId,
    document: input.document,
    goods: input.goods,
  });
  if (takes.length === 0) return [];
  const transit = await standingLocation(call, input.fromPlantId, 'transit');
  const out: MovementRow[] = takes.map((t) => ({ ...t, kind: 'transfer_out', quantity: `-${t.quantity}` }));
  return recordGoodsAct(
    call,
    {
      action: 'transfer_ship',
      plantId: input.fromPlantId,
      document: input.document,
      time: input.time,
      note: `Shipped on ${input.document}`,
      groupId: input.transferId,
    },
    [...out, ...intoOne(takes, transit)],
  );
}

/**
 * What the transfer's shipping put in transit, per material and lot, as balances of its transit
 * location locked in the ledger's order; every lot of the transfer may serve a content packed without
 * one, whatever its status (the ledger's rules still apply when it moves).
 */
async function inTransit(call: StockCall, transferId: string) {
  const put = await call.tx
    .selectDistinct({ locationId: mv.locationId, materialId: mv.materialId, lotId: mv.lotId })
    .from(mv)
    .where(and(eq(mv.groupId, transferId), eq(mv.kind, 'transfer_in')));
  const first = put[0];
  if (first === undefined) return null;
  const lotIds = put.flatMap((p) => (p.lotId === null ? [] : [p.lotId]));
  const stock = await rows<StockOnHand>(
    call.tx,
    sql`select ${b.materialId} as "materialId", ${b.lotId} as "lotId", true as "lotReleased",
               ${lots.expiresOn}::text as "lotExpiresOn", ${lots.createdAt}::text as "lotCreatedAt",
               ${lots.lotCode} as "lotCode", ${b.locationId} as "locationId", ${loc.code} as "locationCode",
               false as "atShipping", ${b.quantity}::text as quantity
          from ${b}
          join ${loc} on ${loc.id} = ${b.locationId}
          left join ${lots} on ${lots.id} = ${b.lotId}
         where ${b.locationId} = ${first.locationId}::uuid
           and ${inArray(b.materialId, [...new Set(put.map((p) => p.materialId))])}
           and ${or(isNull(b.lotId), lotIds.length === 0 ? sql`false` : inArray(b.lotId, lotIds))}
           and ${b.quantity} > 0
         order by ${b.materialId}, ${b.lotId} nulls first, ${b.locationId}
           for update of ${b}`,
  );
  return { locationId: first.locationId, stock };
}

/** "Lot L-123 of BRK-100: 4 in transit at TRANSIT, 6 received". */
function transitShortage({ need, inStock }: GoodsShortage, at: string) {
  const what = need.lotCode === null ? need.code : `Lot ${need.lotCode} of ${need.code}`;
  return `${what}: ${inStock} in transit at ${at}, ${need.quantity} received`;
}

/**
 * Receives goods of a transfer: `transfer_out` of the transit location its shipping filled, in the
 * lots it shipped (a content packed without a lot takes them earliest expiry first, as shipping did),
 * and `transfer_in` into the receiving plant's receiving location; one act audited
 * `inventory_movement.transfer_receive` with the receiving plant. A receiving plant that keeps no
 * stock takes the goods out of transit only: they leave the ledger there. Nothing when the shipping
 * booked nothing; refused, writing nothing, when transit holds less than arrived.
 */
export async function receiveTransferGoods(call: StockCall, input: TransferGoods) {
  const goods = input.goods.filter((g) => Number(g.quantity) > 0);
  if (goods.length === 0) return [];
  // The receiving plant's user takes the goods out of the sending plant's transit: the transfer's
  // side rules let them receive it, so the act may reach that plant's stock (and only for the act).
  return withPlantsInScope(call.tx, [input.fromPlantId], () => receiveInScope(call, input, goods));
}

async function receiveInScope(call: StockCall, input: TransferGoods, goods: readonly ShippedGoods[]) {
  const transit = await inTransit(call, input.transferId);
  if (transit === null) return [];
  const { needs, materials } = await needsOf(call, goods);
  const { takes, shortages } = allocateGoods(needs, transit.stock, []);
  if (shortages.length > 0) {
    const from = await getLocation(call.tx, transit.locationId);
    const list = shortages.map((s) => transitShortage(s, from.code));
    throw new DomainError(
      'invalid',
      `${input.document} cannot be received: not in transit. ${list.join('; ')}`,
      {
        shortages: list.join('\n'),
      },
    );
  }
  const resolved = await resolveTakes(call, takes, materials);
  const out: MovementRow[] = resolved.map((t) => ({
    ...t,
    kind: 'transfer_out',
    quantity: `-${t.quantity}`,
  }));
  const into = (await keepsStock(call, input.toPlantId))
    ? intoOne(resolved, await standingLocation(call, input.toPlantId, 'receiving'))
    : [];
  return recordGoodsAct(
    call,
    {
      action: 'transfer_receive',
      plantId: input.toPlantId,
      document: input.document,
      time: input.time,
      note: `Received on ${input.document}`,
      groupId: randomUUID(),
    },
    [...out, ...into],
  );
}
