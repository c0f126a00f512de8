import { tables } from '@plantline/schema';
import { inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate } from '../../platform/index.js';
import type { getInspection } from './inspections.js';

/*
 * An inspection as the audit trail records it (21 CFR 11.10(e)): everything the inspector recorded,
 * with the product, operation, plan, and each result's characteristic and defect by code beside
 * their ids, so the entry reads on its own. It is named by its serial number or lot.
 */

type Inspection = Awaited<ReturnType<typeof getInspection>>;

/** Codes by id of the rows of a catalogue table (products, operations, plans …) among `ids`. */
async function codesOf(
  tx: Sql,
  table:
    | typeof tables.products
    | typeof tables.routingOperations
    | typeof tables.inspectionPlans
    | typeof tables.inspectionCharacteristics
    | typeof tables.defectCodes,
  ids: (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id) => id !== null))];
  if (wanted.length === 0) return new Map();
  const found = await tx
    .select({ id: table.id, code: table.code })
    .from(table)
    .where(inArray(table.id, wanted));
  return new Map(found.map((row) => [row.id, row.code]));
}

export async function auditInspection(tx: Sql, inspection: Inspection, verb: 'create' | 'reinspect') {
  const { plantId, results, ...fields } = inspection;
  const products = await codesOf(tx, tables.products, [fields.productId]);
  const operations = await codesOf(tx, tables.routingOperations, [fields.operationId]);
  const plans = await codesOf(tx, tables.inspectionPlans, [fields.planId]);
  const characteristics = await codesOf(
    tx,
    tables.inspectionCharacteristics,
    results.map((r) => r.characteristicId),
  );
  const defects = await codesOf(
    tx,
    tables.defectCodes,
    results.map((r) => r.defectCodeId),
  );
  const codeIn = (codes: Map<string, string>, id: string | null) =>
    id === null ? null : (codes.get(id) ?? null);
  const row = {
    ...fields,
    productCode: codeIn(products, fields.productId),
    operationCode: codeIn(operations, fields.operationId),
    planCode: codeIn(plans, fields.planId),
    results: results.map(({ id: _, inspectionId: _inspection, ...result }) => ({
      ...result,
      characteristicCode: codeIn(characteristics, result.characteristicId),
      defectCode: codeIn(defects, result.defectCodeId),
    })),
  };
  auditCreate(tx, 'inspection', row, { label: fields.serial ?? fields.lot, plantId }, verb);
}
