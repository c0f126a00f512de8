import { masterCodeProblem } from './production-master';
import { type FieldErrors, nameProblem } from './validation';

/*
 * The shift pattern editor's form: a pattern is a set of weekly shift
 * definitions in local wall-clock time, each with its breaks. Values are kept as typed (strings) and
 * checked like cloud/src/modules/production/production.router.ts checks them; error keys are the
 * server's field paths ("shifts.0.breaks.1.offsetMinutes"), so its answers land beside the same fields.
 */

export const WEEKDAYS = [
  { value: '1', label: 'Mon', name: 'Monday' },
  { value: '2', label: 'Tue', name: 'Tuesday' },
  { value: '3', label: 'Wed', name: 'Wednesday' },
  { value: '4', label: 'Thu', name: 'Thursday' },
  { value: '5', label: 'Fri', name: 'Friday' },
  { value: '6', label: 'Sat', name: 'Saturday' },
  { value: '7', label: 'Sun', name: 'Sunday' },
] as const;

/** production.router.ts: at most 24 shifts a pattern, 12 breaks a shift. */
export const MAX_SHIFTS = 24;
export const MAX_BREAKS = 12;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

export interface BreakValues {
  /** Minutes from the shift's start, as typed. */
  offset: string;
  duration: string;
  /** A downtime reason code. */
  reason: string;
}

export interface ShiftDefinitionValues {
  code: string;
  name: string;
  /** '1' (Monday) … '7' (Sunday). */
  weekdays: string[];
  /** Local start, "06:00". */
  startTime: string;
  /** Minutes, as typed. */
  duration: string;
  breaks: BreakValues[];
}

export interface ShiftPatternValues {
  code: string;
  name: string;
  shifts: ShiftDefinitionValues[];
}

export interface ShiftPatternInput {
  code: string;
  name: string;
  shifts: {
    code: string;
    name: string;
    weekdays: number[];
    startTime: string;
    durationMinutes: number;
    breaks: { offsetMinutes: number; durationMinutes: number; reason: string }[];
  }[];
}

/** A pattern as listShiftPatterns returns it. */
export interface ShiftPatternRow {
  code: string;
  name: string;
  shifts: {
    code: string;
    name: string;
    weekdays: number[];
    startTime: string;
    durationMinutes: number;
    breaks: { offsetMinutes: number; durationMinutes: number; reason: string }[] | null;
  }[];
}

export const blankBreak = (reason = 'BREAK'): BreakValues => ({ offset: '240', duration: '30', reason });

export const blankShift = (): ShiftDefinitionValues => ({
  code: '',
  name: '',
  weekdays: ['1', '2', '3', '4', '5'],
  startTime: '06:00',
  duration: '480',
  breaks: [],
});

export const blankPattern = (): ShiftPatternValues => ({ code: '', name: '', shifts: [blankShift()] });

/** Whole minutes in [min, max] as typed, or the problem. */
function minutesProblem(value: string, min: number, max: number, what: string): string | null {
  if (value.trim() === '') return `Enter the ${what} in minutes`;
  const n = Number(value);
  if (!Number.isInteger(n)) return 'Enter whole minutes, e.g. 30';
  if (n < min) return `At least ${min}`;
  if (n > max) return `At most ${max}`;
  return null;
}

