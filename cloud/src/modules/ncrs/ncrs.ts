import { tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate, auditUpdate, DomainError, notFound, type Principal } from '../../platform/index.js';
import { takeNumber, withCustomValues } from '../config/index.js';
import { checkRecordEdit, recordEdited, startWorkflow, type WorkflowContext } from '../workflow/index.js';
import type { NcrPatchKey } from './ncr-fields.js';
import { findNcr, lastChange, linkedInspections, type Ncr } from './ncr-queries.js';
import { changedKeys, editedFields, editRefusal, type NcrValues, staleVersionMessage } from './ncr-rules.js';
import { checkReferences, visiblePlant, withReferences } from './references.js';

/*
 * Raising and editing NCRs (docs/ncrs.md). An NCR is numbered from the tenant's `ncr` sequence,
 * audited as it is raised and at every edit, and edited against the version its editor saw: a stale
 * version is refused, naming who changed it since. The `status` column is never written here: the
 * workflow engine mirrors its state into it.
 */

/**
 * What NCR work needs of a procedure's context: the transaction, who is calling, and what the
 * workflow engine needs to check field locks and start the NCR's workflow (a procedure's `ctx`).
 */
export type NcrCall = WorkflowContext;

export interface NcrFields {
  title: string;
  lineId?: string | null | undefined;
  machineId?: string | null | undefined;
  productId?: string | null | undefined;
  productionOrderId?: string | null | undefined;
  lot?: string | null | undefined;
  serial?: string | null | undefined;
  defectCodeId?: string | null | undefined;
  quantityAffected?: number | null | undefined;
  description?: string | undefined;
  containment?: string | undefined;
  ownerId?: string | null | undefined;
}

export type NcrPatch = Partial<NcrValues>;

/** An NCR as the audit trail records it: what it points at by code beside the ids. */
const audited = (ncr: Ncr) => ({
  id: ncr.id,
  title: ncr.title,
  lineId: ncr.lineId,
  lineCode: ncr.lineCode,
  machineId: ncr.machineId,
  machineCode: ncr.machineCode,
  productId: ncr.productId,
  productCode: ncr.productCode,
  productionOrderId: ncr.productionOrderId,
  orderNumber: ncr.orderNumber,
  lot: ncr.lot,
  serial: ncr.serial,
  defectCodeId: ncr.defectCodeId,
  defectCode: ncr.defectCode,
  quantityAffected: ncr.quantityAffected,
  description: ncr.description,
  containment: ncr.containment,
  rootCause: ncr.rootCause,
  disposition: ncr.disposition,
  cost: ncr.cost,
  ownerId: ncr.ownerId,
  ownerName: ncr.ownerName,
});

/** The NCR's values under the names `ncrs.update` gives them. */
const valuesOf = (ncr: Ncr): NcrValues => ({
  title: ncr.title,
  lineId: ncr.lineId,
  machineId: ncr.machineId,
  productId: ncr.productId,
  productionOrderId: ncr.productionOrderId,
  lot: ncr.lot,
  serial: ncr.serial,
  defectCodeId: ncr.defectCodeId,
  quantityAffected: ncr.quantityAffected,
  description: ncr.description,
  containment: ncr.containment,
  rootCause: ncr.rootCause,
  disposition: ncr.disposition,
  cost: ncr.cost,
  ownerId: ncr.ownerId,
});

/** Custom values are written through the configuration engine, in the same transaction. */
async function writeCustom(
  call: NcrCall,
  id: string,
  creating: boolean,
  custom: Record<string, unknown> | undefined,
) {
  const save = withCustomValues({ entityType: 'ncr', creating }, async () => ({ id }));
  return (await save({ ctx: call, input: { custom } })).custom;
}

/*
 * The ncr sequence's pattern carries the plant and the year, so a number is taken at most once; a
 * number already used means an engineer changed the pattern back to one used before. The next is
 * tried then, up to this many.
 */
const MAX_SKIPPED_NUMBERS = 100;

/**
 * Raises an NCR in the caller's name, numbered from the `ncr` sequence, with its custom values and
 * the inspections it is about (of its plant).
 */
