import { tables } from '@plantline/schema';
import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { notFound } from '../../platform/index.js';
import { visibleMachine, visibleProduct } from './visibility.js';

/*
 * Ideal cycle times (ISO 22400 PRI), seconds per unit. A machine has a default (product null) and
 * optionally one time per product; the KPI engine takes the product's row, else the default. The row's
 * plant is the machine's, read through row-level security, so a machine the caller cannot see (another
 * tenant's, or a plant outside their access) is "not found".
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

/** Sets (creates or replaces) the time of a machine for a product, or its default when product is null. */
export async function setIdealCycleTime(
  tx: Sql,
  tenantId: string,
  input: { machineId: string; productId: string | null; secondsPerUnit: number },
) {
  const machine = await visibleMachine(tx, input.machineId);
  if (input.productId !== null) await visibleProduct(tx, input.productId);
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
  return row!;
}

/** Removes a product's time (the machine default applies again) or the default itself. */
export async function clearIdealCycleTime(tx: Sql, input: { machineId: string; productId: string | null }) {
  const [row] = await tx
    .delete(tables.idealCycleTimes)
    .where(
      and(
        eq(tables.idealCycleTimes.machineId, input.machineId),
        input.productId === null
          ? isNull(tables.idealCycleTimes.productId)
          : eq(tables.idealCycleTimes.productId, input.productId),
      ),
    )
    .returning(columns);
  if (row === undefined) throw notFound('Ideal cycle time');
  return row;
}