export function validateShiftPattern(values: ShiftPatternValues): FieldErrors {
  const errors: FieldErrors = {};
  const put = (field: string, problem: string | null) => {
    if (problem !== null) errors[field] = problem;
  };
  put('code', masterCodeProblem(values.code));
  put('name', nameProblem(values.name));
  if (values.shifts.length > MAX_SHIFTS) errors.shifts = `At most ${MAX_SHIFTS} shifts`;
  const codes = values.shifts.map((s) => s.code.trim());
  values.shifts.forEach((shift, i) => {
    const at = `shifts.${i}`;
    put(`${at}.code`, masterCodeProblem(shift.code));
    if (errors[`${at}.code`] === undefined && codes.indexOf(shift.code.trim()) !== i)
      errors[`${at}.code`] = 'Another shift of the pattern has this code';
    put(`${at}.name`, nameProblem(shift.name));
    if (shift.weekdays.length === 0) errors[`${at}.weekdays`] = 'Choose at least one weekday';
    if (!TIME_PATTERN.test(shift.startTime)) errors[`${at}.startTime`] = 'Use a local time like 06:00';
    put(`${at}.durationMinutes`, minutesProblem(shift.duration, 1, 1440, 'duration'));
    const length = Number(shift.duration);
    if (shift.breaks.length > MAX_BREAKS) errors[`${at}.breaks`] = `At most ${MAX_BREAKS} breaks`;
    shift.breaks.forEach((b, k) => {
      const bat = `${at}.breaks.${k}`;
      put(`${bat}.offsetMinutes`, minutesProblem(b.offset, 0, 1439, 'start'));
      put(`${bat}.durationMinutes`, minutesProblem(b.duration, 1, 1440, 'length'));
      put(`${bat}.reason`, b.reason.trim() === '' ? 'Choose a reason' : masterCodeProblem(b.reason));
      const inside =
        errors[`${bat}.offsetMinutes`] ?? errors[`${bat}.durationMinutes`] ?? errors[`${at}.durationMinutes`];
      if (inside === undefined && Number(b.offset) + Number(b.duration) > length)
        errors[`${bat}.durationMinutes`] = 'Ends after the shift';
    });
  });
  return errors;
}

export function shiftPatternInput(values: ShiftPatternValues): ShiftPatternInput {
  return {
    code: values.code.trim(),
    name: values.name.trim(),
    shifts: values.shifts.map((s) => ({
      code: s.code.trim(),
      name: s.name.trim(),
      weekdays: [...new Set(s.weekdays.map(Number))].sort((a, b) => a - b),
      startTime: s.startTime,
      durationMinutes: Number(s.duration),
      breaks: s.breaks.map((b) => ({
        offsetMinutes: Number(b.offset),
        durationMinutes: Number(b.duration),
        reason: b.reason.trim(),
      })),
    })),
  };
}

export function shiftPatternValues(row: ShiftPatternRow): ShiftPatternValues {
  return {
    code: row.code,
    name: row.name,
    shifts: row.shifts.map((s) => ({
      code: s.code,
      name: s.name,
      weekdays: s.weekdays.map(String),
      // The database gives "06:00:00".
      startTime: s.startTime.slice(0, 5),
      duration: String(s.durationMinutes),
      breaks: (s.breaks ?? []).map((b) => ({
        offset: String(b.offsetMinutes),
        duration: String(b.durationMinutes),
        reason: b.reason,
      })),
    })),
  };
}

/** "Mon–Fri", "Mon, Wed, Sat", "Every day". */
export function weekdaysLabel(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'Every day';
  const label = (d: number) => WEEKDAYS[d - 1]?.label ?? String(d);
  const run = sorted.length > 2 && sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  if (run) return `${label(sorted[0]!)}–${label(sorted.at(-1)!)}`;
  return sorted.map(label).join(', ');
}

/** "06:00, 8 h" / "22:00, 7 h 30 min". */
export function shiftTimesLabel(startTime: string, durationMinutes: number): string {
  const h = Math.floor(durationMinutes / 60);
  const m = durationMinutes % 60;
  const length = [h > 0 ? `${h} h` : '', m > 0 ? `${m} min` : ''].filter(Boolean).join(' ');
  return `${startTime.slice(0, 5)}, ${length}`;
}

/** The local dates [today, today + days] in a zone, for shifts.generate. */
export function generationRange(now: number, timeZone: string, days: number): { from: string; to: string } {
  const date = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(t);
  return { from: date(now), to: date(now + days * 86_400_000) };
}

/** A stored shift in a pattern's list: "Mon–Fri · 06:00, 8 h · 1 break". */
export function shiftSummary(shift: ShiftPatternRow['shifts'][number]): string {
  const breaks = (shift.breaks ?? []).length;
  const parts = [weekdaysLabel(shift.weekdays), shiftTimesLabel(shift.startTime, shift.durationMinutes)];
  if (breaks > 0) parts.push(`${breaks} ${breaks === 1 ? 'break' : 'breaks'}`);
  return parts.join(' · ');
}

/** A generated shift in the plant's zone: "Wed 25 Nov 06:00–14:00". */
export function shiftWhen(
  shift: { startsAt: string | Date; endsAt: string | Date },
  timeZone: string,
): string {
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const start = new Date(shift.startsAt);
  const end = new Date(shift.endsAt);
  return `${day.format(start).replace(',', '')} ${time.format(start)}–${time.format(end)}`;
}
