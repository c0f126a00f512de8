import { tables } from '@plantline/schema';
import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate, auditDelete, auditUpdate, notFound } from '../../platform/index.js';
import { visibleMachine, visibleProduct } from './visibility.js';

/*
 * Ideal cycle times (ISO 22400 PRI), seconds per unit. A machine has a default (product null) and
 * optionally one time per product; the KPI engine takes the product's row, else the default. The row's
 * plant is the machine's, read through row-level security, so a machine the caller cannot see (another
 * tenant's, or a plant outside their access) is "not found". A time has no code of its own: the audit
 * trail names it by machine and product (`M1/BRK-100`, `M1/default`).
 */

const columns = {
  id: tables.idealCycleTimes.id,
  plantId: tables.idealCycleTimes.plantId,
  machineId: tables.idealCycleTimes.machineId,
  productId: tables.idealCycleTimes.productId,
  secondsPerUnit: tables.idealCycleTimes.secondsPerUnit,
};

export function listIdealCycleTimes(
  tx: Sql,
  input: { plantId?: string | undefined; machineId?: string | undefined; productId?: string | undefined },
) {
  const conditions: SQL[] = [];
  if (input.plantId !== undefined) conditions.push(eq(tables.idealCycleTimes.plantId, input.plantId));
  if (input.machineId !== undefined) conditions.push(eq(tables.idealCycleTimes.machineId, input.machineId));
  if (input.productId !== undefined) conditions.push(eq(tables.idealCycleTimes.productId, input.productId));
  return tx
    .select({
      ...columns,
      machineCode: tables.machines.code,
      productCode: tables.products.code,
    })
    .from(tables.idealCycleTimes)
    .innerJoin(tables.machines, eq(tables.machines.id, tables.idealCycleTimes.machineId))
    .leftJoin(tables.products, eq(tables.products.id, tables.idealCycleTimes.productId))
    .where(and(...conditions))
    .orderBy(asc(tables.machines.code), asc(tables.products.code));
}

const ofMachineAndProduct = (machineId: string, productId: string | null) =>
  and(
    eq(tables.idealCycleTimes.machineId, machineId),
    productId === null
      ? isNull(tables.idealCycleTimes.productId)
      : eq(tables.idealCycleTimes.productId, productId),
  );

/** A time as the audit trail records it: with the codes of its machine and product. */
function auditedTime(
  row: { id: string; plantId: string; machineId: string; productId: string | null; secondsPerUnit: number },
  machineCode: string,
  productCode: string | null,
) {
  return {
    id: row.id,
    machineId: row.machineId,
    machineCode,
    productId: row.productId,
    productCode,
    secondsPerUnit: row.secondsPerUnit,
  };
}

const labelOf = (machineCode: string, productCode: string | null) =>
  `${machineCode}/${productCode ?? 'default'}`;

/** Sets (creates or replaces) the time of a machine for a product, or its default when product is null. */
export async function setIdealCycleTime(
  tx: Sql,
  tenantId: string,
  input: { machineId: string; productId: string | null; secondsPerUnit: number },
) {
  const machine = await visibleMachine(tx, input.machineId);
  const product = input.productId === null ? null : await visibleProduct(tx, input.productId);
  const [previous] = await tx
    .select(columns)
    .from(tables.idealCycleTimes)
    .where(ofMachineAndProduct(input.machineId, input.productId))
    .for('update');
  const [row] = await tx
    .insert(tables.idealCycleTimes)
    .values({ ...input, tenantId, plantId: machine.plantId })
    .onConflictDoUpdate({
      target: [
        tables.idealCycleTimes.tenantId,
        tables.idealCycleTimes.machineId,
        tables.idealCycleTimes.productId,
      ],
      set: { secondsPerUnit: input.secondsPerUnit, updatedAt: new Date() },
    })
    .returning(columns);
  const productCode = product?.code ?? null;
  const after = auditedTime(row!, machine.code, productCode);
  const record = { label: labelOf(machine.code, productCode), plantId: machine.plantId };
  if (previous === undefined) auditCreate(tx, 'ideal_cycle_time', after, record);
  else auditUpdate(tx, 'ideal_cycle_time', auditedTime(previous, machine.code, productCode), after, record);
  return row!;
}

/** Removes a product's time (the machine default applies again) or the default itself. */
export async function clearIdealCycleTime(tx: Sql, input: { machineId: string; productId: string | null }) {
  const [found] = await tx
    .select({ ...columns, machineCode: tables.machines.code, productCode: tables.products.code })
    .from(tables.idealCycleTimes)
    .innerJoin(tables.machines, eq(tables.machines.id, tables.idealCycleTimes.machineId))
    .leftJoin(tables.products, eq(tables.products.id, tables.idealCycleTimes.productId))
    .where(ofMachineAndProduct(input.machineId, input.productId));
  if (found === undefined) throw notFound('Ideal cycle time');
  const { machineCode, productCode, ...time } = found;
  const [row] = await tx
    .delete(tables.idealCycleTimes)
    .where(eq(tables.idealCycleTimes.id, time.id))
    .returning(columns);
  if (row === undefined) throw notFound('Ideal cycle time');
  auditDelete(tx, 'ideal_cycle_time', auditedTime(row, machineCode, productCode), {
    label: labelOf(machineCode, productCode),
    plantId: row.plantId,
  });
  return row;
}
