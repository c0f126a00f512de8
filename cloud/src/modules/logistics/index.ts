/*
 * Logistics: shipments, labels and scan-driven packing (docs/gs1.md). It starts with reading GS1
 * scan data; other modules use the router only.
 */
export { logisticsRouter } from './logistics.router.js';
