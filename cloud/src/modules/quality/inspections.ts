import { tables } from '@plantline/schema';
import { and, asc, desc, eq, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError, isUniqueViolation, notFound } from '../../platform/index.js';
import { checkProductOperation } from './catalogue.js';
import { auditInspection } from './inspection-audit.js';

/*
 * Inspections for FPY (docs/kpis.md: units that pass their first inspection without rework / units
 * inspected). The first inspection of a unit (serial) or lot at an operation is attempt 1; a
 * re-inspection, usually after rework, follows a failed one as the next attempt. The attempt is the
 * server's to assign, never the caller's, so first-pass counts cannot be gamed or double-counted.
 * Inspections are GMP records: each is audited as it is recorded (21 CFR 11.10(e)), and none is
 * changed afterwards — a wrong verdict is answered by a re-inspection, which is a record of its own.
 */

export interface ResultFields {
  characteristicId?: string | null | undefined;
  defectCodeId?: string | null | undefined;
  measuredValue?: number | null | undefined;
  /** Omitted: a measured value is judged against the characteristic's limits, else a defect fails it. */
  passed?: boolean | undefined;
  note?: string | null | undefined;
}

export interface InspectionFields {
  /** Omitted: fail if any result fails, else pass. */
  result?: tables.InspectionVerdict | undefined;
  inspectedAt?: Date | undefined;
  note?: string | null | undefined;
  results: ResultFields[];
}

const inspectionColumns = {
  id: tables.inspections.id,
  plantId: tables.inspections.plantId,
  productId: tables.inspections.productId,
  operationId: tables.inspections.operationId,
  planId: tables.inspections.planId,
  serial: tables.inspections.serial,
  lot: tables.inspections.lot,
  quantity: tables.inspections.quantity,
  attempt: tables.inspections.attempt,
  afterRework: tables.inspections.afterRework,
  previousInspectionId: tables.inspections.previousInspectionId,
  result: tables.inspections.result,
  inspectedAt: tables.inspections.inspectedAt,
  inspectorId: tables.inspections.inspectorId,
  note: tables.inspections.note,
};

const resultColumns = {
  id: tables.inspectionResults.id,
  inspectionId: tables.inspectionResults.inspectionId,
  characteristicId: tables.inspectionResults.characteristicId,
  defectCodeId: tables.inspectionResults.defectCodeId,
  measuredValue: tables.inspectionResults.measuredValue,
  passed: tables.inspectionResults.passed,
  note: tables.inspectionResults.note,
};

async function visiblePlant(tx: Sql, plantId: string) {
  const [plant] = await tx
    .select({ id: tables.plants.id })
    .from(tables.plants)
    .where(eq(tables.plants.id, plantId));
  if (plant === undefined) throw notFound('Plant');
}

async function checkPlan(tx: Sql, planId: string, productId: string, operationId: string) {
  const [plan] = await tx
    .select({ productId: tables.inspectionPlans.productId, operationId: tables.inspectionPlans.operationId })
    .from(tables.inspectionPlans)
    .where(eq(tables.inspectionPlans.id, planId));
  if (plan === undefined) throw notFound('Inspection plan');
  if (plan.productId !== productId || plan.operationId !== operationId)
    throw new DomainError('invalid', 'The plan is for another product or operation', {
      planId: 'Does not match',
    });
}

