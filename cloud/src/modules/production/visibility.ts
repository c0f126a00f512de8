import { tables } from '@plantline/schema';
import { eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { notFound } from '../../platform/index.js';

/*
 * Lookups of referenced rows through row-level security: a row of another tenant, or of a plant
 * outside the caller's access, is "not found" — never "forbidden", which would confirm it exists.
 * Foreign-key checks bypass row-level security, so references are checked here first.
 */

export async function visiblePlant(tx: Sql, plantId: string) {
  const [plant] = await tx
    .select({ id: tables.plants.id, code: tables.plants.code, timezone: tables.plants.timezone })
    .from(tables.plants)
    .where(eq(tables.plants.id, plantId));
  if (plant === undefined) throw notFound('Plant');
  return plant;
}

export async function visibleLine(tx: Sql, lineId: string) {
  const [line] = await tx
    .select({ id: tables.lines.id, code: tables.lines.code, plantId: tables.lines.plantId })
    .from(tables.lines)
    .where(eq(tables.lines.id, lineId));
  if (line === undefined) throw notFound('Line');
  return line;
}

export async function visibleMachine(tx: Sql, machineId: string) {
  const [machine] = await tx
    .select({
      id: tables.machines.id,
      code: tables.machines.code,
      plantId: tables.machines.plantId,
      lineId: tables.machines.lineId,
    })
    .from(tables.machines)
    .where(eq(tables.machines.id, machineId));
  if (machine === undefined) throw notFound('Machine');
  return machine;
}

export async function visibleProduct(tx: Sql, productId: string) {
  const [product] = await tx
    .select({ id: tables.products.id, code: tables.products.code })
    .from(tables.products)
    .where(eq(tables.products.id, productId));
  if (product === undefined) throw notFound('Product');
  return product;
}
