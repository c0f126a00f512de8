import { tables } from '@plantline/schema';
import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import {
  auditCreate,
  auditUpdate,
  DomainError,
  notFound,
  takenCode,
  uniqueCode,
} from '../../platform/index.js';

/*
 * Quality catalogues (docs/kpis.md: FPY, RTY): defect codes and inspection plans with their
 * characteristics. Tenant-wide; deactivated, never deleted, because recorded inspections refer to
 * them. Each create and change through the API is audited where it is made; the bulk insert of defect
 * codes is the demo seed's.
 */

// ---- defect codes

const defectColumns = {
  id: tables.defectCodes.id,
  code: tables.defectCodes.code,
  name: tables.defectCodes.name,
  category: tables.defectCodes.category,
  severity: tables.defectCodes.severity,
  isActive: tables.defectCodes.isActive,
};

export interface DefectCodeFields {
  code: string;
  name: string;
  category: string;
  severity: tables.DefectSeverity;
}

export function listDefectCodes(tx: Sql, input: { includeInactive?: boolean | undefined }) {
  return tx
    .select(defectColumns)
    .from(tables.defectCodes)
    .where(input.includeInactive === true ? undefined : eq(tables.defectCodes.isActive, true))
    .orderBy(asc(tables.defectCodes.code));
}

export function createDefectCodes(tx: Sql, tenantId: string, input: readonly DefectCodeFields[]) {
  if (input.length === 0) return Promise.resolve([]);
  return tx
    .insert(tables.defectCodes)
    .values(input.map((d) => ({ ...d, tenantId })))
    .onConflictDoNothing()
    .returning(defectColumns);
}

export async function createDefectCode(tx: Sql, tenantId: string, input: DefectCodeFields) {
  const [defect] = await createDefectCodes(tx, tenantId, [input]);
  if (defect === undefined) throw takenCode();
  auditCreate(tx, 'defect_code', defect, { label: defect.code });
  return defect;
}

export async function updateDefectCode(
  tx: Sql,
  id: string,
  patch: Partial<DefectCodeFields> & { isActive?: boolean | undefined },
) {
  const [before] = await tx
    .select(defectColumns)
    .from(tables.defectCodes)
    .where(eq(tables.defectCodes.id, id))
    .for('update');
  if (before === undefined) throw notFound('Defect code');
  const [defect] = await uniqueCode(
    tx.update(tables.defectCodes).set(patch).where(eq(tables.defectCodes.id, id)).returning(defectColumns),
  );
  if (defect === undefined) throw notFound('Defect code');
  auditUpdate(tx, 'defect_code', before, defect, { label: defect.code });
  return defect;
}

// ---- inspection plans

export interface CharacteristicFields {
  code: string;
  name: string;
  kind: 'attribute' | 'variable';
  unit?: string | null | undefined;
  nominal?: number | null | undefined;
  lowerLimit?: number | null | undefined;
  upperLimit?: number | null | undefined;
}

const planColumns = {
  id: tables.inspectionPlans.id,
  code: tables.inspectionPlans.code,
  name: tables.inspectionPlans.name,
  productId: tables.inspectionPlans.productId,
  operationId: tables.inspectionPlans.operationId,
  isActive: tables.inspectionPlans.isActive,
};

const characteristicColumns = {
  id: tables.inspectionCharacteristics.id,
  planId: tables.inspectionCharacteristics.planId,
  code: tables.inspectionCharacteristics.code,
  name: tables.inspectionCharacteristics.name,
  kind: tables.inspectionCharacteristics.kind,
  unit: tables.inspectionCharacteristics.unit,
  nominal: tables.inspectionCharacteristics.nominal,
  lowerLimit: tables.inspectionCharacteristics.lowerLimit,
  upperLimit: tables.inspectionCharacteristics.upperLimit,
};

export async function listInspectionPlans(
  tx: Sql,
  input: {
    id?: string | undefined;
    productId?: string | undefined;
    operationId?: string | undefined;
    includeInactive?: boolean | undefined;
  },
) {
  const plans = await tx
    .select(planColumns)
    .from(tables.inspectionPlans)
    .where(
      and(
        input.id === undefined ? undefined : eq(tables.inspectionPlans.id, input.id),
        input.productId === undefined ? undefined : eq(tables.inspectionPlans.productId, input.productId),
        input.operationId === undefined
          ? undefined
          : eq(tables.inspectionPlans.operationId, input.operationId),
        input.includeInactive === true ? undefined : eq(tables.inspectionPlans.isActive, true),
      ),
    )
    .orderBy(asc(tables.inspectionPlans.code));
  if (plans.length === 0) return [];
  const characteristics = await tx
    .select(characteristicColumns)
    .from(tables.inspectionCharacteristics)
    .where(
      inArray(
        tables.inspectionCharacteristics.planId,
        plans.map((p) => p.id),
      ),
    )
    .orderBy(asc(tables.inspectionCharacteristics.code));
  return plans.map((p) => ({ ...p, characteristics: characteristics.filter((c) => c.planId === p.id) }));
}

async function planWithCharacteristics(tx: Sql, id: string) {
  const [plan] = await listInspectionPlans(tx, { id, includeInactive: true });
  if (plan === undefined) throw notFound('Inspection plan');
  return plan;
}

type Plan = Awaited<ReturnType<typeof planWithCharacteristics>>;

/**
 * A plan as the audit trail records it: its product and operation by code beside their ids, and its
 * characteristics in it, by code (they are the plan's parts, not records of their own).
 */
