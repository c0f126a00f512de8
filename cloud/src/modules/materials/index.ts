/*
 * Materials, lots, locations, the stock ledger, BOMs and what production orders consume and produce
 * (docs/materials.md). The app router mounts the routers; production explodes an order's requirements
 * and backflushes it on completion through the functions exported here.
 */

export { backflushOrder } from './backflush.js';
export { bomsRouter, orderMaterialsRouter } from './boms.router.js';
export {
  type ConsumeScan,
  consumeAtMachines,
  type OrderMaterials,
} from './consumption-scans.js';
export { seedDemoMaterials } from './demo.js';
export { inventoryRouter } from './inventory.router.js';
export { materialsRouter } from './materials.router.js';
export { explodeOrderRequirements } from './order-materials.js';
