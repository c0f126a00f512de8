import { randomUUID } from 'node:crypto';
import { tables } from '@plantline/schema';
import { asc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, DomainError, notFound, type Principal } from '../../platform/index.js';
import { getMaterial, type Material, toBaseQuantity } from './catalogue.js';
import { type MovementAct, type MovementRow, writeMovements } from './ledger.js';
import { getLocation } from './locations.js';
import { getLot } from './lots.js';
import { directionOf } from './stock-rules.js';

/*
 * The acts that move stock (docs/materials.md, "Moving stock"): a receipt or production output into
 * a location, an issue, consumption or scrap out of one, a transfer between two locations of a plant
 * (two rows in one group), an adjustment either way, and the reversal of an earlier act. Each is one
 * audited entry; quantities arrive in any unit with a conversion and are written in the base unit.
 */

export interface StockCall {
  tx: Sql;
  principal: Pick<Principal, 'tenantId' | 'userId'>;
}

interface Stock {
  materialId: string;
  lotId?: string | null | undefined;
  locationId: string;
}

interface Timing {
  time?: Date | undefined;
  note?: string | undefined;
  productionOrderId?: string | null | undefined;
  orderCode?: string | null | undefined;
}

async function resolve(tx: Sql, stock: Stock) {
  const material = await getMaterial(tx, stock.materialId);
  const lot = stock.lotId == null ? null : await getLot(tx, stock.lotId);
  const location = await getLocation(tx, stock.locationId);
  return { material, lot, location };
}

const negate = (quantity: string) => (quantity.startsWith('-') ? quantity.slice(1) : `-${quantity}`);

/** The act written and recorded in the audit trail as one entry about its first row. */
async function record(call: StockCall, action: string, act: MovementAct, label: string) {
  const written = await writeMovements(call.tx, call.principal, act);
  const first = written[0];
  if (first === undefined) throw new DomainError('invalid', 'Nothing to move');
  audit(call.tx, {
    action: `inventory_movement.${action}`,
    entityType: 'inventory_movement',
    entityId: first.id,
    entityLabel: label,
    plantId: first.plantId,
    before: null,
    after: {
      time: act.time.toISOString(),
      groupId: act.groupId ?? null,
      rows: written.map((w) => ({
        kind: w.kind,
        locationId: w.locationId,
        lotId: w.lotId,
        quantity: w.quantity,
      })),
      note: act.note ?? '',
    },
  });
  return written;
}

const labelOf = (material: Pick<Material, 'code'>, lot: { lotCode: string } | null) =>
  lot === null ? material.code : `${material.code} ${lot.lotCode}`;

export type OneWayKind = 'receipt' | 'production' | 'issue' | 'consumption' | 'scrap';

/** Stock into (receipt, production) or out of (issue, consumption, scrap) one location. */
export async function recordMovement(
  call: StockCall,
  input: Stock & Timing & { kind: OneWayKind; quantity: number; unit?: string | undefined },
) {
  const { material, lot, location } = await resolve(call.tx, input);
  const base = await toBaseQuantity(call.tx, material, input.quantity, input.unit);
  const quantity = directionOf(input.kind) < 0 ? negate(base) : base;
  return record(
    call,
    input.kind,
    {
      ...input,
      time: input.time ?? new Date(),
      rows: [{ kind: input.kind, material, lot, location, quantity }],
    },
    labelOf(material, lot),
  );
}

/** A counted correction, either way, with the reason the trail keeps. */
export async function adjustStock(
  call: StockCall,
  input: Stock & Timing & { quantity: number; unit?: string | undefined; note: string },
) {
  const { material, lot, location } = await resolve(call.tx, input);
  const magnitude = await toBaseQuantity(call.tx, material, Math.abs(input.quantity), input.unit);
  const quantity = input.quantity < 0 ? negate(magnitude) : magnitude;
  return record(
    call,
    'adjustment',
    {
      ...input,
      time: input.time ?? new Date(),
      rows: [{ kind: 'adjustment', material, lot, location, quantity }],
    },
    labelOf(material, lot),
  );
}

/** Stock from one location to another of the same plant: two rows, one group. */
export async function transferStock(
  call: StockCall,
  input: Stock & Timing & { toLocationId: string; quantity: number; unit?: string | undefined },
) {
  const { material, lot, location: from } = await resolve(call.tx, input);
  const to = await getLocation(call.tx, input.toLocationId);
  if (to.id === from.id)
    throw new DomainError('invalid', 'Choose two different locations', {
      toLocationId: 'Same as the source',
    });
  if (to.plantId !== from.plantId)
    throw new DomainError(
      'invalid',
      'A transfer stays within one plant; between plants use a transfer order',
      {
        toLocationId: 'Another plant',
      },
    );
  const quantity = await toBaseQuantity(call.tx, material, input.quantity, input.unit);
  const rows: MovementRow[] = [
    { kind: 'transfer_out', material, lot, location: from, quantity: negate(quantity) },
    { kind: 'transfer_in', material, lot, location: to, quantity },
  ];
  return record(
    call,
    'transfer',
    { ...input, time: input.time ?? new Date(), groupId: randomUUID(), rows },
    labelOf(material, lot),
  );
}

const mv = tables.inventoryMovements;

/**
 * Undoes an act: every row of the movement's group (or the movement alone) gets a reversal naming
 * it, dated like the row it undoes so past balances read as if it had not happened. A row is reversed
 * at most once (inventory_movements_reverses_key), and a reversal is not itself reversed.
 */
export async function reverseMovement(call: StockCall, input: { movementId: string; note: string }) {
  const { tx } = call;
  const [target] = await tx.select().from(mv).where(eq(mv.id, input.movementId));
  if (target === undefined) throw notFound('Movement');
  if (target.kind === 'reversal')
    throw new DomainError('invalid', 'A reversal cannot be reversed; record the movement again');
  const originals =
    target.groupId === null
      ? [target]
      : await tx.select().from(mv).where(eq(mv.groupId, target.groupId)).orderBy(asc(mv.quantity));
  const [done] = await tx.select({ id: mv.id }).from(mv).where(eq(mv.reversesId, target.id));
  if (done !== undefined) throw new DomainError('conflict', 'This movement is already reversed');
  const rows: MovementRow[] = [];
  for (const original of originals) {
    const { material, lot, location } = await resolve(tx, original);
    rows.push({
      kind: 'reversal',
      material,
      lot,
      location,
      quantity: negate(original.quantity),
      reversesId: original.id,
    });
  }
  const material = rows[0]?.material;
  const act = {
    time: target.time,
    groupId: originals.length > 1 ? randomUUID() : null,
    rows,
    note: input.note,
    productionOrderId: target.productionOrderId,
    orderCode: target.orderCode,
  };
  return record(call, 'reverse', act, material === undefined ? '' : labelOf(material, rows[0]?.lot ?? null));
}
