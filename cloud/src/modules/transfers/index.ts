/*
 * Transfers between two plants of a tenant (docs/logistics.md, "Transfers"). The logistics router
 * mounts the router; scans from plant stations arriving through the edge reach packing and receiving
 * through `recordTransferScan` with `source: 'edge'`.
 */

export { openTransferPackage } from './packing.js';
export { recordTransferScan, type TransferScanInput, type TransferScanOutcome } from './scans.js';
export { shipTransfer } from './shipping.js';
export { transferStationHandler } from './station-handler.js';
export { createTransfer, type TransferCall } from './transfers.js';
export { transfersRouter } from './transfers.router.js';
