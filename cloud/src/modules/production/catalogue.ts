import { tables } from '@plantline/schema';
import { and, asc, type Column, eq, type SQL } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  auditCreate,
  auditUpdate,
  DomainError,
  notFound,
  takenCode,
  uniqueCode,
  withConstraintErrors,
} from '../../platform/index.js';

/*
 * The tenant-wide code lists of the KPI engine: products, state codes (the state → loss bucket
 * mapping, docs/kpis.md) and downtime reasons. Rows are deactivated, never deleted: history refers to
 * their codes. Row-level security scopes every statement to the caller's tenant, so another tenant's
 * id is simply "not found". Each create and change through the API is audited where it is made; the
 * bulk inserts, a new tenant's default mapping and the demo seed's lists, are not.
 */

const activeOnly = (column: Column, includeInactive: boolean | undefined) =>
  includeInactive === true ? undefined : eq(column, true);

// ---- products

const productColumns = {
  id: tables.products.id,
  code: tables.products.code,
  name: tables.products.name,
  unit: tables.products.unit,
  /** The current revision: change orders advance it (docs/change-orders.md). */
  revision: tables.products.revision,
  /** 14 digits, or null: a product without one cannot be packed by scan (docs/logistics.md). */
  gtin: tables.products.gtin,
  isActive: tables.products.isActive,
};

export interface ProductFields {
  code: string;
  name: string;
  unit: string;
  gtin?: string | null | undefined;
}

/** A GTIN names one product of the tenant (products_gtin_key). */
async function refuseTakenGtin(tx: Sql, gtin: string | null | undefined, productId: string | null) {
  if (gtin == null) return;
  const [other] = await tx
    .select({ id: tables.products.id, code: tables.products.code })
    .from(tables.products)
    .where(eq(tables.products.gtin, gtin));
  if (other !== undefined && other.id !== productId)
    throw new DomainError('conflict', `GTIN ${gtin} is product ${other.code}’s`, {
      gtin: `Already ${other.code}’s`,
    });
}

export function listProducts(tx: Sql, input: { includeInactive?: boolean | undefined }) {
  return tx
    .select(productColumns)
    .from(tables.products)
    .where(activeOnly(tables.products.isActive, input.includeInactive))
    .orderBy(asc(tables.products.code));
}

export async function getProduct(tx: Sql, id: string) {
  const [product] = await tx.select(productColumns).from(tables.products).where(eq(tables.products.id, id));
  if (product === undefined) throw notFound('Product');
  return product;
}

/**
 * Inserts the products whose codes are free. Each starts its revision history at its first revision
 * (product_revisions), so the history a product shows begins where the product did.
 */
export async function createProducts(tx: Sql, tenantId: string, input: ProductFields[]) {
  if (input.length === 0) return [];
  const created = await tx
    .insert(tables.products)
    .values(input.map((p) => ({ ...p, tenantId })))
    .onConflictDoNothing()
    .returning({ ...productColumns, createdAt: tables.products.createdAt });
  if (created.length > 0)
    await tx.insert(tables.productRevisions).values(
      created.map((p) => ({
        tenantId,
        productId: p.id,
        revision: p.revision,
        effectiveFrom: p.createdAt,
        note: 'Initial revision',
      })),
    );
  return created.map(({ createdAt: _, ...product }) => product);
}

/*
 * Every product is a finished material (docs/materials.md, "Products"): the database makes the
 * material with the product and renames it with the product, and the audit trail records both.
 */
const finishedMaterialColumns = {
  id: tables.materials.id,
  code: tables.materials.code,
  name: tables.materials.name,
  kind: tables.materials.kind,
  baseUnit: tables.materials.baseUnit,
  gtin: tables.materials.gtin,
  productId: tables.materials.productId,
  isActive: tables.materials.isActive,
};

function finishedMaterial(tx: Sql, productId: string) {
  return tx
    .select(finishedMaterialColumns)
    .from(tables.materials)
    .where(eq(tables.materials.productId, productId));
}

const materialCodeTaken = (code: string) => ({
  materials_tenant_code_key: () =>
    new DomainError('conflict', `Code ${code} is a material’s`, { code: 'A material’s code' }),
});

export async function createProduct(tx: Sql, tenantId: string, input: ProductFields) {
  await refuseTakenGtin(tx, input.gtin, null);
  const [product] = await withConstraintErrors(
    createProducts(tx, tenantId, [input]),
    materialCodeTaken(input.code),
  );
  if (product === undefined) throw takenCode();
  auditCreate(tx, 'product', product, { label: product.code });
  const [material] = await finishedMaterial(tx, product.id);
  if (material !== undefined) auditCreate(tx, 'material', material, { label: material.code });
  return product;
}

export async function updateProduct(
  tx: Sql,
  id: string,
  patch: Partial<ProductFields> & { isActive?: boolean | undefined },
) {
  const [before] = await tx
    .select(productColumns)
    .from(tables.products)
    .where(eq(tables.products.id, id))
    .for('update');
  if (before === undefined) throw notFound('Product');
  await refuseTakenGtin(tx, patch.gtin, id);
  const [materialBefore] = await finishedMaterial(tx, id).for('update');
  const [product] = await uniqueCode(
    withConstraintErrors(
      tx.update(tables.products).set(patch).where(eq(tables.products.id, id)).returning(productColumns),
      materialCodeTaken(patch.code ?? before.code),
    ),
  );
  if (product === undefined) throw notFound('Product');
  auditUpdate(tx, 'product', before, product, { label: product.code });
  const [material] = await finishedMaterial(tx, id);
  if (materialBefore !== undefined && material !== undefined)
    auditUpdate(tx, 'material', materialBefore, material, { label: material.code });
  return product;
}

