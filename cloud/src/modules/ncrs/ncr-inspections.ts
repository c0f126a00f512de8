import { tables } from '@plantline/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, DomainError } from '../../platform/index.js';
import { checkRecordEdit, recordEdited } from '../workflow/index.js';
import { linkedInspections } from './ncr-queries.js';
import { inspectionPrefill } from './ncr-rules.js';
import { checkEditor, createNcr, getNcr, insertLink, lockNcr, type NcrCall } from './ncrs.js';

/*
 * NCRs and inspections (docs/ncrs.md, "From an inspection"): an NCR raised from a failed inspection
 * starts with what the inspection recorded, and an NCR links the inspections it is about — the one
 * that failed, and later the re-inspection that verified the rework.
 */

const notFoundInspection = () =>
  new DomainError('not_found', 'Inspection not found', { inspectionId: 'Not found' });

/**
 * The order an inspected unit was made for, when the records say so: the order of the product in
 * the plant whose number is the inspected lot (lots are commonly named after their order), else the
 * one order of the product in progress in the plant. Anything less certain is left to the raiser.
 */
async function orderOf(
  tx: Sql,
  plantId: string,
  productId: string,
  lot: string | null,
): Promise<string | null> {
  const o = tables.productionOrders;
  const ofProduct = and(eq(o.plantId, plantId), eq(o.productId, productId));
  if (lot !== null) {
    const [named] = await tx
      .select({ id: o.id })
      .from(o)
      .where(and(ofProduct, eq(o.number, lot)));
    if (named !== undefined) return named.id;
  }
  const running = await tx
    .select({ id: o.id })
    .from(o)
    .where(and(ofProduct, eq(o.status, 'in_progress')))
    .limit(2);
  return running.length === 1 ? running[0]!.id : null;
}

/** What an NCR about a failed inspection says before anyone types; a passed inspection raises none. */
export async function prefillFromInspection(tx: Sql, inspectionId: string) {
  const i = tables.inspections;
  const op = tables.routingOperations;
  const [inspection] = await tx
    .select({
      id: i.id,
      plantId: i.plantId,
      productId: i.productId,
      productCode: tables.products.code,
      operationCode: op.code,
      operationName: op.name,
      operationLineId: op.lineId,
      serial: i.serial,
      lot: i.lot,
      quantity: i.quantity,
      attempt: i.attempt,
      result: i.result,
      note: i.note,
    })
    .from(i)
    .innerJoin(
      tables.products,
      and(eq(tables.products.tenantId, i.tenantId), eq(tables.products.id, i.productId)),
    )
    .innerJoin(op, and(eq(op.tenantId, i.tenantId), eq(op.id, i.operationId)))
    .where(eq(i.id, inspectionId));
  if (inspection === undefined) throw notFoundInspection();
  if (inspection.result !== 'fail')
    throw new DomainError('invalid', 'The inspection passed: only a failed inspection raises an NCR', {
      inspectionId: 'It passed',
    });
  const r = tables.inspectionResults;
  const c = tables.inspectionCharacteristics;
  const failures = await tx
    .select({
      defectCodeId: r.defectCodeId,
      defectName: tables.defectCodes.name,
      characteristicName: c.name,
      measuredValue: r.measuredValue,
      note: r.note,
    })
    .from(r)
    .leftJoin(
      tables.defectCodes,
      and(eq(tables.defectCodes.tenantId, r.tenantId), eq(tables.defectCodes.id, r.defectCodeId)),
    )
    .leftJoin(c, and(eq(c.tenantId, r.tenantId), eq(c.id, r.characteristicId)))
    .where(and(eq(r.plantId, inspection.plantId), eq(r.inspectionId, inspection.id), eq(r.passed, false)))
    // Results of one inspection are recorded together, so no time orders them: defects come first
    // (what the inspector named), then characteristics out of their limits, each by name.
    .orderBy(
      sql`${r.defectCodeId} is null`,
      asc(sql`coalesce(${tables.defectCodes.name}, ${c.name})`),
      asc(r.id),
    );
  // The operation's usual line, when it is a line of the inspection's plant.
  const [line] =
    inspection.operationLineId === null
      ? []
      : await tx
          .select({ id: tables.lines.id })
          .from(tables.lines)
          .where(
            and(
              eq(tables.lines.id, inspection.operationLineId),
              eq(tables.lines.plantId, inspection.plantId),
            ),
          );
  return {
    inspectionId: inspection.id,
    plantId: inspection.plantId,
    productId: inspection.productId,
    lineId: line?.id ?? null,
    machineId: null,
    productionOrderId: await orderOf(tx, inspection.plantId, inspection.productId, inspection.lot),
    ...inspectionPrefill({ ...inspection, failures }),
  };
}