export async function createNcr(
  call: NcrCall,
  input: NcrFields & {
    plantId: string;
    inspectionIds?: readonly string[] | undefined;
    custom?: Record<string, unknown> | undefined;
  },
) {
  const { tx, principal } = call;
  await visiblePlant(tx, input.plantId);
  const { lineId } = await checkReferences(
    tx,
    {
      plantId: input.plantId,
      lineId: input.lineId ?? null,
      machineId: input.machineId ?? null,
      productionOrderId: input.productionOrderId ?? null,
      ownerId: input.ownerId ?? null,
    },
    { lineId: true, machineId: true, productionOrderId: true, ownerId: true },
  );
  const row = {
    tenantId: principal.tenantId,
    plantId: input.plantId,
    title: input.title.trim(),
    lineId,
    machineId: input.machineId ?? null,
    productId: input.productId ?? null,
    productionOrderId: input.productionOrderId ?? null,
    lot: columnValue('lot', input.lot),
    serial: columnValue('serial', input.serial),
    defectCodeId: input.defectCodeId ?? null,
    quantityAffected: input.quantityAffected == null ? null : String(input.quantityAffected),
    description: input.description ?? '',
    containment: input.containment ?? '',
    ownerId: input.ownerId ?? null,
    raisedBy: principal.userId,
  };
  let id: string | undefined;
  for (let attempt = 0; id === undefined && attempt <= MAX_SKIPPED_NUMBERS; attempt++) {
    const number = await takeNumber(tx, {
      tenantId: principal.tenantId,
      code: 'ncr',
      plantId: input.plantId,
      at: new Date(),
    });
    const [created] = await withReferences(
      tx
        .insert(tables.ncrs)
        .values({ ...row, number })
        .onConflictDoNothing({ target: [tables.ncrs.tenantId, tables.ncrs.number] })
        .returning({ id: tables.ncrs.id }),
    );
    id = created?.id;
  }
  if (id === undefined)
    throw new DomainError(
      'conflict',
      `The next ${MAX_SKIPPED_NUMBERS} NCR numbers are all in use; an engineer should change the NCR numbering pattern`,
    );
  const ncr = await findNcr(tx, id);
  const inspectionIds = [...new Set(input.inspectionIds ?? [])];
  for (const inspectionId of inspectionIds) await insertLink(tx, principal.tenantId, ncr, inspectionId);
  auditCreate(
    tx,
    'ncr',
    { ...audited(ncr), number: ncr.number, status: ncr.status, raisedBy: ncr.raisedBy, inspectionIds },
    { label: ncr.number, plantId: ncr.plantId },
  );
  const custom = await writeCustom(call, id, true, input.custom);
  // The workflow starts on the NCR as raised, custom values included, and mirrors its state.
  await startWorkflow(call, { entityType: 'ncr', entityId: id });
  return { ...(await findNcr(tx, id)), custom };
}

/** Links an inspection of the NCR's plant, once however often asked (the caller audits it). */
export async function insertLink(
  tx: Sql,
  tenantId: string,
  ncr: { id: string; plantId: string },
  inspectionId: string,
): Promise<void> {
  const [inspection] = await tx
    .select({ plantId: tables.inspections.plantId })
    .from(tables.inspections)
    .where(eq(tables.inspections.id, inspectionId));
  if (inspection === undefined)
    throw new DomainError('not_found', 'Inspection not found', { inspectionId: 'Not found' });
  if (inspection.plantId !== ncr.plantId)
    throw new DomainError('invalid', 'The inspection is not one of the NCR’s plant', {
      inspectionId: 'Not in this plant',
    });
  await withReferences(
    tx
      .insert(tables.ncrInspections)
      .values({ tenantId, plantId: ncr.plantId, ncrId: ncr.id, inspectionId })
      .onConflictDoNothing(),
  );
}

export interface NcrUpdate {
  id: string;
  /** The `version` the editor saw. */
  expectedVersion: number;
  patch?: NcrPatch | undefined;
  custom?: Record<string, unknown> | undefined;
}

