import type { LabelDataInput, LabelParty } from '@plantline/schema/labels';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';

/*
 * A package's label data, built from what packing recorded (docs/labels.md, "Issuing and printing"):
 * the package's SSCC; the content GTIN (02) and count (37) when everything in it — cartons on a pallet
 * included — is one GTIN, the lot (10) when one lot, one date — (17) or (15) — when all share it; the order (400) of
 * its shipment; ship-from the packing plant with its address and GLN, ship-to the shipment's address
 * with its GLN, or the receiving plant of a transfer with its address and GLN.
 */

export interface PackageForLabel {
  id: string;
  plantId: string;
  kind: 'pallet' | 'carton' | 'case';
  sscc: string | null;
  shipmentId: string | null;
}

/** GS1's party lines are at most 40 characters (labelDataSchema); longer address parts are cut. */
const PARTY_TEXT = 40;
const DESCRIPTION = 60;

const cut = (text: string, length: number) => text.trim().slice(0, length).trim();

interface PackageRow {
  id: string;
  plant_id: string;
  kind: PackageForLabel['kind'];
  sscc: string | null;
  shipment_id: string | null;
  plant_name: string;
  plant_street: string;
  plant_postal_code: string;
  plant_city: string;
  plant_country: string;
  plant_gln: string | null;
  to_plant_name: string | null;
  to_plant_street: string | null;
  to_plant_postal_code: string | null;
  to_plant_city: string | null;
  to_plant_country: string | null;
  to_plant_gln: string | null;
  customer_po: string | null;
  ship_to_name: string | null;
  street: string | null;
  street2: string | null;
  postal_code: string | null;
  city: string | null;
  region: string | null;
  country: string | null;
  ship_to_gln: string | null;
}

interface ContentRow {
  gtin: string | null;
  product_name: string;
  lot: string | null;
  expiry: string | null;
  best_before: string | null;
  quantity: string;
}

/** The package (row-level security: one the caller's plants pack or receive) and its label data. */
export async function packageLabelData(
  tx: Sql,
  packageId: string,
): Promise<{ pkg: PackageForLabel; data: LabelDataInput }> {
  const [row] = await rows<PackageRow>(
    tx,
    sql`select p.id, p.plant_id, p.kind, p.sscc, p.shipment_id, pl.name as plant_name,
               pl.street as plant_street, pl.postal_code as plant_postal_code, pl.city as plant_city,
               pl.country as plant_country, pl.gln as plant_gln,
               tp.name as to_plant_name, tp.street as to_plant_street,
               tp.postal_code as to_plant_postal_code, tp.city as to_plant_city,
               tp.country as to_plant_country, tp.gln as to_plant_gln,
               s.customer_po, a.name as ship_to_name, a.street, a.street2,
               a.postal_code, a.city, a.region, a.country, a.gln as ship_to_gln
          from packages p
          join plants pl on pl.tenant_id = p.tenant_id and pl.id = p.plant_id
          left join plants tp on tp.tenant_id = p.tenant_id and tp.id = p.to_plant_id
          left join shipments s on s.tenant_id = p.tenant_id and s.id = p.shipment_id
          left join customer_addresses a
            on a.tenant_id = s.tenant_id and a.customer_id = s.customer_id and a.id = s.ship_to_id
         where p.id = ${packageId}::uuid`,
  );
  if (row === undefined) throw new DomainError('not_found', 'Package not found', { packageId: 'Not found' });
  const contents = await rows<ContentRow>(
    tx,
    sql`with recursive tree as (
          select id from packages where id = ${packageId}::uuid
          union all
          select c.id from packages c join tree on c.parent_id = tree.id
        )
        select coalesce(pc.gtin, pr.gtin) as gtin, pr.name as product_name, pc.lot,
               pc.expiry::text as expiry, pc.best_before::text as best_before,
               pc.quantity::text as quantity
          from package_contents pc
          join tree on pc.package_id = tree.id
          join products pr on pr.tenant_id = pc.tenant_id and pr.id = pc.product_id`,
  );
  const pkg: PackageForLabel = {
    id: row.id,
    plantId: row.plant_id,
    kind: row.kind,
    sscc: row.sscc,
    shipmentId: row.shipment_id,
  };
  return { pkg, data: { ...contentData(contents), ...routeData(row) } };
}

/** What the contents say, where they all agree; a mixed package leaves the field out. */
export function contentData(contents: readonly ContentRow[]): LabelDataInput {
  if (contents.length === 0) return {};
  const one = <T>(values: readonly T[]): T | undefined =>
    new Set(values).size === 1 ? values[0] : undefined;
  const data: LabelDataInput = {};
  const gtin = one(contents.map((content) => content.gtin));
  if (gtin != null) {
    data.gtin = gtin;
    const count = contents.reduce((sum, content) => sum + Number(content.quantity), 0);
    // (37) counts trade items: whole ones only.
    if (Number.isInteger(count) && count >= 1) data.count = count;
  }
  const name = one(contents.map((content) => content.product_name));
  if (name !== undefined && name.trim() !== '') data.description = cut(name, DESCRIPTION);
  const lot = one(contents.map((content) => content.lot));
  if (lot != null) data.lot = lot;
  // One date for the unit, as the GS1 logistic label carries one: the (17) expiry when every content
  // has the same, else the (15) best-before when every content has the same, else none.
  const expiry = one(contents.map((content) => content.expiry));
  const bestBefore = one(contents.map((content) => content.best_before));
  if (expiry != null) data.expiry = expiry;
  else if (bestBefore != null) data.bestBefore = bestBefore;
  return data;
}

function routeData(row: PackageRow): LabelDataInput {
  const data: LabelDataInput = {
    shipFrom: party(row.plant_name, {
      street: row.plant_street,
      postalCode: row.plant_postal_code,
      city: row.plant_city,
      country: row.plant_country,
      gln: row.plant_gln,
    }),
  };
  if (row.sscc !== null) data.sscc = row.sscc;
  if (row.customer_po !== null && row.customer_po.trim() !== '') data.po = row.customer_po.trim();
  if (row.ship_to_name !== null)
    data.shipTo = party(row.ship_to_name, {
      street: row.street,
      street2: row.street2,
      postalCode: row.postal_code,
      city: row.city,
      region: row.region,
      country: row.country,
      gln: row.ship_to_gln,
    });
  else if (row.to_plant_name !== null)
    data.shipTo = party(row.to_plant_name, {
      street: row.to_plant_street,
      postalCode: row.to_plant_postal_code,
      city: row.to_plant_city,
      country: row.to_plant_country,
      gln: row.to_plant_gln,
    });
  return data;
}

interface Address {
  street?: string | null;
  street2?: string | null;
  postalCode?: string | null;
  city?: string | null;
  region?: string | null;
  country?: string | null;
  gln: string | null;
}

/**
 * A party of the label: its name and up to three address lines — street, second street line, then
 * "postal code city, region, country" — leaving out what is empty, each cut to a label line.
 */
function party(name: string, address: Address): LabelParty {
  const filled = (part: string | null | undefined): part is string =>
    part !== null && part !== undefined && part.trim() !== '';
  const town = [address.postalCode, address.city].filter(filled).join(' ');
  const last = [town, address.region, address.country].filter(filled).join(', ');
  const lines = [address.street, address.street2, last]
    .filter(filled)
    .slice(0, 3)
    .map((line) => cut(line, PARTY_TEXT));
  return {
    name: cut(name, PARTY_TEXT),
    address: lines,
    ...(address.gln === null ? {} : { gln: address.gln }),
  };
}