async function auditedPlan(tx: Sql, { characteristics, ...plan }: Plan) {
  const [codes] = await tx
    .select({ productCode: tables.products.code, operationCode: tables.routingOperations.code })
    .from(tables.products)
    .innerJoin(tables.routingOperations, eq(tables.routingOperations.id, plan.operationId))
    .where(eq(tables.products.id, plan.productId));
  return {
    ...plan,
    productCode: codes?.productCode ?? null,
    operationCode: codes?.operationCode ?? null,
    characteristics: characteristics.map(({ id: _, planId: _plan, ...c }) => c),
  };
}

/** The operation must be on a routing of the product: FPY and RTY are per product and operation. */
export async function checkProductOperation(tx: Sql, productId: string, operationId: string) {
  const [product] = await tx
    .select({ id: tables.products.id })
    .from(tables.products)
    .where(eq(tables.products.id, productId));
  if (product === undefined) throw notFound('Product');
  const [operation] = await tx
    .select({ productId: tables.routings.productId })
    .from(tables.routingOperations)
    .innerJoin(tables.routings, eq(tables.routings.id, tables.routingOperations.routingId))
    .where(eq(tables.routingOperations.id, operationId));
  if (operation === undefined) throw notFound('Operation');
  if (operation.productId !== productId)
    throw new DomainError('invalid', 'The operation is not on a routing of this product', {
      operationId: 'Not on the product’s routing',
    });
}

function checkCharacteristics(characteristics: CharacteristicFields[]) {
  const codes = new Set(characteristics.map((c) => c.code));
  if (codes.size !== characteristics.length)
    throw new DomainError('invalid', 'Two characteristics have the same code', {
      characteristics: 'Duplicate code',
    });
  for (const c of characteristics) {
    if (c.lowerLimit != null && c.upperLimit != null && c.lowerLimit > c.upperLimit)
      throw new DomainError('invalid', `${c.code}: the lower limit is above the upper limit`, {
        characteristics: 'Limits reversed',
      });
  }
}

async function replaceCharacteristics(
  tx: Sql,
  tenantId: string,
  planId: string,
  characteristics: CharacteristicFields[],
) {
  checkCharacteristics(characteristics);
  const codes = characteristics.map((c) => c.code);
  const removed = await tx
    .select({ id: tables.inspectionCharacteristics.id })
    .from(tables.inspectionCharacteristics)
    .where(
      and(
        eq(tables.inspectionCharacteristics.planId, planId),
        codes.length === 0 ? undefined : notInArray(tables.inspectionCharacteristics.code, codes),
      ),
    );
  if (removed.length > 0) {
    const ids = removed.map((r) => r.id);
    const [used] = await tx
      .select({ id: tables.inspectionResults.id })
      .from(tables.inspectionResults)
      .where(inArray(tables.inspectionResults.characteristicId, ids))
      .limit(1);
    if (used !== undefined)
      throw new DomainError('conflict', 'A characteristic with recorded results cannot be removed', {
        characteristics: 'In use',
      });
    await tx
      .delete(tables.inspectionCharacteristics)
      .where(inArray(tables.inspectionCharacteristics.id, ids));
  }
  for (const c of characteristics) {
    const values = {
      name: c.name,
      kind: c.kind,
      unit: c.unit ?? null,
      nominal: c.nominal ?? null,
      lowerLimit: c.lowerLimit ?? null,
      upperLimit: c.upperLimit ?? null,
    };
    await tx
      .insert(tables.inspectionCharacteristics)
      .values({ ...values, code: c.code, tenantId, planId })
      .onConflictDoUpdate({
        target: [
          tables.inspectionCharacteristics.tenantId,
          tables.inspectionCharacteristics.planId,
          tables.inspectionCharacteristics.code,
        ],
        set: values,
      });
  }
}

export async function createInspectionPlan(
  tx: Sql,
  tenantId: string,
  input: {
    code: string;
    name: string;
    productId: string;
    operationId: string;
    characteristics: CharacteristicFields[];
  },
) {
  await checkProductOperation(tx, input.productId, input.operationId);
  checkCharacteristics(input.characteristics);
  const { characteristics, ...fields } = input;
  const [plan] = await tx
    .insert(tables.inspectionPlans)
    .values({ ...fields, tenantId })
    .onConflictDoNothing()
    .returning(planColumns);
  if (plan === undefined) throw takenCode();
  await replaceCharacteristics(tx, tenantId, plan.id, characteristics);
  const created = await planWithCharacteristics(tx, plan.id);
  auditCreate(tx, 'inspection_plan', await auditedPlan(tx, created), { label: created.code });
  return created;
}

/** Changes a plan; `characteristics`, when given, replaces them (matched by code). */
export async function updateInspectionPlan(
  tx: Sql,
  tenantId: string,
  id: string,
  patch: {
    code?: string | undefined;
    name?: string | undefined;
    isActive?: boolean | undefined;
    characteristics?: CharacteristicFields[] | undefined;
  },
) {
  const [locked] = await tx
    .select({ id: tables.inspectionPlans.id })
    .from(tables.inspectionPlans)
    .where(eq(tables.inspectionPlans.id, id))
    .for('update');
  if (locked === undefined) throw notFound('Inspection plan');
  const before = await auditedPlan(tx, await planWithCharacteristics(tx, id));
  const { characteristics, ...fields } = patch;
  if (Object.values(fields).some((v) => v !== undefined))
    await uniqueCode(tx.update(tables.inspectionPlans).set(fields).where(eq(tables.inspectionPlans.id, id)));
  if (characteristics !== undefined) await replaceCharacteristics(tx, tenantId, id, characteristics);
  const updated = await planWithCharacteristics(tx, id);
  auditUpdate(tx, 'inspection_plan', before, await auditedPlan(tx, updated), { label: updated.code });
  return updated;
}
