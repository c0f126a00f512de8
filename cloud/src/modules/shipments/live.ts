import type { Database, Sql } from '../../db/index.js';
import { type Principal, scopeOf } from '../../platform/index.js';
import { guardLive, type LiveAccess, type LiveGuardDeps } from '../identity/index.js';
import { findShipment, shipmentItems, shipmentScans } from './shipment-queries.js';

/*
 * A shipment's packing progress, live (docs/logistics.md, "Packing by scanning"): what the record page
 * and the stations show, sent at once and again whenever a scan, a package or a move of the shipment
 * commits (the bus says so). Each message reads under the caller's row-level security, and the stream
 * ends like every live subscription when the caller loses logistics.read or the shipment's plant.
 */

export interface ShipmentProgress {
  shipmentId: string;
  status: string;
  version: number;
  items: { id: string; productCode: string; quantity: number; packedQuantity: number }[];
  /** The newest scan, refused or not. */
  lastScan: { id: string; result: string; message: string; at: Date } | null;
}

async function readProgress(tx: Sql, shipmentId: string): Promise<ShipmentProgress> {
  const shipment = await findShipment(tx, shipmentId);
  const items = await shipmentItems(tx, shipment);
  const [lastScan] = await shipmentScans(tx, shipment, 1);
  return {
    shipmentId,
    status: shipment.status,
    version: shipment.version,
    items: items.map((i) => ({
      id: i.id,
      productCode: i.productCode,
      quantity: i.quantity,
      packedQuantity: i.packedQuantity,
    })),
    lastScan:
      lastScan === undefined
        ? null
        : { id: lastScan.id, result: lastScan.result, message: lastScan.message, at: lastScan.at },
  };
}

export async function* liveShipment(
  deps: LiveGuardDeps,
  principal: Principal,
  input: { shipmentId: string },
  signal: AbortSignal | undefined,
): AsyncGenerator<ShipmentProgress> {
  // The shipment's plant is what the stream needs to keep: reading it refuses one out of reach.
  const { plantId } = await deps.db.transact(scopeOf(principal), (tx) => findShipment(tx, input.shipmentId));
  yield* guardLive(
    deps,
    { principal, needs: { permission: 'logistics.read', plantIds: [plantId] }, signal },
    (access) => stream(deps, access, input.shipmentId),
  );
}

async function* stream(
  deps: { db: Database; bus: LiveGuardDeps['bus'] },
  access: LiveAccess,
  shipmentId: string,
) {
  const { tenantId } = access.principal;
  const { signal } = access;
  let changed = false;
  let wake: (() => void) | null = null;
  const stopListening = deps.bus.on('shipments.changed', (event) => {
    if (event.tenantId !== tenantId || event.shipmentId !== shipmentId) return;
    changed = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  const read = () => deps.db.transact(scopeOf(access.principal), (tx) => readProgress(tx, shipmentId));
  try {
    yield await read();
    while (!signal.aborted) {
      if (!changed) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      changed = false;
      const progress = await read();
      if (!signal.aborted) yield progress;
    }
  } finally {
    stopListening();
    signal.removeEventListener('abort', onAbort);
  }
}