/** Resolves each result's verdict; every characteristic and defect code must exist (and be the plan's). */
async function judgeResults(tx: Sql, planId: string | null, results: ResultFields[]) {
  const characteristicIds = [
    ...new Set(results.flatMap((r) => (r.characteristicId == null ? [] : [r.characteristicId]))),
  ];
  const defectIds = [...new Set(results.flatMap((r) => (r.defectCodeId == null ? [] : [r.defectCodeId])))];
  const characteristics =
    characteristicIds.length === 0
      ? []
      : await tx
          .select({
            id: tables.inspectionCharacteristics.id,
            planId: tables.inspectionCharacteristics.planId,
            lowerLimit: tables.inspectionCharacteristics.lowerLimit,
            upperLimit: tables.inspectionCharacteristics.upperLimit,
          })
          .from(tables.inspectionCharacteristics)
          .where(inArray(tables.inspectionCharacteristics.id, characteristicIds));
  if (characteristics.length !== characteristicIds.length) throw notFound('Characteristic');
  if (characteristics.some((c) => c.planId !== planId))
    throw new DomainError('invalid', 'A characteristic is not one of the inspection’s plan', {
      results: 'Characteristic of another plan',
    });
  if (defectIds.length > 0) {
    const defects = await tx
      .select({ id: tables.defectCodes.id })
      .from(tables.defectCodes)
      .where(inArray(tables.defectCodes.id, defectIds));
    if (defects.length !== defectIds.length) throw notFound('Defect code');
  }
  const limits = new Map(characteristics.map((c) => [c.id, c]));
  return results.map((r) => {
    const limit = r.characteristicId == null ? undefined : limits.get(r.characteristicId);
    const measured =
      r.measuredValue != null &&
      limit !== undefined &&
      (limit.lowerLimit !== null || limit.upperLimit !== null)
        ? (limit.lowerLimit === null || r.measuredValue >= limit.lowerLimit) &&
          (limit.upperLimit === null || r.measuredValue <= limit.upperLimit)
        : undefined;
    return { ...r, passed: r.passed ?? measured ?? r.defectCodeId == null };
  });
}

function verdictOf(
  requested: tables.InspectionVerdict | undefined,
  results: { passed: boolean }[],
): tables.InspectionVerdict {
  const anyFailed = results.some((r) => !r.passed);
  if (requested === 'pass' && anyFailed)
    throw new DomainError('invalid', 'An inspection with a failed result cannot pass', {
      result: 'A result failed',
    });
  return requested ?? (anyFailed ? 'fail' : 'pass');
}

async function insertInspection(
  tx: Sql,
  tenantId: string,
  inspectorId: string | null,
  row: {
    plantId: string;
    productId: string;
    operationId: string;
    planId: string | null;
    serial: string | null;
    lot: string | null;
    quantity: number;
    attempt: number;
    afterRework: boolean;
    previousInspectionId: string | null;
  },
  input: InspectionFields,
  verb: 'create' | 'reinspect',
) {
  const results = await judgeResults(tx, row.planId, input.results);
  const result = verdictOf(input.result, results);
  let inspection: { id: string } | undefined;
  try {
    [inspection] = await tx
      .insert(tables.inspections)
      .values({
        ...row,
        tenantId,
        result,
        inspectedAt: input.inspectedAt ?? new Date(),
        inspectorId,
        note: input.note ?? null,
      })
      .returning({ id: tables.inspections.id });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new DomainError(
      'conflict',
      row.attempt === 1
        ? 'This unit was already inspected at this operation: record a re-inspection'
        : 'That inspection has already been followed by a re-inspection',
      row.attempt === 1 ? { serial: 'Already inspected' } : { previousInspectionId: 'Already re-inspected' },
    );
  }
  if (results.length > 0) {
    await tx.insert(tables.inspectionResults).values(
      results.map((r) => ({
        tenantId,
        plantId: row.plantId,
        inspectionId: inspection!.id,
        characteristicId: r.characteristicId ?? null,
        defectCodeId: r.defectCodeId ?? null,
        measuredValue: r.measuredValue ?? null,
        passed: r.passed,
        note: r.note ?? null,
      })),
    );
  }
  const recorded = await getInspection(tx, inspection!.id);
  await auditInspection(tx, recorded, verb);
  return recorded;
}