// ---- state codes (state_loss_mapping)

const stateColumns = {
  id: tables.stateLossMapping.id,
  code: tables.stateLossMapping.code,
  name: tables.stateLossMapping.name,
  colour: tables.stateLossMapping.colour,
  bucket: tables.stateLossMapping.bucket,
  isActive: tables.stateLossMapping.isActive,
};

export interface StateCodeFields {
  code: string;
  name: string;
  colour: string;
  bucket: tables.LossBucket;
}

export function listStateCodes(
  tx: Sql,
  input: { bucket?: tables.LossBucket | undefined; includeInactive?: boolean | undefined },
) {
  const conditions: (SQL | undefined)[] = [
    activeOnly(tables.stateLossMapping.isActive, input.includeInactive),
  ];
  if (input.bucket !== undefined) conditions.push(eq(tables.stateLossMapping.bucket, input.bucket));
  return tx
    .select(stateColumns)
    .from(tables.stateLossMapping)
    .where(and(...conditions))
    .orderBy(asc(tables.stateLossMapping.code));
}

/** Inserts the codes that do not exist yet; existing codes keep the tenant's own mapping. */
export function createStateCodes(tx: Sql, tenantId: string, input: readonly StateCodeFields[]) {
  if (input.length === 0) return Promise.resolve([]);
  return tx
    .insert(tables.stateLossMapping)
    .values(input.map((s) => ({ ...s, tenantId })))
    .onConflictDoNothing()
    .returning(stateColumns);
}

export async function createStateCode(tx: Sql, tenantId: string, input: StateCodeFields) {
  const [state] = await createStateCodes(tx, tenantId, [input]);
  if (state === undefined) throw takenCode();
  auditCreate(tx, 'state_loss_mapping', state, { label: state.code });
  return state;
}

export async function updateStateCode(
  tx: Sql,
  id: string,
  patch: Partial<StateCodeFields> & { isActive?: boolean | undefined },
) {
  const [before] = await tx
    .select(stateColumns)
    .from(tables.stateLossMapping)
    .where(eq(tables.stateLossMapping.id, id))
    .for('update');
  if (before === undefined) throw notFound('State code');
  const [state] = await uniqueCode(
    tx
      .update(tables.stateLossMapping)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(tables.stateLossMapping.id, id))
      .returning(stateColumns),
  );
  if (state === undefined) throw notFound('State code');
  auditUpdate(tx, 'state_loss_mapping', before, state, { label: state.code });
  return state;
}

// ---- downtime reasons

const reasonColumns = {
  id: tables.downtimeReasons.id,
  code: tables.downtimeReasons.code,
  name: tables.downtimeReasons.name,
  bucket: tables.downtimeReasons.bucket,
  category: tables.downtimeReasons.category,
  isActive: tables.downtimeReasons.isActive,
};

export interface DowntimeReasonFields {
  code: string;
  name: string;
  bucket: tables.LossBucket;
  category: string;
}

export function listDowntimeReasons(
  tx: Sql,
  input: { bucket?: tables.LossBucket | undefined; includeInactive?: boolean | undefined },
) {
  const conditions: (SQL | undefined)[] = [
    activeOnly(tables.downtimeReasons.isActive, input.includeInactive),
  ];
  if (input.bucket !== undefined) conditions.push(eq(tables.downtimeReasons.bucket, input.bucket));
  return tx
    .select(reasonColumns)
    .from(tables.downtimeReasons)
    .where(and(...conditions))
    .orderBy(asc(tables.downtimeReasons.code));
}

export function createDowntimeReasons(tx: Sql, tenantId: string, input: readonly DowntimeReasonFields[]) {
  if (input.length === 0) return Promise.resolve([]);
  return tx
    .insert(tables.downtimeReasons)
    .values(input.map((r) => ({ ...r, tenantId })))
    .onConflictDoNothing()
    .returning(reasonColumns);
}

export async function createDowntimeReason(tx: Sql, tenantId: string, input: DowntimeReasonFields) {
  const [reason] = await createDowntimeReasons(tx, tenantId, [input]);
  if (reason === undefined) throw takenCode();
  auditCreate(tx, 'downtime_reason', reason, { label: reason.code });
  return reason;
}

export async function updateDowntimeReason(
  tx: Sql,
  id: string,
  patch: Partial<DowntimeReasonFields> & { isActive?: boolean | undefined },
) {
  const [before] = await tx
    .select(reasonColumns)
    .from(tables.downtimeReasons)
    .where(eq(tables.downtimeReasons.id, id))
    .for('update');
  if (before === undefined) throw notFound('Downtime reason');
  const [reason] = await uniqueCode(
    tx
      .update(tables.downtimeReasons)
      .set(patch)
      .where(eq(tables.downtimeReasons.id, id))
      .returning(reasonColumns),
  );
  if (reason === undefined) throw notFound('Downtime reason');
  auditUpdate(tx, 'downtime_reason', before, reason, { label: reason.code });
  return reason;
}
