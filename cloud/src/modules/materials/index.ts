/*
 * Materials, lots, locations, the stock ledger, lot genealogy, BOMs and what production orders
 * consume and produce (docs/materials.md). The app router mounts the routers; production explodes an
 * order's requirements and backflushes it on completion through the functions exported here, and
 * lot movements for an order make genealogy in the ledger itself; ingest books counted parts into
 * their order's lot; shipping a shipment issues its packed goods, and a transfer's shipping and
 * receiving move its goods through transit. Reports read the recall; labels prints location labels
 * with the elements locationLabelElements gives.
 */

export { backflushOrder } from './backflush.js';
export { balancesAsOf } from './balances.js';
export { bomsRouter, orderMaterialsRouter } from './boms.router.js';
export { type ConsumeScan, consumeAtMachines } from './consumption-scans.js';
export { bookCountedParts, type CountedParts } from './count-bookings.js';
export { seedDemoMaterials } from './demo.js';
export { makeDemoLot } from './demo-finished-goods.js';
export { type GoodsIssue, issueShippedGoods, type ShippedGoods } from './goods-issue.js';
export { inventoryRouter } from './inventory.router.js';
export { type LocationLabelData, locationLabelElements } from './location-labels.js';
export { materialsRouter } from './materials.router.js';
export { recordMovement } from './movements.js';
export { explodeOrderRequirements } from './order-materials.js';
export { type RecallRow, recallRows } from './recall.js';
export { receiveTransferGoods, shipTransferGoods, type TransferGoods } from './transfer-stock.js';
