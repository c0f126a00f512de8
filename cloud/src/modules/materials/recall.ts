import type { Sql } from '../../db/index.js';
import { type TraceStart, traceLots } from './trace.js';

/*
 * The recall (docs/materials.md, "Recall"): everything made from a lot that left for a customer or
 * another plant — each shipment or transfer, the lot packed into it, how much, and how many steps
 * from the recalled lot it was made. The rows of the "Recall" report (reports' source-recall.ts), so
 * they export to CSV, XLSX and PDF and can be scheduled like any report.
 */

export interface RecallRow {
  [key: string]: string | number | null;
  destinationKind: 'customer' | 'plant';
  destinationCode: string;
  destination: string;
  document: string;
  status: string;
  shippedAt: string | null;
  fromPlant: string;
  material: string;
  lot: string;
  quantity: number;
  unit: string;
  depth: number;
}

/** The recall from `start`, customers first (by code), then plants, each by document and lot. */
export async function recallRows(tx: Sql, start: TraceStart): Promise<RecallRow[]> {
  const trace = await traceLots(tx, { start, direction: 'forward', withShipments: true });
  const lots = new Map(trace.nodes.map((n) => [n.lotId, n]));
  const plants = new Map(trace.plants.map((p) => [p.id, p]));
  const plantCode = (id: string) => plants.get(id)?.code ?? id;
  const lotPart = (lotId: string) => {
    const lot = lots.get(lotId);
    return {
      material: lot?.materialCode ?? '',
      lot: lot?.lotCode ?? '',
      unit: lot?.baseUnit ?? '',
      depth: lot?.depth ?? 0,
    };
  };
  const toCustomers: RecallRow[] = trace.shipments.map((s) => ({
    destinationKind: 'customer',
    destinationCode: s.customerCode,
    destination: s.customerName,
    document: s.number,
    status: s.status,
    shippedAt: s.shippedAt,
    fromPlant: plantCode(s.plantId),
    ...lotPart(s.lotId),
    quantity: Number(s.quantity),
  }));
  const toPlants: RecallRow[] = trace.transfers.map((t) => ({
    destinationKind: 'plant',
    destinationCode: plantCode(t.toPlantId),
    destination: plants.get(t.toPlantId)?.name ?? t.toPlantId,
    document: t.number,
    status: t.status,
    shippedAt: t.shippedAt,
    fromPlant: plantCode(t.fromPlantId),
    ...lotPart(t.lotId),
    quantity: Number(t.quantity),
  }));
  return [...toCustomers, ...toPlants];
}
