import { randomUUID } from 'node:crypto';
import { tables } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows } from '../../db/index.js';
import { audit, DomainError, type Principal } from '../../platform/index.js';
import { getMaterial, type Material, toBaseQuantity } from './catalogue.js';
import { type MovementRow, writeMovements } from './ledger.js';
import { getLocation, type Location } from './locations.js';
import { createLot, getLot, type Lot, setLotStatus } from './lots.js';
import type { StockCall } from './movements.js';

/** The acts create lots, which asks which plants the caller reaches. */
type ActCall = StockCall & { principal: Pick<Principal, 'tenantId' | 'userId' | 'plantIds'> };

/*
 * Acts that make new lots out of existing ones and keep their genealogy (docs/materials.md, "Split,
 * merge and rework"): each consumes its parent lots and produces its child lots at one location, as
 * one movement group, and writes an edge per parent and child with that group. Reversing the group
 * (inventory.reverse) gives the stock back and takes the edges away (the ledger's genealogy trigger).
 */

interface ActTiming {
  time?: Date | undefined;
  note?: string | undefined;
}

interface NewLot {
  lotCode: string;
  quantity: number;
}

interface Edge {
  parent: Lot;
  child: Lot;
  quantity: string;
}

const negate = (quantity: string) => `-${quantity}`;

/** The sum of decimal strings, exactly (the database's numeric). */
async function sumOf(call: ActCall, quantities: readonly string[]): Promise<string> {
  const [row] = await rows<{ total: string }>(
    call.tx,
    sql`select trim_scale(sum(q))::text as total from unnest(${sql.param(quantities)}::numeric[]) q`,
  );
  return row?.total ?? '0';
}

/** A new lot of `material` made at `location`'s plant, carrying over what the parents knew of it. */
async function childLot(
  call: ActCall,
  material: Material,
  location: Location,
  lotCode: string,
  from: Lot[],
  time: Date,
) {
  const expiries = from
    .map((l) => l.expiresOn)
    .filter((e): e is string => e !== null)
    .sort();
  const single = from.length === 1 ? from[0] : undefined;
  return createLot(call.tx, call.principal, {
    plantId: location.plantId,
    materialId: material.id,
    lotCode,
    // The earliest expiry of what went in: a merged lot is no fresher than its oldest part.
    expiresOn: material.id === from[0]?.materialId ? (expiries[0] ?? null) : null,
    supplier: single?.materialId === material.id ? single.supplier : null,
    supplierLot: single?.materialId === material.id ? single.supplierLot : null,
    producedAt: time,
    status: from.some((l) => l.status !== 'released') ? 'quarantine' : 'released',
  });
}

/**
 * The parent as the ledger checks it here: a held lot (quarantined or blocked) may be split, merged
 * or reworked — the hold passes to what is made of it (holdChildren) — though it may not be used.
 */
const asSource = (lot: Lot): Lot => (lot.status === 'consumed' ? lot : { ...lot, status: 'released' });

/** A blocked parent's split or merge children are blocked too, with the audit saying why. */
async function holdChildren(call: ActCall, parents: readonly Lot[], children: readonly Lot[]) {
  const blocked = parents.find((p) => p.status === 'blocked');
  if (blocked === undefined) return;
  for (const child of children)
    await setLotStatus(call.tx, {
      id: child.id,
      status: 'blocked',
      reason: `Made from blocked lot ${blocked.lotCode}`,
    });
}

/** Writes the act's movements and edges, with one audit entry naming parents and children. */
async function recordAct(
  call: ActCall,
  act: 'split' | 'merge' | 'rework',
  input: ActTiming & { location: Location; rows: MovementRow[]; edges: Edge[] },
) {
  const time = input.time ?? new Date();
  const groupId = randomUUID();
  const written = await writeMovements(call.tx, call.principal, {
    time,
    groupId,
    rows: input.rows,
    note: input.note,
  });
  const producedRow = new Map(written.filter((w) => w.quantity[0] !== '-').map((w) => [w.lotId, w.id]));
  const edges = input.edges.map((e) => ({
    tenantId: call.principal.tenantId,
    plantId: input.location.plantId,
    parentLotId: e.parent.id,
    childLotId: e.child.id,
    kind: act,
    quantity: e.quantity,
    groupId,
    movementId: producedRow.get(e.child.id) ?? '',
  }));
  await call.tx.insert(tables.lotGenealogy).values(edges);
  const first = written[0];
  audit(call.tx, {
    action: `inventory_movement.${act}`,
    entityType: 'inventory_movement',
    entityId: first?.id ?? groupId,
    entityLabel: input.edges.map((e) => `${e.parent.lotCode} → ${e.child.lotCode}`).join(', '),
    plantId: input.location.plantId,
    before: null,
    after: {
      time: time.toISOString(),
      groupId,
      rows: written.map((w) => ({
        kind: w.kind,
        locationId: w.locationId,
        lotId: w.lotId,
        quantity: w.quantity,
      })),
      edges: input.edges.map((e) => ({
        parentLotId: e.parent.id,
        childLotId: e.child.id,
        quantity: e.quantity,
      })),
      note: input.note ?? '',
    },
  });
  return { groupId, movements: written, lots: [...new Set(input.edges.map((e) => e.child))] };
}

