/*
 * Customer shipments and packing by scanning (docs/logistics.md). The logistics router mounts the
 * routers; the edge's scan events will reach packing through `recordPackingScan` with `source: 'edge'`.
 * Transfers between plants pack with the same rules and SSCCs, through the exports below.
 * routers; the edge's scan events reach packing at their station through `answerStationScans`, which
 * ingest calls with what it stored.
 */
export { deliverShipment, shipShipment } from './lifecycle.js';
export { openPackage } from './packages.js';
export {
  type PackingOutcome,
  type PackingRun,
  type PackingRunOutcome,
  type PackingScanInput,
  recordPackingRuns,
  recordPackingScan,
  type ScanSource,
} from './packing.js';
export { packingRouter, SCAN_DATA_MAX_LENGTH } from './packing.router.js';
export {
  answerScan,
  type PackingAnswer,
  type PackingItem,
  type PackingPackage,
  packageName,
  type ScanContent,
  scanContent,
  serialKey,
} from './packing-rules.js';
export { checkStation } from './references.js';
export { plantDate } from './shipment-rules.js';
export { createShipment, type ShipmentCall } from './shipments.js';
export { shipmentsRouter } from './shipments.router.js';
export { issueSscc } from './sscc.js';
export {
  answerStationScans,
  type OneScanHandler,
  oneScanAtATime,
  refusedRun,
  type StationRun,
  type StationScan,
  type StationScanHandler,
  StationScanHandlers,
  type StationTargetKind,
  type StationTaskAtScan,
  stationScanHandlers,
} from './station-scans.js';
export { stationTasksRouter } from './station-tasks.router.js';