/** Locks the NCR for the rest of the transaction and reads it: edits of one NCR queue up. */
export async function lockNcr(tx: Sql, id: string): Promise<Ncr> {
  const [locked] = await tx
    .select({ id: tables.ncrs.id })
    .from(tables.ncrs)
    .where(eq(tables.ncrs.id, id))
    .for('update');
  if (locked === undefined) throw notFound('NCR');
  return findNcr(tx, id);
}

/** Refuses an edit by someone who may not change this NCR now (ncr-rules.ts editRefusal). */
export function checkEditor(principal: Principal, ncr: Ncr) {
  const refusal = editRefusal(principal, ncr);
  if (refusal !== null) throw new DomainError('forbidden', refusal);
}

/**
 * Changes an NCR's fields and custom values, if the caller may and saw its current version. Only what
 * differs is written and audited; any change moves the version on.
 */
export async function updateNcr(call: NcrCall, input: NcrUpdate) {
  const { tx, principal } = call;
  const current = await lockNcr(tx, input.id);
  checkEditor(principal, current);
  if (current.version !== input.expectedVersion)
    throw new DomainError('conflict', staleVersionMessage(await lastChange(tx, current.id)), {
      expectedVersion: 'Changed since you opened it',
    });
  const patch = input.patch ?? {};
  const changed = new Set<NcrPatchKey>(changedKeys(valuesOf(current), patch));
  const next = { ...valuesOf(current), ...patch };
  const { lineId } = await checkReferences(
    tx,
    {
      plantId: current.plantId,
      lineId: next.lineId as string | null,
      machineId: next.machineId as string | null,
      productionOrderId: next.productionOrderId as string | null,
      ownerId: next.ownerId as string | null,
    },
    {
      lineId: changed.has('lineId'),
      machineId: changed.has('machineId'),
      productionOrderId: changed.has('productionOrderId'),
      ownerId: changed.has('ownerId'),
    },
  );
  // A machine moves the NCR to its line when the edit names no line of its own.
  if (lineId !== current.lineId && !changed.has('lineId')) changed.add('lineId');
  next.lineId = lineId;
  const customKeys = Object.keys(input.custom ?? {});
  const fields = editedFields([...changed], customKeys);
  const record = { label: current.number, plantId: current.plantId };
  if (fields.length === 0) {
    // Nothing differs: nothing is written, and the trail says so by recording no change.
    auditUpdate(tx, 'ncr', audited(current), audited(current), record);
    return { ...current, custom: {} };
  }
  const edit = { entityType: 'ncr', entityId: current.id, fields };
  await checkRecordEdit(call, edit);
  const set: Record<string, unknown> = {};
  for (const key of changed) set[key] = columnValue(key, next[key]);
  await withReferences(
    tx
      .update(tables.ncrs)
      .set({ ...set, version: sql`${tables.ncrs.version} + 1`, updatedAt: sql`now()` })
      .where(eq(tables.ncrs.id, current.id)),
  );
  const updated = await findNcr(tx, current.id);
  auditUpdate(tx, 'ncr', audited(current), audited(updated), record);
  const custom = await writeCustom(call, current.id, false, input.custom);
  await recordEdited(call, edit);
  return { ...updated, custom };
}

/** Numbers are numeric columns (strings to the driver); empty texts of optional fields are none. */
function columnValue(key: NcrPatchKey, value: string | number | null | undefined) {
  if (value === undefined || value === null)
    return key === 'description' || key === 'containment' || key === 'rootCause' ? '' : null;
  if (typeof value === 'number') return String(value);
  const text = value.trim();
  if (key === 'description' || key === 'containment' || key === 'rootCause' || key === 'title') return text;
  return text === '' ? null : text;
}

/** The record page's NCR: its fields, its inspections, and whether the caller may edit it now. */
export async function getNcr(call: NcrCall, id: string) {
  const ncr = await findNcr(call.tx, id);
  const inspections = await linkedInspections(call.tx, ncr);
  const refusal = editRefusal(call.principal, ncr);
  return { ...ncr, inspections, editable: refusal === null, editRefusal: refusal };
}