/** The first inspection of a unit (serial) or lot at an operation. */
export async function recordInspection(
  tx: Sql,
  tenantId: string,
  inspectorId: string | null,
  input: InspectionFields & {
    plantId: string;
    productId: string;
    operationId: string;
    planId?: string | null | undefined;
    serial?: string | undefined;
    lot?: string | undefined;
    quantity?: number | undefined;
  },
) {
  if ((input.serial === undefined) === (input.lot === undefined))
    throw new DomainError('invalid', 'Name either a serial number or a lot', { serial: 'Serial or lot' });
  if (input.serial !== undefined && (input.quantity ?? 1) !== 1)
    throw new DomainError('invalid', 'A serial number is one unit', { quantity: 'Must be 1 for a serial' });
  await visiblePlant(tx, input.plantId);
  await checkProductOperation(tx, input.productId, input.operationId);
  if (input.planId != null) await checkPlan(tx, input.planId, input.productId, input.operationId);
  return insertInspection(
    tx,
    tenantId,
    inspectorId,
    {
      plantId: input.plantId,
      productId: input.productId,
      operationId: input.operationId,
      planId: input.planId ?? null,
      serial: input.serial ?? null,
      lot: input.lot ?? null,
      quantity: input.quantity ?? 1,
      attempt: 1,
      afterRework: false,
      previousInspectionId: null,
    },
    input,
    'create',
  );
}

/** Inspects again what a failed inspection refused, as its next attempt (after rework, by default). */
export async function recordReinspection(
  tx: Sql,
  tenantId: string,
  inspectorId: string | null,
  input: InspectionFields & { previousInspectionId: string; afterRework?: boolean | undefined },
) {
  const [previous] = await tx
    .select(inspectionColumns)
    .from(tables.inspections)
    .where(eq(tables.inspections.id, input.previousInspectionId));
  if (previous === undefined) throw notFound('Inspection');
  if (previous.result !== 'fail')
    throw new DomainError('invalid', 'Only a failed inspection is inspected again', {
      previousInspectionId: 'It passed',
    });
  return insertInspection(
    tx,
    tenantId,
    inspectorId,
    {
      plantId: previous.plantId,
      productId: previous.productId,
      operationId: previous.operationId,
      planId: previous.planId,
      serial: previous.serial,
      lot: previous.lot,
      quantity: previous.quantity,
      attempt: previous.attempt + 1,
      afterRework: input.afterRework ?? true,
      previousInspectionId: previous.id,
    },
    input,
    'reinspect',
  );
}

export async function getInspection(tx: Sql, id: string) {
  const [inspection] = await tx
    .select(inspectionColumns)
    .from(tables.inspections)
    .where(eq(tables.inspections.id, id));
  if (inspection === undefined) throw notFound('Inspection');
  const results = await tx
    .select(resultColumns)
    .from(tables.inspectionResults)
    .where(
      and(
        eq(tables.inspectionResults.plantId, inspection.plantId),
        eq(tables.inspectionResults.inspectionId, id),
      ),
    )
    .orderBy(asc(tables.inspectionResults.createdAt));
  return { ...inspection, results };
}

/** Inspections, newest first, with their results. */
export async function listInspections(
  tx: Sql,
  input: {
    plantId?: string | undefined;
    productId?: string | undefined;
    operationId?: string | undefined;
    unit?: string | undefined;
    from?: Date | undefined;
    to?: Date | undefined;
    limit: number;
  },
) {
  const t = tables.inspections;
  const conditions: (SQL | undefined)[] = [];
  if (input.plantId !== undefined) conditions.push(eq(t.plantId, input.plantId));
  if (input.productId !== undefined) conditions.push(eq(t.productId, input.productId));
  if (input.operationId !== undefined) conditions.push(eq(t.operationId, input.operationId));
  if (input.unit !== undefined) conditions.push(or(eq(t.serial, input.unit), eq(t.lot, input.unit)));
  if (input.from !== undefined) conditions.push(gte(t.inspectedAt, input.from));
  if (input.to !== undefined) conditions.push(lt(t.inspectedAt, input.to));
  const inspections = await tx
    .select(inspectionColumns)
    .from(t)
    .where(and(...conditions))
    .orderBy(desc(t.inspectedAt), desc(t.attempt))
    .limit(input.limit);
  if (inspections.length === 0) return [];
  const results = await tx
    .select(resultColumns)
    .from(tables.inspectionResults)
    .where(
      inArray(
        tables.inspectionResults.inspectionId,
        inspections.map((i) => i.id),
      ),
    );
  return inspections.map((i) => ({ ...i, results: results.filter((r) => r.inspectionId === i.id) }));
}
