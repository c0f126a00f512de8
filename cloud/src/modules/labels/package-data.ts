import type { LabelDataInput, LabelParty } from '@plantline/schema/labels';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';

/*
 * A package's label data, built from what packing recorded (docs/labels.md, "Issuing and printing"):
 * the package's SSCC; the content GTIN (02) and count (37) when everything in it — cartons on a pallet
 * included — is one GTIN, the lot (10) when one lot, the expiry (17) when one date; the order (400) of
 * its shipment; ship-from the packing plant, ship-to the shipment's address with its GLN, or the
 * receiving plant of a transfer.
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
  to_plant_name: string | null;
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
               tp.name as to_plant_name, s.customer_po, a.name as ship_to_name, a.street, a.street2,
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
               pc.expiry::text as expiry, pc.quantity::text as quantity
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
  // Packing keeps one date per content, from (17) or (15) as scanned: printed as the use-by date.
  const expiry = one(contents.map((content) => content.expiry));
  if (expiry != null) data.expiry = expiry;
  return data;
}

function routeData(row: PackageRow): LabelDataInput {
  const data: LabelDataInput = { shipFrom: { name: cut(row.plant_name, PARTY_TEXT), address: [] } };
  if (row.sscc !== null) data.sscc = row.sscc;
  if (row.customer_po !== null && row.customer_po.trim() !== '') data.po = row.customer_po.trim();
  if (row.ship_to_name !== null) data.shipTo = shipTo(row);
  else if (row.to_plant_name !== null)
    data.shipTo = { name: cut(row.to_plant_name, PARTY_TEXT), address: [] };
  return data;
}

function shipTo(row: PackageRow): LabelParty {
  const town = [row.postal_code, row.city].filter((part) => part !== null && part.trim() !== '').join(' ');
  const last = [town, row.region, row.country]
    .filter((part) => part !== null && part.trim() !== '')
    .join(', ');
  const address = [row.street, row.street2, last]
    .filter((line): line is string => line !== null && line.trim() !== '')
    .slice(0, 3)
    .map((line) => cut(line, PARTY_TEXT));
  return {
    name: cut(row.ship_to_name ?? '', PARTY_TEXT),
    address,
    ...(row.ship_to_gln === null ? {} : { gln: row.ship_to_gln }),
  };
}
