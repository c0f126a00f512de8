import { readTenantSettings, type TenantSettings } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';

/** The tenant's notification defaults (schema/src/settings.ts), or the built-in ones when none are stored. */
export async function notificationDefaults(tx: Sql): Promise<TenantSettings['notifications']> {
  const [row] = await rows<{ settings: unknown }>(tx, sql`select settings from system_settings limit 1`);
  return readTenantSettings(row?.settings).notifications;
}
