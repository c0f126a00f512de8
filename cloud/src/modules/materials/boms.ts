import { tables } from '@plantline/schema';
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import { auditCreate, auditDelete, auditUpdate, DomainError, notFound } from '../../platform/index.js';
import { getMaterial, toBaseQuantity } from './catalogue.js';

/*
 * Bills of materials (docs/materials.md, "BOMs"). A BOM is one version of what makes a base quantity
 * of a material. Drafts are edited; a released version is frozen and effective over [valid_from,
 * valid_to), and releasing a version closes the open one before it, so a material's released versions
 * never overlap. Old versions stay readable. No BOM may contain its own material, directly or through
 * the BOMs of its components.
 */

const bom = tables.boms;
const item = tables.bomItems;
const m = tables.materials;

const bomColumns = {
  id: bom.id,
  materialId: bom.materialId,
  materialCode: m.code,
  materialName: m.name,
  baseUnit: m.baseUnit,
  version: bom.version,
  code: bom.code,
  name: bom.name,
  status: bom.status,
  baseQuantity: bom.baseQuantity,
  validFrom: bom.validFrom,
  validTo: bom.validTo,
  backflush: bom.backflush,
  note: bom.note,
  createdAt: bom.createdAt,
  updatedAt: bom.updatedAt,
};

const selectBoms = (tx: Sql) =>
  tx
    .select(bomColumns)
    .from(bom)
    .innerJoin(m, and(eq(m.tenantId, bom.tenantId), eq(m.id, bom.materialId)));

export function listBoms(
  tx: Sql,
  input: { materialId?: string | undefined; status?: tables.BomStatus | undefined },
) {
  return selectBoms(tx)
    .where(
      and(
        input.materialId === undefined ? undefined : eq(bom.materialId, input.materialId),
        input.status === undefined ? undefined : eq(bom.status, input.status),
      ),
    )
    .orderBy(asc(m.code), desc(bom.version));
}

async function bomRow(tx: Sql, id: string, lock = false) {
  if (lock) await tx.select({ id: bom.id }).from(bom).where(eq(bom.id, id)).for('update');
  const [found] = await selectBoms(tx).where(eq(bom.id, id));
  if (found === undefined) throw notFound('BOM');
  return found;
}

const c = tables.materials;
const itemColumns = {
  id: item.id,
  position: item.position,
  materialId: item.materialId,
  materialCode: c.code,
  materialName: c.name,
  materialBaseUnit: c.baseUnit,
  quantity: item.quantity,
  unit: item.unit,
  scrapPercent: item.scrapPercent,
  backflush: item.backflush,
};

export function bomItems(tx: Sql, bomId: string) {
  return tx
    .select(itemColumns)
    .from(item)
    .innerJoin(c, and(eq(c.tenantId, item.tenantId), eq(c.id, item.materialId)))
    .where(eq(item.bomId, bomId))
    .orderBy(asc(item.position));
}

/** A BOM with its items in order. */
export async function getBom(tx: Sql, id: string) {
  const found = await bomRow(tx, id);
  return { ...found, items: await bomItems(tx, id) };
}

export interface BomItemFields {
  materialId: string;
  quantity: number | string;
  unit?: string | undefined;
  scrapPercent?: number | string | undefined;
  backflush?: boolean | undefined;
}

/*
 * Structural writes (items, releases) of a tenant run one at a time, so two drafts saved together
 * cannot each pass the recursion check and close a loop between them.
 */
