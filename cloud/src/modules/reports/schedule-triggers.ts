import cronParser from 'cron-parser';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Sql } from '../../db/index.js';

/*
 * When a schedule fires (docs/reports.md, "Schedules"): a cron expression read in a time zone, or the
 * plant's own calendar — the end of every shift (or of one named shift), or the first working day of
 * each month at a local time. The calendar triggers read the plant's shift instances (`shifts`), so a
 * holiday without shifts is no working day and a cancelled shift does not fire.
 */

const timeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'Not a time zone: use an IANA name such as Europe/Berlin');

const cronExpression = z
  .string()
  .trim()
  .min(9)
  .max(100)
  .refine((expression) => {
    try {
      cronParser.parseExpression(expression);
      return expression.split(/\s+/).length === 5;
    } catch {
      return false;
    }
  }, 'Not a cron expression: five fields, minute hour day-of-month month day-of-week (0 6 * * 1-5)');

export const scheduleTrigger = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cron'), expression: cronExpression, timeZone }),
  /** At the end of every shift of the plant, or of the shift with this name. */
  z.strictObject({ kind: z.literal('shiftEnd'), shiftName: z.string().trim().min(1).max(100).nullable() }),
  /** On the first day of each month with a shift, at this local time of the plant. */
  z.strictObject({
    kind: z.literal('firstWorkingDay'),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time as HH:MM, 00:00 to 23:59'),
  }),
]);

export type ScheduleTrigger = z.infer<typeof scheduleTrigger>;

/** The plant a calendar trigger reads, with its zone. */
export interface TriggerPlant {
  id: string;
  timezone: string;
}

/**
 * The first instant strictly after `after` at which the trigger fires; null when the plant's calendar
 * holds none yet (no shifts planned ahead), so the schedule waits and is looked at again.
 */
export async function nextFire(
  tx: Sql,
  trigger: ScheduleTrigger,
  plant: TriggerPlant | null,
  after: Date,
): Promise<Date | null> {
  if (trigger.kind === 'cron')
    return cronParser
      .parseExpression(trigger.expression, { currentDate: after, tz: trigger.timeZone })
      .next()
      .toDate();
  if (plant === null) throw new Error('a calendar trigger needs a plant');
  if (trigger.kind === 'shiftEnd') {
    const [found] = await rows<{ ends_at: string | Date | null }>(
      tx,
      sql`select min(ends_at) as ends_at from shifts
           where plant_id = ${plant.id}::uuid and not is_cancelled and ends_at > ${after.toISOString()}::timestamptz
             and (${trigger.shiftName}::text is null or name = ${trigger.shiftName})`,
    );
    return found?.ends_at == null ? null : new Date(found.ends_at);
  }
  // The first working day of this month, then of the following ones, at the local time given.
  const [found] = await rows<{ fires_at: string | Date | null }>(
    tx,
    sql`select min(first_day + ${trigger.time}::time) at time zone ${plant.timezone} as fires_at
          from (select min(business_date) as first_day from shifts
                 where plant_id = ${plant.id}::uuid and not is_cancelled
                   and business_date >= date_trunc('month', (${after.toISOString()}::timestamptz
                                                             at time zone ${plant.timezone}))::date
                 group by date_trunc('month', business_date)) months
         where (first_day + ${trigger.time}::time) at time zone ${plant.timezone} > ${after.toISOString()}::timestamptz`,
  );
  return found?.fires_at == null ? null : new Date(found.fires_at);
}

/** The trigger in words, for lists and notifications. */
export function describeTrigger(trigger: ScheduleTrigger): string {
  if (trigger.kind === 'cron') return `cron ${trigger.expression} (${trigger.timeZone})`;
  if (trigger.kind === 'shiftEnd')
    return trigger.shiftName === null
      ? 'at the end of every shift'
      : `at the end of every ${trigger.shiftName} shift`;
  return `on the first working day of each month at ${trigger.time}`;
}
