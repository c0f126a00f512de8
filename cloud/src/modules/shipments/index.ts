/*
 * Customer shipments and packing by scanning (docs/logistics.md). The logistics router mounts the
 * routers; the edge's scan events reach packing at their station through `answerStationScans`, which
 * ingest calls with what it stored.
 */
export { openPackage } from './packages.js';
export { type PackingOutcome, type PackingScanInput, recordPackingScan } from './packing.js';
export { packingRouter } from './packing.router.js';
export { createShipment, type ShipmentCall } from './shipments.js';
export { shipmentsRouter } from './shipments.router.js';
export {
  answerStationScans,
  type StationScan,
  type StationScanHandler,
  StationScanHandlers,
  type StationTargetKind,
  type StationTaskAtScan,
  stationScanHandlers,
} from './station-scans.js';
export { stationTasksRouter } from './station-tasks.router.js';
