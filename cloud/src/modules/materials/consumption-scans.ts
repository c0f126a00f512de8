import { type StationAnswer, tables } from '@plantline/schema';
import { parseGs1 } from '@plantline/schema/gs1';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { balancesNow } from './balances.js';
import { materialColumns, unitByCode } from './catalogue.js';
import { isExpired, type LabelQuantity, readLabel } from './label-reading.js';
import { locationColumns } from './locations.js';
import { lotColumns } from './lots.js';
import { recordMovement, type StockCall } from './movements.js';
import { plannedMaterials } from './order-materials.js';
import { lotByBatch, plantToday } from './receiving.js';
import { consumeRefusal } from './stock-rules.js';

/*
 * Consuming at a machine (docs/materials.md, "Consuming at a machine"): a plant scanner's event with
 * `action: consume` takes the scanned lot out of the machine's line-side location (the production
 * location of its line) against the order in progress on that line, through the ledger. The operator
 * gets an answer at the station, as packing gives one; every such scan is recorded in
 * consumption_scans with its result, so a refused one stays where an engineer can see it. An event
 * sent again is answered from that record and never consumed twice.
 */

/** A consume scan as ingest stored it. */
export interface ConsumeScan {
  eventId: string;
  plantId: string;
  /** Null when the machine is not in master data yet (the event is held, nothing is consumed). */
  machineId: string | null;
  station: string;
  data: string;
  /** When it was scanned (ISO 8601). */
  time: string;
  fresh: boolean;
}

type Result = tables.ConsumptionScanResult;

interface Outcome {
  result: Result;
  message: string;
  order?: { id: string; number: string } | undefined;
  materialId?: string | undefined;
  lotId?: string | null | undefined;
  locationId?: string | undefined;
  quantity?: string | undefined;
  movementId?: string | undefined;
  detail?: Record<string, unknown> | undefined;
}

class Refusal extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.message);
  }
}

const refused = (result: Result, message: string, more: Partial<Outcome> = {}) =>
  new Refusal({ ...more, result, message });

const cs = tables.consumptionScans;

/** Answers each consume scan by its position in `scans`: consumed, or refused and recorded. */
export async function consumeAtMachines(
  call: StockCall,
  scans: readonly ConsumeScan[],
): Promise<Map<number, StationAnswer>> {
  const answers = new Map<number, StationAnswer>();
  const resent = scans.filter((s) => !s.fresh).map((s) => s.eventId);
  const recorded =
    resent.length === 0
      ? []
      : await call.tx
          .select({
            eventId: cs.scanEventId,
            result: cs.result,
            message: cs.message,
            station: cs.station,
            order: cs.orderNumber,
          })
          .from(cs)
          .where(inArray(cs.scanEventId, resent));
  const byEvent = new Map(recorded.map((r) => [r.eventId, r]));
  for (const [position, scan] of scans.entries()) {
    if (!scan.fresh) {
      const before = byEvent.get(scan.eventId);
      if (before !== undefined)
        answers.set(position, answerOf(before.station, before.result, before.message, before.order));
      continue;
    }
    if (scan.machineId === null) continue;
    const outcome = await consumeOne(call, { ...scan, machineId: scan.machineId }).catch((error: unknown) => {
      if (error instanceof Refusal) return error.outcome;
      if (error instanceof DomainError) return { result: 'wrong_lot' as const, message: error.message };
      throw error;
    });
    await call.tx.insert(cs).values({
      tenantId: call.principal.tenantId,
      plantId: scan.plantId,
      machineId: scan.machineId,
      scanEventId: scan.eventId,
      station: scan.station,
      data: scan.data,
      result: outcome.result,
      message: outcome.message,
      productionOrderId: outcome.order?.id ?? null,
      orderNumber: outcome.order?.number ?? null,
      materialId: outcome.materialId ?? null,
      lotId: outcome.materialId === undefined ? null : (outcome.lotId ?? null),
      locationId: outcome.locationId ?? null,
      quantity: outcome.quantity ?? null,
      movementId: outcome.movementId ?? null,
      detail: outcome.detail ?? null,
      at: new Date(scan.time),
    });
    answers.set(
      position,
      answerOf(scan.station, outcome.result, outcome.message, outcome.order?.number ?? null),
    );
  }
  return answers;
}

