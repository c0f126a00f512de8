/*
 * Materials, lots, locations and the stock ledger (docs/materials.md). The app router mounts both
 * routers; production consumption and output will record stock through the movement functions.
 */

export {
  type ConsumeScan,
  consumeAtMachines,
  type OrderMaterials,
} from './consumption-scans.js';
export { seedDemoMaterials } from './demo.js';
export { inventoryRouter } from './inventory.router.js';
export { materialsRouter } from './materials.router.js';
