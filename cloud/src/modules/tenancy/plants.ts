import { tables } from '@plantline/schema';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Sql } from '../../db/index.js';
import { DomainError, notFound, unlessTaken } from '../../platform/index.js';

export const plantFields = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, - and _ only (it appears in MQTT topics)'),
  name: z.string().trim().min(1).max(120),
  timezone: z
    .string()
    .max(64)
    .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'Unknown IANA time zone')
    .default('UTC'),
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

const takenCode = () =>
  new DomainError('conflict', 'That code is already in use here', { code: 'Already in use' });

export async function createPlant(tx: Sql, tenantId: string, input: z.output<typeof plantFields>) {
  const [plant] = await unlessTaken(
    tx
      .insert(tables.plants)
      .values({ ...input, tenantId })
      .returning(plantColumns),
    takenCode,
  );
  return plant!;
}

export async function updatePlant(tx: Sql, id: string, input: Partial<z.output<typeof plantFields>>) {
  const [plant] = await unlessTaken(
    tx.update(tables.plants).set(input).where(eq(tables.plants.id, id)).returning(plantColumns),
    takenCode,
  );
  if (plant === undefined) throw notFound('Plant');
  return plant;
}
