import { tables } from '@plantline/schema';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Sql } from '../../db/index.js';
import { nameInput, notFound, timeZoneInput, topicCodeInput, uniqueCode } from '../../platform/index.js';

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
  return plant!;
}

export async function updatePlant(tx: Sql, id: string, input: Partial<z.output<typeof plantFields>>) {
  const [plant] = await uniqueCode(
    tx.update(tables.plants).set(input).where(eq(tables.plants.id, id)).returning(plantColumns),
  );
  if (plant === undefined) throw notFound('Plant');
  return plant;
}
