/*
 * Customer shipments and packing by scanning (docs/logistics.md). The logistics router mounts the
 * routers; the edge's scan events will reach packing through `recordPackingScan` with `source: 'edge'`.
 */
export { deliverShipment, shipShipment } from './lifecycle.js';
export { openPackage } from './packages.js';
export { type PackingOutcome, type PackingScanInput, recordPackingScan } from './packing.js';
export { packingRouter } from './packing.router.js';
export { createShipment, type ShipmentCall } from './shipments.js';
export { shipmentsRouter } from './shipments.router.js';
