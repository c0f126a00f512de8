import { tables } from '@plantline/schema';
import { parseGs1 } from '@plantline/schema/gs1';
import { and, eq, ne, or } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate, canSeePlant, DomainError, notFound, type Principal } from '../../platform/index.js';
import { materialColumns, toBaseQuantity, unitByCode } from './catalogue.js';
import { isExpired, type LabelContent, readLabel } from './label-reading.js';
import { getLocation } from './locations.js';
import { lotColumns } from './lots.js';
import { recordMovement, type StockCall } from './movements.js';

/*
 * Receiving by scanning a supplier's GS1 label (docs/materials.md, "Receiving by scanning"). The GTIN
 * finds the material; the batch finds the lot — by its code or its supplier lot — or creates it with
 * the batch kept as the supplier lot; the expiry and the quantity fill the receipt. A label that
 * cannot be trusted is refused before anything is written: an unknown GTIN, an expired lot, a batch
 * Plantline knows as another material's lot (a mislabelled pallet), no quantity to receive.
 */

export interface ScanReceipt {
  locationId: string;
  /** What the scanner typed or the camera read. */
  data: string;
  /** Overrides the label's quantity (receiving part of a pallet); required when the label has none. */
  quantity?: number | undefined;
  unit?: string | undefined;
  /** The supplier's name, kept on a new lot. */
  supplier?: string | undefined;
  /** Put a new lot in quarantine until inspected instead of releasing it. */
  quarantine?: boolean | undefined;
  note?: string | undefined;
  /** The time the scan is read against (expiry, YYMMDD century); now unless given. */
  now?: Date | undefined;
}

const refuse = (message: string, field = 'data') => new DomainError('invalid', message, { [field]: message });

const m = tables.materials;
const lot = tables.materialLots;

/** The plant's calendar day at `now`, as an ISO date: a lot expires at the end of its day there. */
export async function plantToday(tx: Sql, plantId: string, now: Date): Promise<string> {
  const [plant] = await tx
    .select({ timezone: tables.plants.timezone })
    .from(tables.plants)
    .where(eq(tables.plants.id, plantId));
  return new Intl.DateTimeFormat('en-CA', { timeZone: plant?.timezone ?? 'UTC' }).format(now);
}

/** The material a GTIN names, or a refusal naming the GTIN. */
export async function materialByGtin(tx: Sql, gtin: string) {
  const [material] = await tx.select(materialColumns).from(m).where(eq(m.gtin, gtin));
  if (material === undefined) throw refuse(`No material has GTIN ${gtin}`);
  if (!material.isActive) throw refuse(`${material.code} (GTIN ${gtin}) is inactive`);
  return material;
}

const batchMatches = (batch: string) => or(eq(lot.lotCode, batch), eq(lot.supplierLot, batch));

/** The material's lot with this batch (its code or supplier lot), or null; refused if it is another's. */
export async function lotByBatch(tx: Sql, material: { id: string; code: string }, batch: string) {
  const [own] = await tx
    .select(lotColumns)
    .from(lot)
    .where(and(eq(lot.materialId, material.id), batchMatches(batch)))
    .orderBy(lot.createdAt)
    .limit(1);
  if (own !== undefined) return own;
  const [other] = await tx
    .select({ code: m.code })
    .from(lot)
    .innerJoin(m, and(eq(m.tenantId, lot.tenantId), eq(m.id, lot.materialId)))
    .where(and(ne(lot.materialId, material.id), batchMatches(batch)))
    .limit(1);
  if (other !== undefined)
    throw refuse(`Lot ${batch} is a lot of ${other.code}, not of ${material.code}: check the label`);
  return null;
}

/**
 * The lot a receipt of a new batch goes to, created once: two receipts of the same new batch at
 * once both find one lot, since the second waits on the first's unique code and then reads it.
 */
