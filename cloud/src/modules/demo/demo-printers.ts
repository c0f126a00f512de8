import { DEMO_PLANTS } from '@plantline/schema';
import type { Database } from '../../db/index.js';
import { createPrinter } from '../labels/index.js';

/*
 * A label printer at each demo plant's shipping dock (docs/labels.md, "Issuing and printing"), so a
 * label can be printed from the first start. Their host names are placeholders: the demo edge tries
 * them and the print log shows why nothing came out until a printer's address is changed to a real one.
 */
export async function seedDemoPrinters(db: Database, tenantId: string, plantIds: readonly string[]) {
  await db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    for (const [index, plant] of DEMO_PLANTS.entries()) {
      const plantId = plantIds[index];
      if (plantId === undefined) continue;
      await createPrinter(tx, tenantId, {
        plantId,
        code: 'DOCK-1',
        name: `${plant.name} shipping dock`,
        host: `label-printer-dock1.${plant.code.toLowerCase()}.plant.local`,
        port: 9100,
        dotsPerMm: 8,
      });
    }
  });
}
