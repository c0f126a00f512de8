import { tables } from '@plantline/schema';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Sql } from '../../db/index.js';
import {
  countryOrNoneInput,
  glnInput,
  nameInput,
  notFound,
  timeZoneInput,
  topicCodeInput,
  uniqueCode,
} from '../../platform/index.js';
import { auditedRecord, auditSaved } from './audited-records.js';

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters`);

/**
 * A plant as master data keeps it. The address and GLN are what logistic labels print as ship-from
 * (docs/labels.md); each may stay empty until someone knows it.
 */
export const plantFields = z.object({
  code: topicCodeInput,
  name: nameInput,
  timezone: timeZoneInput.default('UTC'),
  street: text(200).default(''),
  postalCode: text(20).default(''),
  city: text(100).default(''),
  country: countryOrNoneInput.default(''),
  gln: glnInput.nullable().default(null),
});

const p = tables.plants;
const plantColumns = {
  id: p.id,
  code: p.code,
  name: p.name,
  timezone: p.timezone,
  street: p.street,
  postalCode: p.postalCode,
  city: p.city,
  country: p.country,
  gln: p.gln,
};

/** Plants in the caller's reach; row-level security does the filtering. */
export function listPlants(tx: Sql) {
  return tx.select(plantColumns).from(p).orderBy(asc(p.code));
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
