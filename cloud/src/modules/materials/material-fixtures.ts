import type { ApiClient } from '../../testing/api.js';

/**
 * What the order-materials and counted-production tests build on, made through the API by a tenant's
 * administrator: kg and pcs, lot-tracked resin (kg), bolts (pcs), and the product GEAR whose finished
 * material is lot-tracked, so its output gets lots.
 */
export async function resinBoltGear(trpc: ApiClient['trpc']) {
  const { materials, production } = trpc;
  await materials.units.create.mutate({ code: 'kg', name: 'Kilogram', dimension: 'mass' });
  await materials.units.create.mutate({ code: 'pcs', name: 'Pieces', dimension: 'count' });
  const resin = (
    await materials.create.mutate({
      code: 'RESIN',
      name: 'Resin',
      kind: 'raw',
      baseUnit: 'kg',
      lotTracked: true,
    })
  ).id;
  const bolt = (await materials.create.mutate({ code: 'BOLT', name: 'Bolt', kind: 'raw', baseUnit: 'pcs' }))
    .id;
  const gear = (await production.products.create.mutate({ code: 'GEAR', name: 'Gear', unit: 'pcs' })).id;
  const gearMaterial = (await materials.list.query({ kind: 'finished' })).find((m) => m.code === 'GEAR')!.id;
  await materials.update.mutate({ id: gearMaterial, patch: { lotTracked: true } });
  return { resin, bolt, gear, gearMaterial };
}
