import { tables } from '@plantline/schema';
import { eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError, withConstraintErrors } from '../../platform/index.js';

/*
 * What a transfer points at must be of its tenant and usable (docs/logistics.md, "Transfers"): active
 * products and carriers, looked up under row-level security so another tenant's is "not found"; the
 * foreign keys hold the tenant for the rest, and a refused one becomes its field's error.
 */

const constraintErrors: Record<string, () => DomainError> = {
  transfer_orders_to_plant_fk: () =>
    new DomainError('not_found', 'Plant not found', { toPlantId: 'Not a plant of this tenant' }),
  transfer_orders_carrier_fk: () =>
    new DomainError('not_found', 'Carrier not found', { carrierId: 'Not found' }),
  transfer_items_product_fk: () => new DomainError('not_found', 'Product not found', { items: 'Not found' }),
};

export const withReferences = <T>(work: Promise<T>): Promise<T> =>
  withConstraintErrors(work, constraintErrors);

export async function checkProducts(tx: Sql, lines: readonly TransferLine[]) {
  const p = tables.products;
  const ids = [...new Set(lines.map((l) => l.productId))];
  if (ids.length === 0) return;
  const found = await tx
    .select({ id: p.id, code: p.code, isActive: p.isActive })
    .from(p)
    .where(inArray(p.id, ids));
  for (const id of ids) {
    const product = found.find((f) => f.id === id);
    if (product === undefined)
      throw new DomainError('not_found', 'Product not found', { items: 'Not found' });
    if (!product.isActive)
      throw new DomainError('invalid', `Product ${product.code} is deactivated`, {
        items: `${product.code} is deactivated`,
      });
  }
}

export async function checkCarrier(tx: Sql, carrierId: string) {
  const c = tables.carriers;
  const [carrier] = await tx
    .select({ code: c.code, isActive: c.isActive })
    .from(c)
    .where(eq(c.id, carrierId));
  if (carrier === undefined)
    throw new DomainError('not_found', 'Carrier not found', { carrierId: 'Not found' });
  if (!carrier.isActive)
    throw new DomainError('invalid', `Carrier ${carrier.code} is deactivated`, { carrierId: 'Deactivated' });
}

/** One line of a transfer as planned. */
export interface TransferLine {
  productId: string;
  quantity: number;
  lot?: string | null | undefined;
}
