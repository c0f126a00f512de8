import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, everyTenantId, rows } from '../../db/index.js';
import { materialiseShifts } from './shifts.js';

/** Every plant with a shift pattern has its shifts generated at least this far ahead. */
export const SHIFT_HORIZON_DAYS = 56;
/** Hourly: cheap (a few hundred shifts per plant, updated in place), and a restarted cloud soon runs it. */
const EVERY_MS = 3_600_000;

const isoDay = (at: Date, offsetDays: number) =>
  new Date(at.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * Rolls the shift calendar forward: regenerates each plant's shifts from today to the horizon from
 * its active patterns. Regeneration updates shifts in place and leaves overrides and cancellations
 * alone (shifts.ts), so running it again changes nothing; without it a plant would run out of
 * shifts — and OEE out of planned time — when the generated range ends.
 */
export async function extendShiftHorizon(db: Database, now = new Date()): Promise<{ plants: number }> {
  const tenants = await everyTenantId(db);
  let plants = 0;
  for (const tenantId of tenants) {
    await db.transact({ tenantId, plantIds: 'all' }, async (tx) => {
      const withPatterns = await rows<{ plant_id: string }>(
        tx,
        sql`select distinct plant_id::text as plant_id from shift_patterns where is_active order by 1`,
      );
      for (const { plant_id: plantId } of withPatterns) {
        await materialiseShifts(tx, tenantId, {
          plantId,
          from: isoDay(now, 0),
          to: isoDay(now, SHIFT_HORIZON_DAYS),
        });
        plants++;
      }
    });
  }
  return { plants };
}

export function scheduleShiftHorizon(
  scheduler: { every(name: string, intervalMs: number, task: () => Promise<void>): void },
  db: Database,
  log: Logger,
): void {
  scheduler.every('shift-horizon', EVERY_MS, async () => {
    const { plants } = await extendShiftHorizon(db);
    log.info({ plants, days: SHIFT_HORIZON_DAYS }, 'shift calendars extended');
  });
}