const answerOf = (station: string, result: Result, message: string, order: string | null): StationAnswer => ({
  result,
  message,
  station,
  shipment: order,
  item: null,
});

const ms = tables.machines;
const ln = tables.lines;
const loc = tables.inventoryLocations;
const po = tables.productionOrders;

/** Where the machine takes its materials from, and the order it works on; refused without either. */
async function machineWork(tx: Sql, machineId: string) {
  const [machine] = await tx
    .select({ id: ms.id, code: ms.code, lineId: ms.lineId, lineCode: ln.code })
    .from(ms)
    .innerJoin(ln, and(eq(ln.tenantId, ms.tenantId), eq(ln.id, ms.lineId)))
    .where(eq(ms.id, machineId));
  if (machine === undefined) throw refused('no_task', 'This machine is not in master data');
  const [lineSide] = await tx
    .select(locationColumns)
    .from(loc)
    .where(and(eq(loc.lineId, machine.lineId), eq(loc.isActive, true)));
  if (lineSide === undefined)
    throw refused('no_task', `Line ${machine.lineCode} has no line-side location to consume from`);
  // The order running on the machine: its line's order in progress, the one started last.
  const [order] = await tx
    .select({ id: po.id, number: po.number, productId: po.productId })
    .from(po)
    .where(and(eq(po.lineId, machine.lineId), eq(po.status, 'in_progress')))
    .orderBy(desc(po.updatedAt))
    .limit(1);
  if (order === undefined)
    throw refused('no_task', `No order is in progress on line ${machine.lineCode}`, {
      locationId: lineSide.id,
    });
  return { machine, lineSide, order };
}

const m = tables.materials;
const lot = tables.materialLots;

/** The material and lot a consume scan names: a GS1 label (GTIN and batch) or a lot code alone. */
async function scannedStock(tx: Sql, data: string, now: Date) {
  const parsed = parseGs1(data, { now });
  if (parsed.ok) {
    const reading = readLabel(parsed, now);
    if (!reading.ok || reading.content.gtin === null)
      throw refused('unreadable', 'The label has no GTIN (AI 01): scan the lot’s label');
    const { gtin, batch, quantity } = reading.content;
    const [material] = await tx.select(materialColumns).from(m).where(eq(m.gtin, gtin));
    if (material === undefined) throw refused('wrong_item', `No material has GTIN ${gtin}`);
    if (!material.lotTracked) return { material, lot: null, quantity };
    if (batch === null)
      throw refused('wrong_lot', `${material.code} is lot-tracked: the label has no batch (AI 10)`);
    const found = await lotByBatch(tx, material, batch).catch((error: unknown) => {
      if (error instanceof DomainError)
        throw refused('wrong_lot', error.message, { materialId: material.id });
      throw error;
    });
    if (found === null)
      throw refused('wrong_lot', `${material.code} has no lot ${batch}: it was never received`, {
        materialId: material.id,
      });
    return { material, lot: found, quantity };
  }
  const code = data.replace(/[\r\n]+$/, '').trim();
  const lots = await tx
    .select({ lot: lotColumns, material: materialColumns })
    .from(lot)
    .innerJoin(m, and(eq(m.tenantId, lot.tenantId), eq(m.id, lot.materialId)))
    .where(eq(lot.lotCode, code))
    .limit(2);
  if (lots.length > 1)
    throw refused('wrong_lot', `Lot code ${code} is used by several materials: scan its GS1 label`);
  const [only] = lots;
  if (only === undefined) throw refused('unreadable', `${code} is not a lot`);
  return { material: only.material, lot: only.lot, quantity: null };
}

