import { tables } from '@plantline/schema';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  auditCreate,
  auditDelete,
  auditUpdate,
  DomainError,
  notFound,
  uniqueCode,
  withConstraintErrors,
} from '../../platform/index.js';

/*
 * The tenant's units, unit conversions and materials (docs/materials.md, "Model"). A unit's code and
 * a material's base unit are fixed once made: the ledger adds quantities in the base unit, and a
 * changed unit would silently rescale every past movement. Each write is audited here.
 */

const u = tables.units;
const unitColumns = { id: u.id, code: u.code, name: u.name, dimension: u.dimension };

export function listUnits(tx: Sql) {
  return tx.select(unitColumns).from(u).orderBy(asc(u.code));
}

export async function createUnit(
  tx: Sql,
  tenantId: string,
  input: { code: string; name: string; dimension: tables.UnitDimension },
) {
  const [unit] = await uniqueCode(
    tx
      .insert(u)
      .values({ ...input, tenantId })
      .returning(unitColumns),
  );
  if (unit === undefined) throw notFound('Unit');
  auditCreate(tx, 'unit', unit, { label: unit.code });
  return unit;
}

export async function updateUnit(tx: Sql, id: string, patch: { name?: string | undefined }) {
  const [before] = await tx.select(unitColumns).from(u).where(eq(u.id, id)).for('update');
  if (before === undefined) throw notFound('Unit');
  const [unit] = await tx.update(u).set(patch).where(eq(u.id, id)).returning(unitColumns);
  if (unit === undefined) throw notFound('Unit');
  auditUpdate(tx, 'unit', before, unit, { label: unit.code });
  return unit;
}

/** The unit by code, or an invalid-input error naming it. */
export async function unitByCode(tx: Sql, code: string, field = 'unit') {
  const [unit] = await tx.select(unitColumns).from(u).where(eq(u.code, code));
  if (unit === undefined)
    throw new DomainError('invalid', `Unknown unit ${code}`, { [field]: 'Unknown unit' });
  return unit;
}

// ---- conversions

const c = tables.unitConversions;
const conversionColumns = {
  id: c.id,
  fromUnit: c.fromUnit,
  toUnit: c.toUnit,
  factor: c.factor,
  materialId: c.materialId,
};

export function listConversions(tx: Sql, input: { materialId?: string | undefined }) {
  return tx
    .select(conversionColumns)
    .from(c)
    .where(input.materialId === undefined ? undefined : eq(c.materialId, input.materialId))
    .orderBy(asc(c.fromUnit), asc(c.toUnit));
}

export interface ConversionFields {
  fromUnit: string;
  toUnit: string;
  factor: number;
  materialId?: string | null | undefined;
}

export async function createConversion(tx: Sql, tenantId: string, input: ConversionFields) {
  if (input.fromUnit === input.toUnit)
    throw new DomainError('invalid', 'A conversion is between two units', {
      toUnit: 'Same as the other unit',
    });
  const [from, to] = [
    await unitByCode(tx, input.fromUnit, 'fromUnit'),
    await unitByCode(tx, input.toUnit, 'toUnit'),
  ];
  // A material-specific conversion may cross dimensions (a bag of 25 kg); a general one may not.
  if ((input.materialId ?? null) === null && from.dimension !== to.dimension)
    throw new DomainError(
      'invalid',
      `${from.code} is a ${from.dimension} and ${to.code} a ${to.dimension}: name the material`,
      {
        materialId: 'Needed between dimensions',
      },
    );
  if (input.materialId != null) await getMaterial(tx, input.materialId);
  const [conversion] = await withConstraintErrors(
    tx
      .insert(c)
      .values({ ...input, factor: String(input.factor), materialId: input.materialId ?? null, tenantId })
      .returning(conversionColumns),
    {
      unit_conversions_key: () => new DomainError('conflict', `${from.code} → ${to.code} is already defined`),
    },
  );
  if (conversion === undefined) throw notFound('Conversion');
  auditCreate(tx, 'unit_conversion', conversion, { label: `${from.code}→${to.code}` });
  return conversion;
}

export async function deleteConversion(tx: Sql, id: string) {
  const [gone] = await tx.delete(c).where(eq(c.id, id)).returning(conversionColumns);
  if (gone === undefined) throw notFound('Conversion');
  auditDelete(tx, 'unit_conversion', gone, { label: `${gone.fromUnit}→${gone.toUnit}` });
  return gone;
}

/**
 * `quantity` of `unitCode` in the material's base unit, as a numeric string: directly when the units
 * are the same, else through a conversion to the base unit (the material's own before a general one),
 * else through one from the base unit, inverted.
 */