/** What an NCR about a machine says before anyone types: where, and what the machine's line is making. */
export async function prefillFromMachine(tx: Sql, machineId: string) {
  const [machine] = await tx
    .select({ id: tables.machines.id, plantId: tables.machines.plantId, lineId: tables.machines.lineId })
    .from(tables.machines)
    .where(eq(tables.machines.id, machineId));
  if (machine === undefined)
    throw new DomainError('not_found', 'Machine not found', { machineId: 'Not found' });
  const o = tables.productionOrders;
  const running = await tx
    .select({ id: o.id, productId: o.productId })
    .from(o)
    .where(and(eq(o.plantId, machine.plantId), eq(o.lineId, machine.lineId), eq(o.status, 'in_progress')))
    .limit(2);
  const order = running.length === 1 ? running[0]! : null;
  return {
    plantId: machine.plantId,
    lineId: machine.lineId,
    machineId: machine.id,
    productId: order?.productId ?? null,
    productionOrderId: order?.id ?? null,
  };
}

/**
 * One click from a failed inspection: an NCR prefilled from it and linked to it. A second NCR for an
 * inspection that already has one is refused (a double click), naming the first.
 */
export async function raiseFromInspection(
  call: NcrCall,
  input: { inspectionId: string; custom?: Record<string, unknown> | undefined },
) {
  const prefill = await prefillFromInspection(call.tx, input.inspectionId);
  const [existing] = await call.tx
    .select({ number: tables.ncrs.number })
    .from(tables.ncrInspections)
    .innerJoin(
      tables.ncrs,
      and(
        eq(tables.ncrs.tenantId, tables.ncrInspections.tenantId),
        eq(tables.ncrs.id, tables.ncrInspections.ncrId),
      ),
    )
    .where(
      and(
        eq(tables.ncrInspections.plantId, prefill.plantId),
        eq(tables.ncrInspections.inspectionId, prefill.inspectionId),
      ),
    )
    .limit(1);
  if (existing !== undefined)
    throw new DomainError('conflict', `${existing.number} is already about this inspection`, {
      inspectionId: `Already in ${existing.number}`,
    });
  const { inspectionId, ...fields } = prefill;
  return createNcr(call, { ...fields, inspectionIds: [inspectionId], custom: input.custom });
}

/** The inspections an NCR links are part of it: a state that locks the NCR locks them too. */
const linksEdit = (ncrId: string) => ({ entityType: 'ncr', entityId: ncrId, fields: ['inspections'] });

async function auditLinks(
  call: NcrCall,
  ncr: { id: string; number: string; plantId: string },
  before: string[],
) {
  const after = (await linkedInspections(call.tx, ncr)).map((i) => i.id);
  const verb = after.length >= before.length ? 'link-inspection' : 'unlink-inspection';
  audit(call.tx, {
    action: `ncr.${verb}`,
    entityType: 'ncr',
    entityId: ncr.id,
    entityLabel: ncr.number,
    plantId: ncr.plantId,
    before: { inspectionIds: before },
    after: { inspectionIds: after },
  });
}

/** Links another inspection of the NCR's plant (a re-inspection, another unit); linking twice changes nothing. */
export async function linkInspection(call: NcrCall, input: { ncrId: string; inspectionId: string }) {
  const ncr = await lockNcr(call.tx, input.ncrId);
  checkEditor(call.principal, ncr);
  await checkRecordEdit(call, linksEdit(ncr.id));
  const before = (await linkedInspections(call.tx, ncr)).map((i) => i.id);
  await insertLink(call.tx, call.principal.tenantId, ncr, input.inspectionId);
  await auditLinks(call, ncr, before);
  await recordEdited(call, linksEdit(ncr.id));
  return getNcr(call, ncr.id);
}

export async function unlinkInspection(call: NcrCall, input: { ncrId: string; inspectionId: string }) {
  const ncr = await lockNcr(call.tx, input.ncrId);
  checkEditor(call.principal, ncr);
  await checkRecordEdit(call, linksEdit(ncr.id));
  const before = (await linkedInspections(call.tx, ncr)).map((i) => i.id);
  const l = tables.ncrInspections;
  const [removed] = await call.tx
    .delete(l)
    .where(and(eq(l.plantId, ncr.plantId), eq(l.ncrId, ncr.id), eq(l.inspectionId, input.inspectionId)))
    .returning({ inspectionId: l.inspectionId });
  if (removed === undefined)
    throw new DomainError('not_found', 'That inspection is not linked to this NCR', {
      inspectionId: 'Not linked',
    });
  await auditLinks(call, ncr, before);
  await recordEdited(call, linksEdit(ncr.id));
  return getNcr(call, ncr.id);
}