async function consumeOne(call: StockCall, scan: ConsumeScan & { machineId: string }): Promise<Outcome> {
  const { tx } = call;
  const now = new Date();
  // A movement is never dated ahead of the cloud's clock (the ledger's rule); an edge clock may be.
  const time = new Date(Math.min(Date.parse(scan.time), now.getTime()));
  const { lineSide, order } = await machineWork(tx, scan.machineId);
  const at = { order: { id: order.id, number: order.number }, locationId: lineSide.id };
  const {
    material,
    lot: scannedLot,
    quantity: labelled,
  } = await scannedStock(tx, scan.data, time).catch((error: unknown) => {
    if (error instanceof Refusal)
      throw refused(error.outcome.result, error.message, { ...error.outcome, ...at });
    throw error;
  });
  const stock = { ...at, materialId: material.id, lotId: scannedLot?.id ?? null };
  const allowed = await plannedMaterials(tx, order.id);
  const today = await plantToday(tx, scan.plantId, time);
  const rule = consumeRefusal({
    material,
    orderNumber: order.number,
    ordersProduct: material.productId !== null && material.productId === order.productId,
    allowed,
    lot: scannedLot,
    expired: isExpired(scannedLot?.expiresOn ?? null, today),
  });
  if (rule !== null) throw refused(rule.result, rule.message, stock);
  const quantity = await consumedQuantity(tx, material, scannedLot, lineSide, labelled, stock);
  const written = await recordMovement(call, {
    kind: 'consumption',
    materialId: material.id,
    lotId: scannedLot?.id ?? null,
    locationId: lineSide.id,
    quantity: quantity.value,
    unit: quantity.unit,
    time,
    productionOrderId: order.id,
    orderCode: order.number,
    note: `Scanned at ${scan.station}`,
  }).catch((error: unknown) => {
    // The ledger's refusals: not enough at the line side, above all.
    if (error instanceof DomainError) throw refused('over_quantity', error.message, stock);
    throw error;
  });
  const row = written[0]!;
  const amount = row.quantity.replace(/^-/, '');
  const what = scannedLot === null ? material.code : `${material.code} lot ${scannedLot.lotCode}`;
  return {
    ...stock,
    result: 'ok',
    message: `Consumed ${amount} ${material.baseUnit} of ${what} for ${order.number}`,
    quantity: amount,
    movementId: row.id,
  };
}

/** What the label states, else the lot's whole stock at the line side. */
async function consumedQuantity(
  tx: Sql,
  material: { id: string; code: string; baseUnit: string },
  scannedLot: { id: string; lotCode: string } | null,
  lineSide: { id: string; code: string },
  labelled: LabelQuantity | null,
  stock: Partial<Outcome>,
): Promise<{ value: number; unit: string | undefined }> {
  if (labelled !== null && labelled.value > 0) {
    if (labelled.unit === 'kg') return { value: labelled.value, unit: 'kg' };
    if ((await unitByCode(tx, material.baseUnit)).dimension === 'count')
      return { value: labelled.value, unit: undefined };
  }
  const balances = await balancesNow(tx, {
    materialId: material.id,
    locationId: lineSide.id,
    ...(scannedLot === null ? {} : { lotId: scannedLot.id }),
  });
  const here = balances.find((b) => b.lotId === (scannedLot?.id ?? null));
  const value = here === undefined ? 0 : Number(here.quantity);
  if (value <= 0) {
    const what = scannedLot === null ? material.code : `${material.code} lot ${scannedLot.lotCode}`;
    throw refused('over_quantity', `No ${what} at ${lineSide.code}: move it to the line first`, stock);
  }
  return { value, unit: undefined };
}

/** The consume scans of a plant (or all the caller reaches), newest first: refused ones for the engineer. */
export function listConsumptionScans(
  tx: Sql,
  input: { plantId?: string | undefined; result?: Result | undefined; limit: number },
) {
  return tx
    .select({
      id: cs.id,
      plantId: cs.plantId,
      at: cs.at,
      station: cs.station,
      machineCode: ms.code,
      data: cs.data,
      result: cs.result,
      message: cs.message,
      orderNumber: cs.orderNumber,
      materialCode: m.code,
      lotCode: lot.lotCode,
      quantity: cs.quantity,
      movementId: cs.movementId,
    })
    .from(cs)
    .innerJoin(ms, and(eq(ms.tenantId, cs.tenantId), eq(ms.id, cs.machineId)))
    .leftJoin(m, and(eq(m.tenantId, cs.tenantId), eq(m.id, cs.materialId)))
    .leftJoin(lot, and(eq(lot.tenantId, cs.tenantId), eq(lot.id, cs.lotId)))
    .where(
      and(
        input.plantId === undefined ? undefined : eq(cs.plantId, input.plantId),
        input.result === undefined ? undefined : eq(cs.result, input.result),
      ),
    )
    .orderBy(desc(cs.at), desc(cs.id))
    .limit(input.limit);
}
