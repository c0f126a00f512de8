import { allPermissions, DEMO_PLANTS, tables } from '@plantline/schema';
import { and, asc, eq } from 'drizzle-orm';
import type { Database, Sql } from '../../db/index.js';
import type { EventBus, Principal } from '../../platform/index.js';
import { makeDemoLot } from '../materials/index.js';
import { readSettingsRecord, tenantSettings, updateSettings } from '../settings/index.js';
import { createShipment, openPackage, recordPackingScan, type ShipmentCall } from '../shipments/index.js';
import { dispatchFinishedLots } from './demo-dispatch.js';
import { defaultShipTos, seedShippingHistory } from './demo-shipping-history.js';

/*
 * The demo's shipments (docs/demo.md, "Shipments"): two open shipments per demo plant, so the
 * shipments list, a record page and the packing station have something to show from the first start
 * — a draft waiting for the dock, and one being picked with a carton half packed. SSCCs are issued
 * under GS1's example company prefix, which the demo products' GTINs use too. The demo customers and
 * carrier are the ones the tenant has; a tenant without them gets the few shipping needs here.
 */

/** GS1's example company prefix, as in the demo products' GTINs (schema/src/demo-plant.ts). */
export const DEMO_GS1_PREFIX = '9521234';

const FALLBACK_CUSTOMERS = [
  {
    code: 'NORDBRAKE',
    name: 'Nordbrake Automotive GmbH',
    address: {
      label: 'Assembly plant',
      name: 'Nordbrake Werk Süd',
      city: 'Ingolstadt',
      country: 'DE',
      gln: '0952876000014',
    },
  },
  {
    code: 'PUMPWORKS',
    name: 'Pumpworks Ltd',
    address: {
      label: 'Central warehouse',
      name: 'Pumpworks Distribution',
      city: 'Leeds',
      country: 'GB',
      gln: '0952876000021',
    },
  },
] as const;

const FALLBACK_CARRIER = {
  code: 'ROADLINE',
  name: 'Roadline Freight',
  trackingUrl: 'https://tracking.example.com/?id={tracking}',
};

/** What each plant's two shipments carry, by product code. */
const DEMO_LINES = [
  [
    { product: 'BRK-100', quantity: 24 },
    { product: 'BRK-200', quantity: 12 },
  ],
  [{ product: 'HSG-310', quantity: 20 }],
] as const;

/**
 * Finished lots each plant holds for the shipments still to leave, by plant code: the open demo
 * shipments and the walk-through's (docs/logistics.md, "Try it": L-2611 and L-2612 at Riverside).
 * Shipping issues what is packed from stock (docs/materials.md, "Goods issue on shipping").
 */
export const DEMO_STOCK: Readonly<
  Record<string, readonly { product: string; lot: string; quantity: number }[]>
> = {
  RIV: [
    { product: 'BRK-100', lot: 'L-2611', quantity: 120 },
    { product: 'BRK-200', lot: 'L-2612', quantity: 90 },
  ],
  LAK: [
    { product: 'BRK-100', lot: 'DEMO-LOT-1', quantity: 60 },
    { product: 'BRK-200', lot: 'DEMO-LOT-1', quantity: 40 },
    { product: 'HSG-310', lot: 'DEMO-LOT-1', quantity: 60 },
  ],
};

/** Made three days ago into each plant's finished goods. */
async function stockForOpenShipments(
  call: ShipmentCall,
  plantIds: readonly string[],
  products: readonly { id: string; code: string }[],
) {
  const made = new Date(Date.now() - 3 * 86_400_000);
  for (const [index, plant] of DEMO_PLANTS.entries()) {
    const plantId = plantIds[index];
    if (plantId === undefined) continue;
    for (const stock of DEMO_STOCK[plant.code] ?? []) {
      const product = products.find((p) => p.code === stock.product);
      if (product !== undefined)
        await makeDemoLot(call, {
          plantId,
          productId: product.id,
          lotCode: stock.lot,
          quantity: stock.quantity,
          time: made,
        });
    }
  }
}

/**
 * Records the plants' past shipping (demo-shipping-history.ts) and this morning's dispatch of the
 * completed orders' lots (demo-dispatch.ts), then plans the open demo shipments in the
 * administrator's name and packs part of one per plant.
 */
