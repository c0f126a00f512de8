import { tables } from '@plantline/schema';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Sql } from '../../db/index.js';
import { nameInput, notFound, timeZoneInput, topicCodeInput, uniqueCode } from '../../platform/index.js';
import { auditedRecord, auditSaved } from './audited-records.js';

export const plantFields = z.object({
  code: topicCodeInput,
  name: nameInput,
  timezone: timeZoneInput.default('UTC'),
});

const plantColumns = {
  id: tables.plants.id,
  code: tables.plants.code,
  name: tables.plants.name,
  timezone: tables.plants.timezone,
};

/** Plants in the caller's reach; row-level security does the filtering. */
export function listPlants(tx: Sql) {
  return tx.select(plantColumns).from(tables.plants).orderBy(asc(tables.plants.code));
}

export async function createPlant(tx: Sql, tenantId: string, input: z.output<typeof plantFields>) {
  const [plant] = await uniqueCode(
    tx
      .insert(tables.plants)
      .values({ ...input, tenantId })
      .returning(plantColumns),
  );
  // A plant's own entries carry its id as their plant: whoever may see the plant sees its history.
  await auditSaved(tx, 'plant', plant!.id, null);
  return plant!;
}

export async function updatePlant(tx: Sql, id: string, input: Partial<z.output<typeof plantFields>>) {
  const before = await auditedRecord(tx, 'plant', id);
  if (before === null) throw notFound('Plant');
  const [plant] = await uniqueCode(
    tx.update(tables.plants).set(input).where(eq(tables.plants.id, id)).returning(plantColumns),
  );
  if (plant === undefined) throw notFound('Plant');
  await auditSaved(tx, 'plant', id, before);
  return plant;
}