async function createOrFindLot(
  call: StockCall,
  material: { id: string; code: string },
  fields: {
    plantId: string;
    batch: string;
    expiresOn: string | null;
    supplier: string | null;
    quarantine: boolean;
  },
) {
  const [created] = await call.tx
    .insert(lot)
    .values({
      tenantId: call.principal.tenantId,
      plantId: fields.plantId,
      materialId: material.id,
      lotCode: fields.batch,
      supplierLot: fields.batch,
      supplier: fields.supplier,
      expiresOn: fields.expiresOn,
      status: fields.quarantine ? 'quarantine' : 'released',
    })
    .onConflictDoNothing()
    .returning(lotColumns);
  if (created !== undefined) {
    auditCreate(call.tx, 'material_lot', created, {
      label: `${material.code} ${created.lotCode}`,
      plantId: created.plantId,
    });
    return { lot: created, created: true };
  }
  const found = await lotByBatch(call.tx, material, fields.batch);
  if (found === null) throw notFound('Lot');
  return { lot: found, created: false };
}

/** How much to receive, in a unit toBaseQuantity takes: typed first, else what the label states. */
async function receiptQuantity(
  tx: Sql,
  material: { code: string; baseUnit: string },
  label: LabelContent,
  input: Pick<ScanReceipt, 'quantity' | 'unit'>,
) {
  if (input.quantity !== undefined) return { quantity: input.quantity, unit: input.unit };
  if (label.quantity === null)
    throw refuse('The label states no quantity (AI 30, 37 or 310n): enter it', 'quantity');
  if (label.quantity.value <= 0) throw refuse('The label states a quantity of zero', 'quantity');
  if (label.quantity.unit === 'kg') return { quantity: label.quantity.value, unit: 'kg' };
  const base = await unitByCode(tx, material.baseUnit);
  if (base.dimension !== 'count')
    throw refuse(
      `The label counts items (AI ${label.quantity.ai}) but ${material.code} is kept in ${material.baseUnit}: enter the quantity`,
      'quantity',
    );
  return { quantity: label.quantity.value, unit: undefined };
}

/** Reads the label, finds or creates the lot and receives the stock into the location. */
export async function receiveByScan(call: StockCall & { principal: Principal }, input: ScanReceipt) {
  const { tx, principal } = call;
  const now = input.now ?? new Date();
  const location = await getLocation(tx, input.locationId);
  if (!canSeePlant(principal, location.plantId)) throw notFound('Location');
  const reading = readLabel(parseGs1(input.data, { now }), now);
  if (!reading.ok) throw refuse(reading.message);
  const label = reading.content;
  if (label.gtin === null) throw refuse('The label has no GTIN (AI 01): it does not say what it is');
  const material = await materialByGtin(tx, label.gtin);
  const today = await plantToday(tx, location.plantId, now);
  if (isExpired(label.expiresOn, today)) throw refuse(`${material.code} expired on ${label.expiresOn}`);
  let found: { lot: Awaited<ReturnType<typeof lotByBatch>>; created: boolean } = {
    lot: null,
    created: false,
  };
  if (material.lotTracked) {
    if (label.batch === null) throw refuse(`${material.code} is lot-tracked: the label has no batch (AI 10)`);
    const existing = await lotByBatch(tx, material, label.batch);
    found =
      existing !== null
        ? { lot: existing, created: false }
        : await createOrFindLot(call, material, {
            plantId: location.plantId,
            batch: label.batch,
            expiresOn: label.expiresOn ?? defaultExpiry(material.shelfLifeDays, now),
            supplier: input.supplier ?? null,
            quarantine: input.quarantine === true,
          });
    if (isExpired(found.lot?.expiresOn ?? null, today))
      throw refuse(`Lot ${found.lot?.lotCode} of ${material.code} expired on ${found.lot?.expiresOn}`);
  }
  const { quantity, unit } = await receiptQuantity(tx, material, label, input);
  const movements = await recordMovement(call, {
    kind: 'receipt',
    materialId: material.id,
    lotId: found.lot?.id ?? null,
    locationId: location.id,
    quantity,
    unit,
    note: input.note,
  });
  return {
    material: { id: material.id, code: material.code, name: material.name, baseUnit: material.baseUnit },
    lot: found.lot,
    lotCreated: found.created,
    location: { id: location.id, code: location.code },
    quantity: movements[0]?.quantity ?? (await toBaseQuantity(tx, material, quantity, unit)),
    movementId: movements[0]?.id ?? null,
    label,
  };
}

function defaultExpiry(shelfLifeDays: number | null, from: Date) {
  if (shelfLifeDays === null) return null;
  return new Date(from.getTime() + shelfLifeDays * 86_400_000).toISOString().slice(0, 10);
}
