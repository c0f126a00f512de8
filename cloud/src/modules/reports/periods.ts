import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { type Interval, type LocalDate, timeZone } from '../kpi/index.js';
import type { PeriodInput, RelativePreset } from './parameters.js';

/*
 * A report's period as instants (docs/reports.md, "Parameters and periods"). Calendar presets —
 * today, yesterday, the last ISO week, the last month — are local midnights in the plant's time zone,
 * so a day is 23 or 25 hours across a DST change. Shift presets read the plant's shift calendar (the
 * shifts table the production module keeps ahead), so a night shift crossing midnight is one period.
 * Without a plant the calendar presets use UTC and shift presets are refused.
 */

export interface ResolvedPeriod extends Interval {
  readonly preset: PeriodInput['preset'];
  /** "2026-W48", "2026-03-29", "2026-03-29 Night", or the range in ISO form. */
  readonly label: string;
  /** The zone the period was resolved in (the plant's, or UTC without a plant). */
  readonly timezone: string;
  readonly shift: { readonly id: string; readonly name: string; readonly businessDate: string } | null;
}

const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');
const dateText = (d: LocalDate) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;

function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function isoWeekOf(d: LocalDate): { year: number; week: number; monday: LocalDate } {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day));
  const weekday = t.getUTCDay() || 7;
  const monday = addDays(d, 1 - weekday);
  const thursday = new Date(Date.UTC(d.year, d.month - 1, d.day + 4 - weekday));
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return { year, week, monday };
}

/** Today, yesterday, the last ISO week or the last month before `now`, in the zone. Pure. */
export function calendarPeriod(
  preset: Exclude<RelativePreset, 'lastShift' | 'currentShift'>,
  zoneName: string,
  now: number,
): { start: number; end: number; label: string } {
  const zone = timeZone(zoneName);
  const midnight = (d: LocalDate) => zone.instantOf({ ...d, hour: 0, minute: 0 });
  const local = zone.localAt(now);
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  switch (preset) {
    case 'today':
      return { start: midnight(today), end: midnight(addDays(today, 1)), label: dateText(today) };
    case 'yesterday': {
      const day = addDays(today, -1);
      return { start: midnight(day), end: midnight(today), label: dateText(day) };
    }
    case 'lastIsoWeek': {
      const thisMonday = isoWeekOf(today).monday;
      const last = isoWeekOf(addDays(thisMonday, -7));
      return {
        start: midnight(last.monday),
        end: midnight(thisMonday),
        label: `${last.year}-W${pad(last.week)}`,
      };
    }
    case 'lastMonth': {
      const first: LocalDate = { year: today.year, month: today.month, day: 1 };
      const previous: LocalDate =
        today.month === 1
          ? { year: today.year - 1, month: 12, day: 1 }
          : { ...first, month: today.month - 1 };
      return {
        start: midnight(previous),
        end: midnight(first),
        label: `${previous.year}-${pad(previous.month)}`,
      };
    }
  }
}

interface ShiftRow {
  id: string;
  name: string;
  business_date: string;
  start_ms: number;
  end_ms: number;
}

/** The plant's last finished shift, or the one running now, from its shift calendar. */
async function shiftPeriod(tx: Sql, plantId: string, which: 'last' | 'current', now: number) {
  const at = new Date(now).toISOString();
  const condition =
    which === 'current'
      ? sql`starts_at <= ${at}::timestamptz and ends_at > ${at}::timestamptz`
      : sql`ends_at <= ${at}::timestamptz`;
  const [row] = await rows<ShiftRow>(
    tx,
    sql`select id::text as id, name, business_date::text as business_date,
               (extract(epoch from starts_at) * 1000)::float8 as start_ms,
               (extract(epoch from ends_at) * 1000)::float8 as end_ms
          from shifts
         where plant_id = ${plantId}::uuid and not is_cancelled and ${condition}
         order by ${which === 'current' ? sql`starts_at desc` : sql`ends_at desc, starts_at desc`}
         limit 1`,
  );
  if (row === undefined) {
    throw new DomainError(
      'invalid',
      which === 'current'
        ? 'No shift of the plant is running now'
        : 'The plant has no finished shift in its calendar',
      { period: 'No such shift' },
    );
  }
  return row;
}

/** The longest period a report covers: the KPI engine's window limit (docs/kpis.md). */
export const MAX_PERIOD_DAYS = 400;

export async function resolvePeriod(
  tx: Sql,
  plant: { id: string; timezone: string } | null,
  input: PeriodInput,
  now: number,
): Promise<ResolvedPeriod> {
  const timezone = plant?.timezone ?? 'UTC';
  let period: Omit<ResolvedPeriod, 'timezone' | 'preset'>;
  if (input.preset === 'range') {
    period = {
      start: input.from.getTime(),
      end: input.to.getTime(),
      label: `${input.from.toISOString()}/${input.to.toISOString()}`,
      shift: null,
    };
  } else if (input.preset === 'lastShift' || input.preset === 'currentShift') {
    if (plant === null) {
      throw new DomainError('invalid', 'A shift period needs a plant: choose one', { plantId: 'Required' });
    }
    const row = await shiftPeriod(tx, plant.id, input.preset === 'lastShift' ? 'last' : 'current', now);
    period = {
      start: row.start_ms,
      end: row.end_ms,
      label: `${row.business_date} ${row.name}`,
      shift: { id: row.id, name: row.name, businessDate: row.business_date },
    };
  } else {
    period = { ...calendarPeriod(input.preset, timezone, now), shift: null };
  }
  if (period.end - period.start > MAX_PERIOD_DAYS * DAY_MS) {
    throw new DomainError('invalid', `A period spans at most ${MAX_PERIOD_DAYS} days`, {
      period: 'Too long',
    });
  }
  return { ...period, preset: input.preset, timezone };
}