function distinctCodes(codes: readonly string[], field: string) {
  const seen = new Set<string>();
  for (const code of codes) {
    if (seen.has(code))
      throw new DomainError('invalid', `Lot ${code} is named twice`, { [field]: 'Named twice' });
    seen.add(code);
  }
}

/** One lot into several new lots of the same material, at one location. */
export async function splitLot(
  call: ActCall,
  input: ActTiming & {
    lotId: string;
    locationId: string;
    parts: readonly NewLot[];
    unit?: string | undefined;
  },
) {
  if (input.parts.length < 2)
    throw new DomainError('invalid', 'A split makes at least two lots', { parts: 'At least two' });
  distinctCodes(
    input.parts.map((p) => p.lotCode),
    'parts',
  );
  const parent = await getLot(call.tx, input.lotId);
  const material = await getMaterial(call.tx, parent.materialId);
  const location = await getLocation(call.tx, input.locationId);
  const time = input.time ?? new Date();
  const quantities: string[] = [];
  for (const part of input.parts)
    quantities.push(await toBaseQuantity(call.tx, material, part.quantity, input.unit));
  const children = [];
  for (const part of input.parts)
    children.push(await childLot(call, material, location, part.lotCode, [parent], time));
  const rows: MovementRow[] = [
    {
      kind: 'consumption',
      material,
      lot: asSource(parent),
      location,
      quantity: negate(await sumOf(call, quantities)),
    },
    ...children.map((child, i) => ({
      kind: 'production' as const,
      material,
      lot: child,
      location,
      quantity: quantities[i] ?? '0',
    })),
  ];
  const edges = children.map((child, i) => ({ parent, child, quantity: quantities[i] ?? '0' }));
  const done = await recordAct(call, 'split', { ...input, time, location, rows, edges });
  await holdChildren(call, [parent], children);
  return done;
}

/** Several lots of one material into one new lot, at one location. */
export async function mergeLots(
  call: ActCall,
  input: ActTiming & {
    parts: readonly { lotId: string; quantity: number }[];
    lotCode: string;
    locationId: string;
    unit?: string | undefined;
  },
) {
  if (input.parts.length < 2)
    throw new DomainError('invalid', 'A merge takes at least two lots', { parts: 'At least two' });
  distinctCodes(
    input.parts.map((p) => p.lotId),
    'parts',
  );
  const parents = [];
  for (const part of input.parts) parents.push(await getLot(call.tx, part.lotId));
  const materialId = parents[0]?.materialId ?? '';
  const other = parents.find((p) => p.materialId !== materialId);
  if (other !== undefined)
    throw new DomainError(
      'invalid',
      `Lot ${other.lotCode} is another material's; merge lots of one material`,
      {
        parts: 'Another material',
      },
    );
  const material = await getMaterial(call.tx, materialId);
  const location = await getLocation(call.tx, input.locationId);
  const time = input.time ?? new Date();
  const quantities: string[] = [];
  for (const part of input.parts)
    quantities.push(await toBaseQuantity(call.tx, material, part.quantity, input.unit));
  const child = await childLot(call, material, location, input.lotCode, parents, time);
  const rows: MovementRow[] = [
    ...parents.map((lot, i) => ({
      kind: 'consumption' as const,
      material,
      lot: asSource(lot),
      location,
      quantity: negate(quantities[i] ?? '0'),
    })),
    { kind: 'production', material, lot: child, location, quantity: await sumOf(call, quantities) },
  ];
  const edges = parents.map((parent, i) => ({ parent, child, quantity: quantities[i] ?? '0' }));
  const done = await recordAct(call, 'merge', { ...input, time, location, rows, edges });
  await holdChildren(call, parents, [child]);
  return done;
}

/**
 * A lot reworked into a new lot, of the same material or another (a regrade), at one location: the
 * quantity taken in the parent's unit and the quantity made in the child's (the same when omitted).
 * Rework is what a held lot is released through: its new lot starts in quarantine, to be inspected.
 */
export async function reworkLot(
  call: ActCall,
  input: ActTiming & {
    lotId: string;
    locationId: string;
    quantity: number;
    lotCode: string;
    materialId?: string | undefined;
    outputQuantity?: number | undefined;
    note: string;
  },
) {
  const parent = await getLot(call.tx, input.lotId);
  const from = await getMaterial(call.tx, parent.materialId);
  const into = input.materialId === undefined ? from : await getMaterial(call.tx, input.materialId);
  if (into.id !== from.id && input.outputQuantity === undefined)
    throw new DomainError('invalid', `Say how much ${into.code} the rework makes`, {
      outputQuantity: 'Required',
    });
  const location = await getLocation(call.tx, input.locationId);
  const time = input.time ?? new Date();
  const taken = await toBaseQuantity(call.tx, from, input.quantity, undefined);
  const made = await toBaseQuantity(call.tx, into, input.outputQuantity ?? input.quantity, undefined);
  const child = await childLot(call, into, location, input.lotCode, [parent], time);
  const rows: MovementRow[] = [
    { kind: 'consumption', material: from, lot: asSource(parent), location, quantity: negate(taken) },
    { kind: 'production', material: into, lot: child, location, quantity: made },
  ];
  return recordAct(call, 'rework', {
    ...input,
    time,
    location,
    rows,
    edges: [{ parent, child, quantity: taken }],
  });
}
