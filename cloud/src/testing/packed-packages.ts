import { randomBytes } from 'node:crypto';
import { tables } from '@plantline/schema';
import { ssccFrom } from '@plantline/schema/gs1';
import { eq } from 'drizzle-orm';
import type { Database, Sql } from '../db/index.js';

/*
 * A packed pallet for label tests: a customer with a ship-to address, a shipment with its PO and one
 * item — or, with `transferTo`, a transfer order to another plant with one item — and a pallet with
 * its SSCC holding what was packed, written as the owner in the tenant's scope, the way packing leaves
 * the tables. Each call makes its own customer or transfer, shipment and SSCC.
 */

export interface PackedContent {
  gtin?: string | null;
  lot?: string | null;
  /** (17), YYYY-MM-DD. */
  expiry?: string | null;
  /** (15), YYYY-MM-DD. */
  bestBefore?: string | null;
  quantity: number;
  /** Another product than the pallet's first (a mixed pallet). */
  productCode?: string;
}

export interface PackedPalletOptions {
  tenantId: string;
  plantId: string;
  contents?: readonly PackedContent[];
  /** The ship-to GLN; null for none. */
  shipToGln?: string | null;
  customerPo?: string;
  /** No SSCC yet. */
  withoutSscc?: boolean;
  /** Packs the contents into a carton on the pallet instead of on the pallet itself. */
  inCarton?: boolean;
  /** The receiving plant: a transfer's pallet instead of a customer shipment's. */
  transferTo?: string;
}

export interface PackedPallet {
  packageId: string;
  cartonId: string | null;
  /** The shipment, or the transfer order with `transferTo`. */
  shipmentId: string;
  sscc: string | null;
  productId: string;
}

let serial = Number.parseInt(randomBytes(3).toString('hex'), 16);

/** A new SSCC under a test company prefix, different on every call. */
export const nextTestSscc = () =>
  ssccFrom({ extensionDigit: 0, companyPrefix: '9506000', serialReference: ++serial });

export async function packedPallet(db: Database, options: PackedPalletOptions): Promise<PackedPallet> {
  const { tenantId, plantId } = options;
  const tag = randomBytes(4).toString('hex').toUpperCase();
  const contents = options.contents ?? [
    { gtin: '09506000134352', lot: 'L2405A', expiry: '2027-01-31', quantity: 40 },
  ];
  return db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const products = new Map<string, string>();
    const productOf = async (code: string) => {
      const known = products.get(code);
      if (known !== undefined) return known;
      const [existing] = await tx
        .select({ id: tables.products.id })
        .from(tables.products)
        .where(eq(tables.products.code, code));
      const id =
        existing?.id ??
        (
          await tx
            .insert(tables.products)
            .values({ tenantId, code, name: `Hazelnut spread ${code}` })
            .returning({ id: tables.products.id })
        )[0]!.id;
      products.set(code, id);
      return id;
    };
    const firstProduct = await productOf(contents[0]?.productCode ?? 'SPREAD-400');
    const quantity = contents.reduce((sum, content) => sum + content.quantity, 0);
    const route =
      options.transferTo === undefined
        ? await shipmentFor(tx, { tenantId, plantId, tag, productId: firstProduct, quantity, options })
        : await transferFor(tx, {
            tenantId,
            plantId,
            toPlantId: options.transferTo,
            tag,
            productId: firstProduct,
            quantity,
          });
    const sscc = options.withoutSscc ? null : nextTestSscc();
    const [pallet] = await tx
      .insert(tables.packages)
      .values({ tenantId, plantId, ...route.package, kind: 'pallet', sscc })
      .returning({ id: tables.packages.id });
    let holder = pallet!.id;
    let cartonId: string | null = null;
    if (options.inCarton) {
      const [carton] = await tx
        .insert(tables.packages)
        .values({
          tenantId,
          plantId,
          ...route.package,
          parentId: pallet!.id,
          kind: 'carton',
          sscc: nextTestSscc(),
        })
        .returning({ id: tables.packages.id });
      cartonId = carton!.id;
      holder = carton!.id;
    }
    for (const content of contents)
      await tx.insert(tables.packageContents).values({
        tenantId,
        plantId,
        packageId: holder,
        ...route.content,
        productId: await productOf(content.productCode ?? 'SPREAD-400'),
        gtin: content.gtin ?? null,
        lot: content.lot ?? null,
        expiry: content.expiry ?? null,
        bestBefore: content.bestBefore ?? null,
        quantity: String(content.quantity),
      });
    return { packageId: pallet!.id, cartonId, shipmentId: route.id, sscc, productId: firstProduct };
  });
}

interface RouteFields {
  tenantId: string;
  plantId: string;
  tag: string;
  productId: string;
  quantity: number;
}

/** A customer with a ship-to address and a shipment of one item to it. */
async function shipmentFor(tx: Sql, fields: RouteFields & { options: PackedPalletOptions }) {
  const { tenantId, plantId, tag, options } = fields;
  const [customer] = await tx
    .insert(tables.customers)
    .values({ tenantId, code: `C-${tag}`, name: `Metro ${tag}` })
    .returning({ id: tables.customers.id });
  const [address] = await tx
    .insert(tables.customerAddresses)
    .values({
      tenantId,
      customerId: customer!.id,
      label: 'North DC',
      name: 'Metro DC North',
      street: 'Dock 4',
      postalCode: '12345',
      city: 'Northtown',
      country: 'DE',
      gln: options.shipToGln === undefined ? '9506000000022' : options.shipToGln,
    })
    .returning({ id: tables.customerAddresses.id });
  const [shipment] = await tx
    .insert(tables.shipments)
    .values({
      tenantId,
      plantId,
      number: `SHP-T-${tag}`,
      customerId: customer!.id,
      shipToId: address!.id,
      customerPo: options.customerPo ?? '4500012345',
      status: 'picking',
    })
    .returning({ id: tables.shipments.id });
  const [item] = await tx
    .insert(tables.shipmentItems)
    .values({
      tenantId,
      plantId,
      shipmentId: shipment!.id,
      lineNo: 1,
      productId: fields.productId,
      quantity: String(fields.quantity),
    })
    .returning({ id: tables.shipmentItems.id });
  return {
    id: shipment!.id,
    package: { shipmentId: shipment!.id },
    content: { shipmentItemId: item!.id },
  };
}

/** A transfer order of one item from the plant to `toPlantId`. */
async function transferFor(tx: Sql, fields: RouteFields & { toPlantId: string }) {
  const { tenantId, plantId, toPlantId, tag } = fields;
  const [order] = await tx
    .insert(tables.transferOrders)
    .values({ tenantId, fromPlantId: plantId, toPlantId, number: `TR-T-${tag}`, status: 'picking' })
    .returning({ id: tables.transferOrders.id });
  const [item] = await tx
    .insert(tables.transferItems)
    .values({
      tenantId,
      fromPlantId: plantId,
      toPlantId,
      transferOrderId: order!.id,
      lineNo: 1,
      productId: fields.productId,
      quantity: String(fields.quantity),
    })
    .returning({ id: tables.transferItems.id });
  return {
    id: order!.id,
    package: { transferOrderId: order!.id, toPlantId },
    content: { transferItemId: item!.id, toPlantId },
  };
}
