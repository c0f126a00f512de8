import type { tables } from '@plantline/schema';
import { DomainError } from '../../platform/index.js';
import { packTransferScan } from './packing.js';
import { receiveTransferScan } from './receiving.js';
import type { TransferCall } from './transfers.js';

/*
 * One door for a scan at a transfer's station (docs/logistics.md, "Transfers"): packing at the
 * sending plant into an open package, or receiving at the receiving plant by SSCC. The station page
 * calls it through the API with source `browser`; scans from plant scanners arriving through the
 * edge call it with source `edge` and their event id, so an event delivered twice counts once.
 */

export type TransferScanInput = {
  transferOrderId: string;
  mode: 'pack' | 'receive';
  /** The open package packed into; packing only. */
  packageId?: string | null | undefined;
  /** What the scanner sent, as received. */
  data: string;
  stationId?: string | null | undefined;
} & ({ source: 'browser' } | { source: 'edge'; scanEventId: string });

export interface TransferScanOutcome {
  scanId: string;
  result: tables.ScanResult;
  message: string;
  /** The transfer's status and version after the scan. */
  status: string;
  version: number;
}

export async function recordTransferScan(
  call: TransferCall,
  input: TransferScanInput,
): Promise<TransferScanOutcome> {
  const scanEventId = input.source === 'edge' ? input.scanEventId : null;
  const common = {
    transferOrderId: input.transferOrderId,
    data: input.data,
    stationId: input.stationId,
    scanEventId,
    source: input.source,
  };
  if (input.mode === 'receive') return receiveTransferScan(call, common);
  if (input.packageId == null)
    throw new DomainError('invalid', 'Packing scans go into an open package: open a pallet or carton', {
      packageId: 'Open a package first',
    });
  return packTransferScan(call, { ...common, packageId: input.packageId });
}
