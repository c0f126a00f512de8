import { tables } from '@plantline/schema';
import { and, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { type PackingPackage, serialKey } from './packing-rules.js';

/*
 * What packing reads before it answers, for every station of an ingest call at once: a plant sends
 * its scanners' scans in batches, and a statement per station would make the answer wait for each
 * station in turn (docs/benchmarks.md, "scan"). Each read takes the whole call's scans; the answers
 * pick out their own.
 */

const pk = tables.packages;
const c = tables.packageContents;

const packageAtScan = {
  id: pk.id,
  shipmentId: pk.shipmentId,
  kind: pk.kind,
  sscc: pk.sscc,
  status: pk.status,
  parentId: pk.parentId,
};

/** A package as packing needs it, with the shipment it belongs to (null for a transfer's). */
export type PackageAtScan = PackingPackage & { shipmentId: string | null };

/** The packages the stations pack into, by id. */
export async function packagesById(tx: Sql, ids: readonly string[]): Promise<Map<string, PackageAtScan>> {
  if (ids.length === 0) return new Map();
  const found = await tx
    .select(packageAtScan)
    .from(pk)
    .where(inArray(pk.id, [...new Set(ids)]));
  return new Map(found.map((p) => [p.id, p]));
}

/** Every package of these shipments, by shipment: a scan of an SSCC may name any of them. */
export async function packagesOfShipments(
  tx: Sql,
  shipments: readonly { id: string; plantId: string }[],
): Promise<Map<string, PackingPackage[]>> {
  const byShipment = new Map<string, PackingPackage[]>(shipments.map((s) => [s.id, []]));
  if (shipments.length === 0) return byShipment;
  const found = await tx
    .select(packageAtScan)
    .from(pk)
    .where(
      and(
        inArray(pk.plantId, [...new Set(shipments.map((s) => s.plantId))]),
        inArray(
          pk.shipmentId,
          shipments.map((s) => s.id),
        ),
      ),
    );
  for (const { shipmentId, ...onePackage } of found) byShipment.get(shipmentId!)?.push(onePackage);
  return byShipment;
}

/**
 * Of these SSCCs, those some package carries, anywhere in the tenant. Packing asks only after it found
 * the SSCC is none of the shipment's own, so here it means "another shipment's, or a transfer's".
 */
export async function knownSsccs(tx: Sql, ssccs: readonly string[]): Promise<Set<string>> {
  if (ssccs.length === 0) return new Set();
  const found = await tx
    .selectDistinct({ sscc: pk.sscc })
    .from(pk)
    .where(inArray(pk.sscc, [...new Set(ssccs)]));
  return new Set(found.flatMap((f) => (f.sscc === null ? [] : [f.sscc])));
}

/** Of these serials, those already packed of these products, as `serialKey(productId, serial)`. */
export async function packedSerials(
  tx: Sql,
  serials: readonly string[],
  productIds: readonly string[],
): Promise<Set<string>> {
  if (serials.length === 0 || productIds.length === 0) return new Set();
  const found = await tx
    .select({ productId: c.productId, serial: c.serial })
    .from(c)
    .where(and(inArray(c.productId, [...new Set(productIds)]), inArray(c.serial, [...new Set(serials)])));
  return new Set(found.map((f) => serialKey(f.productId, f.serial!)));
}

/** Of these scanner events, those already packed (an edge's event delivered twice). */
export async function packedScanEvents(tx: Sql, scanEventIds: readonly string[]): Promise<Set<string>> {
  if (scanEventIds.length === 0) return new Set();
  const found = await tx
    .select({ id: c.scanEventId })
    .from(c)
    .where(inArray(c.scanEventId, [...new Set(scanEventIds)]));
  return new Set(found.flatMap((f) => (f.id === null ? [] : [f.id])));
}
