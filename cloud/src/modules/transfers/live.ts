import type { Database, Sql } from '../../db/index.js';
import { canSeePlant, type Principal, scopeOf } from '../../platform/index.js';
import { guardLive, type LiveAccess, type LiveGuardDeps } from '../identity/index.js';
import { tenantPlantNames } from './plant-names.js';
import { findTransfer, transferItems, transferPackages, transferScans } from './transfer-queries.js';

/*
 * A transfer's packing and receiving progress, live (docs/logistics.md, "Transfers"): what the record
 * page and the stations of both plants show, sent at once and again whenever a scan, a package or a
 * move of the transfer commits (the bus says so). Each message reads under the caller's row-level
 * security; the stream ends when the caller loses logistics.read or the plant of the transfer they reach.
 */

export interface TransferProgress {
  transferOrderId: string;
  status: string;
  version: number;
  items: {
    id: string;
    productCode: string;
    quantity: number;
    packedQuantity: number;
    receivedQuantity: number;
  }[];
  packages: { total: number; received: number };
  lastScan: { id: string; mode: 'pack' | 'receive'; result: string; message: string; at: Date } | null;
}

async function readProgress(tx: Sql, id: string) {
  const transfer = await findTransfer(tx, id, await tenantPlantNames(tx));
  const items = await transferItems(tx, id);
  const packages = await transferPackages(tx, id);
  const [lastScan] = await transferScans(tx, id, 1);
  return {
    transferOrderId: id,
    status: transfer.status,
    version: transfer.version,
    items: items.map((i) => ({
      id: i.id,
      productCode: i.productCode,
      quantity: i.quantity,
      packedQuantity: i.packedQuantity,
      receivedQuantity: i.receivedQuantity,
    })),
    packages: { total: packages.length, received: packages.filter((p) => p.status === 'received').length },
    lastScan:
      lastScan === undefined
        ? null
        : {
            id: lastScan.id,
            mode: lastScan.mode,
            result: lastScan.result,
            message: lastScan.message,
            at: lastScan.at,
          },
  } satisfies TransferProgress;
}

export async function* liveTransfer(
  deps: LiveGuardDeps,
  principal: Principal,
  input: { transferOrderId: string },
  signal: AbortSignal | undefined,
): AsyncGenerator<TransferProgress> {
  const transfer = await deps.db.transact(scopeOf(principal), async (tx) =>
    findTransfer(tx, input.transferOrderId, await tenantPlantNames(tx)),
  );
  // The caller reaches one of the two plants (or both): the stream keeps the ones it reaches.
  const reached = [transfer.fromPlantId, transfer.toPlantId].filter((id) => canSeePlant(principal, id));
  yield* guardLive(
    deps,
    { principal, needs: { permission: 'logistics.read', plantIds: reached }, signal },
    (access) => stream(deps, access, input.transferOrderId),
  );
}

async function* stream(deps: { db: Database; bus: LiveGuardDeps['bus'] }, access: LiveAccess, id: string) {
  const { tenantId } = access.principal;
  const { signal } = access;
  let changed = false;
  let wake: (() => void) | null = null;
  const stopListening = deps.bus.on('transfers.changed', (event) => {
    if (event.tenantId !== tenantId || event.transferOrderId !== id) return;
    changed = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  const read = () => deps.db.transact(scopeOf(access.principal), (tx) => readProgress(tx, id));
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
