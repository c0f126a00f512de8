import { tables } from '@plantline/schema';
import { eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';
import { startWorkflow, type WorkflowContext } from '../workflow/index.js';
import { createChangeOrder } from './change-orders.js';

/*
 * The demo's change order (docs/demo.md): one open engineering change to the simulator's brake
 * caliper and its routing, raised by the administrator, so the change orders page, the product's
 * page and the search box have one to show. With the app's parts (`workflow`) its workflow starts,
 * as a raised one's does; the demo's people then take it to its change board, whose last vote shows
 * the revision bump.
 */
export async function seedDemoChangeOrder(tx: Sql, admin: Principal, workflow?: WorkflowContext['deps']) {
  const [brake] = await tx
    .select({ id: tables.products.id })
    .from(tables.products)
    .where(eq(tables.products.code, 'BRK-100'));
  const [routing] = await tx
    .select({ id: tables.routings.id })
    .from(tables.routings)
    .where(eq(tables.routings.code, 'RT-BRK-100'));
  if (brake === undefined) return null;
  const order = await createChangeOrder(tx, admin, {
    title: 'Brake caliper 100: thicker mounting wall',
    reason:
      'Two field returns cracked at the mounting bolt; the stress analysis puts the 4.0 mm wall at its limit.',
    description:
      'Mounting wall from 4.0 to 5.0 mm. Machining gets a second roughing pass; final inspection adds a wall thickness check.',
    urgency: 'high',
    effectivity: 'lot',
    effectiveLot: 'LOT-BRK-0420',
    items: [
      {
        productId: brake.id,
        routingId: routing?.id ?? null,
        note: 'Wall 4.0 → 5.0 mm; drawing and machining program change',
      },
    ],
  });
  if (workflow !== undefined)
    // Nobody watches a tenant that is being created: the change event needs no delivery.
    await startWorkflow(
      { tx, principal: admin, afterCommit: () => {}, deps: workflow },
      { entityType: 'change_order', entityId: order.id },
    );
  return order;
}
