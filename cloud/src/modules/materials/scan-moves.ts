import { tables } from '@plantline/schema';
import { parseGs1 } from '@plantline/schema/gs1';
import { and, asc, eq, ne } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { canSeePlant, DomainError, notFound, type Scope } from '../../platform/index.js';
import { balancesNow } from './balances.js';
import { materialColumns } from './catalogue.js';
import { readLabel } from './label-reading.js';
import { type LocationLabelReading, readLocationLabel } from './location-labels.js';
import { getLocation, locationColumns } from './locations.js';
import { lotColumns } from './lots.js';
import { type StockCall, transferStock } from './movements.js';
import { lotByBatch, materialByGtin } from './receiving.js';

/*
 * Moving stock by scanning (docs/materials.md, "Moving by scanning"): the operator scans where the
 * stock is, then each lot to move, then where it goes. Every scan is identified on its own — a
 * location by its code or its GS1 location label ((414) the plant's GLN, (254) the code;
 * location-labels.ts), a lot by its GS1 label or its lot code — and the move is one transfer per lot
 * through the ledger, all in one transaction: either every lot moves or none does.
 */

export type ScanIdentity =
  | { kind: 'location'; location: Awaited<ReturnType<typeof getLocation>> }
  | {
      kind: 'stock';
      material: { id: string; code: string; name: string; baseUnit: string; lotTracked: boolean };
      lot: { id: string; lotCode: string; status: tables.LotStatus; expiresOn: string | null } | null;
    };

const refuse = (message: string) => new DomainError('invalid', message, { data: message });
const l = tables.inventoryLocations;
const lot = tables.materialLots;
const m = tables.materials;

/** What a scan at the plant names: one of its locations, or a material's lot. */
export async function identifyScan(
  tx: Sql,
  scope: Scope,
  input: { plantId: string; data: string; now?: Date | undefined },
): Promise<ScanIdentity> {
  if (!canSeePlant(scope, input.plantId)) throw notFound('Plant');
  // Another tenant's plant is hidden by row-level security: not found, as one out of reach.
  const [plant] = await tx
    .select({ id: tables.plants.id, code: tables.plants.code, gln: tables.plants.gln })
    .from(tables.plants)
    .where(eq(tables.plants.id, input.plantId));
  if (plant === undefined) throw notFound('Plant');
  const data = input.data.replace(/[\r\n]+$/, '').trim();
  if (data === '') throw refuse('Nothing was scanned');
  const [location] = await tx
    .select(locationColumns)
    .from(l)
    .where(and(eq(l.plantId, input.plantId), eq(l.code, data)));
  if (location !== undefined) return { kind: 'location', location };
  const now = input.now ?? new Date();
  const parsed = parseGs1(data, { now });
  const label = readLocationLabel(parsed);
  if (label?.ok === true)
    return { kind: 'location', location: await locationByLabel(tx, scope, plant, label) };
  if (parsed.ok) {
    const reading = readLabel(parsed, now);
    if (!reading.ok || reading.content.gtin === null) throw refuse('The label has no GTIN (AI 01)');
    const material = await materialByGtin(tx, reading.content.gtin);
    if (!material.lotTracked) return { kind: 'stock', material, lot: null };
    if (reading.content.batch === null)
      throw refuse(`${material.code} is lot-tracked: scan a label with its batch (AI 10)`);
    const found = await lotByBatch(tx, material, reading.content.batch);
    if (found === null)
      throw refuse(`${material.code} has no lot ${reading.content.batch}: receive it first`);
    return { kind: 'stock', material, lot: found };
  }
  const lots = await tx
    .select({ lot: lotColumns, material: materialColumns })
    .from(lot)
    .innerJoin(m, and(eq(m.tenantId, lot.tenantId), eq(m.id, lot.materialId)))
    .where(eq(lot.lotCode, data))
    .limit(2);
  if (lots.length > 1) throw refuse(`Lot code ${data} is used by several materials: scan its GS1 label`);
  const [only] = lots;
  if (only === undefined) throw refuse(label?.message ?? `${data} is no location of this plant and no lot`);
  return { kind: 'stock', material: only.material, lot: only.lot };
}

/**
 * The location a GS1 location label names: its (414) must be the scanning plant's GLN — a label of
 * another plant is refused naming that plant when the caller may see it — and its (254) a location
 * code of that plant.
 */
async function locationByLabel(
  tx: Sql,
  scope: Scope,
  plant: { id: string; code: string; gln: string | null },
  label: Extract<LocationLabelReading, { ok: true }>,
) {
  if (label.gln !== plant.gln) {
    const owners = await tx
      .select({ id: tables.plants.id, code: tables.plants.code })
      .from(tables.plants)
      .where(and(eq(tables.plants.gln, label.gln), ne(tables.plants.id, plant.id)))
      .orderBy(asc(tables.plants.code));
    const owner = owners.find((p) => canSeePlant(scope, p.id));
    if (owner !== undefined) throw refuse(`This label belongs to plant ${owner.code}, not ${plant.code}`);
    throw refuse(
      plant.gln === null
        ? `Plant ${plant.code} has no GLN to read location labels by: enter it on the plant`
        : `This label belongs to GLN ${label.gln}, not to plant ${plant.code} (GLN ${plant.gln})`,
    );
  }
  const [location] = await tx
    .select(locationColumns)
    .from(l)
    .where(and(eq(l.plantId, plant.id), eq(l.code, label.code)));
  if (location === undefined) throw refuse(`Plant ${plant.code} has no location ${label.code}`);
  return location;
}

export interface ScannedMove {
  fromLocationId: string;
  toLocationId: string;
  /** Each lot (or material without lots) to move; its whole stock at the source unless a quantity is given. */
  items: readonly { materialId: string; lotId: string | null; quantity?: number | undefined }[];
  note?: string | undefined;
}

/** Moves the scanned stock from one location to another: one transfer per item, all or none. */
export async function moveScanned(call: StockCall, input: ScannedMove) {
  const from = await getLocation(call.tx, input.fromLocationId);
  if (input.items.length === 0) throw new DomainError('invalid', 'Scan at least one lot to move');
  const seen = new Set<string>();
  const moved = [];
  for (const item of input.items) {
    const key = `${item.materialId}/${item.lotId ?? ''}`;
    if (seen.has(key)) throw new DomainError('invalid', 'The same lot was scanned twice');
    seen.add(key);
    const quantity = item.quantity ?? (await wholeStock(call.tx, from, item));
    const rows = await transferStock(call, {
      materialId: item.materialId,
      lotId: item.lotId,
      locationId: from.id,
      toLocationId: input.toLocationId,
      quantity,
      note: input.note,
    });
    moved.push(...rows);
  }
  return moved;
}

/** The item's whole stock at the location now, in its base unit; refused when there is none. */
async function wholeStock(
  tx: Sql,
  from: { id: string; code: string },
  item: { materialId: string; lotId: string | null },
): Promise<number> {
  const [balance] = await balancesNow(tx, {
    materialId: item.materialId,
    locationId: from.id,
    ...(item.lotId === null ? {} : { lotId: item.lotId }),
  }).then((found) => found.filter((b) => b.lotId === item.lotId));
  const quantity = balance === undefined ? 0 : Number(balance.quantity);
  if (quantity <= 0) {
    const [material] = await tx.select({ code: m.code }).from(m).where(eq(m.id, item.materialId));
    throw new DomainError('invalid', `No ${material?.code ?? 'stock'} of that lot at ${from.code}`);
  }
  return quantity;
}
