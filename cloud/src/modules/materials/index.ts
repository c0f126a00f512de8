/*
 * Materials, lots, locations, the stock ledger and lot genealogy (docs/materials.md). The app router
 * mounts both routers; production consumption and output record stock through the movement
 * functions, and their lot movements make genealogy in the ledger itself. Reports read the recall.
 */

export { balancesAsOf } from './balances.js';
export { seedDemoMaterials } from './demo.js';
export { inventoryRouter } from './inventory.router.js';
export { materialsRouter } from './materials.router.js';
export { type RecallRow, recallRows } from './recall.js';