export async function toBaseQuantity(
  tx: Sql,
  material: { id: string; code: string; baseUnit: string },
  quantity: number | string,
  unitCode: string | undefined,
): Promise<string> {
  if (unitCode === undefined || unitCode === material.baseUnit) return String(quantity);
  await unitByCode(tx, unitCode);
  const forMaterial = (ids: SQL | undefined) =>
    and(ids, sql`(${c.materialId} is null or ${c.materialId} = ${material.id})`);
  const [found] = await tx
    .select({
      // trim_scale: 500 g is 0.5 kg, not 0.500 (the factor's scale would otherwise carry over).
      base: sql<string>`trim_scale(case when ${c.toUnit} = ${material.baseUnit} then ${quantity}::numeric * ${c.factor}
        else ${quantity}::numeric / ${c.factor} end)::text`,
    })
    .from(c)
    .where(
      forMaterial(
        sql`((${c.fromUnit} = ${unitCode} and ${c.toUnit} = ${material.baseUnit})
          or (${c.fromUnit} = ${material.baseUnit} and ${c.toUnit} = ${unitCode}))`,
      ),
    )
    .orderBy(sql`${c.materialId} is null`, sql`${c.toUnit} <> ${material.baseUnit}`)
    .limit(1);
  if (found === undefined)
    throw new DomainError(
      'invalid',
      `No conversion from ${unitCode} to ${material.baseUnit} for ${material.code}`,
      {
        unit: `No conversion to ${material.baseUnit}`,
      },
    );
  return found.base;
}

// ---- materials

const m = tables.materials;
export const materialColumns = {
  id: m.id,
  code: m.code,
  name: m.name,
  kind: m.kind,
  baseUnit: m.baseUnit,
  lotTracked: m.lotTracked,
  serialTracked: m.serialTracked,
  shelfLifeDays: m.shelfLifeDays,
  gtin: m.gtin,
  productId: m.productId,
  isActive: m.isActive,
};
export type Material = Awaited<ReturnType<typeof getMaterial>>;

export function listMaterials(
  tx: Sql,
  input: { kind?: tables.MaterialKind | undefined; includeInactive?: boolean | undefined },
) {
  return tx
    .select(materialColumns)
    .from(m)
    .where(
      and(
        input.kind === undefined ? undefined : eq(m.kind, input.kind),
        input.includeInactive === true ? undefined : eq(m.isActive, true),
      ),
    )
    .orderBy(asc(m.code));
}

export async function getMaterial(tx: Sql, id: string) {
  const [material] = await tx.select(materialColumns).from(m).where(eq(m.id, id));
  if (material === undefined) throw notFound('Material');
  return material;
}

export interface MaterialFields {
  code: string;
  name: string;
  kind: tables.MaterialKind;
  baseUnit: string;
  lotTracked?: boolean | undefined;
  serialTracked?: boolean | undefined;
  shelfLifeDays?: number | null | undefined;
  gtin?: string | null | undefined;
}

const materialConstraints = {
  materials_gtin_key: () =>
    new DomainError('conflict', 'That GTIN is another material’s', { gtin: 'Already used' }),
};

/** A material of its own; a product's finished material comes with the product (docs/materials.md). */
export async function createMaterial(tx: Sql, tenantId: string, input: MaterialFields) {
  await unitByCode(tx, input.baseUnit, 'baseUnit');
  const [material] = await uniqueCode(
    withConstraintErrors(
      tx
        .insert(m)
        .values({ ...input, tenantId })
        .returning(materialColumns),
      materialConstraints,
    ),
  );
  if (material === undefined) throw notFound('Material');
  auditCreate(tx, 'material', material, { label: material.code });
  return material;
}

/** Fields a product's material takes from its product and may not be changed on their own. */
const PRODUCT_FIELDS = ['code', 'name', 'gtin', 'kind'] as const;

export async function updateMaterial(
  tx: Sql,
  id: string,
  patch: Partial<Omit<MaterialFields, 'baseUnit'>> & { isActive?: boolean | undefined },
) {
  const [before] = await tx.select(materialColumns).from(m).where(eq(m.id, id)).for('update');
  if (before === undefined) throw notFound('Material');
  const fromProduct = PRODUCT_FIELDS.filter((f) => patch[f] !== undefined);
  if (before.productId !== null && fromProduct.length > 0)
    throw new DomainError(
      'invalid',
      `${before.code} is a product’s material: change ${fromProduct.join(', ')} on the product`,
    );
  const [material] = await uniqueCode(
    withConstraintErrors(
      tx.update(m).set(patch).where(eq(m.id, id)).returning(materialColumns),
      materialConstraints,
    ),
  );
  if (material === undefined) throw notFound('Material');
  auditUpdate(tx, 'material', before, material, { label: material.code });
  return material;
}

/** The finished material of a product (every product has one, docs/materials.md). */
export async function materialOfProduct(tx: Sql, productId: string) {
  const [material] = await tx.select(materialColumns).from(m).where(eq(m.productId, productId));
  if (material === undefined) throw notFound('Material');
  return material;
}
