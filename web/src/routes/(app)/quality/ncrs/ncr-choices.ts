import { trpc } from '$lib/trpc';

/**
 * What an NCR's form offers to choose from for one plant: its lines and machines, the products, the
 * plant's orders, the defect codes and the tenant's active users (the owner). The roles that raise
 * NCRs read all of these (masterdata.read, quality.read, config.read).
 */
export async function loadNcrChoices(plantId: string) {
  const [lines, machines, products, orders, defects, users] = await Promise.all([
    trpc.masterdata.lines.list.query({ plantId }),
    trpc.masterdata.machines.list.query({ plantId }),
    trpc.production.products.list.query({}),
    trpc.production.orders.list.query({ plantId, limit: 200 }),
    trpc.quality.defectCodes.list.query({}),
    trpc.config.userChoices.query(),
  ]);
  return { lines, machines, products, orders: orders.items, defects, users };
}

export type NcrChoices = Awaited<ReturnType<typeof loadNcrChoices>>;
