import { tables } from '@plantline/schema';
import { asc, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';

/*
 * A transfer names two plants, and its users reach only one of them (docs/logistics.md, "Transfers"):
 * the planner at plant A chooses plant B, and the receivers at B read where it comes from. Row-level
 * security keeps a plant's records to its users; a plant's code and name are how the tenant's plants
 * address each other, so this one read sees every plant of the caller's tenant — the tenant stays
 * bound by the policies, and the transaction's own plant reach is put back before anything else runs.
 */

export interface PlantName {
  id: string;
  code: string;
  name: string;
}

/** Every plant of the caller's tenant by code and name, whatever plants the caller reaches. */
export async function tenantPlantNames(tx: Sql): Promise<PlantName[]> {
  const [before] = await rows<{ reach: string | null }>(
    tx,
    sql`select current_setting('plantline.all_plants', true) as reach`,
  );
  await tx.execute(sql`select set_config('plantline.all_plants', 'on', true)`);
  const p = tables.plants;
  const plants = await tx.select({ id: p.id, code: p.code, name: p.name }).from(p).orderBy(asc(p.code));
  await tx.execute(sql`select set_config('plantline.all_plants', ${before?.reach ?? 'off'}, true)`);
  return plants;
}
