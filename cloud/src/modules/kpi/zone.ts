/*
 * Wall-clock ↔ instant conversion for an IANA time zone with the platform's Intl data, so shift and
 * day boundaries follow the plant's clock across DST changes without a date library. A shift "06:00–
 * 14:00" is 7 or 9 real hours on DST change days only if it spans the change; KPIs use real time.
 */

export interface LocalDate {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
}

export interface LocalDateTime extends LocalDate {
  readonly hour: number;
  readonly minute: number;
}

export interface TimeZone {
  readonly name: string;
  /** Wall-clock date and time at an instant. */
  localAt(ms: number): LocalDateTime;
  /** Zone offset (local − UTC) at an instant, in ms. */
  offsetAt(ms: number): number;
  /**
   * The instant of a wall-clock time, disambiguated like Temporal's 'compatible': a time that occurs
   * twice (clocks back) is the earlier one; a time that does not exist (clocks forward) is moved
   * forward by the size of the jump, e.g. 02:30 on the spring-forward night in Europe/Berlin → 03:30.
   */
  instantOf(local: LocalDateTime): number;
}

const DAY_MS = 86_400_000;

export function timeZone(name: string): TimeZone {
  // Throws RangeError for an unknown zone: a typo must not silently become UTC.
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const fieldsAt = (ms: number) => {
    const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of format.formatToParts(ms)) {
      if (part.type in out) out[part.type as keyof typeof out] = Number(part.value);
    }
    return out;
  };
  const offsetAt = (ms: number): number => {
    const f = fieldsAt(ms);
    const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
    return wall - Math.floor(ms / 1000) * 1000;
  };
  return {
    name,
    localAt(ms) {
      const { year, month, day, hour, minute } = fieldsAt(ms);
      return { year, month, day, hour, minute };
    },
    offsetAt,
    instantOf(local) {
      const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
      // Offsets a day either side bracket any single transition (zones change at most ~twice a year).
      const before = offsetAt(wall - DAY_MS);
      const after = offsetAt(wall + DAY_MS);
      const candidates = [wall - before, wall - after].filter((t) => offsetAt(t) === wall - t);
      if (candidates.length > 0) return Math.min(...candidates);
      return wall - before;
    },
  };
}

/** Calendar arithmetic on local dates, independent of any zone. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const dow = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return dow === 0 ? 7 : dow;
}

/** ISO 8601 week-numbering year and week of a date. */
export function isoWeek(date: LocalDate): { year: number; week: number } {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const jan1 = Date.UTC(thursday.year, 0, 1);
  const ordinal = (Date.UTC(thursday.year, thursday.month - 1, thursday.day) - jan1) / DAY_MS;
  return { year: thursday.year, week: Math.floor(ordinal / 7) + 1 };
}

export function formatDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${pad(date.month)}-${pad(date.day)}`;
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
