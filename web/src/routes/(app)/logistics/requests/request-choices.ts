import { trpc } from '$lib/trpc';

/**
 * What a request's form offers to choose from: the active customers and products. The roles that
 * record requests read both (logistics.read, masterdata.read).
 */
export async function loadRequestChoices() {
  const [customers, products] = await Promise.all([
    trpc.logistics.customers.list.query({ active: 'active', limit: 200 }),
    trpc.production.products.list.query({}),
  ]);
  return { customers: customers.items, products };
}

export type RequestChoices = Awaited<ReturnType<typeof loadRequestChoices>>;
