import { clip, type Instant, type InstantRange, type Interval, toInterval, toMs } from './intervals.js';
import { addDays, compareDates, formatDate, isoWeek, isoWeekday, type LocalDate, timeZone } from './zone.js';

/*
 * Splitting a range into the KPI windows the UI reports by — shifts, days, ISO weeks — in the plant's
 * time zone. Windows are clipped to the range, so a partial first or last day is exact, and the core
 * (computeOee) only ever sees an explicit [start, end).
 */

export interface KpiWindow extends Interval {
  /** '2026-03-29', '2026-W13', '2026-03-29 A'. */
  readonly label: string;
}

export interface ShiftDefinition {
  readonly name: string;
  /** Local wall-clock start, 'HH:MM'. */
  readonly start: string;
  /** Local wall-clock end, 'HH:MM'; at or before start means the next day (a night shift). */
  readonly end?: string;
  /**
   * Instead of `end` (as the shift pattern tables store it): wall-clock minutes after the start,
   * 1–1440. 06:00 + 480 ends at 14:00 local, so it too is 7 or 9 real hours across a DST change.
   */
  readonly durationMinutes?: number;
  /** ISO weekdays (1 = Monday) on which the shift starts; all days when absent. */
  readonly weekdays?: readonly number[];
}

export interface ShiftWindow extends KpiWindow {
  readonly shift: string;
  /** The local date the shift starts on. */
  readonly date: string;
  /** The whole shift, before clipping to the range. */
  readonly shiftStart: number;
  readonly shiftEnd: number;
}

export function splitByDay(range: InstantRange, zoneName: string): KpiWindow[] {
  return splitCalendar(range, zoneName, 1, (d) => d, formatDate);
}

/** ISO weeks start on Monday 00:00 local time. */
export function splitByIsoWeek(range: InstantRange, zoneName: string): KpiWindow[] {
  return splitCalendar(
    range,
    zoneName,
    7,
    (d) => addDays(d, 1 - isoWeekday(d)),
    (d) => {
      const w = isoWeek(d);
      return `${w.year}-W${String(w.week).padStart(2, '0')}`;
    },
  );
}

function splitCalendar(
  range: InstantRange,
  zoneName: string,
  stepDays: number,
  firstOf: (d: LocalDate) => LocalDate,
  label: (d: LocalDate) => string,
): KpiWindow[] {
  const bounds = toInterval(range);
  const tz = timeZone(zoneName);
  const out: KpiWindow[] = [];
  let date = firstOf(tz.localAt(bounds.start));
  let start = tz.instantOf({ ...date, hour: 0, minute: 0 });
  while (start < bounds.end) {
    const next = addDays(date, stepDays);
    const end = tz.instantOf({ ...next, hour: 0, minute: 0 });
    const clipped = clip({ start, end }, bounds);
    if (clipped) out.push({ ...clipped, label: label(date) });
    date = next;
    start = end;
  }
  return out;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function parseTime(text: string): { hour: number; minute: number } {
  const m = HH_MM.exec(text);
  if (!m) throw new RangeError(`shift time "${text}" must be HH:MM`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** A shift's length in wall-clock minutes, from `end` or `durationMinutes`. */
function wallMinutes(def: ShiftDefinition): number {
  if ((def.end === undefined) === (def.durationMinutes === undefined)) {
    throw new RangeError(`shift "${def.name}" needs either end or durationMinutes`);
  }
  if (def.end !== undefined) {
    const start = parseTime(def.start);
    const end = parseTime(def.end);
    const diff = end.hour * 60 + end.minute - (start.hour * 60 + start.minute);
    return diff > 0 ? diff : diff + 1440;
  }
  const minutes = def.durationMinutes ?? 0;
  if (!(Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440)) {
    throw new RangeError(`shift "${def.name}" durationMinutes must be a whole number from 1 to 1440`);
  }
  return minutes;
}

/** The shifts of a daily pattern that overlap the range, in time order, clipped to it. */
export function splitByShift(
  range: InstantRange,
  zoneName: string,
  shifts: readonly ShiftDefinition[],
): ShiftWindow[] {
  const bounds = toInterval(range);
  const tz = timeZone(zoneName);
  const parsed = shifts.map((s) => ({ def: s, start: parseTime(s.start), minutes: wallMinutes(s) }));
  const out: ShiftWindow[] = [];
  // A night shift that started the day before can reach into the range.
  const last = tz.localAt(bounds.end);
  for (
    let date = addDays(tz.localAt(bounds.start), -1);
    compareDates(date, last) <= 0;
    date = addDays(date, 1)
  ) {
    for (const { def, start, minutes } of parsed) {
      if (def.weekdays && !def.weekdays.includes(isoWeekday(date))) continue;
      const shiftStart = tz.instantOf({ ...date, ...start });
      const endMinute = start.hour * 60 + start.minute + minutes;
      const shiftEnd = tz.instantOf({
        ...addDays(date, Math.floor(endMinute / 1440)),
        hour: Math.floor((endMinute % 1440) / 60),
        minute: endMinute % 60,
      });
      const clipped = clip({ start: shiftStart, end: shiftEnd }, bounds);
      if (!clipped) continue;
      const day = formatDate(date);
      out.push({ ...clipped, label: `${day} ${def.name}`, shift: def.name, date: day, shiftStart, shiftEnd });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The shift running at an instant (the live window), or null between shifts. */
export function shiftAt(
  instant: Instant,
  zoneName: string,
  shifts: readonly ShiftDefinition[],
): ShiftWindow | null {
  const t = toMs(instant);
  const found = splitByShift({ start: t, end: t + 1 }, zoneName, shifts)[0];
  if (!found) return null;
  return { ...found, start: found.shiftStart, end: found.shiftEnd };
}
