import { sql } from 'drizzle-orm';
import { readSideBySide, rows, type Sql } from '../../db/index.js';
import { DomainError, notFound } from '../../platform/index.js';
import { depths, holds, type TraceDirection } from './trace-graph.js';
import {
  type TraceLotsFound,
  type TracePackingsFound,
  traceLotsStatement,
  tracePackingsStatement,
} from './trace-statement.js';

/*
 * Trace (docs/materials.md, "Trace"): forward — where did a lot go: the lots made from it, the orders
 * that made them, the shipments and customers and the other plants they reached — or backward — what
 * went into a lot or serial. A recursive statement finds every edge of the graph; its UNION keeps
 * one row per lot, so each lot is visited once however many paths lead to it (no path enumeration).
 * What was packed of the lots is read by a second statement, beside the first where the transaction
 * allows (a reading transaction on a PostgreSQL server: trace-statement.ts).
 * Shipments are linked through what was packed: package contents record the product and lot code of
 * every packing, and a lot is its material's product with that code.
 */

export type TraceStart = { lotId: string } | { serialId: string } | { supplierLot: string };

export interface TraceNode {
  lotId: string;
  lotCode: string;
  materialId: string;
  materialCode: string;
  materialName: string;
  baseUnit: string;
  status: string;
  plantId: string;
  depth: number;
  /** Stock of the lot now, in the plants the caller reaches, in the base unit. */
  onHand: string;
  /** The blocked lot this one is held by: itself, or one it was made from; null when none. */
  heldBy: string | null;
}

export interface TraceEdge {
  parentLotId: string;
  childLotId: string;
  kind: string;
  quantity: string;
  productionOrderId: string | null;
  plantId: string;
}

export interface TraceShipment {
  shipmentId: string;
  number: string;
  status: string;
  shippedAt: string | null;
  plantId: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  lotId: string;
  quantity: string;
}

export interface TraceTransfer {
  transferOrderId: string;
  number: string;
  status: string;
  fromPlantId: string;
  toPlantId: string;
  shippedAt: string | null;
  lotId: string;
  quantity: string;
}

export interface Trace {
  direction: TraceDirection;
  rootLotIds: string[];
  /** The lots, nearest first: the rows of the trace's table and the nodes of its graph. */
  nodes: TraceNode[];
  edges: TraceEdge[];
  orders: { id: string; number: string; plantId: string }[];
  /** Forward only: what was packed from the traced lots for customers and for other plants. */
  shipments: TraceShipment[];
  transfers: TraceTransfer[];
  plants: { id: string; code: string; name: string }[];
}

const tenant = sql`(select plantline.current_tenant_id())`;

/** The lots a trace starts from: the lot, the serial's lot, or every lot with the supplier's lot code. */
export async function traceRoots(tx: Sql, start: TraceStart): Promise<string[]> {
  if ('lotId' in start) {
    const found = await rows<{ id: string }>(
      tx,
      sql`select id from material_lots where id = ${start.lotId}::uuid`,
    );
    if (found.length === 0) throw notFound('Lot');
    return [start.lotId];
  }
  if ('serialId' in start) {
    const [serial] = await rows<{ serial: string; lot_id: string | null }>(
      tx,
      sql`select serial, lot_id from serial_numbers where id = ${start.serialId}::uuid`,
    );
    if (serial === undefined) throw notFound('Serial number');
    if (serial.lot_id === null)
      throw new DomainError(
        'invalid',
        `Serial ${serial.serial} belongs to no lot: there is nothing to trace`,
      );
    return [serial.lot_id];
  }
  const found = await rows<{ id: string }>(
    tx,
    sql`select id from material_lots where tenant_id = ${tenant} and supplier_lot = ${start.supplierLot} order by id`,
  );
  if (found.length === 0) throw new DomainError('not_found', `No lot has supplier lot ${start.supplierLot}`);
  return found.map((r) => r.id);
}

/** The plants both statements found, once each, by code. */
function plantsOf(...lists: [string, string, string][][]): Trace['plants'] {
  const byId = new Map(lists.flat().map(([id, code, name]) => [id, { id, code, name }]));
  return [...byId.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * The trace from `start`. `withShipments` says whether the caller may see customers and shipments
 * (logistics.read); without it, a forward trace stops at lots, orders and plants.
 */
export async function traceLots(
  tx: Sql,
  input: { start: TraceStart; direction: TraceDirection; withShipments: boolean },
): Promise<Trace> {
  const { direction } = input;
  const rootLotIds = await traceRoots(tx, input.start);
  const withPackings = direction === 'forward' && input.withShipments;
  const [[found], [packed]] = await readSideBySide(
    tx,
    (reader) => rows<TraceLotsFound>(reader, traceLotsStatement(rootLotIds, direction)),
    (reader) =>
      withPackings
        ? rows<TracePackingsFound>(reader, tracePackingsStatement(rootLotIds))
        : Promise.resolve([] as TracePackingsFound[]),
  );
  const edges: TraceEdge[] = (found?.edges ?? []).map(
    ([parentLotId, childLotId, kind, quantity, productionOrderId, plantId]) => ({
      parentLotId,
      childLotId,
      kind,
      quantity,
      productionOrderId,
      plantId,
    }),
  );
  const depth = depths(rootLotIds, edges, direction);
  const lots = found?.lots ?? [];
  // A forward trace also looks upstream of its start for a block (a lot made from a blocked lot is held).
  const blockedAbove = found?.blocked_above ?? null;
  const held = holds(
    lots.map(([lotId, lotCode, , , , , status]) => ({ lotId, lotCode, status })),
    edges,
    new Map(blockedAbove === null ? [] : rootLotIds.map((r) => [r, blockedAbove])),
  );
  const nodes: TraceNode[] = lots
    .map(([lotId, lotCode, materialId, materialCode, materialName, baseUnit, status, plantId, onHand]) => ({
      lotId,
      lotCode,
      materialId,
      materialCode,
      materialName,
      baseUnit,
      status,
      plantId,
      depth: depth.get(lotId) ?? 0,
      onHand,
      heldBy: held.get(lotId) ?? null,
    }))
    .sort(
      (a, b) =>
        a.depth - b.depth ||
        a.materialCode.localeCompare(b.materialCode) ||
        a.lotCode.localeCompare(b.lotCode),
    );
  const instant = (t: string | null) => (t === null ? null : new Date(t).toISOString());
  return {
    direction,
    rootLotIds,
    nodes,
    edges,
    orders: (found?.orders ?? []).map(([id, number, plantId]) => ({ id, number, plantId })),
    shipments: (packed?.shipments ?? []).map(
      ([
        shipmentId,
        number,
        status,
        shippedAt,
        plantId,
        customerId,
        customerCode,
        customerName,
        lotId,
        quantity,
      ]) => ({
        shipmentId,
        number,
        status,
        shippedAt: instant(shippedAt),
        plantId,
        customerId,
        customerCode,
        customerName,
        lotId,
        quantity,
      }),
    ),
    transfers: (packed?.transfers ?? []).map(
      ([transferOrderId, number, status, fromPlantId, toPlantId, shippedAt, lotId, quantity]) => ({
        transferOrderId,
        number,
        status,
        fromPlantId,
        toPlantId,
        shippedAt: instant(shippedAt),
        lotId,
        quantity,
      }),
    ),
    plants: plantsOf(found?.plants ?? [], packed?.plants ?? []),
  };
}