export async function seedDemoShipments(
  db: Database,
  deps: { bus: EventBus },
  demo: { tenantId: string; adminUserId: string; plantIds: readonly string[] },
): Promise<string[]> {
  const principal: Principal = {
    kind: 'user',
    tenantId: demo.tenantId,
    userId: demo.adminUserId,
    apiKeyId: null,
    sessionId: null,
    permissions: new Set(allPermissions),
    plantIds: 'all',
  };
  const effects: (() => void)[] = [];
  const numbers = await db.ownerTransact(
    { tenantId: demo.tenantId, plantIds: 'all', userId: demo.adminUserId },
    async (tx) => {
      const call: ShipmentCall = { tx, principal, afterCommit: (effect) => effects.push(effect), deps };
      await useDemoPrefix(tx, principal);
      const consignees = await demoConsignees(tx, demo.tenantId);
      const carrierId = await demoCarrier(tx, demo.tenantId);
      const refs = {
        plantIds: demo.plantIds,
        customers: await defaultShipTos(call),
        carrierIds: await activeCarriers(tx),
      };
      await seedShippingHistory(call, refs);
      const lots = await dispatchFinishedLots(call, refs);
      const products = await tx
        .select({ id: tables.products.id, code: tables.products.code })
        .from(tables.products)
        .orderBy(asc(tables.products.code));
      const productId = (code: string) => products.find((p) => p.code === code)?.id;
      await stockForOpenShipments(call, demo.plantIds, products);
      const planned: string[] = [];
      for (const [plantIndex, plantId] of demo.plantIds.entries()) {
        for (const [index, lines] of DEMO_LINES.entries()) {
          const to = consignees[(plantIndex + index) % consignees.length]!;
          const day = new Date(Date.now() + (index + 1) * 86_400_000).toISOString().slice(0, 10);
          const created = await createShipment(call, {
            plantId,
            customerId: to.customerId,
            shipToId: to.shipToId,
            carrierId,
            plannedShipDate: day,
            // Numeric, as ERP purchase orders are: it fits the labels' (400) symbol.
            customerPo: `45000${41000 + plantIndex * 10 + index}`,
            products: lines.flatMap((line) => {
              const id = productId(line.product);
              return id === undefined ? [] : [{ productId: id, quantity: line.quantity }];
            }),
          });
          planned.push(created.number);
          // The first plant's carton holds calipers of its completed order's lot (demo-dispatch.ts).
          const lot = plantIndex === 0 ? lots.get(lines[0]!.product)?.lotCode : undefined;
          if (index === 0) await packSome(call, created.id, created.items, lot ?? 'DEMO-LOT-1');
        }
      }
      return planned;
    },
  );
  for (const effect of effects) effect();
  return numbers;
}

/** The first item half packed into a carton by scan: the shipment is being picked. */
async function packSome(
  call: ShipmentCall,
  shipmentId: string,
  items: readonly { gtin: string | null; quantity: number }[],
  lotCode: string,
) {
  const first = items[0];
  if (first?.gtin == null) return;
  const carton = await openPackage(call, { shipmentId, kind: 'carton' });
  const half = Math.floor(first.quantity / 2);
  await recordPackingScan(call, {
    shipmentId,
    packageId: carton.id,
    data: `(01)${first.gtin}(10)${lotCode}(30)${half}`,
    source: 'browser',
  });
}

/** SSCCs need a company prefix: the demo's is GS1's example, unless one is set already. */
async function useDemoPrefix(tx: Sql, principal: Principal) {
  const { logistics } = await tenantSettings(tx);
  if (logistics.gs1CompanyPrefix !== null) return;
  const { version } = await readSettingsRecord(tx);
  await updateSettings(tx, principal, {
    version,
    patch: { logistics: { gs1CompanyPrefix: DEMO_GS1_PREFIX } },
    reason: null,
  });
}

/** The tenant's active customers with their default address, or the fallback ones created now. */
async function demoConsignees(tx: Sql, tenantId: string) {
  const c = tables.customers;
  const a = tables.customerAddresses;
  const existing = await tx
    .select({ customerId: c.id, code: c.code, shipToId: a.id, isDefault: a.isDefault })
    .from(c)
    .innerJoin(a, and(eq(a.tenantId, c.tenantId), eq(a.customerId, c.id)))
    .where(and(eq(c.isActive, true), eq(a.isActive, true)))
    .orderBy(asc(c.code), asc(a.label));
  const byCustomer = new Map<string, (typeof existing)[number]>();
  for (const row of existing) {
    const known = byCustomer.get(row.customerId);
    if (known === undefined || (!known.isDefault && row.isDefault)) byCustomer.set(row.customerId, row);
  }
  if (byCustomer.size > 0) return [...byCustomer.values()].slice(0, 2);
  const created = [];
  for (const fallback of FALLBACK_CUSTOMERS) {
    const [customer] = await tx
      .insert(c)
      .values({ tenantId, code: fallback.code, name: fallback.name })
      .returning({ id: c.id });
    const [address] = await tx
      .insert(a)
      .values({ tenantId, customerId: customer!.id, ...fallback.address, isDefault: true })
      .returning({ id: a.id });
    created.push({ customerId: customer!.id, code: fallback.code, shipToId: address!.id, isDefault: true });
  }
  return created;
}

async function activeCarriers(tx: Sql): Promise<string[]> {
  const found = await tx
    .select({ id: tables.carriers.id })
    .from(tables.carriers)
    .where(eq(tables.carriers.isActive, true))
    .orderBy(asc(tables.carriers.code));
  return found.map((c) => c.id);
}

async function demoCarrier(tx: Sql, tenantId: string): Promise<string> {
  const [existing] = await tx
    .select({ id: tables.carriers.id })
    .from(tables.carriers)
    .where(eq(tables.carriers.isActive, true))
    .orderBy(asc(tables.carriers.code))
    .limit(1);
  if (existing !== undefined) return existing.id;
  const [created] = await tx
    .insert(tables.carriers)
    .values({ tenantId, ...FALLBACK_CARRIER })
    .returning({ id: tables.carriers.id });
  return created!.id;
}