const lockStructure = (tx: Sql, tenantId: string) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`boms:${tenantId}`}))`);

/**
 * Refuses items that would make a BOM of `materialId` contain that material again: an item that is the
 * material, or whose own BOMs (any version not obsolete, to any depth) contain it.
 */
async function checkNoRecursion(tx: Sql, materialCode: string, materialId: string, componentIds: string[]) {
  for (const componentId of componentIds) {
    if (componentId === materialId)
      throw new DomainError('invalid', `A BOM of ${materialCode} cannot contain ${materialCode} itself`, {
        items: 'Contains the BOM’s own material',
      });
    const [loop] = await rows<{ code: string }>(
      tx,
      sql`with recursive reached(material_id) as (
            select ${componentId}::uuid
            union
            select i.material_id from reached r
              join ${bom} b on b.material_id = r.material_id and b.status <> 'obsolete'
              join ${item} i on i.tenant_id = b.tenant_id and i.bom_id = b.id
          )
          select (select code from ${m} where id = ${componentId}::uuid) as code
          where exists (select 1 from reached where material_id = ${materialId}::uuid)`,
    );
    if (loop !== undefined)
      throw new DomainError(
        'invalid',
        `${loop.code} contains ${materialCode} through its own BOM: a BOM cannot contain itself`,
        { items: `${loop.code} leads back to ${materialCode}` },
      );
  }
}

/** Items checked and resolved: each component once, its unit known and convertible to its base unit. */
async function resolveItems(tx: Sql, items: readonly BomItemFields[]) {
  const seen = new Set<string>();
  const resolved = [];
  for (const [index, fields] of items.entries()) {
    const component = await getMaterial(tx, fields.materialId);
    if (seen.has(component.id))
      throw new DomainError('invalid', `${component.code} is listed twice; give it once`, {
        [`items.${index}.materialId`]: 'Listed twice',
      });
    seen.add(component.id);
    const unit = fields.unit ?? component.baseUnit;
    // Refuses an unknown unit, or one with no conversion to the component's base unit, now rather
    // than when an order explodes.
    await toBaseQuantity(tx, component, String(fields.quantity), unit);
    resolved.push({
      position: index + 1,
      materialId: component.id,
      quantity: String(fields.quantity),
      unit,
      scrapPercent: String(fields.scrapPercent ?? 0),
      backflush: fields.backflush ?? false,
    });
  }
  return resolved;
}

const auditedItems = (items: readonly { materialCode: string; quantity: string; unit: string }[]) =>
  items.map((i) => `${i.materialCode} ${i.quantity} ${i.unit}`);

async function writeItems(tx: Sql, tenantId: string, bomId: string, items: readonly BomItemFields[]) {
  const target = await bomRow(tx, bomId);
  const resolved = await resolveItems(tx, items);
  await lockStructure(tx, tenantId);
  await checkNoRecursion(
    tx,
    target.materialCode,
    target.materialId,
    resolved.map((r) => r.materialId),
  );
  await tx.delete(item).where(eq(item.bomId, bomId));
  if (resolved.length > 0) await tx.insert(item).values(resolved.map((r) => ({ ...r, tenantId, bomId })));
}

export interface BomFields {
  name?: string | undefined;
  baseQuantity?: number | undefined;
  backflush?: boolean | undefined;
  note?: string | undefined;
}

/**
 * A new draft version of a material's BOM, numbered after the last. Without items it starts as a copy
 * of the latest version's, so a change is made by copying, editing and releasing.
 */
export async function createBom(
  tx: Sql,
  tenantId: string,
  input: BomFields & { materialId: string; items?: readonly BomItemFields[] | undefined },
) {
  const material = await getMaterial(tx, input.materialId);
  // Two new versions of one material at once take their numbers one after the other.
  await tx.select({ id: m.id }).from(m).where(eq(m.id, material.id)).for('update');
  const [latest] = await tx
    .select()
    .from(bom)
    .where(eq(bom.materialId, material.id))
    .orderBy(desc(bom.version))
    .limit(1);
  const version = (latest?.version ?? 0) + 1;
  const [created] = await tx
    .insert(bom)
    .values({
      tenantId,
      materialId: material.id,
      version,
      code: `${material.code}/${version}`,
      name: input.name ?? latest?.name ?? material.name,
      baseQuantity: String(input.baseQuantity ?? latest?.baseQuantity ?? 1),
      backflush: input.backflush ?? latest?.backflush ?? false,
      note: input.note ?? '',
    })
    .returning({ id: bom.id });
  if (created === undefined) throw notFound('BOM');
  const items = input.items ?? (latest === undefined ? [] : await bomItems(tx, latest.id));
  await writeItems(tx, tenantId, created.id, items);
  const result = await getBom(tx, created.id);
  auditCreate(
    tx,
    'bom',
    { ...auditedBom(result), items: auditedItems(result.items) },
    { label: result.code },
  );
  return result;
}

const auditedBom = (b: Awaited<ReturnType<typeof bomRow>>) => ({
  id: b.id,
  materialId: b.materialId,
  version: b.version,
  name: b.name,
  status: b.status,
  baseQuantity: b.baseQuantity,
  validFrom: b.validFrom,
  validTo: b.validTo,
  backflush: b.backflush,
  note: b.note,
});

function draftOnly(target: { status: tables.BomStatus; code: string }) {
  if (target.status !== 'draft')
    throw new DomainError(
      'conflict',
      `${target.code} is ${target.status} and no longer changes; make a new version`,
      { status: 'Not a draft' },
    );
}

/** A draft's fields and, when given, its items (the whole list, in order). */
export async function updateBom(
  tx: Sql,
  tenantId: string,
  id: string,
  patch: BomFields & { items?: readonly BomItemFields[] | undefined },
) {
  await bomRow(tx, id, true);
  const before = await getBom(tx, id);
  draftOnly(before);
  const { items, baseQuantity, ...rest } = patch;
  await tx
    .update(bom)
    .set({
      ...rest,
      ...(baseQuantity === undefined ? {} : { baseQuantity: String(baseQuantity) }),
      updatedAt: sql`now()`,
    })
    .where(eq(bom.id, id));
  if (items !== undefined) await writeItems(tx, tenantId, id, items);
  const after = await getBom(tx, id);
  auditUpdate(
    tx,
    'bom',
    { ...auditedBom(before), items: auditedItems(before.items) },
    { ...auditedBom(after), items: auditedItems(after.items) },
    { label: after.code },
  );
  return after;
}

/** A draft nobody has used yet may be thrown away; released versions stay (make them obsolete). */
export async function deleteBom(tx: Sql, id: string) {
  const target = await bomRow(tx, id, true);
  draftOnly(target);
  await tx.delete(bom).where(eq(bom.id, id));
  auditDelete(tx, 'bom', auditedBom(target), { label: target.code });
  return target;
}

const day = (d: Date | null) => (d === null ? 'open-ended' : d.toISOString());

/**
 * Releases a draft from `validFrom` (to `validTo`, or open-ended). The released version open at
 * `validFrom` and started before it is closed there (superseded); any other overlap is refused, naming
 * the version in the way.
 */
export async function releaseBom(
  tx: Sql,
  tenantId: string,
  id: string,
  input: { validFrom: Date; validTo?: Date | null | undefined },
) {
  const before = await bomRow(tx, id, true);
  draftOnly(before);
  const validTo = input.validTo ?? null;
  if (validTo !== null && validTo <= input.validFrom)
    throw new DomainError('invalid', 'The end of validity must come after its start', {
      validTo: 'Not after the start',
    });
  const items = await bomItems(tx, id);
  if (items.length === 0)
    throw new DomainError('invalid', `${before.code} has no items; add what it is made of`, {
      items: 'None',
    });
  await lockStructure(tx, tenantId);
  await checkNoRecursion(
    tx,
    before.materialCode,
    before.materialId,
    items.map((i) => i.materialId),
  );
  const released = await tx
    .select()
    .from(bom)
    .where(and(eq(bom.materialId, before.materialId), eq(bom.status, 'released'), ne(bom.id, id)))
    .for('update');
  for (const other of released) {
    if (other.validTo === null && other.validFrom !== null && other.validFrom < input.validFrom) {
      await tx
        .update(bom)
        .set({ validTo: input.validFrom, updatedAt: sql`now()` })
        .where(eq(bom.id, other.id));
      auditUpdate(
        tx,
        'bom',
        { id: other.id, validTo: null },
        { id: other.id, validTo: input.validFrom },
        { label: other.code },
        'supersede',
      );
      continue;
    }
    const starts = other.validFrom ?? new Date(0);
    const overlaps =
      (validTo === null || starts < validTo) && (other.validTo === null || other.validTo > input.validFrom);
    if (overlaps)
      throw new DomainError(
        'conflict',
        `${other.code} is released from ${day(other.validFrom)} to ${day(other.validTo)}, which overlaps`,
        { validFrom: `Overlaps ${other.code}` },
      );
  }
  await tx
    .update(bom)
    .set({ status: 'released', validFrom: input.validFrom, validTo, updatedAt: sql`now()` })
    .where(eq(bom.id, id));
  const after = await bomRow(tx, id);
  auditUpdate(tx, 'bom', auditedBom(before), auditedBom(after), { label: after.code }, 'release');
  return getBom(tx, id);
}

/** A released version withdrawn: no longer effective for new orders, still readable. */
export async function obsoleteBom(tx: Sql, id: string) {
  const before = await bomRow(tx, id, true);
  if (before.status !== 'released')
    throw new DomainError(
      'conflict',
      `Only a released BOM can be made obsolete; ${before.code} is ${before.status}`,
    );
  await tx.update(bom).set({ status: 'obsolete', updatedAt: sql`now()` }).where(eq(bom.id, id));
  const after = await bomRow(tx, id);
  auditUpdate(tx, 'bom', auditedBom(before), auditedBom(after), { label: after.code }, 'obsolete');
  return getBom(tx, id);
}

/** The released BOM of a material effective at `at`, or null. */
export async function effectiveBom(tx: Sql, materialId: string, at: Date) {
  const [found] = await tx
    .select({ id: bom.id })
    .from(bom)
    .where(
      and(
        eq(bom.materialId, materialId),
        inArray(bom.status, ['released']),
        sql`${bom.validFrom} <= ${at.toISOString()}::timestamptz`,
        sql`(${bom.validTo} is null or ${bom.validTo} > ${at.toISOString()}::timestamptz)`,
      ),
    )
    .orderBy(desc(bom.validFrom))
    .limit(1);
  return found === undefined ? null : getBom(tx, found.id);
}
